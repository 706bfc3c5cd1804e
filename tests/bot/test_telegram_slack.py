"""Telegram and Slack: the real SDKs against fake platform APIs, with real secrets/signatures."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug import Request, Response

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage import messaging
from storage.store import SqlStore
from tests.bot.channels_helpers import (
    SLACK_SECRET,
    SLACK_TOKEN,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    make_slack_event,
    make_telegram_callback,
    make_telegram_update,
    slack_headers,
)
from tests.bot.test_outbox_outage import Clock

TG = f"/bot{TELEGRAM_TOKEN}"


def params(request: Request) -> dict[str, Any]:
    """The parameters of a Bot API or Web API call, whatever encoding the SDK chose."""
    if request.is_json:
        return dict(request.get_json())
    values: dict[str, Any] = dict(request.form.items())
    for key, value in values.items():
        try:
            values[key] = json.loads(value)
        except (TypeError, ValueError):
            pass
    return values


@pytest.fixture
def fake_apis(httpserver: HTTPServer) -> HTTPServer:
    me = {"id": 1, "is_bot": True, "first_name": "Madoguchi", "username": "madoguchi_bot"}
    httpserver.expect_request(f"{TG}/getMe").respond_with_json({"ok": True, "result": me})
    message = {
        "message_id": 9,
        "date": 1700000000,
        "chat": {"id": 42, "type": "private"},
        "text": "x",
    }
    httpserver.expect_request(f"{TG}/sendMessage").respond_with_json(
        {"ok": True, "result": message}
    )
    httpserver.expect_request(f"{TG}/answerCallbackQuery").respond_with_json(
        {"ok": True, "result": True}
    )
    httpserver.expect_request("/api/auth.test").respond_with_json(
        {
            "ok": True,
            "user_id": "UBOT",
            "team_id": "T1",
            "bot_id": "B1",
            "user": "madoguchi",
            "team": "t",
            "url": "https://t.slack.com/",
        }
    )
    httpserver.expect_request("/api/chat.postMessage").respond_with_json(
        {"ok": True, "channel": "D456", "ts": "2.2"}
    )
    return httpserver


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> AsyncIterator[Any]:
    settings = Settings(
        channels={
            "zerocarbon": {
                "telegram": {"bot_token": TELEGRAM_TOKEN, "secret_token": TELEGRAM_SECRET},
                "slack": {"signing_secret": SLACK_SECRET, "bot_token": SLACK_TOKEN},
            }
        },
        telegram_api_base=httpserver.url_for("").rstrip("/"),
        slack_api_base=httpserver.url_for("/api/"),
        background_workers=False,
        outbox_base_delay=0.01,
        outbox_retry_window=5.0,
    )
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


async def post(app: Any, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path, content=body, headers=headers)


async def process(app: Any) -> None:
    await app.state.parts.inbox.drain()
    await app.state.parts.sender.drain()


def calls(server: HTTPServer, path: str) -> list[dict[str, Any]]:
    return [params(request) for request, _ in server.log if request.path == path]


def stored(app: Any) -> int:
    from sqlmodel import select

    from storage.models import InboundEvent

    with Session(app.state.parts.hub.store.engine) as session:
        return len(list(session.exec(select(InboundEvent))))


# --- Telegram ---------------------------------------------------------------------------


def tg_headers(secret: str = TELEGRAM_SECRET) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}


async def test_telegram_message_is_answered_with_an_inline_keyboard(
    app: Any, fake_apis: HTTPServer
) -> None:
    body = json.dumps(make_telegram_update("こんにちは", update_id=1)).encode()
    assert (await post(app, "/webhooks/telegram/zerocarbon", body, tg_headers())).status_code == 200
    await process(app)
    [sent] = calls(fake_apis, f"{TG}/sendMessage")
    assert int(sent["chat_id"]) == 42 and "窓口です" in sent["text"]
    buttons = [row[0] for row in sent["reply_markup"]["inline_keyboard"]]
    assert [b["callback_data"] for b in buttons] == ["propose", "ask", "status", "human"]
    press = json.dumps(make_telegram_callback("status", update_id=2)).encode()
    await post(app, "/webhooks/telegram/zerocarbon", press, tg_headers())
    await process(app)
    assert calls(fake_apis, f"{TG}/answerCallbackQuery")[0]["callback_query_id"] == "cq2"
    assert "受付番号を教えてください" in calls(fake_apis, f"{TG}/sendMessage")[-1]["text"]


@pytest.mark.parametrize("secret", ["wrong", ""])
async def test_telegram_bad_secret_is_refused(app: Any, secret: str) -> None:
    body = json.dumps(make_telegram_update()).encode()
    assert (
        await post(app, "/webhooks/telegram/zerocarbon", body, tg_headers(secret))
    ).status_code == 401
    assert stored(app) == 0


async def test_telegram_duplicates_malformed_and_unknown(app: Any, fake_apis: HTTPServer) -> None:
    body = json.dumps(make_telegram_update(update_id=7)).encode()
    for _ in range(3):
        assert (
            await post(app, "/webhooks/telegram/zerocarbon", body, tg_headers())
        ).status_code == 200
    assert (
        await post(app, "/webhooks/telegram/zerocarbon", b"{not json", tg_headers())
    ).status_code == 400
    sticker = json.dumps(
        {
            "update_id": 8,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 42, "type": "private"},
                "from": {"id": 42, "is_bot": False, "first_name": "Taro"},
                "sticker": {},
            },
        }
    ).encode()
    assert (
        await post(app, "/webhooks/telegram/zerocarbon", sticker, tg_headers())
    ).status_code == 200
    assert stored(app) == 2  # the text once, and the sticker
    await process(app)
    sent = calls(fake_apis, f"{TG}/sendMessage")
    assert len(sent) == 2
    assert "文字のメッセージだけ" in sent[1]["text"]  # a sticker gets the polite "text only"


async def test_telegram_retry_after_is_honoured(app: Any, httpserver: HTTPServer) -> None:
    me = {"id": 1, "is_bot": True, "first_name": "Madoguchi", "username": "madoguchi_bot"}
    httpserver.expect_request(f"{TG}/getMe").respond_with_json({"ok": True, "result": me})
    attempts: list[int] = []

    def send(request: Request) -> Response:
        attempts.append(1)
        if len(attempts) == 1:
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            return Response(json.dumps(body), status=429, content_type="application/json")
        result = {
            "message_id": 9,
            "date": 1700000000,
            "chat": {"id": 42, "type": "private"},
            "text": "x",
        }
        return Response(json.dumps({"ok": True, "result": result}), content_type="application/json")

    httpserver.expect_request(f"{TG}/sendMessage").respond_with_handler(send)
    body = json.dumps(make_telegram_update(update_id=11)).encode()
    await post(app, "/webhooks/telegram/zerocarbon", body, tg_headers())
    await app.state.parts.inbox.drain()  # the reply is queued now (a turn may take seconds)
    clock = Clock(ahead=1.0)  # these apps retry for 5 s only
    app.state.parts.sender.clock = clock
    await app.state.parts.sender.drain()

    def status() -> str:
        with Session(app.state.parts.hub.store.engine) as session:
            [row] = messaging.outbox_rows(session)
        return f"{row.status} {row.last_error}"

    assert status() == "pending RetryLater: Telegram 429"
    clock.advance(0.9)
    await app.state.parts.sender.drain()
    assert status().startswith("pending") and len(attempts) == 1  # Telegram said: wait 1 s
    clock.advance(0.1)
    await app.state.parts.sender.drain()
    assert status() == "sent None" and len(attempts) == 2


def test_telegram_long_text_is_split() -> None:
    from bot.channels.telegram import to_messages
    from workflows import Choice, Outgoing

    text = "\n".join("い" * 100 for _ in range(100))
    messages = to_messages(Outgoing(text=text, choices=(Choice("はい", "yes"),)))
    assert [len(t) <= 4096 for t, _ in messages] == [True, True, True]
    assert messages[-1][1] is not None and messages[0][1] is None


# --- Slack --------------------------------------------------------------------------------


async def test_slack_message_is_answered_with_blocks(app: Any, fake_apis: HTTPServer) -> None:
    body = json.dumps(make_slack_event("こんにちは")).encode()
    response = await post(app, "/webhooks/slack/zerocarbon", body, slack_headers(body))
    assert response.status_code == 200
    await process(app)
    [posted] = calls(fake_apis, "/api/chat.postMessage")
    assert posted["channel"] == "D456"
    blocks = posted["blocks"]
    assert blocks[0]["type"] == "section" and "窓口です" in blocks[0]["text"]["text"]
    buttons = blocks[-1]["elements"]
    assert [b["value"] for b in buttons] == ["propose", "ask", "status", "human"]
    request = next(r for r, _ in fake_apis.log if r.path == "/api/chat.postMessage")
    assert request.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"


async def test_slack_button_press_is_handled(app: Any, fake_apis: HTTPServer) -> None:
    payload = {
        "type": "block_actions",
        "trigger_id": "trig-1",
        "user": {"id": "U123"},
        "channel": {"id": "D456"},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "actions": [
            {
                "type": "button",
                "action_id": "choice-2",
                "value": "status",
                "block_id": "b",
                "action_ts": "1",
            }
        ],
    }
    body = ("payload=" + urllib.parse.quote(json.dumps(payload))).encode()
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    assert (await post(app, "/webhooks/slack/zerocarbon", body, headers)).status_code == 200
    await process(app)
    assert "受付番号を教えてください" in calls(fake_apis, "/api/chat.postMessage")[-1]["text"]


@pytest.mark.parametrize(("secret", "age"), [("wrong-secret", 0), (SLACK_SECRET, 6 * 60)])
async def test_slack_bad_signature_and_stale_timestamp_are_refused(
    app: Any, secret: str, age: float
) -> None:
    body = json.dumps(make_slack_event()).encode()
    response = await post(
        app, "/webhooks/slack/zerocarbon", body, slack_headers(body, secret=secret, age=age)
    )
    assert response.status_code == 401
    assert stored(app) == 0


async def test_slack_retries_and_unknown_events(app: Any, fake_apis: HTTPServer) -> None:
    body = json.dumps(make_slack_event(event_id="EvDup")).encode()
    first = await post(app, "/webhooks/slack/zerocarbon", body, slack_headers(body))
    retry_headers = {
        **slack_headers(body),
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    again = await post(app, "/webhooks/slack/zerocarbon", body, retry_headers)
    assert first.status_code == again.status_code == 200
    reaction = {
        **make_slack_event(event_id="EvR"),
        "event": {"type": "reaction_added", "user": "U1", "reaction": "+1"},
    }
    other = json.dumps(reaction).encode()
    assert (
        await post(app, "/webhooks/slack/zerocarbon", other, slack_headers(other))
    ).status_code == 200
    assert stored(app) == 1
    await process(app)
    assert len(calls(fake_apis, "/api/chat.postMessage")) == 1


async def test_slack_malformed_body_is_refused(app: Any) -> None:
    body = b'{"type": "event_callback", broken'
    response = await post(app, "/webhooks/slack/zerocarbon", body, slack_headers(body))
    assert response.status_code >= 400
    assert stored(app) == 0


async def test_slack_url_verification(app: Any) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"}).encode()
    response = await post(app, "/webhooks/slack/zerocarbon", body, slack_headers(body))
    assert response.status_code == 200 and "abc123" in response.text


def test_slack_blocks_respect_limits() -> None:
    from bot.channels.slack import to_messages
    from workflows import Choice, Outgoing

    text = "\n".join("う" * 200 for _ in range(60))
    choices = tuple(Choice(f"c{i}", f"v{i}") for i in range(30))
    messages = to_messages(Outgoing(text=text, choices=choices))
    for _, blocks in messages:
        assert len(blocks) <= 50
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            else:
                assert len(block["elements"]) <= 25
    assert sum(len(b["elements"]) for _, bl in messages for b in bl if b["type"] == "actions") == 30
