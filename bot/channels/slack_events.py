"""Slack webhooks through slack-bolt's FastAPI adapter: Events API, commands, interactivity.

Which events the desk answers (`docs`: the README's shared-space policy): direct messages
(also with a file or as a thread broadcast), mentions outside the staff channel, the App
Home messages tab, slash commands, shortcuts and button presses. Anything else is
acknowledged and logged.
"""

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
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.payloads import (
    Malformed,
    SlackEnvelope,
    SlackInteraction,
    SlackMessageEvent,
    ValidationError,
    load_json,
)
from bot.channels.slack import NAME, SlackChannel
from bot.hub import Hub
from bot.settings import SlackCredentials

log = logging.getLogger("madoguchi.slack")
SIGNATURE_MAX_AGE = 5 * 60  # Slack's own rule for replayed requests
EDGE = "madoguchi_edge"  # context key through which listeners report a storage failure
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
