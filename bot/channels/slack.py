"""Slack through slack-bolt's FastAPI adapter: Events API and interactivity in, Block Kit out."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text
from bot.hub import Hub
from bot.settings import SlackCredentials
from workflows import Incoming, Outgoing

NAME = "slack"
SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
BUTTONS_PER_ACTIONS = 25
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
        """Stored messages and button presses."""
        if not event.get("user") or not event.get("channel") or not event.get("text"):
            return None
        incoming = Incoming(platform, NAME, event["user"], event["text"])
        return incoming, {"channel": event["channel"]}

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
    async def on_message(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return  # our own posts and edits
        await hub.accept(
            channel=NAME,
            platform=platform,
            external_id=body["event_id"],
            payload={
                "user": event.get("user"),
                "channel": event.get("channel"),
                "text": event.get("text", ""),
            },
        )

    @app.action(re.compile(r"^choice-\d+$"))
    async def on_choice(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await hub.accept(
            channel=NAME,
            platform=platform,
            external_id=f"action:{body['trigger_id']}",
            payload={
                "user": body["user"]["id"],
                "channel": (body.get("channel") or {}).get("id"),
                "text": action.get("value", ""),
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
        verifier = SignatureVerifier(channel.credentials[platform].signing_secret)
        if not verifier.is_valid_request(body, dict(request.headers)):
            log.warning("Slack webhook for %s: bad signature or stale timestamp, refused", platform)
            raise HTTPException(401, "bad signature")
        if not _parseable(body, request.headers.get("content-type", "")):
            log.warning("Slack webhook for %s: malformed body, refused", platform)
            raise HTTPException(400, "malformed body")
        return await handler.handle(request)  # bolt verifies again, then dispatches

    return routes


def _parseable(body: bytes, content_type: str) -> bool:
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            payload = parse_qs(body.decode()).get("payload")
            return payload is None or isinstance(json.loads(payload[0]), dict)
        return isinstance(json.loads(body), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
