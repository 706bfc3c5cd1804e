"""The parts a process runs (channels, inbox, outbox sender, staff announcer), built once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.channels import registry
from bot.channels.base import Channel
from bot.hub import Hub
from bot.inbox import Inbox
from bot.outbox import Sender
from bot.settings import Settings
from bot.staff.slack_staff import Announcer, StaffPostLog
from bot.wiring import build_engine, build_knowledge, register_platforms
from knowledge import KnowledgeBase
from storage.store import SqlStore
from workflows import Desk

__all__ = ["Parts", "build_channels", "build_parts"]

log = logging.getLogger("madoguchi.server")


@dataclass
class Parts:
    """Everything the app runs, exposed for tests and the CLI."""

    hub: Hub
    inbox: Inbox
    sender: Sender
    knowledge: KnowledgeBase
    announcer: Announcer
    store: SqlStore
    channels: dict[str, Channel]


def build_channels(settings: Settings, platforms: set[str]) -> dict[str, Channel]:
    """The enabled channels (`bot.channels.registry`)."""
    return registry.build_channels(settings, platforms)


def build_parts(
    settings: Settings, *, knowledge: KnowledgeBase | None = None, store: SqlStore | None = None
) -> Parts:
    """The desk over the database and knowledge base, and the queues' workers around it."""
    knowledge = knowledge or build_knowledge(settings)
    store = store or SqlStore(build_engine(settings))
    register_platforms(store, knowledge.platforms.values())
    desk = Desk(store=store, library=knowledge, platforms=knowledge.platforms)
    platforms = set(knowledge.platforms)
    channels = build_channels(settings, platforms)
    sender = Sender(
        store=store,
        channels=channels,
        base_delay=settings.outbox_base_delay,
        max_delay=settings.outbox_max_delay,
        retry_window=settings.outbox_retry_window,
    )
    announcer = Announcer(
        store=store,
        settings=settings,
        platforms=sorted(platforms),
        on_queue=sender.wake,
        timezones={p.id: p.timezone for p in knowledge.platforms.values()},
        themes={p.id: {t.id: t.label.ja for t in p.themes} for p in knowledge.platforms.values()},
    )
    if (slack_channel := channels.get("slack")) is not None:
        slack_channel.staff_posts = StaffPostLog(store)  # type: ignore[attr-defined]

    def after_turn() -> None:
        sender.wake()
        announcer.wake()

    inbox = Inbox(store=store, desk=desk, channels=channels, settings=settings, on_turn=after_turn)
    hub = Hub(
        settings=settings,
        store=store,
        platforms=platforms,
        wake_inbox=inbox.wake,
        profiles=knowledge.platforms,
    )
    return Parts(
        hub=hub,
        inbox=inbox,
        sender=sender,
        knowledge=knowledge,
        announcer=announcer,
        store=store,
        channels=channels,
    )
