"""Issue 8 at the HTTP edge: malformed signed bodies get 400 (never 500), text is sanitised
before it is stored, and every channel's `incoming` is total."""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.line import LineChannel
from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.web import WebChannel
from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.models import InboundEvent
from storage.store import SqlStore
from tests.bot import test_line, test_telegram_slack
from tests.bot.channels_helpers import (
    LINE_SECRET,
    LINE_TOKEN,
    SLACK_SECRET,
    SLACK_TOKEN,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    line_body,
    line_signature,
    make_line_event,
    make_slack_event,
    make_telegram_update,
    slack_headers,
)
from tests.bot.test_line import sent_bodies
from tests.bot.test_telegram_slack import TG, calls

pytestmark = pytest.mark.fault
# The fake LINE, Telegram and Slack APIs of the channel tests, as fixtures here too.
line_api = test_line.line_api
fake_apis = test_telegram_slack.fake_apis

LINE = "/webhooks/line/zerocarbon"
SLACK = "/webhooks/slack/zerocarbon"
TELEGRAM = "/webhooks/telegram/zerocarbon"
CHAT_API = "/chat/zerocarbon/api/messages"
DEEP = b"[" * 100_000 + b"]" * 100_000  # past the parser's own recursion limit
FAIRLY_DEEP = b"[" * 500 + b"]" * 500  # parses, but no platform nests that deep


def all_channels(api_base: str) -> Settings:
    """LINE, Slack and Telegram for zerocarbon, against the fake APIs."""
    return Settings(
        channels={
            "zerocarbon": {
                "line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN},
                "telegram": {"bot_token": TELEGRAM_TOKEN, "secret_token": TELEGRAM_SECRET},
                "slack": {"signing_secret": SLACK_SECRET, "bot_token": SLACK_TOKEN},
            }
        },
        line_api_base=api_base,
        telegram_api_base=api_base,
        slack_api_base=api_base + "/api/",
        background_workers=False,
        outbox_base_delay=0.01,
    )


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> AsyncIterator[Any]:
    settings = all_channels(httpserver.url_for("").rstrip("/"))
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


async def post(app: Any, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path, content=body, headers=headers)


def stored(app: Any) -> list[InboundEvent]:
    with Session(app.state.parts.hub.store.engine) as session:
        return list(session.exec(select(InboundEvent).order_by(InboundEvent.id)))


def tg_headers() -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}


def line_headers(body: bytes) -> dict[str, str]:
    return {"x-line-signature": line_signature(body), "Content-Type": "application/json"}


# --- malformed signed bodies: 400, nothing stored -----------------------------------------

MALFORMED_JSON = {
    "deep-json": DEEP,
    "fairly-deep-json": b'{"events": [], "x": ' + FAIRLY_DEEP + b"}",
    "invalid-utf8": b'{"events": [], "note": "\xff\xfe"}',
    "not-json": b'{"events": [',
    "nan": b'{"events": [], "x": NaN}',
    "infinite-number": b'{"events": [], "x": 1e999}',
    "huge-integer": b'{"events": [], "x": ' + b"9" * 5000 + b"}",
    "top-level-list": b"[]",
}


