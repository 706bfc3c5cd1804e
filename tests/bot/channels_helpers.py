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


TELEGRAM_TOKEN = "123456:telegram-test-token"
TELEGRAM_SECRET = "telegram-secret-token"
SLACK_SECRET = "slack-signing-secret"
SLACK_TOKEN = "xoxb-test-token"


def make_telegram_update(
    text: str = "参加の階層は変更できますか", *, update_id: int = 1000, chat: int = 42
) -> dict[str, Any]:
    """A Telegram Update with a text message."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Taro"},
            "from": {"id": chat, "is_bot": False, "first_name": "Taro"},
            "text": text,
        },
    }


def make_telegram_callback(data: str, *, update_id: int, chat: int = 42) -> dict[str, Any]:
    """A Telegram Update for an inline-keyboard press."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "chat_instance": "ci",
            "from": {"id": chat, "is_bot": False, "first_name": "Taro"},
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
            },
            "data": data,
        },
    }


def make_slack_event(
    text: str = "参加の階層は変更できますか",
    *,
    event_id: str = "Ev01",
    user: str = "U123",
    channel: str = "D456",
) -> dict[str, Any]:
    """A Slack Events API callback for a direct message."""
    return {
        "token": "legacy",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "channel": channel,
            "text": text,
            "ts": "1.1",
        },
    }


def slack_headers(
    body: bytes,
    *,
    secret: str = SLACK_SECRET,
    age: float = 0,
    content_type: str = "application/json",
) -> dict[str, str]:
    """Headers of a request signed as Slack signs (v0, HMAC-SHA256 over v0:timestamp:body)."""
    timestamp = str(int(time.time() - age))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }
