"""LINE webhooks: signed requests in, the events the desk answers stored (line-bot-sdk v3 shapes).

In a group or room only a message that mentions the desk (or its joining) is stored; every
other event kind is acknowledged and logged at WARNING.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from fastapi import APIRouter, HTTPException, Request

from bot.channels.line import NAME
from bot.channels.payloads import LineBody, LineEvent, Malformed, ValidationError, load_json
from bot.hub import Hub

HANDLED = frozenset({"message", "postback", "follow", "join"})
log = logging.getLogger("madoguchi.line")


def _addressed(event: LineEvent) -> bool:
    """In a group or room, only a message mentioning the desk (or a join) is for it."""
    if event.source is None or event.source.shared() is None or event.type == "join":
        return True
    if event.type != "message" or event.message is None:
        return False
    mentionees = (event.message.mention or {}).get("mentionees")
    return isinstance(mentionees, list) and any(
        isinstance(m, dict) and m.get("isSelf") is True for m in mentionees
    )


def router(hub: Hub) -> APIRouter:
    """POST /webhooks/line/{platform}.

    A body that is not a JSON object with a list of event objects is refused (400). Within a
    valid body, a message or postback event with fields of the wrong type is dropped with a
    warning and the others are stored: LINE batches several users' events in one request.
    """
    routes = APIRouter()

    @routes.post("/webhooks/line/{platform}")
    async def webhook(platform: str, request: Request) -> dict[str, str]:
        credentials = hub.settings.channels_of(platform).line
        if credentials is None:
            raise HTTPException(404, "LINE is not enabled for this platform")
        body = await request.body()
        expected = base64.b64encode(
            hmac.new(credentials.channel_secret.encode(), body, hashlib.sha256).digest()
        )
        given = request.headers.get("x-line-signature", "").encode("utf-8", "replace")
        if not hmac.compare_digest(expected, given):
            log.warning("LINE webhook for %s: bad signature, refused", platform)
            raise HTTPException(401, "bad signature")
        try:
            events = LineBody.model_validate(load_json(body)).events
        except (Malformed, ValidationError) as exc:
            log.warning("LINE webhook for %s: malformed body, refused", platform)
            raise HTTPException(400, "malformed body") from exc
        for event in events:
            event_id = event.get("webhookEventId")
            if event.get("mode") == "standby":
                log.warning(
                    "LINE event %r for %s in standby mode: acknowledged, ignored",
                    event_id,
                    platform,
                )
                continue
            kind = event.get("type")
            if not isinstance(kind, str) or kind not in HANDLED:  # a list is unhashable
                log.warning(
                    "LINE event %r (%r) for %s: acknowledged, not handled",
                    event_id,
                    kind,
                    platform,
                )
                continue
            try:
                parsed = LineEvent.model_validate(event)
            except ValidationError as exc:
                log.warning(
                    "LINE event %r for %s is malformed, dropped: %s",
                    event_id,
                    platform,
                    exc.errors(include_input=False, include_url=False),
                )
                continue
            if not _addressed(parsed):
                log.info("LINE message %r in a group: not addressed to the desk", event_id)
                continue
            await hub.accept(
                channel=NAME, platform=platform, external_id=parsed.webhookEventId, payload=event
            )
        return {"status": "ok"}

    return routes
