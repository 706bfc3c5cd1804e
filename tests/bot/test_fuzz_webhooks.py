"""Hypothesis-generated webhook bodies, correctly signed, for LINE, Slack, Telegram and the web
chat: JSON of random shapes and hostile texts (NUL, lone surrogates, bidi controls, huge strings
within the limits). No request may answer 5xx or take long; whatever is stored is clean; and a
valid event is still answered afterwards."""

from __future__ import annotations

import collections
import json
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.testclient import TestClient

from bot.server import create_app
from knowledge import KnowledgeBase
from storage.models import InboundEvent
from storage.store import SqlStore
from tests.bot import test_line, test_telegram_slack
from tests.bot.channels_helpers import (
    TELEGRAM_SECRET,
    line_signature,
    make_line_event,
    make_slack_event,
    make_telegram_callback,
    make_telegram_update,
    slack_headers,
)
from tests.bot.test_edge import CHAT_API, LINE, SLACK, TELEGRAM, all_channels, clean
from tests.bot.test_line import sent_bodies

pytestmark = pytest.mark.fault
# The fake LINE, Telegram and Slack APIs of the channel tests, as fixtures here too.
line_api = test_line.line_api
fake_apis = test_telegram_slack.fake_apis

BOUND = 10.0  # seconds: generous; a freeze is what this catches, not slowness
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies -------------------------------------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "\udfff",
        "\ud83d",  # half an emoji
        "\u202e",
        "\u2066",
        "\u200b",
        "\ufeff",
        "\x1b[31m",
        "\r\n",
        "\x85",
        "😀",
        "<script>alert(1)</script>",
        "<!channel>",
        "'; DROP TABLE inbound_event; --",
        "参加の階層は変更できますか",
    ]
)
texts = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),  # surrogates included
    st.lists(HOSTILE | st.text(max_size=4), max_size=8).map("".join),
    st.integers(0, 4_000).map(lambda n: "あ" * n),
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)


@st.composite
def encoded(draw: st.DrawFn, value: Any) -> bytes:
    """JSON as a client might send it: \\u-escaped or raw UTF-8 (lone surrogates then invalid)."""
    ascii_only = draw(st.booleans())
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def overridden(base: dict[str, Any], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """`base` with a few of `keys` replaced by random values or removed."""
    return st.dictionaries(st.sampled_from(keys), values | st.just(...), max_size=3).map(
        lambda changes: {
            **{k: v for k, v in base.items() if changes.get(k, None) is not ...},
            **{k: v for k, v in changes.items() if v is not ...},
        }
    )


@st.composite
def line_bodies(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=64) | values.flatmap(encoded))
    keys = ["type", "mode", "message", "source", "postback", "webhookEventId", "replyToken"]
    events = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["message", "postback", "follow"]))
        event = make_line_event(draw(texts), kind=kind, event_id=uuid.uuid4().hex)
        if kind == "message" and draw(st.booleans()):
            event["message"] = draw(overridden(event["message"], ["type", "text", "id"]))
        events.append(draw(overridden(event, keys)) if draw(st.booleans()) else event)
    return draw(encoded({"destination": draw(texts), "events": events}))


@st.composite
def slack_requests(draw: st.DrawFn) -> tuple[bytes, str]:
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return draw(st.binary(max_size=64) | values.flatmap(encoded)), "application/json"
    if choice == 1:
        press = {
            "type": "block_actions",
            "trigger_id": uuid.uuid4().hex,
            "user": {"id": "U123"},
            "channel": {"id": "D456"},
            "team": {"id": "T1"},
            "actions": [{"type": "button", "action_id": "choice-1", "value": draw(texts)}],
        }
        payload = draw(overridden(press, ["type", "trigger_id", "user", "channel", "actions"]))
        raw = json.dumps(payload, ensure_ascii=draw(st.booleans()))
        form = "payload=" + urllib.parse.quote(raw.encode("utf-8", "surrogatepass"))
        return form.encode(), "application/x-www-form-urlencoded"
    envelope = make_slack_event(draw(texts), event_id=uuid.uuid4().hex)
    envelope["event"] = draw(
        overridden(envelope["event"], ["type", "user", "channel", "text", "subtype", "bot_id"])
    )
    keys = ["type", "event_id", "event", "team_id", "team", "authorizations", "enterprise"]
    return draw(encoded(draw(overridden(envelope, keys)))), "application/json"


@st.composite
def telegram_bodies(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.binary(max_size=64) | values.flatmap(encoded))
    update_id = draw(st.integers(0, 2**40))
    if choice == 1:
        update = make_telegram_callback(draw(texts), update_id=update_id)
        query = draw(overridden(update["callback_query"], ["id", "from", "message", "data"]))
        update["callback_query"] = query
    else:
        update = make_telegram_update(draw(texts), update_id=update_id)
        update["message"] = draw(overridden(update["message"], ["chat", "from", "text", "date"]))
    return draw(encoded(draw(overridden(update, ["update_id", "message", "callback_query"]))))


@st.composite
def chat_bodies(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 3)) == 0:
        return draw(st.binary(max_size=64) | values.flatmap(encoded))
    message = {"id": uuid.uuid4().hex, "text": draw(texts | st.integers(0, 2_100).map("x".__mul__))}
    return draw(encoded(draw(overridden(message, ["id", "text"]))))


