"""`make bench`: 2 web + 2 worker processes on PostgreSQL against one process, same load.

Open-loop signed LINE events (requests leave on schedule whatever the server does; loopback
only, bounded: at most RATE x SECONDS events, 300 connections) spread round robin over the web
processes; a fake LINE API in a thread records when each reply arrives. Printed per topology:
ack p50/p99, reply lag p50/p99 (event sent -> reply received by the fake API), inbox depth
over time, lost (acknowledged but never stored) and doubled (a reply token used twice).
Then a step run (100, 200, 300, 400 events/s) prints the highest rate whose reply lag p99
stays under 2 s. Needs BENCH_DATABASE_URL (PostgreSQL); the machine may be shared: the
figures are for comparing the two topologies in one run, not absolute.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from aiohttp import web
from sqlalchemy import text

from tests.bench.serving import Process, bench_schema, serve_line_api, start_server
from tests.bench.webhook_bench import SECRET, free_port, signed

RATE = int(os.environ.get("BENCH_RATE", "200"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
STEPS = [int(r) for r in os.environ.get("BENCH_STEPS", "100,200,300,400").split(",")]
STEP_SECONDS = int(os.environ.get("BENCH_STEP_SECONDS", "15"))
USERS = 1000
CONNECTIONS = 200
TARGET_LAG = 2.0
DRAIN_LIMIT = 180.0  # seconds after the load a run may take to deliver every reply
REPO = Path(__file__).resolve().parents[2]


class FakeLine:
    """Records when each reply token arrives (and every push)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.arrived: dict[str, list[float]] = {}
        self.pushes = 0

    def reset(self) -> None:
        with self.lock:
            self.arrived, self.pushes = {}, 0

    async def reply(self, request: web.Request) -> web.Response:
        token = (await request.json())["replyToken"]
        with self.lock:
            self.arrived.setdefault(token, []).append(time.perf_counter())
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    async def push(self, request: web.Request) -> web.Response:
        with self.lock:
            self.pushes += 1
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    def start(self) -> None:
        serve_line_api(port=self.port, reply=self.reply, push=self.push)


@dataclass
class Result:
    """One run's figures."""

    name: str
    rate: int
    seconds: int
    acks: list[float] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    depth: list[tuple[float, int]] = field(default_factory=list)
    sent: int = 0
    stored: int = 0
    lost: int = 0
    doubled: int = 0
    unanswered: int = 0
    pushes: int = 0

    def p(self, values: list[float], q: float) -> float:
        return float(np.percentile(values, q)) if values else float("nan")

    def lag_p99(self) -> float:
        return self.p(self.lags, 99) if not self.unanswered else float("inf")

    def lines(self) -> list[str]:
        depth = ", ".join(f"{t:.0f}s:{n}" for t, n in self.depth[::5])
        return [
            f"{self.name}: {self.rate}/s for {self.seconds} s, {self.sent} events, "
            f"statuses {self.statuses}",
            f"  ack p50 {self.p(self.acks, 50) * 1000:.1f} ms, "
            f"p99 {self.p(self.acks, 99) * 1000:.1f} ms",
            f"  reply lag p50 {self.p(self.lags, 50):.2f} s, p99 {self.p(self.lags, 99):.2f} s, "
            f"max {max(self.lags, default=float('nan')):.2f} s; unanswered {self.unanswered}",
            f"  inbox depth (s:pending) {depth}",
            f"  lost {self.lost}, doubled {self.doubled} (reply token used twice); "
            f"late replies pushed {self.pushes}",
        ]


async def load(urls: list[str], rate: int, seconds: int, result: Result) -> dict[str, float]:
    """Send the events on schedule; returns each reply token's send time."""
    sent_at: dict[str, float] = {}
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    # httpcore's pool scans its queue on every release: thousands of queued requests made
    # the client itself the bottleneck (a run stalled at 262 of 6,000 events). Requests wait
    # here instead; the ack time counts from the scheduled send, so the wait is in it.
    slots = asyncio.Semaphore(CONNECTIONS)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(url: str, body: bytes, signature: str) -> None:
            started = time.perf_counter()
            try:
                async with slots:
                    response = await client.post(
                        url, content=body, headers={"x-line-signature": signature}
                    )
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            result.acks.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1

        tasks = []
        start = time.perf_counter()
        for n in range(rate * seconds):
            token = uuid.uuid4().hex
            event = {
                "type": "message",
                "mode": "active",
                "timestamp": int(time.time() * 1000),
                "source": {"type": "user", "userId": f"U{n % USERS:05d}"},
                "webhookEventId": uuid.uuid4().hex,
                "deliveryContext": {"isRedelivery": False},
                "replyToken": token,
                "message": {"id": str(n), "type": "text", "text": "こんにちは"},
            }
            body, signature = signed(event)
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at[token] = time.perf_counter()
            tasks.append(asyncio.create_task(one(urls[n % len(urls)], body, signature)))
        await asyncio.gather(*tasks)
    return sent_at


