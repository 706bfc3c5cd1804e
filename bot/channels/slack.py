"""Slack through slack-bolt's FastAPI adapter: Events API and interactivity in, Block Kit out."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from fastapi import APIRouter, HTTPException, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text
from bot.channels.markup import slack_text
from bot.channels.notices import Notice
from bot.channels.payloads import (
    Malformed,
    SlackEnvelope,
    SlackInteraction,
    SlackMessageEvent,
    ValidationError,
    load_json,
)
from bot.channels.registry import Registration
from bot.hub import Hub
from bot.settings import SlackCredentials
from storage.attachments import Refused
from workflows import Incoming, Outgoing

NAME = "slack"
SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
BUTTONS_PER_ACTIONS = 25
SIGNATURE_MAX_AGE = 5 * 60  # Slack's own rule for replayed requests
FILES_HOST = "files.slack.com"  # where url_private_download points
EDGE = "madoguchi_edge"  # context key through which listeners report a storage failure
log = logging.getLogger("madoguchi.slack")
StaffAction = Callable[..., Awaitable[None]]
# Message subtypes whose text a person typed: a file with a comment, a thread reply also
# sent to the channel. Others are edits, deletions, joins and bots.
READ_SUBTYPES = frozenset({"file_share", "thread_broadcast"})


def _file(shared: dict[str, Any]) -> dict[str, Any]:
    """What the desk keeps of a shared file's description (its download link included)."""
    return {
        "id": shared.get("id") if isinstance(shared.get("id"), str) else None,
        "name": shared.get("name") if isinstance(shared.get("name"), str) else None,
        "size": shared.get("size") if isinstance(shared.get("size"), int) else None,
        "url": shared.get("url_private_download")
        if isinstance(shared.get("url_private_download"), str)
        else None,
    }


def _where(message: SlackMessageEvent) -> tuple[str | None, str | None]:
    return message.channel_type, message.channel


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

    staff_channel = hub.settings.channels_of(platform).staff_channel

    async def store(context: Any, body: dict[str, Any], kind: str, **fields: Any) -> None:
        await _store(
            hub,
            context,
            platform=platform,
            external_id=body["event_id"],  # required by SlackEnvelope before bolt runs
            payload={"kind": kind, "bot_user": context.get("bot_user_id"), **fields},
        )

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        try:
            message = SlackMessageEvent.model_validate(event)
        except ValidationError:
            log.warning("Slack message event %s: malformed, dropped", body.get("event_id"))
            return
        if message.bot_id or (message.subtype and message.subtype not in READ_SUBTYPES):
            return  # bots (our own posts included), edits, deletions, joins
        if message.channel_type not in (None, "im"):
            # In a channel the desk answers only when mentioned (`app_mention`).
            log.info("Slack message in %s %s: not addressed to the desk", *_where(message))
            return
        await store(
            context,
            body,
            "message",
            user=message.user,
            channel=message.channel,
            text=message.text or "",
            files=[_file(f) for f in message.files or [] if isinstance(f, dict)][:10],
        )

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        message = SlackMessageEvent.model_validate(event)
        if message.bot_id or message.subtype == "bot_message":
            return
        if staff_channel is not None and message.channel == staff_channel:
            log.info("Slack mention in the staff channel: staff actions only, not answered")
            return
        await store(
            context,
            body,
            "mention",
            user=message.user,
            channel=message.channel,
            ts=message.ts,
            thread_ts=message.thread_ts,
        )

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        opened = SlackMessageEvent.model_validate(event)
        if opened.tab != "messages":
            log.info("Slack App Home tab %r opened: no Home view is published", opened.tab)
            return
        await store(context, body, "home", user=opened.user, channel=opened.channel)

    @app.command(re.compile(".*"))
    async def on_command(ack: Any, body: dict[str, Any], context: Any) -> None:
        await ack()  # an empty 200: the answer comes by DM
        if not isinstance(body.get("user_id"), str) or not isinstance(body.get("trigger_id"), str):
            return
        await _store(
            hub,
            context,
            platform=platform,
            external_id=f"command:{body['trigger_id']}"[:255],
            payload={
                "kind": "command",
                "user": body["user_id"],
                "channel": body["user_id"],
                "text": str(body.get("text") or "")[:4000],
            },
        )

    @app.shortcut(re.compile(".*"))
    async def on_shortcut(ack: Any, body: dict[str, Any], context: Any) -> None:
        await ack()
        press = SlackInteraction.model_validate(body)
        if press.trigger_id is None or press.user is None:
            return
        await _store(
            hub,
            context,
            platform=platform,
            external_id=f"shortcut:{press.trigger_id}",
            payload={"kind": "shortcut", "user": press.user.id, "channel": press.user.id},
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
        log.warning(
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


REGISTRATION = Registration(
    name=NAME,
    credentials=lambda configured: configured.slack,
    build=lambda settings, found: SlackChannel(found, api_base=settings.slack_api_base),
    router=lambda hub, channel, *, staff_action=None, **extras: router(
        hub, channel, staff_action=staff_action
    ),
)