# --- the app ----------------------------------------------------------------------------------


@pytest.fixture
def client(
    engine: Engine,
    sample_kb: KnowledgeBase,
    fake_apis: HTTPServer,
) -> Iterator[TestClient]:
    settings_ = all_channels(fake_apis.url_for("").rstrip("/")).model_copy(
        update={"web_messages_per_minute_session": 0, "web_messages_per_minute_address": 0}
    )
    app = create_app(settings_, knowledge=sample_kb, store=SqlStore(engine))
    with TestClient(app, raise_server_exceptions=False) as http:
        yield http


SEEN: collections.Counter[tuple[str, int]] = collections.Counter()


def timed_post(client: TestClient, path: str, body: bytes, headers: dict[str, str]) -> int:
    started = time.monotonic()
    response = client.post(path, content=body, headers=headers)
    elapsed = time.monotonic() - started
    assert response.status_code < 500, (response.status_code, body[:300], response.text[:300])
    assert elapsed < BOUND, f"{path} took {elapsed:.1f} s"
    SEEN[path, response.status_code] += 1
    return response.status_code


def stored_payloads(client: TestClient) -> list[dict[str, Any]]:
    with Session(client.app.state.parts.hub.store.engine) as session:  # type: ignore[attr-defined]
        return [row.payload for row in session.exec(select(InboundEvent))]


def settle(client: TestClient, path: str, accepted: int) -> None:
    """The fuzz reached both sides (stored and refused), everything stored is clean; then
    it is set aside so that one valid event runs."""
    statuses = {status for (where, status), count in SEEN.items() if where == path}
    assert accepted in statuses and statuses - {accepted}, statuses
    payloads = stored_payloads(client)
    assert payloads and all(clean(p) for p in payloads)
    engine = client.app.state.parts.hub.store.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        session.execute(
            update(InboundEvent).values(processed_at=InboundEvent.received_at, status="done")
        )
        session.commit()


def process(client: TestClient) -> int:
    parts = client.app.state.parts  # type: ignore[attr-defined]

    async def run() -> int:
        turns = await parts.inbox.drain()
        await parts.sender.drain()
        return turns

    return client.portal.call(run)  # type: ignore[union-attr]


def test_fuzz_line(client: TestClient, line_api: HTTPServer) -> None:
    @FUZZ
    @given(body=line_bodies())
    # Found by this test: an event whose "type" is a list was looked up in a set (500).
    @example(
        body=json.dumps(
            {"destination": "", "events": [{"type": [], "mode": "active", "webhookEventId": "x"}]}
        ).encode()
    )
    def one(body: bytes) -> None:
        status = timed_post(client, LINE, body, {"x-line-signature": line_signature(body)})
        assert status in (200, 400)

    one()
    settle(client, LINE, 200)
    event = make_line_event("参加の階層は変更できますか", user="Uafter")
    body = json.dumps({"destination": "U", "events": [event]}).encode()
    assert timed_post(client, LINE, body, {"x-line-signature": line_signature(body)}) == 200
    assert process(client) == 1
    assert sent_bodies(line_api, "/v2/bot/message/reply")[-1]["replyToken"] == event["replyToken"]


def test_fuzz_slack(client: TestClient, fake_apis: HTTPServer) -> None:
    @FUZZ
    @given(request=slack_requests())
    def one(request: tuple[bytes, str]) -> None:
        body, content_type = request
        status = timed_post(client, SLACK, body, slack_headers(body, content_type=content_type))
        assert status in (200, 400, 404)

    one()
    settle(client, SLACK, 200)
    body = json.dumps(make_slack_event("こんにちは", event_id="EvAfterFuzz")).encode()
    assert timed_post(client, SLACK, body, slack_headers(body)) == 200
    assert process(client) == 1
    posted = [r for r, _ in fake_apis.log if r.path == "/api/chat.postMessage"]
    assert posted


def test_fuzz_telegram(client: TestClient, fake_apis: HTTPServer) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}

    @FUZZ
    @given(body=telegram_bodies())
    def one(body: bytes) -> None:
        assert timed_post(client, TELEGRAM, body, headers) in (200, 400)

    one()
    settle(client, TELEGRAM, 200)
    body = json.dumps(make_telegram_update("こんにちは", update_id=2**41)).encode()
    assert timed_post(client, TELEGRAM, body, headers) == 200
    assert process(client) == 1
    assert any(r.path.endswith("/sendMessage") for r, _ in fake_apis.log)


def test_fuzz_web_chat(client: TestClient) -> None:
    page = client.get("/chat/zerocarbon")
    csrf = page.text.split('name="csrf" content="')[1].split('"')[0]
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}

    @FUZZ
    @given(body=chat_bodies())
    def one(body: bytes) -> None:
        assert timed_post(client, CHAT_API, body, headers) in (202, 400, 413, 422)

    one()
    settle(client, CHAT_API, 202)
    message = {"id": "after-the-fuzz", "text": "参加の階層は変更できますか"}
    assert client.post(CHAT_API, json=message, headers=headers).status_code == 202
    assert process(client) == 1
    transcript = client.get(CHAT_API).json()["messages"]
    assert transcript[-1]["direction"] == "out"