@pytest.mark.parametrize(
    "body",
    [
        *MALFORMED_JSON.values(),
        b'{"events": "not a list"}',
        b'{"events": {"0": {}}}',
        b'{"events": [1, "two"]}',
        b'{"destination": "U1"}',
    ],
    ids=[*MALFORMED_JSON, "events-string", "events-object", "events-not-objects", "no-events"],
)
async def test_line_signed_malformed_body_is_400(app: Any, body: bytes) -> None:
    response = await post(app, LINE, body, line_headers(body))
    assert response.status_code == 400
    assert stored(app) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"message": {"id": "1", "type": "text", "text": 12345}},
        {"message": "text as a string"},
        {"source": {"type": "user", "userId": ["U1"]}},
        {"webhookEventId": 7},
        {"webhookEventId": "E" * 300},
        {"replyToken": {"token": "x"}},
        {"timestamp": "yesterday"},
    ],
    ids=[
        "text-number",
        "message-string",
        "userid-list",
        "id-number",
        "id-too-long",
        "token-object",
        "timestamp-string",
    ],
)
async def test_line_malformed_event_is_dropped_and_the_valid_one_answered(
    app: Any, line_api: HTTPServer, bad: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    poison = {**make_line_event("poison", user="Upoison"), **bad}
    valid = make_line_event("参加の階層は変更できますか", user="Uvalid")
    body = line_body(poison, valid)
    with caplog.at_level(logging.WARNING, logger="madoguchi.line"):
        response = await post(app, LINE, body, line_headers(body))
    assert response.status_code == 200
    assert [e.external_id for e in stored(app)] == [valid["webhookEventId"]]
    assert "malformed, dropped" in caplog.text
    parts = app.state.parts
    assert await parts.inbox.drain() == 1
    await parts.sender.drain()
    [reply] = sent_bodies(line_api, "/v2/bot/message/reply")
    assert reply["replyToken"] == valid["replyToken"]


async def test_line_postback_without_string_data_is_dropped(app: Any) -> None:
    event = make_line_event("x", kind="postback")
    event["postback"] = {"data": {"nested": True}}
    body = line_body(event)
    assert (await post(app, LINE, body, line_headers(body))).status_code == 200
    assert stored(app) == []


@pytest.mark.parametrize(
    "body",
    [
        *MALFORMED_JSON.values(),
        json.dumps({"update_id": 5, "message": "hello"}).encode(),
        json.dumps({"update_id": 6, "message": {"message_id": 1, "text": "no chat"}}).encode(),
        json.dumps({"update_id": 7, "message": {"chat": {"id": "42"}, "text": "hi"}}).encode(),
        json.dumps({"update_id": 8, "message": {"chat": {"id": 42}, "text": 5}}).encode(),
        json.dumps({"update_id": "9", "message": {"chat": {"id": 42}, "text": "x"}}).encode(),
        json.dumps({"update_id": True}).encode(),
        json.dumps({"update_id": 10, "message": {"chat": {"id": 2**70}, "text": "x"}}).encode(),
        json.dumps({"update_id": 11, "callback_query": {"id": "c", "data": "x"}}).encode(),
    ],
    ids=[
        *MALFORMED_JSON,
        "message-string",
        "no-chat",
        "chat-id-string",
        "text-number",
        "update-id-string",
        "update-id-bool",
        "chat-id-huge",
        "callback-without-from",
    ],
)
async def test_telegram_signed_malformed_update_is_400(app: Any, body: bytes) -> None:
    response = await post(app, TELEGRAM, body, tg_headers())
    assert response.status_code == 400
    assert stored(app) == []


@pytest.mark.parametrize(
    "body",
    [
        *MALFORMED_JSON.values(),
        json.dumps({**make_slack_event(), "event_id": None}).encode(),
        json.dumps({k: v for k, v in make_slack_event().items() if k != "event_id"}).encode(),
        json.dumps({**make_slack_event(), "event": "a string"}).encode(),
        json.dumps({**make_slack_event(), "event": {"text": "no type"}}).encode(),
        json.dumps({**make_slack_event(), "type": 5}).encode(),
        json.dumps({**make_slack_event(), "team": 5}).encode(),
        json.dumps({**make_slack_event(), "authorizations": [5]}).encode(),
        b"\xff\xfe=payload",
    ],
    ids=[
        *MALFORMED_JSON,
        "event-id-null",
        "no-event-id",
        "event-string",
        "event-without-type",
        "type-number",
        "team-number",
        "authorizations-of-numbers",
        "form-invalid-utf8",
    ],
)
async def test_slack_signed_malformed_body_is_400(
    app: Any, fake_apis: HTTPServer, body: bytes
) -> None:
    response = await post(app, SLACK, body, slack_headers(body))
    assert response.status_code == 400
    assert stored(app) == []


async def test_slack_malformed_message_fields_are_dropped(app: Any, fake_apis: HTTPServer) -> None:
    event = make_slack_event()
    event["event"]["text"] = 42
    body = json.dumps(event).encode()
    response = await post(app, SLACK, body, slack_headers(body))
    assert response.status_code < 500
    assert stored(app) == []


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "block_actions", "user": "U1", "actions": [{"action_id": "choice-0"}]},
        {"type": "block_actions", "user": {"id": "U1"}, "actions": "choice-0"},
        {"type": 3},
    ],
    ids=["user-string", "actions-string", "type-number"],
)
async def test_slack_malformed_button_press_is_400(
    app: Any, fake_apis: HTTPServer, payload: dict[str, Any]
) -> None:
    body = ("payload=" + urllib.parse.quote(json.dumps(payload))).encode()
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    assert (await post(app, SLACK, body, headers)).status_code == 400
    assert stored(app) == []


