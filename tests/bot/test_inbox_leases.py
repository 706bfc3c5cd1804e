"""Several workers on one inbox: one turn at a time per conversation, leases that run out when
a worker dies, and a stop that hands everything back (issue 12)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.inbox import Inbox
from bot.server import create_app
from knowledge import KnowledgeBase
from storage import claims
from storage.store import SqlStore
from tests.bot import test_inbox_resilience as base
from tests.bot.channels_helpers import make_line_event
from tests.bot.test_inbox_resilience import (
    GREETING,
    Clock,
    answered,
    events,
    post_line,
    settings_for,
    store_raw,
    transcript,
)

app = base.app  # the same app and fake LINE API as the resilience tests
line_api = base.line_api


@pytest.fixture
def other(app: Any, engine: Engine, sample_kb: KnowledgeBase, line_api: HTTPServer) -> Inbox:
    """A second worker on the same database (its own process in production), same clock."""
    second = create_app(settings_for(line_api), knowledge=sample_kb, store=SqlStore(engine))
    inbox: Inbox = second.state.parts.inbox
    inbox.clock = app.state.clock
    return inbox


def heads(inbox: Inbox, limit: int = 10) -> list[str]:
    """Lease what this worker may run now; the texts of the events it got."""
    leased = inbox._claim(limit)
    return [inbox.read(event)[0].text for event in leased]  # type: ignore[index]


async def test_two_workers_never_hold_two_messages_of_one_conversation(
    app: Any, other: Inbox
) -> None:
    first = app.state.parts.inbox
    await post_line(
        app,
        make_line_event("はじめまして、田中です", user="Ua"),
        make_line_event("参加の階層は変更できますか", user="Ua"),
        make_line_event("こんにちは！", user="Ub"),
    )
    assert heads(first, limit=1) == ["はじめまして、田中です"]  # the oldest head goes first
    assert heads(other) == ["こんにちは！"]  # Ua's second message waits for the first
    assert heads(other) == [] and heads(first) == []  # both conversations are held
    assert first.release() == 1 and other.release() == 1
    assert heads(other) == ["はじめまして、田中です", "こんにちは！"]  # handed back: due again


async def test_short_messages_of_others_go_before_a_long_one(app: Any, other: Inbox) -> None:
    long = "弊社は地域の脱炭素に取り組む中小企業です。" * 20  # 420 characters
    await post_line(
        app, make_line_event(long, user="Ulong"), make_line_event("こんにちは", user="Ushort")
    )
    assert heads(other, limit=1) == ["こんにちは"]
    assert heads(app.state.parts.inbox, limit=1) == [long]


@pytest.mark.fault
async def test_a_dead_workers_lease_runs_out_and_another_answers_in_order(
    app: Any, other: Inbox, line_api: HTTPServer
) -> None:
    first = make_line_event("参加の階層は変更できますか", user="Ua")
    second = make_line_event(GREETING, user="Ua")
    await post_line(app, first, second)
    assert len(heads(app.state.parts.inbox)) == 1  # then the worker is SIGKILLed
    assert await other.drain() == 0  # the lease holds: nothing to do, nothing out of order
    clock: Clock = app.state.clock
    clock.advance(other.lease.total_seconds() + 1)
    assert await other.drain() == 2
    assert transcript(app, "Ua") == ["参加の階層は変更できますか", GREETING]
    assert await answered(app, line_api, first) and await answered(app, line_api, second)
    assert all(row.lease_owner is None and row.status == "done" for row in events(app))


async def test_an_event_not_keyed_yet_holds_back_later_ones(app: Any, other: Inbox) -> None:
    """A later event must not overtake an earlier one whose conversation is not known yet."""
    store_raw(app, "line", make_line_event("一通目", user="Ua"))
    store_raw(app, "line", make_line_event("二通目", user="Ua"))
    engine = app.state.parts.store.engine
    with Session(engine) as session, session.begin():
        # Another worker keyed the second event only; the first is still being keyed.
        rows = events(app)
        claims.key_events(session, keys=[(rows[1].id or 0, "line\x1fzerocarbon\x1fUa", 0)])
        leased = claims.claim_heads(
            session,
            now=app.state.clock(),
            owner="test",
            lease=dt.timedelta(seconds=60),
            limit=10,
        )
    assert leased == []


async def test_a_stopped_worker_finishes_its_turn_and_holds_nothing(
    app: Any, line_api: HTTPServer
) -> None:
    inbox: Inbox = app.state.parts.inbox
    inbox.clock = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    await post_line(app, *(make_line_event(GREETING, user=f"U{n}") for n in range(6)))
    running = asyncio.create_task(inbox.run())
    while not any(row.status == "done" for row in events(app)):
        await asyncio.sleep(0.01)
    inbox.stop()  # SIGTERM mid-drain
    await asyncio.wait_for(running, timeout=60)
    rows = events(app)
    assert all(row.lease_owner is None for row in rows)  # nothing left to run out
    assert {row.status for row in rows} <= {"done", "pending"}
    assert all(row.attempts == 0 for row in rows)  # a handed-back event is not a failure
    pending = [row for row in rows if row.status == "pending"]
    restarted = Inbox(
        store=inbox.store,
        desk=inbox.desk,
        channels=inbox.channels,
        settings=settings_for(line_api),
        clock=inbox.clock,
    )
    assert await restarted.drain() == len(pending)  # the rest is answered by the next one
    assert {row.status for row in events(app)} == {"done"}