def sample_depth(admin: object, schema: str, stop: threading.Event, out: list) -> None:  # type: ignore[type-arg]
    started = time.perf_counter()
    while not stop.is_set():
        with admin.begin() as connection:  # type: ignore[attr-defined]
            connection.execute(text(f"SET search_path TO {schema}"))
            pending = connection.execute(
                text("SELECT count(*) FROM inbound_event WHERE status = 'pending'")
            ).scalar_one()
        out.append((time.perf_counter() - started, int(pending)))
        stop.wait(1.0)


def run(name: str, *, scaled: bool, rate: int, seconds: int, fake: FakeLine) -> Result:
    """One topology on a fresh schema under one load."""
    database = os.environ["BENCH_DATABASE_URL"]
    result = Result(name=name, rate=rate, seconds=seconds)
    fake.reset()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "MADOGUCHI_DATA_DIR": tmp,
            "MADOGUCHI_EMBEDDINGS_CACHE": str(REPO / "data" / "cache" / "embeddings.sqlite"),
            "MADOGUCHI_CHANNELS": json.dumps(
                {"zerocarbon": {"line": {"channel_secret": SECRET, "access_token": "bench"}}}
            ),
            "MADOGUCHI_LINE_API_BASE": f"http://127.0.0.1:{fake.port}",
            "MADOGUCHI_SCHEDULED_JOBS": "false",
        }
        env.pop("DATABASE_URL", None)
        schema, admin = bench_schema(env, database)
        processes: list[Process] = []
        single = None
        try:
            if scaled:
                webs = [Process("web", env, Path(tmp) / f"web{n}.log", free_port()) for n in (0, 1)]
                workers = [Process("worker", env, Path(tmp) / f"worker{n}.log") for n in (0, 1)]
                processes = [*webs, *workers]
                for process in processes:
                    process.start()
                urls = [f"{w.url}/webhooks/line/zerocarbon" for w in webs]
            else:
                port = free_port()
                single = start_server(env, port)
                urls = [f"http://127.0.0.1:{port}/webhooks/line/zerocarbon"]
            stop = threading.Event()
            sampler = threading.Thread(
                target=sample_depth, args=(admin, schema, stop, result.depth), daemon=True
            )
            sampler.start()
            sent_at = asyncio.run(load(urls, rate, seconds, result))
            result.sent = len(sent_at)
            deadline = time.perf_counter() + DRAIN_LIMIT
            while time.perf_counter() < deadline:
                with fake.lock:
                    if len(fake.arrived) >= len(sent_at):
                        break
                time.sleep(0.25)
            time.sleep(1.5)  # a doubled reply would arrive now
            stop.set()
            sampler.join(timeout=5)
        finally:
            for process in processes:
                process.kill()
            if single is not None:
                single.terminate()
                single.wait(timeout=30)
        with admin.begin() as connection:
            connection.execute(text(f"SET search_path TO {schema}"))
            result.stored = connection.execute(
                text("SELECT count(*) FROM inbound_event")
            ).scalar_one()
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    with fake.lock:
        arrived = {token: list(times) for token, times in fake.arrived.items()}
        pushes = fake.pushes
    result.lags = [arrived[t][0] - s for t, s in sent_at.items() if t in arrived]
    result.unanswered = sum(1 for t in sent_at if t not in arrived)
    result.doubled = sum(len(times) - 1 for times in arrived.values())
    result.pushes = pushes  # late replies go by push (the reply token is too old): not doubles
    acked = result.statuses.get(200, 0)
    result.lost = max(0, acked - result.stored)
    return result


def main() -> None:
    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("scaled bench: set BENCH_DATABASE_URL (PostgreSQL)")
    fake = FakeLine()
    fake.start()
    print(f"scaled benchmark: {RATE} signed LINE events/s for {SECONDS} s, PostgreSQL, loopback")
    print("  (shared 2-core machine: compare the rows of this run, not across runs)")
    scaled = run("2 web + 2 workers", scaled=True, rate=RATE, seconds=SECONDS, fake=fake)
    single = run(
        "1 process (serve with workers)", scaled=False, rate=RATE, seconds=SECONDS, fake=fake
    )
    for result in (scaled, single):
        for line in result.lines():
            print(line)
    if single.lags and scaled.lags:
        ratio = single.p(single.lags, 99) / max(scaled.p(scaled.lags, 99), 1e-9)
        print(f"  reply lag p99: 1 process / scaled = {ratio:.1f}x")
    best = None
    for rate in STEPS:
        step = run("step 2+2", scaled=True, rate=rate, seconds=STEP_SECONDS, fake=fake)
        verdict = "ok" if step.lag_p99() < TARGET_LAG and not step.lost else "over"
        print(
            f"  step {rate}/s x {STEP_SECONDS} s: ack p99 {step.p(step.acks, 99) * 1000:.0f} ms, "
            f"reply lag p99 {step.lag_p99():.2f} s, lost {step.lost}, doubled {step.doubled} "
            f"-> {verdict}"
        )
        if verdict == "ok":
            best = rate
        else:
            break
    print(
        f"  highest rate with reply lag p99 < {TARGET_LAG:.0f} s (2 web + 2 workers): "
        f"{best or 'none'}/s"
    )


if __name__ == "__main__":
    main()
