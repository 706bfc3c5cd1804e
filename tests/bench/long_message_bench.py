"""`make bench`: LINE acks and other users' replies while 20 long web-chat messages arrive.

`madoguchi serve` runs as its own process (SQLite unless BENCH_DATABASE_URL is set); a fake
LINE API counts replies. Twenty web-chat sessions each send one 2,000-character question at
once (the web chat's maximum), while LINE users keep writing short messages at a steady rate.
Targets: LINE ack p99 <= 50 ms, and the LINE users' replies within 2 s.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import uuid

import httpx
import numpy as np
from aiohttp import web
from sqlalchemy import text

from bot.channels.web import COOKIE, csrf_token
from tests.bench.serving import bench_schema, start_server
from tests.bench.webhook_bench import REPO, SECRET, FakeLine, free_port, signed

LONG_MESSAGES = int(os.environ.get("BENCH_LONG_MESSAGES", "20"))
LONG_CHARS = 2000
LINE_RATE = 5  # short LINE messages per second, from other users
LINE_SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
SESSION_SECRET = "long-message-bench-session-secret-0123456789"
PLATFORM = "zerocarbon"
FILLER = (
    "私たちの団体は地域の脱炭素に向けて、住宅の断熱改修や太陽光発電の共同購入、"
    "省エネ家電への買い替え支援などを検討しており、会員制度の詳細や支援の内容を知りたいです。"
)


class TimedLine(FakeLine):
    """A fake LINE API that notes when each reply token arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}

    async def reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self.lock:
            self.reply_tokens.append(body["replyToken"])
            self.arrived.setdefault(body["replyToken"], time.perf_counter())
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})


