"""Delivery through a LINE outage: the real SDK against a fake LINE API on the test's clock.

Time is the sender's injected clock, moved by hand: a 90-second outage costs no waiting.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import json
import random
import threading
import uuid
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug import Request, Response

from bot.channels.line import LineChannel
from bot.cli import main
from bot.outbox import Gates, Sender
from bot.settings import LineCredentials
from storage import messaging, repository
from storage.models import Outbox, utcnow
from storage.store import SqlStore

pytestmark = pytest.mark.fault

SENT = json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]})
Failure = Callable[[float], Response | None]


class Clock:
    """The sender's clock, moved by the test, ten seconds ahead of the wall clock: rows queued
    now are due even when queueing them takes a while on a loaded machine (with one second,
    3 of 5 first replies were sometimes not yet due)."""

    def __init__(self, *, ahead: float = 10.0) -> None:
        self.start = self.now = utcnow() + dt.timedelta(seconds=ahead)

    def __call__(self) -> dt.datetime:
        return self.now

    @property
    def elapsed(self) -> float:
        return (self.now - self.start).total_seconds()

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def error(status: int, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"message": f"error {status}"})
    return Response(body, status=status, headers=headers, content_type="application/json")


class FakeLine:
    """LINE's reply and push endpoints: single-use reply tokens that expire after a minute,
    retry keys answered 409 when seen before, and failures chosen by `failure(elapsed)`."""

    def __init__(self, server: HTTPServer, clock: Clock, failure: Failure) -> None:
        self.clock = clock
        self.failure = failure
        self.tokens: dict[str, tuple[str, dt.datetime]] = {}  # token -> (user, issued)
        self.used_tokens: set[str] = set()
        self.retry_keys: set[str] = set()
        self.calls: list[tuple[float, str]] = []  # (elapsed, "reply" | "push")
        self.delivered: list[tuple[str, str]] = []  # (user, text), in arrival order
        self.hold: threading.Event | None = None  # set: the next reply waits for it
        self.holding = threading.Event()
        server.expect_request("/v2/bot/message/reply", method="POST").respond_with_handler(
            self.reply
        )
        server.expect_request("/v2/bot/message/push", method="POST").respond_with_handler(self.push)

    def token(self, user: str) -> tuple[str, int]:
        """A fresh reply token for `user`, and its event's timestamp (ms)."""
        token = uuid.uuid4().hex
        self.tokens[token] = (user, self.clock.now)
        return token, int(self.clock.now.timestamp() * 1000)

    def reply(self, request: Request) -> Response:
        self.calls.append((self.clock.elapsed, "reply"))
        if (failed := self.failure(self.clock.elapsed)) is not None:
            return failed
        body = json.loads(request.data)
        token = body["replyToken"]
        user, issued = self.tokens[token]
        if token in self.used_tokens or self.clock.now - issued > dt.timedelta(seconds=60):
            return Response(
                '{"message":"Invalid reply token"}', status=400, content_type="application/json"
            )
        self.used_tokens.add(token)
        self.delivered += [(user, m["text"]) for m in body["messages"]]
        if self.hold is not None:  # accepted; the answer waits (the sender dies meanwhile)
            self.holding.set()
            self.hold.wait(timeout=30)
        return Response(SENT, content_type="application/json")

    def push(self, request: Request) -> Response:
        self.calls.append((self.clock.elapsed, "push"))
        if (failed := self.failure(self.clock.elapsed)) is not None:
            return failed
        key = request.headers["X-Line-Retry-Key"]
        if key in self.retry_keys:
            return Response('{"message":"retry key accepted before"}', status=409)
        self.retry_keys.add(key)
        body = json.loads(request.data)
        self.delivered += [(body["to"], m["text"]) for m in body["messages"]]
        return Response(SENT, content_type="application/json")

    def calls_between(self, start: float, end: float) -> int:
        return len([t for t, _ in self.calls if start <= t < end])


def line_sender(engine: Engine, server: HTTPServer, clock: Clock, **options: float) -> Sender:
    channel = LineChannel(
        {"zerocarbon": LineCredentials(channel_secret="s", access_token="t")},
        api_base=server.url_for("").rstrip("/"),
    )
    return Sender(
        store=SqlStore(engine),
        channels={"line": channel},
        clock=clock,
        rng=random.Random(8),
        **options,  # type: ignore[arg-type]
    )


def queue(engine: Engine, api: FakeLine, messages: list[tuple[str, str]]) -> list[int]:
    """Queue replies as the desk does: part 0 of a turn carries the event's reply token."""
    ids = []
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="zerocarbon", name_ja="x", name_en="x", reference_prefix="ZC"
        )
        for user, text in messages:
            token, timestamp = api.token(user)
            ids.append(
                messaging.enqueue(
                    session,
                    platform_id="zerocarbon",
                    channel="line",
                    user_key=user,
                    conversation_id=None,
                    payload={
                        "text": text,
                        "choices": [],
                        "cards": [],
                        "reference": None,
                        "route": {"reply_token": token, "timestamp": timestamp},
                        "part": 0,
                    },
                )
            )
    return ids


