"""Scheduled jobs in the workers: each desk's digest at its own local time, retention daily,
dead-letter alerts; every slot runs once however many workers look at the clock (issue 12)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.scheduler import Scheduler, daily_slot, parse_time
from bot.settings import Settings
from bot.wiring import register_platforms
from knowledge import KnowledgeBase
from storage import messaging, repository, schedule
from storage.models import Outbox
from storage.store import SqlStore

STAFF = {"zerocarbon": "CZEROSTAFF", "kyoso-front": "CKYOSOSTAFF"}
TOKYO = {"zerocarbon": "Asia/Tokyo", "kyoso-front": "Asia/Tokyo"}


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.now = at

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def store(engine: Engine, sample_kb: KnowledgeBase) -> SqlStore:
    store = SqlStore(engine)
    register_platforms(store, sample_kb.platforms.values())
    return store


def worker(store: SqlStore, clock: Clock, name: str = "w1", **settings: Any) -> Scheduler:
    values = {
        "digest_times": {"kyoso-front": "17:30"},
        "digest_time": "09:00",
        "retention_time": "",  # off unless a test is about it
        **settings,
    }
    return Scheduler(
        store=store,
        settings=Settings(**values),
        owner=name,
        timezones=TOKYO,
        staff_channels=STAFF,
        clock=clock,
    )


def staff_posts(store: SqlStore) -> list[tuple[str, str]]:
    """(staff channel, first words) of every post queued to a staff channel."""
    with Session(store.engine) as session:
        rows = session.exec(
            select(Outbox).where(col(Outbox.conversation_id).is_(None)).order_by(col(Outbox.id))
        )
        return [(row.user_key, str(row.payload.get("text", ""))[:40]) for row in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("09:00", dt.time(9, 0)), ("7:05", dt.time(7, 5)), ("18", dt.time(18, 0)), ("", None)],
)
def test_times_are_read_as_people_write_them(value: str, expected: dt.time | None) -> None:
    assert parse_time(value) == expected


def test_the_desks_day_starts_at_its_own_midnight() -> None:
    nine = dt.time(9, 0)
    # 23:59 UTC on the 22nd is 08:59 on the 23rd in Tokyo: not yet; a minute later it is.
    assert (
        daily_slot(dt.datetime(2026, 11, 22, 23, 59, tzinfo=dt.UTC), zone="Asia/Tokyo", at=nine)
        is None
    )
    assert (
        daily_slot(dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC), zone="Asia/Tokyo", at=nine)
        == "2026-11-23"
    )


def test_each_desk_gets_its_digest_at_its_own_local_time_once(store: SqlStore) -> None:
    clock = Clock(dt.datetime(2026, 11, 22, 23, 59, tzinfo=dt.UTC))  # 08:59 in Tokyo
    first, second = worker(store, clock, "w1"), worker(store, clock, "w2")
    assert first.run_due() == ["dead-letters"] and staff_posts(store) == []
    clock.now = dt.datetime(2026, 11, 23, 0, 0, 30, tzinfo=dt.UTC)  # 09:00:30 in Tokyo
    assert first.run_due() == ["digest:zerocarbon", "dead-letters"]
    assert second.run_due() == []  # the other worker finds today's digest taken
    assert [channel for channel, _ in staff_posts(store)] == ["CZEROSTAFF"]
    clock.now = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)  # 17:30 in Tokyo
    assert "digest:kyoso-front" in second.run_due()
    assert first.run_due() == []
    assert [channel for channel, _ in staff_posts(store)] == ["CZEROSTAFF", "CKYOSOSTAFF"]
    clock.now += dt.timedelta(days=1)  # the next day: both again, once
    first.run_due()
    second.run_due()
    assert len(staff_posts(store)) == 4


def test_a_worker_that_was_down_sends_todays_digest_late_not_never(store: SqlStore) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC))  # 14:00 in Tokyo
    assert "digest:zerocarbon" in worker(store, clock).run_due()


def test_many_workers_at_the_same_instant_send_one_digest(store: SqlStore) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC))
    workers = [worker(store, clock, f"w{n}") for n in range(6)]
    barrier = threading.Barrier(len(workers))
    ran: list[list[str]] = []

    def look(scheduler: Scheduler) -> None:
        barrier.wait()
        ran.append(scheduler.run_due())

    threads = [threading.Thread(target=look, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(name for names in ran for name in names) == ["dead-letters", "digest:zerocarbon"]
    assert [channel for channel, _ in staff_posts(store)] == ["CZEROSTAFF"]
    with Session(store.engine) as session:
        owners = {job.name: job.last_owner for job in schedule.job_rows(session)}
    assert owners["digest:zerocarbon"] in {f"w{n}" for n in range(6)}


def test_a_switched_off_digest_is_not_sent(store: SqlStore) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
    quiet = worker(store, clock, digest_time="", digest_times={})
    assert quiet.run_due() == ["dead-letters"]


def dead_reply(store: SqlStore, user: str) -> int:
    with store.begin() as tx:
        conversation = repository.open_conversation(
            tx.session,
            platform_id="zerocarbon",
            channel="line",
            user_key=user,
            initial_state="idle",
        )
        outbox_id = messaging.enqueue(
            tx.session,
            platform_id="zerocarbon",
            channel="line",
            user_key=user,
            conversation_id=conversation.id,
            payload={"text": "ご提案を受け付けました", "route": {}},
        )
        messaging.mark_dead(tx.session, outbox_id=outbox_id, error="Undeliverable: 400 blocked")
    return outbox_id


def test_dead_letters_are_reported_to_staff_once_each(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
    scheduler = worker(store, clock, digest_time="", digest_times={})
    dead_reply(store, "Ublocked1")
    dead_reply(store, "Ublocked2")
    with caplog.at_level(logging.ERROR, logger="madoguchi.scheduler"):
        scheduler.run_due()
    assert "zerocarbon: 2 replies could not be delivered" in caplog.text
    [(channel, text)] = staff_posts(store)
    assert channel == "CZEROSTAFF" and "返信 2 件を届けられませんでした" in text
    clock.now += dt.timedelta(minutes=15)
    scheduler.run_due()
    assert len(staff_posts(store)) == 1  # the same two are not reported again
    dead_reply(store, "Ublocked3")
    clock.now += dt.timedelta(minutes=15)
    scheduler.run_due()
    assert "返信 1 件" in staff_posts(store)[-1][1]


def test_retention_runs_once_a_day_in_whichever_worker(store: SqlStore) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 3, 29, tzinfo=dt.UTC))
    first, second = (
        worker(store, clock, name, digest_time="", digest_times={}, retention_time="03:30")
        for name in ("w1", "w2")
    )
    assert "retention" not in first.run_due()
    clock.now = dt.datetime(2026, 11, 23, 3, 31, tzinfo=dt.UTC)
    assert "retention" in second.run_due()
    assert "retention" not in first.run_due()
    with Session(store.engine) as session:
        [job] = [job for job in schedule.job_rows(session) if job.name == "retention"]
    assert (job.last_slot, job.last_owner) == ("2026-11-23", "w2")
    assert (job.last_result or "").startswith("retention: conversations 0")
