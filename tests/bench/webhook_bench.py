"""`make bench`: webhook acknowledgement latency under 200 signed LINE events/s for 30 s.

`madoguchi serve` runs as its own process (SQLite, one uvicorn worker); a fake LINE API runs
in a thread here and counts the replies; the load is open-loop (requests leave on schedule,
whatever the server does). Every 60th request re-sends an earlier event (a redelivery).
Afterwards the counts show that nothing was lost and nothing was processed twice.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import socket
import sqlite3
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
from aiohttp import web
from sqlalchemy import text

from tests.bench.serving import bench_schema, serve_line_api, start_server

RATE = int(os.environ.get("BENCH_RATE", "200"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
SECRET = "bench-channel-secret"
REPO = Path(__file__).resolve().parents[2]
COUNT_INBOUND = (
    "SELECT count(*), sum(CASE WHEN processed_at IS NULL THEN 1 ELSE 0 END) FROM inbound_event"
)
COUNT_OUTBOX = "SELECT status, count(*) FROM outbox GROUP BY status"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeLine:
    """Counts reply and push calls by reply token / recipient."""

    def __init__(self) -> None:
        self.reply_tokens: list[str] = []
        self.pushes = 0
        self.port = free_port()
        self.lock = threading.Lock()

    async def reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self.lock:
            self.reply_tokens.append(body["replyToken"])
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    async def push(self, request: web.Request) -> web.Response:
        with self.lock:
            self.pushes += 1
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    def start(self) -> None:
        serve_line_api(port=self.port, reply=self.reply, push=self.push)


def signed(event: dict) -> tuple[bytes, str]:  # type: ignore[type-arg]
    body = json.dumps({"destination": "U0", "events": [event]}).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return body, signature


async def load(url: str) -> tuple[list[float], dict[int, int], int]:
    total = RATE * SECONDS
    bodies: list[tuple[bytes, str]] = []
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(body: bytes, signature: str) -> None:
            started = time.perf_counter()
            response = await client.post(url, content=body, headers={"x-line-signature": signature})
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        tasks = []
        start = time.perf_counter()
        redeliveries = 0
        for n in range(total):
            if n and n % 60 == 0:
                body, signature = bodies[n - 30]  # the same event again
                redeliveries += 1
            else:
                event = {
                    "type": "message",
                    "mode": "active",
                    "timestamp": int(time.time() * 1000),
                    "source": {"type": "user", "userId": f"U{n % 500:04d}"},
                    "webhookEventId": uuid.uuid4().hex,
                    "deliveryContext": {"isRedelivery": False},
                    "replyToken": uuid.uuid4().hex,
                    "message": {"id": str(n), "type": "text", "text": "こんにちは"},
                }
                body, signature = signed(event)
            bodies.append((body, signature))
            delay = start + n / RATE - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body, signature)))
        await asyncio.gather(*tasks)
    return latencies, statuses, redeliveries


def main() -> None:
    fake = FakeLine()
    fake.start()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "MADOGUCHI_DATA_DIR": tmp,
            "MADOGUCHI_EMBEDDINGS_CACHE": str(REPO / "data" / "cache" / "embeddings.sqlite"),
            "MADOGUCHI_CHANNELS": json.dumps(
                {"zerocarbon": {"line": {"channel_secret": SECRET, "access_token": "bench-token"}}}
            ),
            "MADOGUCHI_LINE_API_BASE": f"http://127.0.0.1:{fake.port}",
        }
        database = os.environ.get("BENCH_DATABASE_URL")  # PostgreSQL when set
        env.pop("DATABASE_URL", None)
        schema, admin = bench_schema(env, database)
        server = start_server(env, port)
        try:
            url = f"http://127.0.0.1:{port}/webhooks/line/zerocarbon"
            started = time.perf_counter()
            latencies, statuses, redeliveries = asyncio.run(load(url))
            sent_for = time.perf_counter() - started
            unique = RATE * SECONDS - redeliveries
            while (
                len(fake.reply_tokens) + fake.pushes < unique
                and time.perf_counter() - started < SECONDS + 300
            ):
                time.sleep(0.5)
            drained_after = time.perf_counter() - started
            time.sleep(2)  # anything extra (a double send) would show up now
        finally:
            server.terminate()
            server.wait(timeout=30)
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f"SET search_path TO {schema}"))
                stored, unprocessed = connection.execute(text(COUNT_INBOUND)).one()
                outbox = dict(connection.execute(text(COUNT_OUTBOX)).all())
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        else:
            db = sqlite3.connect(Path(tmp) / "madoguchi.sqlite")
            stored, unprocessed = db.execute(COUNT_INBOUND).fetchone()
            outbox = dict(db.execute(COUNT_OUTBOX).fetchall())
    p50, p99 = np.percentile(latencies, [50, 99])
    backend = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    replies, distinct = len(fake.reply_tokens), len(set(fake.reply_tokens))
    print(f"webhook benchmark: {RATE} signed LINE events/s for {SECONDS} s ({backend}, 1 worker)")
    print(f"  requests {len(latencies)} in {sent_for:.1f} s; status counts {statuses}")
    print(f"  ack latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms")
    print(f"  unique events {unique}, redeliveries {redeliveries}")
    print(f"  stored {stored}, unprocessed {unprocessed}, outbox {outbox}")
    print(f"  replies received {replies} (distinct {distinct}), pushes {fake.pushes}")
    print(f"  all replies delivered {drained_after:.1f} s after the load started")
    lost = unique - stored
    duplicated = len(fake.reply_tokens) - len(set(fake.reply_tokens))
    print(f"  lost {lost}, processed twice {duplicated}")


if __name__ == "__main__":
    main()