def rows(engine: Engine, status: str | None = None) -> list[Outbox]:
    with Session(engine) as session:
        return messaging.outbox_rows(session, status=status)


async def run(
    sender: Sender, clock: Clock, *, until: Callable[[], bool], step: float, limit: float
) -> None:
    """The worker loop, on the test's clock: drain, move time on, until done or `limit`."""
    while not until():
        assert clock.elapsed < limit, "not done in time"
        await sender.drain()
        clock.advance(step)


def outage(t: float) -> Response | None:
    """500 for 90 s, then 429 with Retry-After: 5 for 20 s, then all well."""
    if t < 90:
        return error(500)
    if t < 110:
        return error(429, {"Retry-After": "5"})
    return None


async def test_90_s_outage_then_429_loses_nothing_and_respects_the_platform(
    engine: Engine, httpserver: HTTPServer
) -> None:
    clock = Clock()
    api = FakeLine(httpserver, clock, outage)
    users = [f"U{n}" for n in range(5)]
    messages = [(user, f"{user} reply {n}") for n in range(6) for user in users]
    queue(engine, api, messages)
    sender = line_sender(engine, httpserver, clock, base_delay=1.0, max_delay=30.0)

    await sender.drain()
    first = rows(engine)
    # The five first replies tried their tokens; LINE answered 500, so the tokens are unused.
    assert len(api.calls) == 5 and all(r.reply_token_used_at is None for r in first)

    def all_sent() -> bool:
        return all(r.status == "sent" for r in rows(engine))

    await run(sender, clock, until=all_sent, step=0.5, limit=400)

    assert rows(engine, "dead") == []
    texts = [text for _, text in api.delivered]
    assert collections.Counter(texts) == collections.Counter(text for _, text in messages)
    for user in users:  # each user's replies arrived in the order they were queued
        assert [t for u, t in api.delivered if u == user] == [f"{user} reply {n}" for n in range(6)]
    # The breaker: a handful of calls in 90 s of 500s, not every message on its own backoff.
    assert api.calls_between(0, 90) <= 15
    # The pause: about one probe per Retry-After period while LINE said 429, not per message.
    assert 1 <= api.calls_between(90, 110) <= 20 / 5 + 1
    # Held back by the pause or the open breaker is not an attempt: one per call made.
    assert sum(r.attempts for r in rows(engine)) == len(api.calls)


async def test_still_failing_after_the_window_is_dead_and_the_cli_requeues_it(
    engine: Engine,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = Clock()
    down = [True]
    api = FakeLine(httpserver, clock, lambda t: error(503) if down[0] else None)
    [message] = queue(engine, api, [("U1", "こんにちは")])
    window = 2 * 3600
    sender = line_sender(engine, httpserver, clock, retry_window=window)

    def dead() -> bool:
        return rows(engine)[0].status == "dead"

    await run(sender, clock, until=dead, step=60, limit=window + 600)
    [row] = rows(engine, "dead")
    # Not before the window closed; at most one breaker cooldown (10 min) after it.
    assert window <= clock.elapsed <= window + 600 + 60
    assert "LINE 503" in (row.last_error or "")
    assert len(api.calls) <= 40  # capped backoff: minutes apart, not a call a second
    assert api.delivered == []

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["outbox", "list", "--status", "dead"]) == 0
    assert f"#{message} dead" in capsys.readouterr().out
    assert main(["outbox", "retry", str(message)]) == 0
    out = capsys.readouterr().out
    assert f"re-queued #{message} line/U1 (was dead; last error: RetryLater: LINE 503)" in out
    [row] = rows(engine)
    assert row.status == "pending" and row.attempts == 0 and row.last_error
    down[0] = False
    await sender.drain()  # this sender's breaker is still open: the message waits for it
    assert rows(engine)[0].status == "pending"
    clock.advance(600)
    await sender.drain()  # the probe
    assert rows(engine)[0].status == "sent"
    assert api.delivered == [("U1", "こんにちは")]

    assert main(["outbox", "retry", str(message)]) == 1
    assert f"outbox message #{message} was already sent" in capsys.readouterr().err
    assert main(["outbox", "retry", "99999"]) == 1
    assert "no outbox message #99999" in capsys.readouterr().err


