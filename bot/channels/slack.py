"""Slack through slack-bolt's FastAPI adapter: Events API and interactivity in, Block Kit out."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, HTTPException, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text
from bot.channels.payloads import (
    Malformed,
    SlackEnvelope,
    SlackInteraction,
    SlackMessageEvent,
    ValidationError,
    load_json,
)
from bot.hub import Hub
from bot.settings import SlackCredentials
from workflows import Incoming, Outgoing

NAME = "slack"
SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
BUTTONS_PER_ACTIONS = 25
SIGNATURE_MAX_AGE = 5 * 60  # Slack's own rule for replayed requests
EDGE = "madoguchi_edge"  # context key through which listeners report a storage failure
log = logging.getLogger("madoguchi.slack")
StaffAction = Callable[..., Awaitable[None]]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_messages(outgoing: Outgoing) -> list[tuple[str, list[dict[str, Any]]]]:
    """(fallback text, blocks) per message: sections of ≤3,000 characters, ≤50 blocks each."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "plain_text", "text": piece, "emoji": False}}
        for piece in split_text(outgoing.text, SECTION_LIMIT)
    ]
    for card in outgoing.cards:
        link = (
            f"<{card.url}|{_escape(card.title)}>"
            if card.url.startswith("http")
            else _escape(card.title)
        )
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": link}})
    choices = list(outgoing.choices)
    for start in range(0, len(choices), BUTTONS_PER_ACTIONS):
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": c.label[:75]},
                        "value": c.value,
                        "action_id": f"choice-{start + i}",
                    }
                    for i, c in enumerate(choices[start : start + BUTTONS_PER_ACTIONS])
                ],
            }
        )
    messages = []
    for start in range(0, len(blocks), BLOCKS_PER_MESSAGE):
        part = blocks[start : start + BLOCKS_PER_MESSAGE]
        fallback = "\n".join(b["text"]["text"] for b in part if b["type"] == "section")[
            :SECTION_LIMIT
        ]
        messages.append((fallback or outgoing.text[:SECTION_LIMIT], part))
    return messages


class SlackChannel:
    """A bot per platform (one workspace each)."""

    name = NAME

    def __init__(self, credentials: dict[str, SlackCredentials], *, api_base: str) -> None:
        self.credentials = credentials
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"

    def client(self, platform: str) -> AsyncWebClient:
        """The Web API client of a platform's bot."""
        credentials = self.credentials.get(platform)
        if credentials is None:
            raise Undeliverable(f"Slack is not configured for {platform}")
        return AsyncWebClient(token=credentials.bot_token, base_url=self.api_base)

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """Stored messages and button presses (None for anything else, never an exception)."""
        try:
            stored = SlackMessageEvent.model_validate({"type": "message", **dict(event)})
        except (ValidationError, TypeError, ValueError):
            log.warning("Slack event for %s is malformed: nothing to answer", platform)
            return None
        if not stored.user or not stored.channel or not stored.text:
            return None
        incoming = Incoming(platform, NAME, stored.user, stored.text)
        return incoming, {"channel": stored.channel}

    async def send(self, delivery: Delivery) -> None:
        """Post the blocks in order to the conversation's channel."""
        client = self.client(delivery.platform)
        channel = (delivery.payload.get("route") or {}).get("channel") or delivery.user_key
        payload = delivery.payload
        # Staff-channel posts carry their own blocks; replies to users are rendered here.
        messages = (
            [(payload["text"], payload["blocks"])]
            if "blocks" in payload
            else to_messages(Outgoing.from_payload(payload))
        )
        try:
            for text, blocks in messages:
                await client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except SlackApiError as exc:
            status = exc.response.status_code
            if status == 429 or status >= 500:
                after = exc.response.headers.get("Retry-After") or exc.response.headers.get(
                    "retry-after"
                )
                raise RetryLater(f"Slack {status}", after=float(after) if after else None) from exc
            raise Undeliverable(f"Slack {status}: {exc.response.get('error')}") from exc


async def _store(hub: Hub, context: Any, **event: Any) -> None:
    """Store an event; a storage failure is marked so the route can tell it from bad input."""
    try:
        await hub.accept(channel=NAME, **event)
    except Exception:
        context.get(EDGE, {})["storage_failed"] = True
        raise


