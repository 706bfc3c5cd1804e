"""Two web and two worker processes on one PostgreSQL database, restarted and killed mid-burst.

`madoguchi serve` (HTTP only) ×2 and `madoguchi worker` ×2 run as real processes; users on
LINE and Telegram of two platforms send numbered greetings, each user in order, spread over
both web processes (a load balancer's round robin; a refused connection goes to the other,
as LINE and Telegram redeliver). Mid-burst one web process and one worker get SIGTERM (and
are started again) and the other worker gets SIGKILL. Every event must be answered exactly
once, in order per conversation, and no lease may be left behind.
"""

from __future__ import annotations

import collections
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from werkzeug import Request, Response

from storage import messaging
from storage.models import Conversation, InboundEvent, Message, Outbox, utcnow
from tests.bench.serving import Process
from tests.bot.channels_helpers import (
    LINE_SECRET,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    line_body,
    line_signature,
    make_line_event,
    make_telegram_update,
)
from tests.bot.conftest import free_port
from tests.conftest import EMBEDDING_CACHE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.fault,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL"),
]

PLATFORMS = ("zerocarbon", "kyoso-front")
LINE_USERS = 4  # per platform
TELEGRAM_CHATS = 3  # per platform
PER_USER = 6
TG = f"/bot{TELEGRAM_TOKEN}"
SENT_LINE = json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]})


class FakeApis:
    """LINE (single-use reply tokens) and Telegram (every sendMessage recorded)."""

    def __init__(self, server: HTTPServer) -> None:
        self.lock = threading.Lock()
        self.tokens: collections.Counter[str] = collections.Counter()
        self.pushes = 0
        self.telegram: collections.Counter[int] = collections.Counter()
        server.expect_request("/v2/bot/message/reply", method="POST").respond_with_handler(
            self.reply
        )
        server.expect_request("/v2/bot/message/push", method="POST").respond_with_handler(self.push)
        me = {"id": 1, "is_bot": True, "first_name": "Madoguchi", "username": "madoguchi_bot"}
        server.expect_request(f"{TG}/getMe").respond_with_json({"ok": True, "result": me})
        server.expect_request(f"{TG}/sendMessage").respond_with_handler(self.send)

    def reply(self, request: Request) -> Response:
        token = json.loads(request.data)["replyToken"]
        with self.lock:
            self.tokens[token] += 1
            if self.tokens[token] > 1:
                return Response('{"message":"Invalid reply token"}', status=400)
        return Response(SENT_LINE, content_type="application/json")

    def push(self, request: Request) -> Response:
        with self.lock:
            self.pushes += 1
        return Response(SENT_LINE, content_type="application/json")

    def send(self, request: Request) -> Response:
        body = request.get_json() if request.is_json else dict(request.form.items())
        chat = int(body["chat_id"])
        with self.lock:
            self.telegram[chat] += 1
        result = {"message_id": 9, "date": 1700000000, "chat": {"id": chat, "type": "private"}}
        return Response(json.dumps({"ok": True, "result": {**result, "text": "x"}}))


def conversations() -> list[tuple[str, str, str, list[str]]]:
    """(channel, platform, user, texts in order) for every user of the burst."""
    users = []
    for p, platform in enumerate(PLATFORMS):
        for n in range(LINE_USERS):
            users.append(("line", platform, f"Utopo{p}{n:02d}"))
        for n in range(TELEGRAM_CHATS):
            users.append(("telegram", platform, str(7000 + p * 100 + n)))
    return [
        (channel, platform, user, [f"こんにちは（{k + 1}通目）" for k in range(PER_USER)])
        for channel, platform, user in users
    ]


class Load:
    """Each user's messages in order, every user at once, round robin over the web processes."""

    def __init__(self, webs: list[Process]) -> None:
        self.webs = webs
        self.acked: list[str] = []
        self.sent = threading.Event()
        self.lock = threading.Lock()
        self.tokens: dict[str, str] = {}  # LINE reply token -> user
        self.update_id = 50_000

    def request(self, channel: str, platform: str, user: str, text: str) -> tuple[str, bytes, dict]:
        if channel == "line":
            event = make_line_event(text, user=user, event_id=uuid.uuid4().hex.upper()[:26])
            self.tokens[event["replyToken"]] = user
            body = line_body(event)
            return f"/webhooks/line/{platform}", body, {"x-line-signature": line_signature(body)}
        with self.lock:
            self.update_id += 1
            update_id = self.update_id
        body = json.dumps(make_telegram_update(text, update_id=update_id, chat=int(user))).encode()
        headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
        return (
            f"/webhooks/telegram/{platform}",
            body,
            {**headers, "Content-Type": "application/json"},
        )

    def user(self, index: int, channel: str, platform: str, user: str, texts: list[str]) -> None:
        with httpx.Client(timeout=10) as client:
            for k, text in enumerate(texts):
                path, body, headers = self.request(channel, platform, user, text)
                attempt = index + k
                while True:  # the platform redelivers until acknowledged; any web process
                    web = self.webs[attempt % len(self.webs)]
                    attempt += 1
                    try:
                        if client.post(web.url + path, content=body, headers=headers).is_success:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.05)
                with self.lock:
                    self.acked.append(user)
                time.sleep(0.15)

    def run(self, users: list[tuple[str, str, str, list[str]]]) -> threading.Thread:
        threads = [
            threading.Thread(target=self.user, args=(i, *spec)) for i, spec in enumerate(users)
        ]

        def all_of_them() -> None:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.sent.set()

        runner = threading.Thread(target=all_of_them)
        runner.start()
        return runner


