"""Reading stored inbox events: the message inside, its conversation, and the rate-limit hold."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping
from typing import Any

from bot.channels.base import Channel
from storage import claims, inbound, messaging, repository
from storage.models import InboundEvent
from storage.store import SqlStore
from workflows import Incoming, Outgoing, State
from workflows.texts import t
from workflows.understanding import detect_language

log = logging.getLogger("madoguchi.inbox")

Sender = tuple[str, str, str]  # channel, platform, user: one conversation
Parsed = tuple[Incoming, dict[str, Any]]
SHORT_TEXT = 280  # characters: a message longer than this is scheduled after short ones
KEY_BATCH = 200


class Unreadable(Exception):
    """The stored event cannot become a message; trying again would fail the same way."""


def read_event(
    event: InboundEvent, *, channels: Mapping[str, Channel], platforms: Collection[str]
) -> Parsed | None:
    """The message and reply route in a stored event (None: nothing to answer).

    Raises `Unreadable` for an event that can never be answered as it is.
    """
    channel = channels.get(event.channel)
    if channel is None:
        raise Unreadable(f"channel {event.channel!r} is not enabled")
    try:
        parsed = channel.incoming(event.platform_id, event.payload)
    except Exception as exc:
        raise Unreadable(f"{type(exc).__name__}: {exc}") from exc
    if parsed is None:
        return None
    incoming = parsed[0]
    for name in ("text", "user_key"):
        value = getattr(incoming, name)
        if not isinstance(value, str):
            raise Unreadable(f"{name} is {type(value).__name__}, not text")
    if incoming.platform not in platforms:
        raise Unreadable(f"unknown platform {incoming.platform!r}")
    return parsed


def sender_of(incoming: Incoming) -> Sender:
    """The conversation a message belongs to."""
    return (incoming.channel, incoming.platform, incoming.user_key)


def conversation_key(incoming: Incoming) -> str:
    """The conversation as one bounded string (the claim groups events by it)."""
    return "\x1f".join(sender_of(incoming))[:400]


def key_new_events(
    store: SqlStore, *, channels: Mapping[str, Channel], platforms: Collection[str]
) -> int:
    """Give new pending events their conversation key; set aside those with nothing to answer.

    An unreadable event is quarantined here, at once; one with nothing to answer (a LINE
    follow event, say) is marked done. Reading is parsing a small JSON payload: cheap
    enough for the transaction that holds the rows. Returns how many events were looked at.
    """
    with store.begin() as tx:
        rows = claims.unkeyed_events(tx.session, limit=KEY_BATCH)
        keys: list[tuple[int, str, int]] = []
        for row in rows:
            event_id = row.id or 0
            try:
                parsed = read_event(row, channels=channels, platforms=platforms)
            except Unreadable as exc:
                log.warning("event %s (%s) quarantined: %s", event_id, row.channel, exc)
                inbound.quarantine_inbound(tx.session, event_id=event_id, error=str(exc))
                continue
            if parsed is None:
                log.info("event %s (%s) has nothing to answer: marked done", event_id, row.channel)
                inbound.claim_inbound(tx.session, event_id=event_id)
                continue
            weight = 1 if len(parsed[0].text) > SHORT_TEXT else 0
            keys.append((event_id, conversation_key(parsed[0]), weight))
        claims.key_events(tx.session, keys=keys)
    return len(rows)


def hold(
    store: SqlStore, *, event_id: int, parsed: Parsed, until: dt.datetime, notice: bool
) -> None:
    """Defer a rate-limited event; with `notice`, queue the "please wait" reply too.

    The notice goes into the transcript (the web chat reads it there) and the outbox
    (the other channels deliver it), in the same transaction as the deferral.
    """
    incoming, route = parsed
    with store.begin() as tx:
        inbound.defer_inbound(tx.session, event_ids=[event_id], until=until)
        if not notice:
            return
        conversation = repository.open_conversation(
            tx.session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
            initial_state=State.IDLE.value,
        )
        lang = detect_language(incoming.text, current=conversation.language)
        reply = Outgoing(text=t("busy.wait", lang))
        repository.log_message(
            tx.session, conversation_id=conversation.id, direction="out", text=reply.text
        )
        messaging.enqueue(
            tx.session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
            conversation_id=conversation.id,
            payload={**reply.to_payload(), "route": route, "part": 0},
        )
    log.info("%s/%s is over the rate limit: told to wait", incoming.channel, incoming.platform)
