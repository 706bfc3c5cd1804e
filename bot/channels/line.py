"""LINE Messaging API (line-bot-sdk v3): signed webhooks in, replies or pushes out."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhook import SignatureValidator

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text, utf16_units
from bot.hub import Hub
from bot.settings import LineCredentials
from workflows import Incoming, Outgoing

NAME = "line"
TEXT_LIMIT = 5000  # UTF-16 units per text message
MESSAGES_PER_CALL = 5
QUICK_REPLY_ITEMS = 13
REPLY_TOKEN_SECONDS = 50  # the token lives a minute; leave room for the call itself
RETRY_KEYS = uuid.UUID("5f0c3c7e-8a51-4d0e-9a35-1f5b6c3e2d10")
log = logging.getLogger("madoguchi.line")


def to_messages(outgoing: Outgoing) -> list[TextMessage]:
    """Text messages within LINE's limits; choices as quick replies on the last one."""
    body = outgoing.text_with_cards()
    if outgoing.choices and len(outgoing.choices) > QUICK_REPLY_ITEMS:
        body = outgoing.fallback_text()
    texts = split_text(body, TEXT_LIMIT, measure=utf16_units)
    messages = [TextMessage(text=text) for text in texts]
    if outgoing.choices and len(outgoing.choices) <= QUICK_REPLY_ITEMS:
        messages[-1].quick_reply = QuickReply(
            items=[
                QuickReplyItem(
                    action=PostbackAction(label=c.label[:20], data=c.value, display_text=c.label)
                )
                for c in outgoing.choices
            ]
        )
    return messages


class LineChannel:
    """One LINE channel per platform, keyed by platform id."""

    name = NAME

    def __init__(self, credentials: dict[str, LineCredentials], *, api_base: str) -> None:
        self.credentials = credentials
        self.api_base = api_base.rstrip("/")
        self._apis: dict[str, AsyncMessagingApi] = {}

    def _api(self, platform: str) -> AsyncMessagingApi:
        """One client (and HTTP connection pool) per platform, reused for every message."""
        if platform not in self._apis:
            credentials = self.credentials.get(platform)
            if credentials is None:
                raise Undeliverable(f"LINE is not configured for {platform}")
            configuration = Configuration(host=self.api_base, access_token=credentials.access_token)
            self._apis[platform] = AsyncMessagingApi(AsyncApiClient(configuration))
        return self._apis[platform]

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """Text messages and postbacks; the route keeps the reply token and its time."""
        user = (event.get("source") or {}).get("userId")
        if event.get("type") == "message" and (event.get("message") or {}).get("type") == "text":
            text = event["message"]["text"]
        elif event.get("type") == "postback":
            text = (event.get("postback") or {}).get("data", "")
        else:
            return None
        if not user or not text:
            return None
        route = {"reply_token": event.get("replyToken"), "timestamp": event.get("timestamp")}
        return Incoming(platform=platform, channel=NAME, user_key=user, text=text), route

    async def send(self, delivery: Delivery) -> None:
        """Reply with the token while it is fresh (first part only), else push with a retry key."""
        api = self._api(delivery.platform)
        messages = to_messages(Outgoing.from_payload(delivery.payload))
        route = delivery.payload.get("route") or {}
        for start in range(0, len(messages), MESSAGES_PER_CALL):
            batch = messages[start : start + MESSAGES_PER_CALL]
            if start == 0 and self._reply_token_usable(delivery, route):
                try:
                    await api.reply_message(
                        ReplyMessageRequest(reply_token=route["reply_token"], messages=batch)
                    )
                    continue
                except ApiException as exc:
                    if exc.status != 400:  # 400: token expired or used; push instead
                        raise _failure(exc) from exc
            key = str(uuid.uuid5(RETRY_KEYS, f"{delivery.outbox_id}:{start}"))
            try:
                await api.push_message(
                    PushMessageRequest(to=delivery.user_key, messages=batch),
                    x_line_retry_key=key,
                )
            except ApiException as exc:
                if exc.status == 409:  # this retry key was accepted before: delivered
                    continue
                raise _failure(exc) from exc

    @staticmethod
    def _reply_token_usable(delivery: Delivery, route: dict[str, Any]) -> bool:
        timestamp = route.get("timestamp")
        return bool(
            route.get("reply_token")
            and delivery.payload.get("part", 0) == 0
            and delivery.attempt == 1
            and timestamp
            and time.time() - timestamp / 1000 < REPLY_TOKEN_SECONDS
        )


def _failure(exc: ApiException) -> Exception:
    headers = dict(exc.headers or {})
    if exc.status == 429 or (exc.status or 0) >= 500:
        after = headers.get("Retry-After") or headers.get("retry-after")
        return RetryLater(f"LINE {exc.status}", after=float(after) if after else None)
    return Undeliverable(f"LINE {exc.status}: {exc.body!r}")


def router(hub: Hub) -> APIRouter:
    """POST /webhooks/line/{platform}."""
    routes = APIRouter()

    @routes.post("/webhooks/line/{platform}")
    async def webhook(platform: str, request: Request) -> dict[str, str]:
        credentials = hub.settings.channels_of(platform).line
        if credentials is None:
            raise HTTPException(404, "LINE is not enabled for this platform")
        body = (await request.body()).decode("utf-8", errors="replace")
        signature = request.headers.get("x-line-signature", "")
        try:
            valid = SignatureValidator(credentials.channel_secret).validate(body, signature)
        except (InvalidSignatureError, ValueError):
            valid = False
        if not valid:
            log.warning("LINE webhook for %s: bad signature, refused", platform)
            raise HTTPException(401, "bad signature")
        try:
            events = json.loads(body)["events"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            log.warning("LINE webhook for %s: malformed body, refused", platform)
            raise HTTPException(400, "malformed body") from exc
        for event in events:
            event_id = event.get("webhookEventId")
            if event.get("mode") == "standby":
                log.info(
                    "LINE event %s for %s in standby mode: acknowledged, ignored",
                    event_id,
                    platform,
                )
                continue
            if event.get("type") not in ("message", "postback") or not event_id:
                log.info(
                    "LINE event %s (%s) for %s: acknowledged, not handled",
                    event_id,
                    event.get("type"),
                    platform,
                )
                continue
            await hub.accept(channel=NAME, platform=platform, external_id=event_id, payload=event)
        return {"status": "ok"}

    return routes