@pytest.mark.parametrize("timestamp", ["abc", "", "１２３", "-5", "1e9", "9" * 40, "12 34"])
async def test_slack_unauthenticated_garbage_timestamp_is_401(
    app: Any, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps(make_slack_event()).encode()
    headers = {**slack_headers(body), "X-Slack-Request-Timestamp": timestamp}
    raw = {k: v.encode() for k, v in headers.items()}  # sent as UTF-8 bytes
    response = await post(app, SLACK, body, raw)  # type: ignore[arg-type]
    assert response.status_code == 401
    assert "Traceback" not in response.text and "Traceback" not in caplog.text
    assert stored(app) == []


async def test_slack_unauthenticated_invalid_utf8_is_401(app: Any) -> None:
    body = b'{"type": "event_callback", "x": "\xff"}'
    headers = slack_headers(b"something else")
    assert (await post(app, SLACK, body, headers)).status_code == 401


async def test_unauthenticated_line_invalid_utf8_is_401(app: Any) -> None:
    body = b'{"events": ["\xff"]}'
    headers: Any = {"x-line-signature": "é".encode()}
    assert (await post(app, LINE, body, headers)).status_code == 401


# --- sanitised once at the edge --------------------------------------------------------------


HOSTILE = "参加\x00の\x07階層\ud800は\u202e変更\x1bできますか"


def clean(value: Any) -> bool:
    """No NUL, no C0/C1 control (except tab and line ends), no lone surrogate anywhere."""
    text = json.dumps(value, ensure_ascii=False)
    return all(
        not (0xD800 <= ord(c) <= 0xDFFF)
        and (c in "\t\n\r" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F))
        for c in text
    )


async def test_line_text_with_nul_and_surrogates_is_stored_clean_and_answered(
    app: Any, line_api: HTTPServer
) -> None:
    event = make_line_event(HOSTILE, user="Uhostile")
    body = json.dumps({"destination": "U1", "events": [event]}).encode()  # \u escapes
    assert (await post(app, LINE, body, line_headers(body))).status_code == 200
    [row] = stored(app)
    assert clean(row.payload)
    assert row.payload["message"]["text"] == "参加の階層\ufffdは\u202e変更できますか"
    assert await app.state.parts.inbox.drain() == 1


async def test_telegram_and_slack_text_is_stored_clean(app: Any, fake_apis: HTTPServer) -> None:
    update = json.dumps(make_telegram_update(HOSTILE, update_id=77)).encode()
    assert (await post(app, TELEGRAM, update, tg_headers())).status_code == 200
    slack = json.dumps(make_slack_event(HOSTILE, event_id="EvHostile")).encode()
    assert (await post(app, SLACK, slack, slack_headers(slack))).status_code == 200
    rows = stored(app)
    assert len(rows) == 2 and all(clean(row.payload) for row in rows)
    assert await app.state.parts.inbox.drain() == 2


# --- incoming() is total --------------------------------------------------------------------

ODD_EVENTS: list[dict[str, Any]] = [
    {},
    {"type": "message"},
    {"type": "message", "message": "x", "source": "y"},
    {"type": "message", "message": {"type": "text", "text": 5}, "source": {"userId": "U1"}},
    {"type": "postback", "postback": None, "source": {"userId": 5}},
    {"message": {"chat": "nope", "text": "x"}, "update_id": 1},
    {"update_id": 1, "message": {"text": "no chat"}},
    {"update_id": 1, "callback_query": {"id": "c"}},
    {"callback_query": "x", "update_id": "y"},
    {"user": 5, "channel": ["x"], "text": {"a": 1}},
    {"user": "U1", "channel": "C1", "text": 3.5},
    {"session": 5, "text": None},
    {"session": "s" * 40, "text": ["x"]},
    [],  # type: ignore[list-item]
    None,  # type: ignore[list-item]
    "a string",  # type: ignore[list-item]
]


