"""The web chat API: session cookie and CSRF first, each page message processed once."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.store import SqlStore

API = "/chat/zerocarbon/api/messages"


@pytest.fixture
async def client(
    engine: Engine, sample_kb: KnowledgeBase
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = create_app(
        Settings(background_workers=False), knowledge=sample_kb, store=SqlStore(engine)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http, app


async def open_page(http: httpx.AsyncClient) -> str:
    page = await http.get("/chat/zerocarbon")
    assert page.status_code == 200
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "default-src 'self'" in page.headers["content-security-policy"]
    return re.search(r'name="csrf" content="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]


async def test_message_is_accepted_processed_once_and_read_back(
    client: tuple[httpx.AsyncClient, Any],
) -> None:
    http, app = client
    csrf = await open_page(http)
    message = {"id": "msg-00000001", "text": "参加の階層は変更できますか"}
    for _ in range(3):  # the page resends after a network error
        response = await http.post(API, json=message, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 202
    assert await app.state.parts.inbox.drain() == 1
    messages = (await http.get(API, params={"after": 0})).json()["messages"]
    assert [m["direction"] for m in messages] == ["in", "out"]
    assert "出典" in messages[1]["text"]
    later = (await http.get(API, params={"after": messages[-1]["id"]})).json()["messages"]
    assert later == []


async def test_csrf_and_session_are_required(client: tuple[httpx.AsyncClient, Any]) -> None:
    http, app = client
    no_session = await http.post(API, json={"id": "msg-00000002", "text": "x"})
    assert no_session.status_code == 403
    csrf = await open_page(http)
    bad = await http.post(
        API, json={"id": "msg-00000003", "text": "x"}, headers={"X-CSRF-Token": "0" * 64}
    )
    assert bad.status_code == 403
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    async with other:
        await open_page(other)
        stolen = await other.post(
            API, json={"id": "msg-00000004", "text": "x"}, headers={"X-CSRF-Token": csrf}
        )
    assert stolen.status_code == 403  # a token is bound to its own session
    assert await app.state.parts.inbox.drain() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"id": "msg-00000005", "text": ""},
        {"id": "msg-00000006", "text": "あ" * 2001},
        {"id": "<x>", "text": "hi"},
        {"text": "hi"},
    ],
)
async def test_bad_messages_get_a_clear_error(
    client: tuple[httpx.AsyncClient, Any], body: dict[str, str]
) -> None:
    http, _ = client
    csrf = await open_page(http)
    response = await http.post(API, json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422 and response.json()["detail"]


async def test_unknown_desk_is_not_found(client: tuple[httpx.AsyncClient, Any]) -> None:
    http, _ = client
    assert (await http.get("/chat/nowhere")).status_code == 404
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
