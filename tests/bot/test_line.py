"""LINE: signed webhooks in, replies/pushes out through the real SDK to a fake LINE API."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator

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
    LINE_SECRET,
    LINE_TOKEN,
    line_body,
    line_signature,
    make_line_event,
)
from tests.bot.test_outbox_outage import Clock

WEBHOOK = "/webhooks/line/zerocarbon"


@pytest.fixture
def line_api(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/v2/bot/message/reply", method="POST").respond_with_json(
        {"sentMessages": [{"id": "461230966842064897", "quoteToken": "IStG5h1Tz7b"}]}
    )
    httpserver.expect_request("/v2/bot/message/push", method="POST").respond_with_json(
        {"sentMessages": [{"id": "461230966842064897", "quoteToken": "IStG5h1Tz7b"}]}
    )
    return httpserver


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> AsyncIterator[object]:
    settings = Settings(
        channels={
            "zerocarbon": {"line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}}
        },
        line_api_base=httpserver.url_for("").rstrip("/"),
        background_workers=False,
        outbox_base_delay=0.01,
        outbox_retry_window=5.0,
    )
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


async def post(app: object, body: bytes, signature: str | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        headers = {"x-line-signature": signature if signature is not None else line_signature(body)}
        return await client.post(WEBHOOK, content=body, headers=headers)


def inbound(app: object) -> list[object]:
    store = app.state.parts.hub.store  # type: ignore[attr-defined]
    with Session(store.engine) as session:
        from sqlmodel import select

        from storage.models import InboundEvent

        return list(session.exec(select(InboundEvent)))


def outbox(app: object, status: str | None = None) -> list[object]:
    with Session(app.state.parts.hub.store.engine) as session:  # type: ignore[attr-defined]
        return messaging.outbox_rows(session, status=status)


def sent_bodies(server: HTTPServer, path: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(request.data) for request, _ in server.log if request.path == path]


async def test_signed_message_is_answered_with_the_reply_token(
    app: object, line_api: HTTPServer
) -> None:
    event = make_line_event("参加の階層は変更できますか")
    response = await post(app, line_body(event))
    assert response.status_code == 200
    parts = app.state.parts  # type: ignore[attr-defined]
    assert await parts.inbox.drain() == 1
    await parts.sender.drain()
    [reply] = sent_bodies(line_api, "/v2/bot/message/reply")
    assert reply["replyToken"] == event["replyToken"]
    assert "いつでも自由に変更できます" in reply["messages"][0]["text"]
    request = next(r for r, _ in line_api.log if r.path == "/v2/bot/message/reply")
    assert request.headers["Authorization"] == f"Bearer {LINE_TOKEN}"
    assert [row.status for row in outbox(app)] == ["sent"]


async def test_choices_become_quick_replies_and_postbacks_answer_them(
    app: object, line_api: HTTPServer
) -> None:
    await post(app, line_body(make_line_event("こんにちは")))
    parts = app.state.parts  # type: ignore[attr-defined]
    await parts.inbox.drain()
    await parts.sender.drain()
    [menu] = sent_bodies(line_api, "/v2/bot/message/reply")
    items = menu["messages"][-1]["quickReply"]["items"]
    assert [i["action"]["data"] for i in items] == ["propose", "ask", "status", "human"]
    assert (
        items[0]["action"]["type"] == "postback"
        and items[0]["action"]["displayText"] == "連携の提案をする"
    )
    await post(app, line_body(make_line_event("status", kind="postback")))
    await parts.inbox.drain()
    await parts.sender.drain()
    assert (
        "受付番号を教えてください"
        in sent_bodies(line_api, "/v2/bot/message/reply")[-1]["messages"][0]["text"]
    )


@pytest.mark.parametrize(
    ("signature", "status"), [("bad", 401), ("", 401), (line_signature(b"other body"), 401)]
)
async def test_bad_signatures_are_refused_and_nothing_is_stored(
    app: object, signature: str, status: int
) -> None:
    response = await post(app, line_body(make_line_event()), signature=signature)
    assert response.status_code == status
    assert inbound(app) == []


async def test_a_wrong_secret_is_refused(app: object) -> None:
    body = line_body(make_line_event())
    response = await post(app, body, signature=line_signature(body, "another-secret"))
    assert response.status_code == 401 and inbound(app) == []


async def test_duplicates_and_redeliveries_are_processed_once(
    app: object, line_api: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    event = make_line_event("参加の階層は変更できますか", event_id="01JDUPLICATEEVENT00000000")
    again = {**event, "deliveryContext": {"isRedelivery": True}}
    with caplog.at_level(logging.WARNING, logger="madoguchi.inbound"):
        for body in (line_body(event), line_body(event), line_body(again)):
            assert (await post(app, body)).status_code == 200
    assert len(inbound(app)) == 1
    # Both repeats leave a line where `serve` shows it (WARNING), as the README says.
    repeats = [r for r in caplog.records if "acknowledged again" in r.getMessage()]
    assert len(repeats) == 2 and all(r.levelno == logging.WARNING for r in repeats)
    parts = app.state.parts  # type: ignore[attr-defined]
    assert await parts.inbox.drain() == 1
    assert await parts.inbox.drain() == 0
    await parts.sender.drain()
    assert len(sent_bodies(line_api, "/v2/bot/message/reply")) == 1


async def test_malformed_json_unknown_events_and_standby(
    app: object, caplog: pytest.LogCaptureFixture
) -> None:
    body = b'{"events": [ this is not json'
    assert (await post(app, body)).status_code == 400
    unfollow = make_line_event(kind="unfollow")
    standby = make_line_event(mode="standby")
    with caplog.at_level(logging.WARNING, logger="madoguchi.line"):
        assert (await post(app, line_body(unfollow, standby))).status_code == 200
    assert inbound(app) == []
    # `serve` shows WARNING and above: both leave a line there, as the README says.
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("'unfollow'" in line and "not handled" in line for line in logged)
    assert any("standby mode" in line for line in logged)


async def test_unknown_platform_is_not_found(app: object) -> None:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = line_body(make_line_event())
        response = await client.post(
            "/webhooks/line/kyoso-front",
            content=body,
            headers={"x-line-signature": line_signature(body)},
        )
    assert response.status_code == 404


async def test_stale_reply_token_pushes_with_a_retry_key(app: object, line_api: HTTPServer) -> None:
    await post(
        app, line_body(make_line_event("参加の階層は変更できますか", user="Uold", age_seconds=120))
    )
    parts = app.state.parts  # type: ignore[attr-defined]
    await parts.inbox.drain()
    await parts.sender.drain()
    assert sent_bodies(line_api, "/v2/bot/message/reply") == []
    [push] = [r for r, _ in line_api.log if r.path == "/v2/bot/message/push"]
    assert json.loads(push.data)["to"] == "Uold"
    assert len(push.headers["X-Line-Retry-Key"]) == 36


async def test_429_is_retried_after_retry_after_and_409_counts_as_delivered(
    app: object, httpserver: HTTPServer
) -> None:
    calls: list[str] = []

    def push(request: Request) -> Response:
        calls.append(request.headers["X-Line-Retry-Key"])
        if len(calls) == 1:
            return Response(
                "{}", status=429, headers={"Retry-After": "1"}, content_type="application/json"
            )
        if len(calls) == 2:
            return Response("{}", status=409, content_type="application/json")
        return Response(
            '{"sentMessages": [{"id": "1", "quoteToken": "q"}]}', content_type="application/json"
        )

    httpserver.expect_request("/v2/bot/message/push").respond_with_handler(push)
    await post(
        app, line_body(make_line_event("参加の階層は変更できますか", user="Ux", age_seconds=120))
    )
    parts = app.state.parts  # type: ignore[attr-defined]
    clock = Clock(ahead=1.0)  # these apps retry for 5 s only
    parts.sender.clock = clock
    await parts.inbox.drain()
    await parts.sender.drain()
    [row] = outbox(app)
    assert row.status == "pending" and row.attempts == 1  # waiting for Retry-After
    assert row.next_attempt_at == clock.now + dt.timedelta(seconds=1)
    clock.advance(0.9)
    await parts.sender.drain()
    assert len(calls) == 1  # the whole sender waits, not just this message
    clock.advance(0.1)
    await parts.sender.drain()
    assert outbox(app)[0].status == "sent"
    assert len(calls) == 2 and calls[0] == calls[1]  # same retry key: LINE de-duplicates


async def test_persistent_failure_is_dead_lettered_after_the_retry_window(
    app: object, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/bot/message/push").respond_with_data("boom", status=500)
    await post(
        app, line_body(make_line_event("参加の階層は変更できますか", user="Uy", age_seconds=120))
    )
    parts = app.state.parts  # type: ignore[attr-defined]
    clock = Clock(ahead=1.0)  # these apps retry for 5 s only
    parts.sender.clock = clock
    await parts.inbox.drain()
    while outbox(app)[0].status == "pending":  # the window is 5 s here (hours by default)
        assert clock.elapsed < 10
        await parts.sender.drain()
        clock.advance(0.5)
    [row] = outbox(app, "dead")
    assert clock.now >= row.retry_from + dt.timedelta(seconds=5)  # not before the window
    assert row.attempts > 3 and "LINE 500" in (row.last_error or "")


async def test_long_replies_are_split_in_order(app: object) -> None:
    from bot.channels.line import to_messages
    from workflows import Choice, Outgoing

    text = "\n".join(f"{i:04d} " + "あ" * 100 for i in range(120))
    messages = to_messages(Outgoing(text=text, choices=(Choice("はい", "yes"),)))
    assert len(messages) == 3
    assert all(len(m.text.encode("utf-16-le")) // 2 <= 5000 for m in messages)
    assert "\n".join(m.text for m in messages) == text
    assert messages[-1].quick_reply is not None and messages[0].quick_reply is None