@pytest.mark.parametrize(
    "channel",
    [
        LineChannel({}, api_base="http://x"),
        TelegramChannel({}, api_base="http://x"),
        SlackChannel({}, api_base="http://x"),
        WebChannel(),
    ],
    ids=["line", "telegram", "slack", "web"],
)
def test_incoming_never_raises(channel: Any) -> None:
    for event in ODD_EVENTS:
        assert channel.incoming("zerocarbon", event) is None


# --- the web chat: lone surrogates refused, NUL removed -------------------------------------


@contextlib.asynccontextmanager
async def chat_client(app: Any) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/chat/zerocarbon")
        yield client, page.text.split('name="csrf" content="')[1].split('"')[0]


async def test_web_lone_surrogate_is_422_and_not_stored(app: Any) -> None:
    async with chat_client(app) as (client, csrf):
        body = b'{"id": "msg-00000001", "text": "hello \\ud800 there"}'
        headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
        response = await client.post(CHAT_API, content=body, headers=headers)
    assert response.status_code == 422
    assert "surrogate" in response.text
    assert stored(app) == []


@pytest.mark.parametrize(
    "body",
    [b'{"id": "msg-00000001", "text": "\xff"}', DEEP, b'{"id": "msg-00000001", "text": NaN}'],
    ids=["invalid-utf8", "deep-json", "nan"],
)
async def test_web_malformed_body_is_400(app: Any, body: bytes) -> None:
    async with chat_client(app) as (client, csrf):
        headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
        response = await client.post(CHAT_API, content=body, headers=headers)
    assert response.status_code in (400, 413)  # DEEP is also over the chat's body limit
    assert stored(app) == []


async def test_web_message_with_nul_is_stored_clean_and_answered(app: Any) -> None:
    """On PostgreSQL a NUL used to stop the inbox: text fields cannot contain it."""
    async with chat_client(app) as (client, csrf):
        message = {"id": "msg-00000002", "text": "参加の\x00階層は\x00変更できますか"}
        response = await client.post(CHAT_API, json=message, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 202
        [row] = stored(app)
        assert row.payload["text"] == "参加の階層は変更できますか"
        assert await app.state.parts.inbox.drain() == 1
        messages = (await client.get(CHAT_API)).json()["messages"]
    assert [m["direction"] for m in messages] == ["in", "out"]
    assert messages[0]["text"] == "参加の階層は変更できますか"


async def test_web_poll_with_huge_after_is_refused_not_crashed(app: Any) -> None:
    async with chat_client(app) as (client, _):
        response = await client.get(CHAT_API, params={"after": str(2**70)})
    assert response.status_code == 422


async def test_telegram_valid_update_after_malformed_ones_is_answered(
    app: Any, fake_apis: HTTPServer
) -> None:
    for body in (b'{"update_id": 1, "message": "x"}', DEEP):
        assert (await post(app, TELEGRAM, body, tg_headers())).status_code == 400
    body = json.dumps(make_telegram_update("こんにちは", update_id=2)).encode()
    assert (await post(app, TELEGRAM, body, tg_headers())).status_code == 200
    await app.state.parts.inbox.drain()
    await app.state.parts.sender.drain()
    assert len(calls(fake_apis, f"{TG}/sendMessage")) == 1


async def test_slack_storage_failure_is_still_500_so_slack_retries(
    app: Any, fake_apis: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only bad input becomes 400: when the event could not be stored, Slack must retry."""

    async def broken(**_: Any) -> bool:
        raise OSError("disk full")

    monkeypatch.setattr(app.state.parts.hub, "accept", broken)
    body = json.dumps(make_slack_event(event_id="EvDiskFull")).encode()
    response = await post(app, SLACK, body, slack_headers(body))
    assert response.status_code == 500