async def test_refused_for_good_is_dead_at_once_and_retry_dead_requeues_all(
    engine: Engine,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = Clock()
    blocked = {"Ublocked"}
    api = FakeLine(httpserver, clock, lambda t: None)
    original = api.push

    def push(request: Request) -> Response:
        if json.loads(request.data)["to"] in blocked:
            return error(400)
        return original(request)

    httpserver.clear()
    httpserver.expect_request("/v2/bot/message/push").respond_with_handler(push)
    clock.advance(120)  # every reply token has expired: pushes
    ids = queue(engine, api, [("Ublocked", "one"), ("Ublocked", "two"), ("Uok", "three")])
    with Session(engine) as session, session.begin():  # tokens issued two minutes ago
        for row in messaging.outbox_rows(session):
            row.payload = {**row.payload, "route": {}}
            session.add(row)
    sender = line_sender(engine, httpserver, clock)
    await sender.drain()
    assert [(r.status, r.attempts) for r in rows(engine)] == [("dead", 1), ("dead", 1), ("sent", 1)]
    assert "LINE 400" in (rows(engine)[0].last_error or "")

    blocked.clear()
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["outbox", "retry", "--dead"]) == 0
    out = capsys.readouterr().out
    assert f"re-queued #{ids[0]}" in out and f"re-queued #{ids[1]}" in out
    await sender.drain()
    assert {r.status for r in rows(engine)} == {"sent"}
    assert [t for u, t in api.delivered if u == "Ublocked"] == ["one", "two"]
    assert main(["outbox", "retry", "--dead"]) == 0
    assert "no dead letters" in capsys.readouterr().out


async def test_a_reply_cut_off_by_a_crash_is_never_pushed_again(
    engine: Engine, httpserver: HTTPServer
) -> None:
    clock = Clock()
    api = FakeLine(httpserver, clock, lambda t: None)
    # Six LINE messages: five go with the reply token, the sixth is pushed.
    long_text = "\n".join(f"{n} " + "あ" * 4900 for n in range(6))
    [message] = queue(engine, api, [("U1", long_text)])
    api.hold = threading.Event()
    worker = asyncio.create_task(line_sender(engine, httpserver, clock).drain())
    await asyncio.to_thread(api.holding.wait, 10)
    worker.cancel()  # LINE took the reply; the process dies before hearing so
    with pytest.raises(asyncio.CancelledError):
        await worker
    api.hold.set()
    [row] = rows(engine)
    assert row.status == "sending" and row.reply_token_used_at is not None

    clock.advance(61)  # the lease runs out; so has the reply token
    restarted = line_sender(engine, httpserver, clock)
    await restarted.drain()
    assert rows(engine)[0].status == "sent"
    assert [path for _, path in api.calls] == ["reply", "push"]  # the sixth part only
    assert [text.split()[0] for _, text in api.delivered] == ["0", "1", "2", "3", "4", "5"]
    assert message == row.id


@pytest.mark.parametrize("earlier_call_arrived", [True, False])
async def test_a_fresh_token_used_before_is_replied_again_not_pushed(
    engine: Engine, httpserver: HTTPServer, earlier_call_arrived: bool
) -> None:
    clock = Clock()
    api = FakeLine(httpserver, clock, lambda t: None)
    [message] = queue(engine, api, [("U1", "こんにちは")])
    with Session(engine) as session, session.begin():  # an earlier attempt timed out
        messaging.mark_reply_token(session, outbox_id=message, at=clock.now)
    if earlier_call_arrived:
        api.used_tokens.add(next(iter(api.tokens)))
        api.delivered.append(("U1", "こんにちは"))
    await line_sender(engine, httpserver, clock).drain()
    assert rows(engine)[0].status == "sent"
    assert [path for _, path in api.calls] == ["reply"]  # LINE's 400 meant: it went out
    assert api.delivered == [("U1", "こんにちは")]


def test_breaker_opens_after_a_run_of_failures_probes_then_closes() -> None:
    gates = Gates(threshold=3, base_delay=1.0, max_delay=4.0)
    key = ("line", "zerocarbon")
    now = utcnow()
    for _ in range(2):
        gates.failed(key, now)
    assert gates.held(now) == []
    gates.failed(key, now)
    assert gates.held_until(key, now) == now + dt.timedelta(seconds=1)
    later = now + dt.timedelta(seconds=1)
    assert gates.held(later) == []  # half-open: one probe may go
    gates.failed(key, later)  # the probe failed: open again, for longer
    assert gates.held_until(key, later) == later + dt.timedelta(seconds=2)
    for _ in range(5):
        gates.failed(key, later)
    assert gates.held_until(key, later) == later + dt.timedelta(seconds=4)  # capped
    gates.succeeded(key)
    assert gates.held(later) == []
    assert gates.pause(key, later, 30) == later + dt.timedelta(seconds=4)  # capped as well
    assert gates.held(later) == [key] and gates.held(later + dt.timedelta(seconds=4)) == []
