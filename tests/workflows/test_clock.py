"""The desk's clock: "today", due dates, reference years and "overdue" in the platform's zone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import repository, staff
from storage.models import Proposal
from storage.staff import QueueFilter
from workflows import Desk, Incoming
from workflows.calendar import (
    add_business_days,
    format_date,
    format_time,
    is_business_day,
    is_overdue,
    local_today,
    reference_year,
    reply_due,
)

TOKYO = dt.timezone(dt.timedelta(hours=9))
# Wednesday 25 November 2026, 08:30 in Tokyo: still Tuesday 23:30 in UTC.
WEDNESDAY_0830_JST = dt.datetime(2026, 11, 25, 8, 30, tzinfo=TOKYO)
NEW_YEAR_0800_JST = dt.datetime(2027, 1, 1, 8, 0, tzinfo=TOKYO)
REFERENCE = re.compile(r"KF-(\d{4})-\d{5}")


def test_a_message_at_0830_tokyo_on_wednesday_counts_from_wednesday() -> None:
    now = WEDNESDAY_0830_JST.astimezone(dt.UTC)
    assert now.date() == dt.date(2026, 11, 24)  # what UTC would have counted from
    assert local_today(now) == dt.date(2026, 11, 25)
    assert reply_due(now, days=1) == dt.date(2026, 11, 26)
    assert reply_due(now, days=10) == add_business_days(dt.date(2026, 11, 25), 10)
    assert reply_due(now, days=10) != add_business_days(now.date(), 10)


def test_new_years_day_before_nine_in_tokyo_is_the_new_year() -> None:
    now = NEW_YEAR_0800_JST.astimezone(dt.UTC)
    assert now.year == 2026 and reference_year(now) == 2027
    # The same instant on a desk in another zone is still the old year.
    assert reference_year(now, "Europe/London") == 2026


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (dt.date(2026, 12, 28), True),
        (dt.date(2026, 12, 29), False),
        (dt.date(2026, 12, 31), False),
        (dt.date(2027, 1, 1), False),
        (dt.date(2027, 1, 3), False),
        (dt.date(2027, 1, 4), True),
    ],
)
def test_year_end_closure_from_29_december_to_3_january(day: dt.date, open_: bool) -> None:
    assert is_business_day(day) is open_


def test_a_proposal_in_the_closure_is_due_after_it() -> None:
    # 29 December 00:30 in Tokyo (28 December in UTC): the closure days do not count.
    now = dt.datetime(2026, 12, 29, 0, 30, tzinfo=TOKYO)
    assert reply_due(now, days=1) == dt.date(2027, 1, 4)
    assert reply_due(NEW_YEAR_0800_JST, days=2) == dt.date(2027, 1, 5)


@pytest.mark.parametrize(
    ("day", "lang", "text"),
    [
        (dt.date(2026, 12, 7), "ja", "2026年12月7日（月）"),
        (dt.date(2026, 12, 7), "en", "Mon 7 Dec 2026"),
        (dt.date(2027, 1, 3), "ja", "2027年1月3日（日）"),
        (dt.date(2027, 1, 3), "en", "Sun 3 Jan 2027"),
        (dt.date(2026, 11, 25), "ja", "2026年11月25日（水）"),
    ],
)
def test_dates_read_the_way_people_write_them(day: dt.date, lang: str, text: str) -> None:
    assert format_date(day, lang) == text


def test_console_times_are_local() -> None:
    assert format_time(dt.datetime(2026, 11, 8, 23, 45, tzinfo=dt.UTC)) == "2026/11/09 08:45"
    # As SQLite may hand it back: naive, meaning UTC.
    assert format_time(dt.datetime(2026, 11, 8, 23, 45)) == "2026/11/09 08:45"


def test_overdue_at_2330_utc_is_already_the_next_day_in_tokyo() -> None:
    due = dt.date(2026, 11, 24)
    late_evening_utc = dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC)
    assert is_overdue(due, now=late_evening_utc)  # 25 November 08:30 in Tokyo
    assert not is_overdue(due, now=late_evening_utc, timezone="UTC")
    assert not is_overdue(due, now=dt.datetime(2026, 11, 24, 14, 59, tzinfo=dt.UTC))


# --- the same clock through storage and the desk ---------------------------------------------


def _setup(engine: Engine) -> int:
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="p", name_ja="窓口", name_en="Desk", reference_prefix="KF"
        )
        conversation = repository.open_conversation(
            session, platform_id="p", channel="web", user_key="u", initial_state="idle"
        )
        return conversation.contact_id


def _file(session: Session, contact_id: int, **extra: object) -> str:
    filed = repository.file_proposal(
        session,
        platform_id="p",
        prefix="KF",
        contact_id=contact_id,
        channel="web",
        language="ja",
        track="free",
        title="t",
        organisation="o",
        due_date=dt.date(2027, 1, 5),
        record={"content": {"summary": "s"}},
        **extra,  # type: ignore[arg-type]
    )
    return filed.reference


def test_reference_year_is_the_desks_year(engine: Engine) -> None:
    contact = _setup(engine)
    received = NEW_YEAR_0800_JST.astimezone(dt.UTC)
    with Session(engine) as session, session.begin():
        # The caller passes the year on the platform's clock ...
        assert _file(session, contact, received_at=received, year=2027) == "KF-2027-00001"
        # ... and a caller that does not is read in Asia/Tokyo, never in UTC.
        assert _file(session, contact, received_at=received) == "KF-2027-00002"


def test_overdue_queue_and_dashboard_use_each_desks_today(engine: Engine) -> None:
    contact = _setup(engine)
    with Session(engine) as session, session.begin():
        _file(session, contact, received_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC))
        session.execute(update(Proposal).values(due_date=dt.date(2026, 11, 24)))
    late_evening_utc = dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC)
    where = QueueFilter(platforms=("p",), overdue=True)
    with Session(engine) as session:
        tokyo = {"p": local_today(late_evening_utc, "Asia/Tokyo")}
        utc = {"p": local_today(late_evening_utc, "UTC")}
        assert staff.queue(session, where=where, today=tokyo)[1] == 1
        assert staff.queue(session, where=where, today=utc)[1] == 0
        assert staff.dashboard(session, platforms=("p",), today=tokyo)["overdue"] == 1
        assert len(staff.overdue(session, platform_id="p", today=tokyo["p"])) == 1


def test_status_reply_writes_the_due_date_as_people_read_it(desk: Desk) -> None:
    store = desk.store
    with store.begin() as tx:
        conversation = tx.open_conversation(
            platform_id="kyoso-front", channel="web", user_key="st", initial_state="idle"
        )
        filed = tx.file_proposal(
            platform_id="kyoso-front",
            prefix="KF",
            contact_id=conversation.contact_id,
            channel="web",
            language="ja",
            track="free",
            title="公園の回収",
            organisation="株式会社ミナト",
            received_at=dt.datetime(2026, 11, 30, 1, tzinfo=dt.UTC),
            due_date=dt.date(2026, 12, 7),
            record={"content": {"summary": "s"}},
            year=2026,
        )
    [ja] = desk.handle(Incoming("kyoso-front", "web", "st", f"{filed.reference} の状況は？"))
    assert "2026年12月7日（月）" in ja.text and "2026-12-07" not in ja.text
    [en] = desk.handle(
        Incoming("kyoso-front", "web", "st", f"What is the status of {filed.reference}?")
    )
    assert "Mon 7 Dec 2026" in en.text


def _intake(desk: Desk, user: str, text: str) -> str:
    """Run an intake through the desk, answering whatever is asked; the filed reply's text."""
    replies = desk.handle(Incoming("kyoso-front", "web", user, text))
    for _ in range(8):
        last = replies[-1].text
        if REFERENCE.search(last):
            return last
        answer = "1"
        if "タイトル" in last:
            answer = "公園でのペットボトル回収実証"
        elif "同意しますか" in last:
            answer = "はい"
        replies = desk.handle(Incoming("kyoso-front", "web", user, answer))
    raise AssertionError(replies[-1].text)


