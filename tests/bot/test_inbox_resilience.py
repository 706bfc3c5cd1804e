"""The inbox never stops for one event: poison events are quarantined, the others answered."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.inbox import Inbox
from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage import inbound
from storage.models import Conversation, InboundEvent, Message, Outbox
from storage.store import SqlStore
from tests.bot.channels_helpers import (
    LINE_SECRET,
    LINE_TOKEN,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    line_body,
    line_signature,
    make_line_event,
    make_telegram_update,
)
from workflows import Incoming

PLATFORM = "zerocarbon"
WEBHOOK = f"/webhooks/line/{PLATFORM}"
GREETING = "こんにちは"


class Clock:
    """A clock the test moves; it starts ahead of the real one so stored events are due."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def line_api(httpserver: HTTPServer) -> HTTPServer:
    for path in ("/v2/bot/message/reply", "/v2/bot/message/push"):
        httpserver.expect_request(path, method="POST").respond_with_json(
            {"sentMessages": [{"id": "461230966842064897", "quoteToken": "IStG5h1Tz7b"}]}
        )
    return httpserver


def settings_for(httpserver: HTTPServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "channels": {
            PLATFORM: {
                "line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN},
                "telegram": {"bot_token": TELEGRAM_TOKEN, "secret_token": TELEGRAM_SECRET},
            }
        },
        "line_api_base": httpserver.url_for("").rstrip("/"),
        "telegram_api_base": httpserver.url_for("").rstrip("/"),
        "background_workers": False,
        "outbox_base_delay": 0.01,
        "inbox_max_attempts": 3,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
async def app(engine: Engine, sample_kb: KnowledgeBase, line_api: HTTPServer) -> AsyncIterator[Any]:
    application = create_app(settings_for(line_api), knowledge=sample_kb, store=SqlStore(engine))
    application.state.clock = Clock()
    application.state.parts.inbox.clock = application.state.clock
    yield application


async def post_line(app: Any, *events: dict[str, Any]) -> None:
    body = line_body(*events)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            WEBHOOK, content=body, headers={"x-line-signature": line_signature(body)}
        )
    assert response.status_code == 200


def store_raw(app: Any, channel: str, payload: dict[str, Any]) -> int:
    """Put an event straight into the inbox, as if the edge had let it through."""
    with app.state.parts.hub.store.begin() as tx:
        event_id = inbound.record_inbound(
            tx.session,
            channel=channel,
            external_id=uuid.uuid4().hex,
            platform_id=PLATFORM,
            payload=payload,
        )
    assert event_id is not None
    return event_id


def event(app: Any, event_id: int) -> InboundEvent:
    with Session(app.state.parts.hub.store.engine) as session:
        row = session.get(InboundEvent, event_id)
    assert row is not None
    return row


def events(app: Any) -> list[InboundEvent]:
    with Session(app.state.parts.hub.store.engine) as session:
        return list(session.exec(select(InboundEvent).order_by(col(InboundEvent.id))))


def transcript(app: Any, user: str, direction: str = "in") -> list[str]:
    with Session(app.state.parts.hub.store.engine) as session:
        rows = session.exec(
            select(Message.text)
            .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
            .where(Conversation.user_key == user, Message.direction == direction)
            .order_by(col(Message.id))
        )
        return list(rows)


def every_message_in(app: Any) -> list[str]:
    with Session(app.state.parts.hub.store.engine) as session:
        query = select(Message.text).where(Message.direction == "in").order_by(col(Message.id))
        return list(session.exec(query))


def outbox_texts(app: Any, user: str) -> list[str]:
    with Session(app.state.parts.hub.store.engine) as session:
        rows = session.exec(select(Outbox).where(Outbox.user_key == user).order_by(col(Outbox.id)))
        return [row.payload["text"] for row in rows]


def replied_tokens(server: HTTPServer) -> list[str]:
    return [
        json.loads(request.data)["replyToken"]
        for request, _ in server.log
        if request.path == "/v2/bot/message/reply"
    ]


async def answered(app: Any, server: HTTPServer, line_event: dict[str, Any]) -> bool:
    await app.state.parts.sender.drain()
    return line_event["replyToken"] in replied_tokens(server)


def fail_for(app: Any, monkeypatch: pytest.MonkeyPatch, text: str, times: int = 1_000) -> list[int]:
    """Make the turn of `text` fail (turn and apology) the next `times` times."""
    desk = app.state.parts.inbox.desk
    real = desk.handle
    failures: list[int] = []

    def handle(incoming: Incoming, **kwargs: Any) -> Any:
        if incoming.text == text and len(failures) < times:
            failures.append(1)
            raise RuntimeError("connection to the database lost")
        return real(incoming, **kwargs)

    monkeypatch.setattr(desk, "handle", handle)
    return failures


