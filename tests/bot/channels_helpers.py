"""Factories for realistic, really signed platform requests, and polling waits."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

LINE_SECRET = "line-channel-secret-for-tests"
LINE_TOKEN = "line-access-token"


def make_line_event(
    text: str = "参加の階層は変更できますか",
    *,
    user: str = "U4af4980629",
    event_id: str | None = None,
    mode: str = "active",
    kind: str = "message",
    age_seconds: float = 0,
    redelivery: bool = False,
) -> dict[str, Any]:
    """A LINE webhook event as the platform sends it."""
    event: dict[str, Any] = {
        "type": kind,
        "mode": mode,
        "timestamp": int((time.time() - age_seconds) * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": event_id or uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": uuid.uuid4().hex,
    }
    if kind == "message":
        event["message"] = {"id": "1", "type": "text", "quoteToken": "q", "text": text}
    elif kind == "postback":
        event["postback"] = {"data": text}
    return event


def line_body(*events: dict[str, Any]) -> bytes:
    return json.dumps(
        {"destination": "Uxxxxxxxx", "events": list(events)}, ensure_ascii=False
    ).encode()


def line_signature(body: bytes, secret: str = LINE_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


async def wait_for(check: Callable[[], Awaitable[bool] | bool], *, timeout: float = 10.0) -> None:
    """Poll until `check` is true (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")
