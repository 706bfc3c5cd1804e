"""/metrics as Prometheus reads it, and JSON logs whose request id follows a webhook from its
acknowledgement through its turn to the delivery of the reply (issue 12)."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pytest_httpserver import HTTPServer
from sqlmodel import Session, select

from bot import logs
from storage.models import InboundEvent, Outbox
from tests.bot import test_inbox_resilience as base
from tests.bot.channels_helpers import line_body, line_signature, make_line_event
from tests.bot.test_inbox_resilience import GREETING, WEBHOOK, answered

app = base.app  # the same app and fake LINE API as the resilience tests
line_api = base.line_api


async def get(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path, **kwargs)


async def post_line(app: Any, event: dict[str, Any], **headers: str) -> httpx.Response:
    body = line_body(event)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(
            WEBHOOK, content=body, headers={"x-line-signature": line_signature(body), **headers}
        )


async def scrape(app: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, parsed by Prometheus's own text parser."""
    from bot import metrics

    metrics.watch_queues(app.state.parts.store)  # the latest app's queues are reported
    metrics._QUEUES._cached = (0.0, [])  # read the database now, not the 5 s cache
    response = await get(app, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_follow_events_from_webhook_to_delivery(
    app: Any, line_api: HTTPServer
) -> None:
    before = await scrape(app)
    events = [make_line_event(GREETING, user=f"Umetrics{n}") for n in range(3)]
    for event in events:
        assert (await post_line(app, event)).status_code == 200
    forged = line_body(make_line_event(GREETING))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        refused = await client.post(WEBHOOK, content=forged, headers={"x-line-signature": "AAAA"})
    assert refused.status_code in (400, 401, 403)
    waiting = await scrape(app)

    def grew(name: str, samples: dict[Any, float], **labels: str) -> float:
        return value(samples, name, **labels) - value(before, name, **labels)

    assert grew("madoguchi_events_received_total", waiting, channel="line") == 4
    assert grew("madoguchi_events_acknowledged_total", waiting, channel="line") == 3  # not forged
    assert grew("madoguchi_ack_seconds_count", waiting, channel="line") == 3
    assert value(waiting, "madoguchi_inbox_events", channel="line", status="pending") == 3
    assert value(waiting, "madoguchi_inbox_oldest_due_seconds") >= 0

    assert await app.state.parts.inbox.drain() == 3
    queued = await scrape(app)
    assert grew("madoguchi_turn_seconds_count", queued, channel="line") == 3
    assert grew("madoguchi_turn_lag_seconds_count", queued, channel="line") == 3
    assert value(queued, "madoguchi_inbox_events", channel="line", status="pending") == 0
    line_pending = {"platform": "zerocarbon", "channel": "line", "status": "pending"}
    assert value(queued, "madoguchi_outbox_messages", **line_pending) == 3

    for event in events:
        assert await answered(app, line_api, event)
    sent = await scrape(app)
    assert grew("madoguchi_deliveries_total", sent, channel="line", outcome="sent") >= 1
    assert value(sent, "madoguchi_outbox_messages", **line_pending) == 0


async def test_a_webhooks_request_id_reaches_its_turn_and_its_delivery(
    app: Any, line_api: HTTPServer
) -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("madoguchi")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        event = make_line_event(GREETING, user="Utraced")
        response = await post_line(app, event, **{"X-Request-ID": "lb-7f3a9c21e4"})
        assert response.headers["x-request-id"] == "lb-7f3a9c21e4"  # the proxy's id, kept
        assert await app.state.parts.inbox.drain() == 1
        assert await answered(app, line_api, event)
        other = await post_line(app, make_line_event(GREETING, user="Uother"))
        generated = other.headers["x-request-id"]  # none given: one is made
        assert re.fullmatch(r"[0-9a-f]{16}", generated)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    engine = app.state.parts.store.engine
    with Session(engine) as session:
        stored = session.exec(select(InboundEvent).order_by(InboundEvent.id)).all()  # type: ignore[arg-type]
        replies = session.exec(select(Outbox).where(Outbox.user_key == "Utraced")).all()
    assert [row.request_id for row in stored] == ["lb-7f3a9c21e4", generated]
    assert [row.request_id for row in replies] == ["lb-7f3a9c21e4"]
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    traced = [line for line in lines if line.get("request_id") == "lb-7f3a9c21e4"]
    loggers = {line["logger"] for line in traced}
    assert {"madoguchi.inbox", "madoguchi.outbox"} <= loggers, lines  # turn and delivery
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)


def test_log_format_json_makes_every_line_a_json_object(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MADOGUCHI_LOG_FORMAT": "json",
        "MADOGUCHI_DATA_DIR": str(tmp_path),
        "MADOGUCHI_SESSION_SECRET": "x" * 40,
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "madoguchi"), "-v", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "no log lines to check"
    for line in lines:
        entry = json.loads(line)
        assert entry["level"] in {"DEBUG", "INFO", "WARNING"} and entry["message"]


async def test_refused_sign_ins_are_counted_by_reason(app: Any) -> None:
    from sqlmodel import Session as DbSession

    from bot.staff.auth import hash_password
    from storage import accounts

    with DbSession(app.state.parts.store.engine) as session, session.begin():
        accounts.add_staff(
            session,
            username="suzuki",
            display_name="鈴木",
            password_hash=hash_password("correct-horse-battery"),
            role="staff",
            platforms=["zerocarbon"],
        )
    before = await scrape(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)[1]  # type: ignore[index]
        for password in ("correct-horse-batery", "Correct-Horse-Battery"):  # typos happen
            form = {"username": "suzuki", "password": password, "csrf": csrf}
            refused = await client.post("/staff/login", data=form)
            assert refused.status_code == 303 and "error=" in refused.headers["location"]
        form = {"username": "suzuki", "password": "correct-horse-battery", "csrf": csrf}
        signed_in = await client.post("/staff/login", data=form)
        assert signed_in.headers["location"] == "/staff/queue"
    after = await scrape(app)
    name = "madoguchi_sign_in_failures_total"
    assert value(after, name, reason="credentials") - value(before, name, reason="credentials") == 2
