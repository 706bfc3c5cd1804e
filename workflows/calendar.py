"""The desk's clock: its time zone, business days (weekends, Japanese public holidays and the
year-end closure 12/29-1/3), and dates written the way people read them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jpholiday

DEFAULT_TIMEZONE = "Asia/Tokyo"
_WEEKDAYS_JA = "月火水木金土日"


def local_now(now: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> dt.datetime:
    """`now` (aware) on the desk's wall clock: every "today", due date and year comes from here."""
    return now.astimezone(ZoneInfo(timezone))


def local_today(now: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The desk's date at `now`."""
    return local_now(now, timezone).date()


def reply_due(now: dt.datetime, *, days: int, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The reply date promised for a message received at `now`: `days` business days after
    the desk's today (a message at 08:30 in Tokyo counts from that Tokyo day, not UTC's)."""
    return add_business_days(local_today(now, timezone), days)


def reference_year(now: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> int:
    """The year in a reference number: the desk's year (1 January 08:00 in Tokyo is the new one)."""
    return local_now(now, timezone).year


def is_overdue(due: dt.date, *, now: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> bool:
    """Past its reply date: the due day has ended on the desk's clock."""
    return due < local_today(now, timezone)


def format_time(at: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """2026/11/09 08:45 on the desk's clock; a naive value is taken as UTC (as stored)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return f"{local_now(at, timezone):%Y/%m/%d %H:%M}"


def format_date(day: dt.date, lang: str) -> str:
    """2026年12月7日（月） in Japanese, Mon 7 Dec 2026 in English."""
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS_JA[day.weekday()]}）"
    return f"{day:%a} {day.day} {day:%b %Y}"


def is_business_day(day: dt.date) -> bool:
    """True on a day the desk works."""
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return not ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3))


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start` (`start` itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day
