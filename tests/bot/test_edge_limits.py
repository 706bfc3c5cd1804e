"""Request bodies are bounded per route before they are read (413), in memory as on the wire."""

from __future__ import annotations

import json
import select
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psutil
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine

from bot.limits import BODY_LIMITS, DEFAULT_BODY_LIMIT, MB, BodyLimit, SlidingWindow
from bot.server import create_app
from knowledge import KnowledgeBase
from storage.store import SqlStore
from tests.bot import test_telegram_slack
from tests.bot.channels_helpers import line_body, line_signature, make_line_event
from tests.bot.test_edge import CHAT_API, LINE, SLACK, TELEGRAM, all_channels, stored

pytestmark = pytest.mark.fault
fake_apis = test_telegram_slack.fake_apis  # the fake Slack API (bolt checks its token)

CHUNK = b"x" * (64 * 1024)
ROUTES = [
    (LINE, 512 * 1024),
    (SLACK, 1 * MB),
    (TELEGRAM, 256 * 1024),
    (CHAT_API, 16 * 1024),
    ("/staff/login", 64 * 1024),
    ("/somewhere/else", DEFAULT_BODY_LIMIT),
]


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> AsyncIterator[Any]:
    settings = all_channels(httpserver.url_for("").rstrip("/"))
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


class Counted:
    """A 200 MB body produced lazily, counting what the server pulled."""

    def __init__(self, total: int = 200 * MB) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.total:
            self.pulled += len(CHUNK)
            yield CHUNK


async def send(app: Any, path: str, body: Counted, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path, content=body, headers=headers)


def test_limits_are_the_documented_ones() -> None:
    limit = BodyLimit(lambda *a: None).limit_for  # type: ignore[arg-type, return-value]
    assert [limit(path) for path, _ in ROUTES] == [size for _, size in ROUTES]
    assert dict(BODY_LIMITS)["/chat/"] >= 2000 * 6 + 100  # 2,000 \u-escaped characters fit


@pytest.mark.parametrize(("path", "limit"), ROUTES, ids=[p for p, _ in ROUTES])
async def test_declared_200mb_body_is_413_before_a_byte_is_read(
    app: Any, path: str, limit: int
) -> None:
    body = Counted()
    response = await send(app, path, body, {"Content-Length": str(body.total)})
    assert response.status_code == 413
    assert str(limit) in response.json()["detail"]
    assert body.pulled <= len(CHUNK)  # at most what the client buffered before the answer


@pytest.mark.parametrize(("path", "limit"), ROUTES, ids=[p for p, _ in ROUTES])
async def test_chunked_200mb_body_is_cut_off_at_the_limit(app: Any, path: str, limit: int) -> None:
    """Routes that read the body to authenticate it get 413; the others refuse unread."""
    body = Counted()
    response = await send(app, path, body, {"Content-Type": "application/json"})
    if path in (LINE, SLACK):
        assert response.status_code == 413
    else:  # no secret token, no session, not a form, no such route: refused before reading
        assert response.status_code in (401, 403, 404, 413, 422)
    assert body.pulled <= limit + 2 * len(CHUNK)
    assert stored(app) == []


async def test_chunked_chat_message_over_the_limit_with_a_session_is_413(app: Any) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/chat/zerocarbon")
        csrf = page.text.split('name="csrf" content="')[1].split('"')[0]
        body = Counted()
        response = await client.post(CHAT_API, content=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 413
    assert body.pulled <= 16 * 1024 + 2 * len(CHUNK)


async def test_signed_body_just_within_the_limit_is_accepted(app: Any) -> None:
    event = make_line_event("参加の階層は変更できますか")
    padding = "x" * (500 * 1024 - len(line_body(event)))
    body = json.dumps({"destination": "U1", "events": [event], "padding": padding}).encode()
    assert 480 * 1024 < len(body) <= 512 * 1024
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            LINE, content=body, headers={"x-line-signature": line_signature(body)}
        )
    assert response.status_code == 200 and len(stored(app)) == 1


