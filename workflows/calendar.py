"""Business days: weekends, Japanese public holidays and the year-end closure (12/29-1/3)."""

from __future__ import annotations

import datetime as dt

import jpholiday


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