RICH = (
    "株式会社ミナトリサイクルの山田です。市内の公園に回収ボックスを置いて、使用済みペットボトルを"
    "回収・再生する実証を提案します。ごみの分別が進まないことが地域の課題です。会場として公園を"
    "使わせていただき、広報にもご協力いただきたいです。費用は当社が負担し、市の費用負担はありません。"
    "連絡先 yamada@minato-recycle.co.jp 045-123-4567"
)


@pytest.mark.parametrize(
    ("at", "year", "counted_from"),
    [
        (WEDNESDAY_0830_JST, 2026, dt.date(2026, 11, 25)),
        (NEW_YEAR_0800_JST, 2027, dt.date(2027, 1, 1)),
    ],
)
def test_the_desk_files_on_the_platforms_clock(
    desk: Desk, at: dt.datetime, year: int, counted_from: dt.date
) -> None:
    clocked = Desk(
        store=desk.store,
        library=desk.library,
        platforms=desk.platforms,
        clock=lambda: at.astimezone(dt.UTC),
    )
    said = _intake(clocked, "clock", RICH)
    reference = REFERENCE.search(said)
    assert reference is not None and reference.group(1) == str(year)
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        filed = repository.find_proposal(session, reference=reference.group(0))
    assert filed is not None
    days = desk.platforms["kyoso-front"].reply_days
    assert filed.due_date == add_business_days(counted_from, days)