# --- on the wire: a real server, a real socket, the process's memory -----------------------


def upload(address: tuple[str, int], path: str, *, chunked: bool) -> tuple[int, int]:
    """POST up to 200 MB (stopping once the server answers); (status, bytes sent)."""
    total = 200 * MB
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
    ).encode()
    piece = b"y" * MB
    frame = (b"%x\r\n" % len(piece) + piece + b"\r\n") if chunked else piece
    sent = 0
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(head)
        while sent < total:
            readable, writable, _ = select.select([sock], [sock], [], 30)
            if readable:
                break
            if writable:
                try:
                    sent += sock.send(frame)
                except (BrokenPipeError, ConnectionResetError):
                    break
        answer = b""
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    return int(answer.split(b" ")[1]), sent


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", [LINE, CHAT_API], ids=["line-webhook", "chat-api"])
def test_200mb_unauthenticated_post_is_413_and_memory_stays_flat(
    server: tuple[str, int], path: str, chunked: bool
) -> None:
    process = psutil.Process()
    before = process.memory_info().rss
    status, sent = upload(server, path, chunked=chunked)
    grown = process.memory_info().rss - before
    # Without a session the chat API refuses a chunked body before reading it (403).
    assert status == 413 or (path == CHAT_API and chunked and status == 403)
    assert sent < 50 * MB, "the server kept reading after the limit"
    assert grown < 50 * MB, f"process grew by {grown / MB:.0f} MB"


# --- the sliding window --------------------------------------------------------------------


def test_sliding_window_counts_per_key_and_frees_after_the_window() -> None:
    now = [1000.0]
    window = SlidingWindow(limit=3, window=60, clock=lambda: now[0])
    assert [window.hit("a") for _ in range(3)] == [0, 0, 0]
    assert window.hit("a") == pytest.approx(60)
    assert window.hit("b") == 0  # another key is not affected
    now[0] += 30
    assert window.hit("a") == pytest.approx(30)
    window.undo("a")  # a no-op for a refused hit's key: nothing was counted
    now[0] += 30.5
    assert window.hit("a") == 0
    assert SlidingWindow(limit=0).hit("x") == 0  # 0 turns a limit off


def test_sliding_window_memory_is_bounded() -> None:
    now = [0.0]
    window = SlidingWindow(limit=1, window=60, clock=lambda: now[0], max_keys=100)
    for i in range(10_000):
        window.hit(f"address-{i}")
    assert len(window._hits) <= 100


# --- the platforms' own maxima fit, \u-escaped and repeated --------------------------------


async def post_signed(app: Any, path: str, body: bytes, headers: dict[str, str]) -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return (await client.post(path, content=body, headers=headers)).status_code


async def test_largest_platform_messages_fit_their_limits(app: Any, fake_apis: HTTPServer) -> None:
    from tests.bot.channels_helpers import (
        TELEGRAM_SECRET,
        make_slack_event,
        make_telegram_update,
        slack_headers,
    )

    # LINE: five 5,000-character texts in one request, every character \u-escaped.
    events = [make_line_event("あ" * 5000, user=f"U{i}") for i in range(5)]
    line = json.dumps({"destination": "U1", "events": events}).encode()
    assert await post_signed(app, LINE, line, {"x-line-signature": line_signature(line)}) == 200
    # Slack: a 40,000-character message, repeated in its rich-text block.
    event = make_slack_event("あ" * 40_000, event_id="EvLongest")
    event["event"]["blocks"] = [
        {"type": "rich_text", "elements": [{"type": "text", "text": "あ" * 40_000}]}
    ]
    slack = json.dumps(event).encode()
    assert len(slack) > 480_000
    assert await post_signed(app, SLACK, slack, slack_headers(slack)) == 200
    # Telegram: a 4,096-character text replying to another one.
    update = make_telegram_update("い" * 4096, update_id=5)
    update["message"]["reply_to_message"] = dict(update["message"])
    telegram = json.dumps(update).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    assert await post_signed(app, TELEGRAM, telegram, headers) == 200
    assert len(stored(app)) == 7
