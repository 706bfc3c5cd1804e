"""Outbox concurrency and crash recovery."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug import Request, Response

from bot.channels.line import LineChannel
from bot.outbox import Sender
from bot.server import create_app
from bot.settings import LineCredentials, Settings
from knowledge import KnowledgeBase
from storage import inbound, messaging, repository
from storage.store import SqlStore
from tests.bot.channels_helpers import (
    LINE_SECRET,
    LINE_TOKEN,
    line_body,
    line_signature,
    make_line_event,
    wait_for,
)

SENT = json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]})


def queue(engine: Engine, count: int, users: int) -> None:
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="zerocarbon", name_ja="x", name_en="x", reference_prefix="ZC"
        )
        for n in range(count):
            messaging.enqueue(
                session,
                platform_id="zerocarbon",
                channel="line",
                user_key=f"U{n % users}",
                conversation_id=None,
                payload={
                    "text": f"message {n}",
                    "choices": [],
                    "cards": [],
                    "reference": None,
                    "route": {},
                    "part": 0,
                },
            )


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)")
async def test_two_workers_on_postgresql_send_each_message_once_in_order(
    engine: Engine, httpserver: HTTPServer
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is a PostgreSQL feature; SQLite runs one worker")
    received: list[tuple[str, str]] = []

    def push(request: Request) -> Response:
        body = json.loads(request.data)
        received.append((body["to"], body["messages"][0]["text"]))
        return Response(SENT, content_type="application/json")

    httpserver.expect_request("/v2/bot/message/push").respond_with_handler(push)
    # More recipients than one claim (10), so both workers find work; two messages each.
    queue(engine, 60, users=30)
    store = SqlStore(engine)
    channel = LineChannel(
        {"zerocarbon": LineCredentials(channel_secret="s", access_token="t")},
        api_base=httpserver.url_for("").rstrip("/"),
    )
    workers = [Sender(store=store, channels={"line": channel}) for _ in range(2)]
    attempts = await asyncio.gather(*(w.drain() for w in workers))
    assert sum(attempts) == 60 and all(a > 0 for a in attempts)  # both worked, nothing twice
    texts = [text for _, text in received]
    assert sorted(texts) == sorted(f"message {n}" for n in range(60))
    for user in range(30):  # each recipient got its messages in order
        mine = [int(t.split()[1]) for u, t in received if u == f"U{user}"]
        assert mine == sorted(mine)
    with Session(engine) as session:
        assert {r.status for r in messaging.outbox_rows(session)} == {"sent"}


async def test_events_acknowledged_before_a_crash_are_processed_on_start(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v2/bot/message/reply").respond_with_data(
        SENT, content_type="application/json"
    )
    httpserver.expect_request("/v2/bot/message/push").respond_with_data(
        SENT, content_type="application/json"
    )
    base: dict[str, Any] = {
        "channels": {
            "zerocarbon": {"line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}}
        },
        "line_api_base": httpserver.url_for("").rstrip("/"),
    }
    crashed = create_app(
        Settings(**base, background_workers=False), knowledge=sample_kb, store=SqlStore(engine)
    )
    transport = httpx.ASGITransport(app=crashed)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for n in range(3):
            body = line_body(make_line_event("こんにちは", user=f"U{n}"))
            response = await client.post(
                "/webhooks/line/zerocarbon",
                content=body,
                headers={"x-line-signature": line_signature(body)},
            )
            assert response.status_code == 200
    # The process dies here: acknowledged, nothing processed, nothing sent.
    assert not [r for r, _ in httpserver.log if r.path.startswith("/v2/bot/message")]
    restarted = create_app(Settings(**base), knowledge=sample_kb, store=SqlStore(engine))
    async with restarted.router.lifespan_context(restarted):

        def delivered() -> bool:
            calls = [r for r, _ in httpserver.log if r.path.startswith("/v2/bot/message")]
            with Session(engine) as session:  # and recorded, before the workers stop
                rows = messaging.outbox_rows(session)
            return len(calls) == 3 and {r.status for r in rows} == {"sent"}

        await wait_for(delivered, timeout=15)
    with Session(engine) as session:
        assert inbound.unprocessed_inbound(session) == []
        assert {r.status for r in messaging.outbox_rows(session)} == {"sent"}
