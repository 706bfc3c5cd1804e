"""Golden payloads: real webhook bodies from the SDKs' own tests and the platforms' docs.

Each fixture file names its source; `fresh` gives every replay new ids and a current time,
as the platform would, so de-duplication and reply-token freshness see a new event.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).parent / "fixtures"
_counter = itertools.count(1)


def load(name: str) -> Any:
    """The body of fixture `name` (a dict, or a form string for a slash command)."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert data["source"].startswith("https://"), "every golden payload names its source"
    return copy.deepcopy(data["body"])


def fresh_line(event: dict[str, Any]) -> dict[str, Any]:
    """A LINE event with a new webhook event id, reply token and timestamp."""
    event = copy.deepcopy(event)
    event["webhookEventId"] = uuid.uuid4().hex.upper()[:26]
    if "replyToken" in event:
        event["replyToken"] = f"rt{next(_counter)}-{uuid.uuid4().hex[:8]}"
    event["timestamp"] = int(time.time() * 1000)
    return event


def fresh_slack(envelope: dict[str, Any], **event: Any) -> dict[str, Any]:
    """A Slack event callback with a new event id and time; `event` overrides its fields."""
    envelope = copy.deepcopy(envelope)
    envelope["event_id"] = f"Ev{next(_counter):06d}{uuid.uuid4().hex[:6].upper()}"
    envelope["event_time"] = int(time.time())
    envelope["event"].update(event)
    return envelope


async def post(
    address: tuple[str, int], path: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST to the real server over its socket."""
    host, port = address
    async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=30) as client:
        return await client.post(path, content=body, headers=headers)


async def settle(count: Callable[[], int], *, quiet: float = 0.6, timeout: float = 20.0) -> int:
    """Wait until `count()` stops changing for `quiet` seconds (the workers are done)."""
    last, since = -1, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
        await asyncio.sleep(0.05)
    raise AssertionError("the workers never went quiet")