@pytest.fixture
def cluster(engine: Engine, httpserver: HTTPServer, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("several processes share the inbox on PostgreSQL only")
    credentials = {
        "line": {"channel_secret": LINE_SECRET, "access_token": "line-token"},
        "telegram": {"bot_token": TELEGRAM_TOKEN, "secret_token": TELEGRAM_SECRET},
    }
    env = {
        **os.environ,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_EMBEDDINGS_CACHE": str(EMBEDDING_CACHE),
        "MADOGUCHI_SESSION_SECRET": "topology-test-" + "s" * 40,
        "MADOGUCHI_CHANNELS": json.dumps(dict.fromkeys(PLATFORMS, credentials)),
        "MADOGUCHI_LINE_API_BASE": httpserver.url_for("").rstrip("/"),
        "MADOGUCHI_TELEGRAM_API_BASE": httpserver.url_for("").rstrip("/"),
        "MADOGUCHI_INBOX_LEASE_SECONDS": "5",  # the killed worker's events come back soon
        "MADOGUCHI_SCHEDULED_JOBS": "false",
    }
    webs = [Process("web", env, tmp_path / f"web{n}.log", port=free_port()) for n in range(2)]
    workers = [Process("worker", env, tmp_path / f"worker{n}.log") for n in range(2)]
    for process in [*webs, *workers]:
        process.start()
    yield {"webs": webs, "workers": workers, "engine": engine}
    for process in [*webs, *workers]:
        process.kill()


def inbox(engine: Engine) -> list[InboundEvent]:
    with Session(engine) as session:
        return list(session.exec(select(InboundEvent).order_by(col(InboundEvent.id))))


def settled(engine: Engine, expected: int) -> bool:
    events = inbox(engine)
    with Session(engine) as session:
        statuses = {row.status for row in messaging.outbox_rows(session)}
    done = len(events) == expected and {e.status for e in events} == {"done"}
    return done and statuses <= {"sent"}


def test_restarts_and_a_kill_mid_burst_lose_nothing_and_double_nothing(
    cluster: dict[str, Any], httpserver: HTTPServer
) -> None:
    apis = FakeApis(httpserver)
    webs, workers, engine = cluster["webs"], cluster["workers"], cluster["engine"]
    users = conversations()
    expected = sum(len(texts) for *_, texts in users)
    load = Load(webs)
    runner = load.run(users)

    def after(count: int) -> None:
        deadline = time.monotonic() + 60
        while len(load.acked) < count:
            assert time.monotonic() < deadline, "the burst stalled"
            time.sleep(0.02)

    after(expected // 4)
    # Graceful: requests under way finish, then it exits (uvicorn re-raises the SIGTERM).
    assert webs[0].terminate() in (0, -15)
    assert "Application shutdown complete" in webs[0].log.read_text()
    assert workers[0].terminate() == 0  # graceful: turns finish, leases handed back
    after(expected // 2)
    workers[1].kill()  # SIGKILL mid-burst: its leases run out (5 s here)
    webs[0].start()
    workers[0].start()
    runner.join(timeout=120)
    assert load.sent.is_set()
    # The killed worker's outbox "sending" lease (60 s) runs out: moved on by hand, not slept.
    with Session(engine) as session, session.begin():
        session.execute(
            update(Outbox).where(col(Outbox.status) == "sending").values(next_attempt_at=utcnow())
        )
    deadline = time.monotonic() + 120
    while not settled(engine, expected):
        assert time.monotonic() < deadline, "events not all answered in time"
        time.sleep(0.3)
    time.sleep(1)  # a double delivery would show up now

    events = inbox(engine)
    assert len(events) == expected  # one row per event, however often it was posted
    assert all(e.lease_owner is None and e.lease_until is None for e in events)  # none left
    with Session(engine) as session:
        rows = messaging.outbox_rows(session)
        said: dict[tuple[str, str, str], list[str]] = collections.defaultdict(list)
        for conversation, text in session.exec(
            select(Conversation, Message.text)
            .join(Message, col(Message.conversation_id) == col(Conversation.id))
            .where(Message.direction == "in")
            .order_by(col(Message.id))
        ):
            key = (conversation.channel, conversation.platform_id, conversation.user_key)
            said[key].append(text)
    # Each message was turned exactly once, in the order its user sent it.
    assert dict(said) == {
        (channel, platform, user): texts for channel, platform, user, texts in users
    }
    assert len(rows) == expected and {row.status for row in rows} == {"sent"}  # one reply each
    # LINE: every reply went with its own token, once (a retried call is refused by LINE
    # and counted as delivered, never pushed as well).
    line_events = sum(PER_USER for channel, *_ in users if channel == "line")
    assert len(apis.tokens) == line_events and set(load.tokens) == set(apis.tokens)
    assert apis.pushes == 0
    # Telegram: one message per reply. The Bot API has no idempotency key: a worker killed
    # between Telegram's answer and recording it would send that one again (at most one).
    per_chat = collections.Counter(int(row.user_key) for row in rows if row.channel == "telegram")
    extra = apis.telegram - per_chat
    assert not per_chat - apis.telegram and sum(extra.values()) <= 1, (per_chat, apis.telegram)
