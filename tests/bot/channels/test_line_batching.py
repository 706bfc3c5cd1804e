"""LINE reply batching: one reply call carries a turn's messages (up to five, quick replies on
the last); only what does not fit, or what comes after the token's life, is pushed."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage import messaging
from storage.models import Outbox, Proposal
from storage.store import SqlStore
from tests.bot.channels_helpers import (
    LINE_SECRET,
    LINE_TOKEN,
    line_body,
    line_signature,
    make_line_event,
)
from tests.bot.test_terminal_chat import RICH

WEBHOOK = "/webhooks/line/kyoso-front"


@pytest.fixture
def line_api(httpserver: HTTPServer) -> HTTPServer:
    sent = {"sentMessages": [{"id": "461230966842064897", "quoteToken": "IStG5h1Tz7b"}]}
    httpserver.expect_request("/v2/bot/message/reply", method="POST").respond_with_json(sent)
    httpserver.expect_request("/v2/bot/message/push", method="POST").respond_with_json(sent)
    return httpserver


@pytest.fixture
async def app(engine: Engine, sample_kb: KnowledgeBase, line_api: HTTPServer) -> AsyncIterator[Any]:
    settings = Settings(
        channels={
            "kyoso-front": {"line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}}
        },
        line_api_base=line_api.url_for("").rstrip("/"),
        background_workers=False,
        outbox_base_delay=0.01,
    )
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


def calls(api: HTTPServer, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.get_data()) for r, _ in api.log if r.path == path]


async def say(app: Any, text: str, *, user: str = "Ubatch", age: float = 0) -> None:
    body = line_body(make_line_event(text, user=user, age_seconds=age))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        headers = {"x-line-signature": line_signature(body)}
        assert (await client.post(WEBHOOK, content=body, headers=headers)).status_code == 200
    await app.state.parts.inbox.drain()
    await app.state.parts.sender.drain()


def rows(app: Any, model: Any) -> list[Any]:
    with Session(app.state.parts.hub.store.engine) as session:
        return list(session.exec(select(model)))


async def test_a_whole_proposal_is_answered_without_a_single_push(
    app: Any, line_api: HTTPServer
) -> None:
    script = [RICH, "公園でのペットボトル回収実証", "はい、同意いたします", "提出する"]
    for text in script:
        await say(app, text)
    assert len(rows(app, Proposal)) == 1
    replies = calls(line_api, "/v2/bot/message/reply")
    assert calls(line_api, "/v2/bot/message/push") == []
    assert len(replies) == len(script)  # one reply call per turn, whatever its parts
    assert any(len(r["messages"]) > 1 for r in replies)  # the read-back's parts went together
    parts = sum(1 for row in rows(app, Outbox) if row.payload.get("part", 0) > 0)
    assert parts > 0  # before batching, each of these was a push
    for reply in replies:
        assert len(reply["messages"]) <= 5
        assert all("quickReply" not in m for m in reply["messages"][:-1])
    assert "受付番号" in replies[-1]["messages"][-1]["text"]
    assert {row.status for row in rows(app, Outbox)} == {"sent"}


async def test_what_does_not_fit_is_pushed_and_a_stale_token_pushes_everything(
    app: Any, line_api: HTTPServer
) -> None:
    store = app.state.parts.hub.store
    fresh = {"reply_token": uuid.uuid4().hex, "timestamp": int(time.time() * 1000)}
    stale = {"reply_token": uuid.uuid4().hex, "timestamp": int((time.time() - 120) * 1000)}
    with store.begin() as tx:
        for user, route in (("Ufresh", fresh), ("Ustale", stale)):
            for part in range(7):
                payload = {"text": f"{user} part {part + 1}", "choices": [], "route": route}
                messaging.enqueue(
                    tx.session,
                    platform_id="kyoso-front",
                    channel="line",
                    user_key=user,
                    conversation_id=None,
                    payload={**payload, "part": part},
                )
    await app.state.parts.sender.drain()
    [reply] = calls(line_api, "/v2/bot/message/reply")
    assert reply["replyToken"] == fresh["reply_token"]
    assert [m["text"] for m in reply["messages"]] == [f"Ufresh part {i}" for i in range(1, 6)]
    pushes = calls(line_api, "/v2/bot/message/push")
    by_user = {
        user: [m["text"] for p in pushes if p["to"] == user for m in p["messages"]]
        for user in ("Ufresh", "Ustale")
    }
    assert by_user["Ufresh"] == ["Ufresh part 6", "Ufresh part 7"]  # only the overflow
    assert by_user["Ustale"] == [f"Ustale part {i}" for i in range(1, 8)]  # in order
    assert all(len(p["messages"]) <= 5 for p in pushes)
    assert {row.status for row in rows(app, Outbox)} == {"sent"}