# --- poison events ---------------------------------------------------------------------------

POISON = {
    "line text that is a number": (
        "line",
        {**make_line_event(user="Upoison"), "message": {"id": "1", "type": "text", "text": 42}},
        "text is int",
    ),
    "telegram update without chat": (
        "telegram",
        {
            "update_id": 7,
            "message": {
                k: v for k, v in make_telegram_update(update_id=7)["message"].items() if k != "chat"
            },
        },
        "KeyError",
    ),
    "channel that is not enabled": (
        "slack",
        {"user": "U1", "channel": "D1", "text": GREETING},
        "channel 'slack' is not enabled",
    ),
}


@pytest.mark.fault
@pytest.mark.parametrize("kind", list(POISON))
async def test_a_poison_event_is_set_aside_and_the_next_user_is_answered(
    app: Any, line_api: HTTPServer, kind: str
) -> None:
    channel, payload, error = POISON[kind]
    poison = store_raw(app, channel, payload)
    valid = make_line_event(GREETING, user="Uvalid")
    await post_line(app, valid)
    assert await app.state.parts.inbox.drain() == 1
    assert await answered(app, line_api, valid)
    assert every_message_in(app) == [GREETING]  # the poison never became a turn
    stuck = event(app, poison)
    # Quarantined, or refused by a channel that validates stored events ("nothing to
    # answer"): never pending, never retried, never in the way.
    assert stuck.status in ("failed", "done")
    if stuck.status == "failed":
        assert stuck.attempts == 1 and error in (stuck.last_error or "")
    assert await app.state.parts.inbox.drain() == 0


@pytest.mark.fault
async def test_a_disabled_channel_event_is_quarantined_with_the_reason(
    app: Any, line_api: HTTPServer
) -> None:
    channel, payload, error = POISON["channel that is not enabled"]
    poison = store_raw(app, channel, payload)
    assert await app.state.parts.inbox.drain() == 0
    stuck = event(app, poison)
    assert (stuck.status, stuck.attempts, stuck.last_error) == ("failed", 1, error)


