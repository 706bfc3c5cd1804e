"""Replies a channel gives without a desk turn: greetings, the shared-space note, "text only".

A channel marks such an event by a `notice` in its reply route. The inbox then calls
`queue_notice`, which claims the event and queues the reply in one transaction, as a turn
does, but leaves the conversation's state alone: a greeting in the middle of an intake does
not become the organisation's name, and the intake goes on after it.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from bot.channels import files
from bot.settings import Settings
from knowledge import Platform
from storage import inbound, messaging, repository
from storage.models import Message
from storage.store import SqlStore
from workflows import Choice, Incoming, Outgoing, State
from workflows.texts import t

__all__ = ["MENU", "Notice", "answer_notice", "greeting", "queue_notice", "run_notice"]

MENU = {
    "propose": "menu.propose",
    "ask": "menu.ask",
    "status": "menu.status",
    "human": "menu.human",
}


class Notice(StrEnum):
    """What a channel asks to be said instead of a turn."""

    GREETING = "greeting"  # follow, /start, App Home opened: the platform's name and the menu
    SHARED = "shared"  # addressed in a group or channel: please talk one-to-one
    SHARED_GREETING = "shared_greeting"  # added to a group: who we are, and talk one-to-one
    TEXT_ONLY = "text_only"  # a sticker, location or voice message
    FILE = "file"  # a file or image: kept during an intake (bot/channels/files.py)


def greeting(platform: Platform, lang: str) -> Outgoing:
    """The welcome: the platform's name, what the desk does, and the menu as choices."""
    return Outgoing(
        text=t("channel.greeting", lang, platform=platform.name.get(lang)),
        choices=tuple(Choice(t(key, lang), value) for value, key in MENU.items()),
    )


def _shared(platform: Platform, channel: str) -> Outgoing:
    """One short note in both languages: nobody's language is known in a group."""
    key = "channel.shared.slack" if channel == "slack" else "channel.shared"
    return Outgoing(
        text="\n".join(t(key, lang, platform=platform.name.get(lang)) for lang in ("ja", "en"))
    )


def _has_messages(session: Session, conversation_id: int) -> bool:
    query = select(Message.id).where(col(Message.conversation_id) == conversation_id).limit(1)
    return session.exec(query).first() is not None


def queue_notice(
    session: Session,
    *,
    event_id: int,
    incoming: Incoming,
    route: dict[str, Any],
    platforms: Mapping[str, Platform],
) -> bool:
    """Claim the event and queue its notice; False if another worker claimed it first."""
    if not inbound.claim_inbound(session, event_id=event_id):
        return False
    platform = platforms[incoming.platform]
    notice = Notice(route["notice"])
    queued: list[tuple[Outgoing, dict[str, Any], int | None]] = []
    if notice in (Notice.SHARED, Notice.SHARED_GREETING):
        # The group's note has no conversation: nothing personal is kept about a group.
        # Added to a group or asked there: who we are, and please talk one-to-one. No menu:
        # the conversation is not held in the group.
        queued.append((_shared(platform, incoming.channel), route, None))
    if notice is not Notice.SHARED_GREETING and (
        notice is not Notice.SHARED or route.get("direct")
    ):
        conversation = repository.open_conversation(
            session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
            initial_state=State.IDLE.value,
        )
        if route.get("once") and _has_messages(session, conversation.id):
            return True  # App Home is opened often; only the first visit is greeted
        lang = route.get("lang") or conversation.language
        reply = (
            Outgoing(text=t("channel.text_only", lang))
            if notice is Notice.TEXT_ONLY
            else greeting(platform, lang)
        )
        repository.log_message(
            session,
            conversation_id=conversation.id,
            direction="out",
            text=reply.fallback_text(),
            payload=reply.to_payload(),
        )
        direct = route.get("direct") or route
        queued.append((reply, direct, conversation.id))
    for reply, reply_route, conversation_id in queued:
        clean = {k: v for k, v in reply_route.items() if k not in ("notice", "direct", "once")}
        messaging.enqueue(
            session,
            platform_id=incoming.platform,
            channel=incoming.channel,
            user_key=incoming.user_key,
            conversation_id=conversation_id,
            payload={**reply.to_payload(), "route": clean, "part": 0},
        )
    return True


def run_notice(
    store: SqlStore,
    *,
    event_id: int,
    incoming: Incoming,
    route: dict[str, Any],
    platforms: Mapping[str, Platform],
) -> bool:
    """`queue_notice` in a transaction of its own (what the inbox calls)."""
    with store.begin() as tx:
        return queue_notice(
            tx.session, event_id=event_id, incoming=incoming, route=route, platforms=platforms
        )


async def answer_notice(
    *,
    store: SqlStore,
    channels: Mapping[str, object],
    settings: Settings,
    event_id: int,
    incoming: Incoming,
    route: dict[str, Any],
    platforms: Mapping[str, Platform],
) -> bool:
    """Answer an event the channel marked with a notice (what the inbox calls).

    False when it is a message for the desk after all (a file's caption outside an intake).
    """
    if route.get("notice") == Notice.FILE:
        return await files.answer_file(
            store=store,
            channel=channels.get(incoming.channel),
            event_id=event_id,
            incoming=incoming,
            route=route,
            data_dir=settings.data_dir,
            limit=settings.attachment_max_bytes,
        )
    await asyncio.to_thread(
        functools.partial(
            run_notice,
            store,
            event_id=event_id,
            incoming=incoming,
            route=route,
            platforms=platforms,
        )
    )
    return True
