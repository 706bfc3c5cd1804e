"""`madoguchi serve`: one FastAPI app for every channel, with the inbox and outbox workers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot.channels import line, slack, telegram, web
from bot.channels.base import Channel
from bot.hub import Hub
from bot.inbox import Inbox
from bot.outbox import Sender
from bot.settings import Settings
from bot.staff.console import Console
from bot.staff.console import router as staff_router
from bot.staff.slack_staff import Announcer, on_staff_action
from bot.wiring import build_engine, build_knowledge, register_platforms
from knowledge import KnowledgeBase
from storage.store import SqlStore
from workflows import Desk

log = logging.getLogger("madoguchi.server")


@dataclass
class Parts:
    """Everything the app runs, exposed for tests and the CLI."""

    hub: Hub
    inbox: Inbox
    sender: Sender
    knowledge: KnowledgeBase
    announcer: Announcer


def build_channels(settings: Settings, platforms: set[str]) -> dict[str, Channel]:
    """The enabled channels; each platform without credentials for one logs that once."""
    line_credentials, slack_credentials, telegram_credentials = {}, {}, {}
    for platform in sorted(platforms):
        configured = settings.channels_of(platform)
        if configured.line:
            line_credentials[platform] = configured.line
        if configured.slack:
            slack_credentials[platform] = configured.slack
        if configured.telegram:
            telegram_credentials[platform] = configured.telegram
        missing = [
            name for name in ("line", "slack", "telegram") if getattr(configured, name) is None
        ]
        if missing:
            log.warning("%s: %s disabled (no credentials configured)", platform, ", ".join(missing))
    channels: dict[str, Channel] = {web.NAME: web.WebChannel()}
    if line_credentials:
        channels[line.NAME] = line.LineChannel(line_credentials, api_base=settings.line_api_base)
    if slack_credentials:
        channels[slack.NAME] = slack.SlackChannel(
            slack_credentials, api_base=settings.slack_api_base
        )
    if telegram_credentials:
        channels[telegram.NAME] = telegram.TelegramChannel(
            telegram_credentials, api_base=settings.telegram_api_base
        )
    return channels


def create_app(
    settings: Settings, *, knowledge: KnowledgeBase | None = None, store: SqlStore | None = None
) -> FastAPI:
    """The app; background workers start with it unless `settings.background_workers` is off."""
    knowledge = knowledge or build_knowledge(settings)
    store = store or SqlStore(build_engine(settings))
    register_platforms(store, knowledge.platforms.values())
    desk = Desk(store=store, library=knowledge, platforms=knowledge.platforms)
    platforms = set(knowledge.platforms)
    channels = build_channels(settings, platforms)
    sender = Sender(
        store=store,
        channels=channels,
        max_delay=settings.outbox_max_delay,
        base_delay=settings.outbox_base_delay,
    )
    announcer = Announcer(
        store=store, settings=settings, platforms=sorted(platforms), on_queue=sender.wake
    )

    def after_turn() -> None:
        sender.wake()
        announcer.wake()

    inbox = Inbox(store=store, desk=desk, channels=channels, on_turn=after_turn)
    hub = Hub(settings=settings, store=store, platforms=platforms, wake_inbox=inbox.wake)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = []
        if settings.background_workers:
            tasks = [
                asyncio.create_task(inbox.run()),
                asyncio.create_task(sender.run()),
                asyncio.create_task(announcer.run()),
            ]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(title="Madoguchi", lifespan=lifespan)
    app.state.parts = Parts(
        hub=hub, inbox=inbox, sender=sender, knowledge=knowledge, announcer=announcer
    )
    app.include_router(line.router(hub))
    app.include_router(telegram.router(hub))
    console = Console(
        store=store,
        platforms=knowledge.platforms,
        secret=settings.session_secret,
        on_send=sender.wake,
    )
    app.include_router(staff_router(console))
    slack_channel = channels.get(slack.NAME)
    if isinstance(slack_channel, slack.SlackChannel):
        staff_action = functools.partial(on_staff_action, store=store, triage=console.triage)
        app.include_router(slack.router(hub, slack_channel, staff_action=staff_action))
    app.include_router(web.router(hub))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Any:
        checks: dict[str, str] = {}

        def database() -> None:
            with store.engine.connect() as connection:
                connection.execute(text("SELECT 1"))

        for name, probe in (("database", database), ("vector_store", knowledge.heartbeat)):
            try:
                await asyncio.to_thread(probe)
                checks[name] = "ok"
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                checks[name] = f"unreachable: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)

    return app
