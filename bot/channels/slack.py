"""Slack: Block Kit replies out through slack_sdk (the webhooks are `slack_events`)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text
from bot.channels.markup import slack_text
from bot.channels.notices import Notice
from bot.channels.payloads import (
    SlackMessageEvent,
    ValidationError,
)
from bot.channels.registry import Registration
from bot.settings import SlackCredentials
from storage.attachments import Refused
from workflows import Incoming, Outgoing

NAME = "slack"
SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
BUTTONS_PER_ACTIONS = 25
FILES_HOST = "files.slack.com"  # where url_private_download points
log = logging.getLogger("madoguchi.slack")


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
        # Set by the parts (bot.staff.slack_staff.StaffPostLog): keeps the ts of each
        # staff-channel post, and finds it again for an update (chat.update).
        self.staff_posts: Any = None

    def client(self, platform: str) -> AsyncWebClient:
        """The Web API client of a platform's bot."""
        credentials = self.credentials.get(platform)
        if credentials is None:
            raise Undeliverable(f"Slack is not configured for {platform}")
        return AsyncWebClient(token=credentials.bot_token, base_url=self.api_base)

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """Stored messages, mentions, App Home visits, commands and button presses.

        None for anything else, never an exception. Text is decoded from Slack's markup here.
        """
        try:
            stored = SlackMessageEvent.model_validate({"type": "message", **dict(event)})
        except (ValidationError, TypeError, ValueError):
            log.warning("Slack event for %s is malformed: nothing to answer", platform)
            return None
        if not stored.user or not stored.channel:
            return None
        kind = event.get("kind", "message")
        bot_user = event.get("bot_user") if isinstance(event.get("bot_user"), str) else None
        text = slack_text(stored.text or "", bot_user=bot_user)
        route: dict[str, Any] = {"channel": stored.channel}
        if kind == "home":
            route.update(notice=Notice.GREETING, once=True)
        elif kind == "mention":  # in a channel: a note in its thread, the greeting by DM
            route.update(
                notice=Notice.SHARED,
                thread_ts=stored.thread_ts or stored.ts,
                direct={"channel": stored.user},
            )
        elif kind in ("command", "shortcut") and not text:
            route = {"channel": stored.user, "notice": Notice.GREETING}
        elif kind == "command":
            route = {"channel": stored.user}  # the answer goes to the DM, not the channel
        elif stored.files:  # kept during an intake; else the comment is read, or "text only"
            route.update(notice=Notice.FILE, files=stored.files)
        elif not text:
            return None
        return Incoming(platform, NAME, stored.user, text), route

    async def fetch(self, platform: str, file: dict[str, Any], *, limit: int) -> bytes:
        """A shared file, from its private download link with the bot's token.

        Only Slack's file host (or the configured API host, for tests) is ever asked: the
        token is never sent anywhere else, whatever link an event carries.
        """
        credentials = self.credentials.get(platform)
        url = file.get("url")
        if credentials is None or not isinstance(url, str):
            raise Refused("gone")
        allowed = {FILES_HOST, urlsplit(self.api_base).netloc}
        parts = urlsplit(url)
        if parts.netloc not in allowed or parts.scheme not in ("https", "http"):
            raise Refused("gone")
        if parts.scheme == "http" and parts.netloc != urlsplit(self.api_base).netloc:
            raise Refused("gone")
        headers = {"Authorization": f"Bearer {credentials.bot_token}"}
        chunks: list[bytes] = []
        size = 0
        async with (
            httpx.AsyncClient(timeout=30, follow_redirects=False) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryLater(f"Slack file {response.status_code}")
            if response.status_code != 200:
                raise Refused("gone")
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise Refused("size")  # stop reading: never more than the limit in memory
                chunks.append(chunk)
        return b"".join(chunks)

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
            if payload.get("update") and self.staff_posts is not None:
                await self._update(client, delivery.platform, payload)
                return
            thread = (delivery.payload.get("route") or {}).get("thread_ts")
            for text, blocks in messages:
                posted = await client.chat_postMessage(
                    channel=channel, text=text, blocks=blocks, thread_ts=thread
                )
            if payload.get("staff_post") and self.staff_posts is not None:
                await self._remember(delivery.platform, payload["staff_post"], posted, channel)
        except SlackApiError as exc:
            status = exc.response.status_code
            if status == 429 or status >= 500:
                after = exc.response.headers.get("Retry-After") or exc.response.headers.get(
                    "retry-after"
                )
                raise RetryLater(f"Slack {status}", after=float(after) if after else None) from exc
            raise Undeliverable(f"Slack {status}: {exc.response.get('error')}") from exc

    async def _update(self, client: AsyncWebClient, platform: str, payload: dict[str, Any]) -> None:
        """Rewrite a staff-channel post in place; wait while it has not been posted yet."""
        where = await self.staff_posts.where(platform, payload["update"])
        if where is None:
            raise RetryLater("the post to update has not been delivered yet", after=5.0)
        channel, ts = where
        await client.chat_update(
            channel=channel, ts=ts, text=payload["text"], blocks=payload["blocks"]
        )

    async def _remember(self, platform: str, item: Any, posted: Any, channel: str) -> None:
        """Keep a staff-channel post's ts; a failure here must not post it twice."""
        try:
            await self.staff_posts.posted(
                platform, item, str(posted.get("channel") or channel), str(posted.get("ts") or "")
            )
        except Exception:
            log.exception("Slack staff post delivered but its ts was not kept: no updates")


def _inbound() -> Any:
    from bot.channels import slack_events  # it builds on this module: imported when mounted

    return slack_events


REGISTRATION = Registration(
    name=NAME,
    credentials=lambda configured: configured.slack,
    build=lambda settings, found: SlackChannel(found, api_base=settings.slack_api_base),
    router=lambda hub, channel, *, staff_action=None, **extras: _inbound().router(
        hub, channel, staff_action=staff_action
    ),
)