@pytest.mark.fault
async def test_a_channel_that_raises_on_an_event_gets_it_quarantined_at_once(
    app: Any, line_api: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    telegram = app.state.parts.inbox.channels["telegram"]

    def incoming(platform: str, update: dict[str, Any]) -> Any:
        return update["message"]["chat"]["id"]  # a reader that trusts the payload's shape

    monkeypatch.setattr(telegram, "incoming", incoming)
    poison = store_raw(app, "telegram", POISON["telegram update without chat"][1])
    valid = make_line_event(GREETING, user="Uvalid")
    await post_line(app, valid)
    assert await app.state.parts.inbox.drain() == 1
    assert await answered(app, line_api, valid)
    stuck = event(app, poison)
    assert (stuck.status, stuck.attempts) == ("failed", 1)
    assert (stuck.last_error or "").startswith("KeyError")


@pytest.mark.fault
async def test_a_later_event_of_the_same_user_is_not_held_up_by_an_unreadable_one(
    app: Any, line_api: HTTPServer
) -> None:
    poison = store_raw(app, "line", POISON["line text that is a number"][1])
    later = make_line_event(GREETING, user="Upoison")
    await post_line(app, later)
    assert await app.state.parts.inbox.drain() == 1
    assert event(app, poison).status in ("failed", "done")
    assert await answered(app, line_api, later)


@pytest.mark.fault
async def test_nul_in_a_web_chat_text(app: Any, engine: Engine, line_api: HTTPServer) -> None:
    session = "s" * 32
    poison = store_raw(app, "web", {"session": session, "text": "参加\x00の階層は変更できますか"})
    valid = make_line_event(GREETING, user="Uvalid")
    await post_line(app, valid)
    inbox, clock = app.state.parts.inbox, app.state.clock
    assert await inbox.drain() >= 1
    assert await answered(app, line_api, valid)
    if engine.dialect.name == "sqlite":  # SQLite stores NUL: the question is simply answered
        assert event(app, poison).status == "done"
        assert transcript(app, session) == ["参加\x00の階層は変更できますか"]
        return
    # PostgreSQL refuses NUL in text: turn and apology fail, retried, then quarantined.
    first = event(app, poison)
    assert (first.status, first.attempts) == ("pending", 1)
    assert "NUL" in (first.last_error or "")
    assert first.next_attempt_at > clock()
    assert await inbox.drain() == 0  # not due yet: nothing runs again at once
    for _ in range(5):
        clock.advance(301)
        await inbox.drain()
    stuck = event(app, poison)
    assert (stuck.status, stuck.attempts) == ("failed", 3)
    assert transcript(app, session) == []


@pytest.mark.fault
async def test_a_user_waits_behind_an_own_failing_event_until_it_is_quarantined(
    app: Any, line_api: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = fail_for(app, monkeypatch, "壊れたメッセージ")
    first = make_line_event("壊れたメッセージ", user="Ua")
    second = make_line_event(GREETING, user="Ua")
    other = make_line_event(GREETING, user="Ub")
    await post_line(app, first, second, other)
    inbox, clock = app.state.parts.inbox, app.state.clock
    assert await inbox.drain() == 1  # only Ub: Ua's second message waits for the first
    assert await answered(app, line_api, other)
    assert transcript(app, "Ua") == []
    pending = [row for row in events(app) if row.status == "pending"]
    assert len(pending) == 2 and pending[0].attempts == 1 and pending[1].attempts == 0
    clock.advance(1)  # not yet due (backoff 2 s, jittered): nothing changes
    assert await inbox.drain() == 0 and len(failures) == 1
    for _ in range(3):
        clock.advance(301)
        await inbox.drain()
    assert len(failures) == 3  # inbox_max_attempts
    statuses = [row.status for row in events(app)]
    assert statuses == ["failed", "done", "done"]
    assert transcript(app, "Ua") == [GREETING]
    assert await answered(app, line_api, second)


@pytest.mark.fault
async def test_a_briefly_failing_turn_is_retried_and_the_order_is_kept(
    app: Any, line_api: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_for(app, monkeypatch, "参加の階層は変更できますか", times=2)  # the database comes back
    await post_line(
        app,
        make_line_event("参加の階層は変更できますか", user="Ua"),
        make_line_event(GREETING, user="Ua"),
    )
    inbox, clock = app.state.parts.inbox, app.state.clock
    assert await inbox.drain() == 0
    clock.advance(301)
    assert await inbox.drain() == 0
    clock.advance(301)
    assert await inbox.drain() == 2
    assert transcript(app, "Ua") == ["参加の階層は変更できますか", GREETING]
    assert [(row.status, row.attempts) for row in events(app)] == [("done", 2), ("done", 0)]


@pytest.mark.fault
async def test_restart_keeps_quarantined_events_quarantined(
    app: Any,
    engine: Engine,
    sample_kb: KnowledgeBase,
    line_api: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    channel, payload, _ = POISON["channel that is not enabled"]
    store_raw(app, channel, payload)
    fail_for(app, monkeypatch, GREETING)
    await post_line(app, make_line_event(GREETING, user="Ua"))
    inbox, clock = app.state.parts.inbox, app.state.clock
    for _ in range(3):
        await inbox.drain()
        clock.advance(301)
    before = [(row.id, row.status, row.attempts, row.last_error) for row in events(app)]
    assert [(status, attempts) for _, status, attempts, _ in before] == [
        ("failed", 1),
        ("failed", 3),
    ]
    # A new process, whose turns would now succeed: quarantined events stay set aside.
    restarted = create_app(settings_for(line_api), knowledge=sample_kb, store=SqlStore(engine))
    again: Inbox = restarted.state.parts.inbox
    valid = make_line_event(GREETING, user="Uvalid")
    await post_line(restarted, valid)
    assert await again.drain() == 1
    assert await again.drain() == 0
    after = [(row.id, row.status, row.attempts, row.last_error) for row in events(app)]
    assert after[:2] == before and after[2][1] == "done"
    assert await answered(restarted, line_api, valid)
    assert transcript(app, "Ua") == []


@pytest.mark.fault
async def test_an_event_that_stays_due_does_not_make_the_inbox_spin(
    app: Any, line_api: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_for(app, monkeypatch, GREETING)
    monkeypatch.setattr(inbound, "retry_inbound_at", lambda session, **values: None)
    await post_line(app, make_line_event(GREETING, user="Ua"))
    valid = make_line_event("参加の階層は変更できますか", user="Ub")
    await post_line(app, valid)
    assert await app.state.parts.inbox.drain() == 1  # returns; the other user is answered
    assert await answered(app, line_api, valid)
    assert [row.status for row in events(app)] == ["pending", "done"]