def _bolt_app(
    hub: Hub,
    platform: str,
    credentials: SlackCredentials,
    api_base: str,
    staff_action: StaffAction | None,
) -> AsyncApp:
    app = AsyncApp(
        token=credentials.bot_token,
        signing_secret=credentials.signing_secret,
        client=AsyncWebClient(token=credentials.bot_token, base_url=api_base),
        # Run the listener (a durable insert) before acknowledging.
        process_before_response=True,
    )

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        try:
            message = SlackMessageEvent.model_validate(event)
        except ValidationError:
            log.warning("Slack message event %s: malformed, dropped", body.get("event_id"))
            return
        if message.bot_id or message.subtype:
            return  # our own posts and edits
        await _store(
            hub,
            context,
            platform=platform,
            external_id=body["event_id"],  # required by SlackEnvelope before bolt runs
            payload={"user": message.user, "channel": message.channel, "text": message.text or ""},
        )

    @app.action(re.compile(r"^choice-\d+$"))
    async def on_choice(
        ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any
    ) -> None:
        await ack()
        press = SlackInteraction.model_validate(body)  # checked before bolt ran
        if press.trigger_id is None or press.user is None:
            log.warning("Slack button press for %s without trigger or user: dropped", platform)
            return
        await _store(
            hub,
            context,
            platform=platform,
            external_id=f"action:{press.trigger_id}",
            payload={
                "user": press.user.id,
                "channel": press.channel.id if press.channel else None,
                "text": action.get("value") if isinstance(action.get("value"), str) else "",
            },
        )

    if staff_action is not None:

        @app.action(re.compile(r"^staff-(assign-me|status)$"))
        async def on_staff(
            ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
        ) -> None:
            await ack()
            await staff_action(body=body, action=action, respond=respond)

        @app.action("staff-open")
        async def on_open(ack: Any) -> None:
            await ack()  # a link button: Slack opens the URL itself

    @app.event(re.compile(".*"))
    async def other_events(body: dict[str, Any]) -> None:
        log.info(
            "Slack event %s (%s): acknowledged, not handled",
            body.get("event_id"),
            body.get("event", {}).get("type"),
        )

    return app


def signed(secret: str, body: bytes, headers: Mapping[str, str], *, now: float) -> bool:
    """Slack's v0 signature over the raw bytes, with a fresh timestamp (any garbage: False)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def check_shape(body: bytes, content_type: str) -> None:
    """Parse the body the way bolt will, and refuse (`Malformed`) what Slack never sends."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed("not UTF-8") from exc
    if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
        envelope = SlackEnvelope.model_validate(load_json(body))
        if not envelope.complete():
            raise Malformed("event callback without event_id or event")
    elif "payload" in text:
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        if payload is not None:
            SlackInteraction.model_validate(load_json(payload.encode()))
    # Anything else is a form of plain strings (a slash command, an SSL check).


def router(
    hub: Hub, channel: SlackChannel, *, staff_action: StaffAction | None = None
) -> APIRouter:
    """POST /webhooks/slack/{platform}: Events API and interactivity (users and staff)."""
    routes = APIRouter()
    handlers = {
        platform: AsyncSlackRequestHandler(
            _bolt_app(hub, platform, credentials, channel.api_base, staff_action)
        )
        for platform, credentials in channel.credentials.items()
    }

    @routes.post("/webhooks/slack/{platform}")
    async def webhook(platform: str, request: Request) -> Response:
        handler = handlers.get(platform)
        if handler is None:
            raise HTTPException(404, "Slack is not enabled for this platform")
        body = await request.body()
        secret = channel.credentials[platform].signing_secret
        if not signed(secret, body, request.headers, now=time.time()):
            log.warning("Slack webhook for %s: bad signature or stale timestamp, refused", platform)
            raise HTTPException(401, "bad signature")
        try:
            check_shape(body, request.headers.get("content-type", ""))
        except (Malformed, ValidationError) as exc:
            log.warning("Slack webhook for %s: malformed body, refused (%s)", platform, exc)
            raise HTTPException(400, "malformed body") from exc
        edge: dict[str, bool] = {}
        try:
            response = await handler.handle(request, addition_context_properties={EDGE: edge})
        except Exception as exc:  # bolt choked on a shape Slack never sends
            log.warning("Slack webhook for %s: bolt could not read the body (%r)", platform, exc)
            raise HTTPException(400, "malformed body") from exc
        if response.status_code >= 500 and not edge.get("storage_failed"):
            # Bolt answers 500 for any error; only a failed insert deserves Slack's retry.
            log.warning("Slack webhook for %s: bolt failed on the body, answered 400", platform)
            raise HTTPException(400, "malformed body")
        return response

    return routes