def long_question(n: int) -> str:
    head = f"質問{n}：参加の階層は変更できますか。"
    return (head + FILLER * (LONG_CHARS // len(FILLER) + 1))[:LONG_CHARS]


def line_event(user: str, text: str) -> tuple[dict[str, object], str]:
    token = uuid.uuid4().hex
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": uuid.uuid4().hex,
        "deliveryContext": {"isRedelivery": False},
        "replyToken": token,
        "message": {"id": uuid.uuid4().hex[:12], "type": "text", "text": text},
    }
    return event, token


async def web_sessions(client: httpx.AsyncClient, base: str) -> list[tuple[str, str]]:
    """(cookie, CSRF token) for each web-chat session, issued by the server."""
    sessions = []
    for _ in range(LONG_MESSAGES):
        client.cookies.clear()  # no cookie: the server issues a new session
        page = await client.get(f"{base}/chat/{PLATFORM}")
        cookie = page.cookies[COOKIE]
        sessions.append((cookie, csrf_token(SESSION_SECRET, cookie.split(".")[0])))
    client.cookies.clear()  # each request below names its session itself
    return sessions


async def run(base: str, line: TimedLine) -> dict[str, object]:
    line_url = f"{base}/webhooks/line/{PLATFORM}"
    async with httpx.AsyncClient(timeout=60) as client:
        # Warm up: indexes, dictionaries and the model load on the first turn.
        event, token = line_event("Uwarm", "参加の階層は変更できますか")
        body, signature = signed(event)
        await client.post(line_url, content=body, headers={"x-line-signature": signature})
        while token not in line.arrived:
            await asyncio.sleep(0.1)
        sessions = await web_sessions(client, base)
        acks: list[float] = []
        sent: dict[str, float] = {}
        web_acks: list[float] = []
        quiet: list[float] = []  # acks of the same LINE load before the long messages

        async def post_web(n: int, cookie: str, csrf: str) -> None:
            started = time.perf_counter()
            response = await client.post(
                f"{base}/chat/{PLATFORM}/api/messages",
                json={"id": f"long-{n}-{uuid.uuid4().hex[:8]}", "text": long_question(n)},
                headers={"x-csrf-token": csrf, "cookie": f"{COOKIE}={cookie}"},
            )
            web_acks.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 202, (response.status_code, response.text)

        async def post_line(n: int, into: list[float]) -> None:
            event, token = line_event(f"Uother{n % 10}", "こんにちは")
            body, signature = signed(event)
            started = time.perf_counter()
            response = await client.post(
                line_url, content=body, headers={"x-line-signature": signature}
            )
            into.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            if into is acks:
                sent[token] = started

        started = time.perf_counter()
        for n in range(LINE_RATE * 5):
            await asyncio.sleep(max(0.0, started + n / LINE_RATE - time.perf_counter()))
            await post_line(n, quiet)
        started = time.perf_counter()
        tasks = [asyncio.create_task(post_web(n, *s)) for n, s in enumerate(sessions)]
        for n in range(LINE_RATE * LINE_SECONDS):
            delay = started + n / LINE_RATE - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post_line(n, acks)))
        await asyncio.gather(*tasks)
        deadline = time.perf_counter() + 300
        while any(t not in line.arrived for t in sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
        lags = [(line.arrived[t] - s) for t, s in sent.items() if t in line.arrived]
        # The web replies are in the transcripts: wait until every session has one.
        answered = 0
        for cookie, _ in sessions:
            while time.perf_counter() < deadline:
                poll = await client.get(
                    f"{base}/chat/{PLATFORM}/api/messages",
                    headers={"cookie": f"{COOKIE}={cookie}"},
                )
                messages = poll.json().get("messages", [])
                if any(m["direction"] == "out" for m in messages):
                    answered += 1
                    break
                await asyncio.sleep(0.2)
        return {
            "acks": acks,
            "quiet": quiet,
            "web_acks": web_acks,
            "lags": lags,
            "missing": len(sent) - len(lags),
            "answered": answered,
            "elapsed": time.perf_counter() - started,
        }


def main() -> None:
    line = TimedLine()
    line.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "MADOGUCHI_DATA_DIR": tmp,
            "MADOGUCHI_EMBEDDINGS_CACHE": str(REPO / "data" / "cache" / "embeddings.sqlite"),
            "MADOGUCHI_SESSION_SECRET": SESSION_SECRET,
            "MADOGUCHI_CHANNELS": json.dumps(
                {PLATFORM: {"line": {"channel_secret": SECRET, "access_token": "bench-token"}}}
            ),
            "MADOGUCHI_LINE_API_BASE": f"http://127.0.0.1:{line.port}",
            # The bench is one client address: lift the per-address limits it would trip.
            "MADOGUCHI_WEB_SESSIONS_PER_MINUTE_ADDRESS": "10000",
            "MADOGUCHI_WEB_MESSAGES_PER_MINUTE_ADDRESS": "10000",
            "MADOGUCHI_USER_MESSAGES_PER_MINUTE": "10000",
        }
        env.pop("DATABASE_URL", None)
        database = os.environ.get("BENCH_DATABASE_URL")
        schema, admin = bench_schema(env, database)
        server = start_server(env, port)
        try:
            result = asyncio.run(run(base, line))
        finally:
            server.terminate()
            server.wait(timeout=30)
            if schema:
                with admin.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    acks, lags = result["acks"], result["lags"]
    assert isinstance(acks, list) and isinstance(lags, list)
    backend = "PostgreSQL" if database else "SQLite"
    ack50, ack99 = np.percentile(acks, [50, 99])
    print(
        f"long-message benchmark ({backend}): {LONG_MESSAGES} web messages of {LONG_CHARS} "
        f"characters at once, {LINE_RATE} short LINE messages/s for {LINE_SECONDS} s"
    )
    print(f"  LINE ack p50 {ack50:.1f} ms, p99 {ack99:.1f} ms (target <= 50 ms)")
    quiet = result["quiet"]
    assert isinstance(quiet, list)
    quiet50, quiet99 = np.percentile(quiet, [50, 99])
    print(f"  (the same LINE load alone, before: ack p50 {quiet50:.1f} ms, p99 {quiet99:.1f} ms)")
    web_acks = result["web_acks"]
    assert isinstance(web_acks, list)
    print(f"  web-chat ack p50 {np.percentile(web_acks, 50):.1f} ms, max {max(web_acks):.1f} ms")
    if lags:
        p50, p99 = np.percentile(lags, [50, 99])
        print(
            f"  other LINE users' reply lag p50 {p50:.2f} s, p99 {p99:.2f} s, "
            f"max {max(lags):.2f} s (target <= 2 s)"
        )
    print(f"  LINE replies missing {result['missing']}; web sessions answered {result['answered']}")
    print(f"  everything answered {result['elapsed']:.1f} s after the first message")


if __name__ == "__main__":
    main()
