"""`madoguchi serve`: one FastAPI app for every channel, with the inbox and outbox workers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from bot.channels import line, slack, telegram, web
from bot.channels.base import Channel
from bot.hub import Hub
from bot.inbox import Inbox
from bot.limits import BodyLimit
from bot.outbox import Sender
from bot.security import SecurityHeaders
from bot.settings import Settings
from bot.staff.console import Console
from bot.staff.console import router as staff_router
from bot.staff.slack_staff import Announcer, on_staff_action
from bot.wiring import build_engine, build_knowledge, register_platforms
from knowledge import KnowledgeBase
from storage.models import InboundEvent, PlatformRow
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


# Request heads larger than this are refused: uvicorn's default parser (httptools) buffers
# headers without limit (200 MB of headers grew the process by 213 MB), h11 stops here.
MAX_REQUEST_HEAD = 64 * 1024
MAX_CONNECTIONS = 1000  # beyond this uvicorn answers 503 instead of taking more memory


def server_config(app: FastAPI, *, host: str, port: int, **options: Any) -> Any:
    """The uvicorn configuration `madoguchi serve` runs with (bounded heads and connections)."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="h11",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        limit_concurrency=MAX_CONNECTIONS,
        **options,
    )


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
    )

    def after_turn() -> None:
        sender.wake()
        announcer.wake()

    inbox = Inbox(store=store, desk=desk, channels=channels, settings=settings, on_turn=after_turn)
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

    # No interactive API docs: they load scripts from a CDN, which the pages' CSP forbids.
    app = FastAPI(
        title="Madoguchi",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,  # its redirect echoes the Host header; a trailing slash is a 404
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)  # outermost: refuses oversized bodies before anything reads
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

    @app.api_route("/healthz", methods=["GET", "HEAD"])  # uptime monitors often use HEAD
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.api_route("/readyz", methods=["GET", "HEAD"])
    async def readyz() -> Any:
        report = await readiness(settings=settings, store=store, knowledge=knowledge)
        return JSONResponse(report, status_code=200 if report["ready"] else 503)

    return app


# --- readiness ---------------------------------------------------------------------------

READY_TIMEOUT = 5.0  # seconds per check: a check that hangs has failed


def free_disk_bytes(path: Path) -> int:
    """Free bytes on the file system holding `path` (tests replace this function)."""
    path = path.resolve()
    while not path.exists() and path != path.parent:  # not created yet: its parent's disk
        path = path.parent
    return shutil.disk_usage(path).free


class _Rollback(Exception):
    """Ends the write probe's transaction without committing it."""


def _probe_write(store: SqlStore) -> None:
    """Raise unless the database takes a write (made in a transaction that is rolled back)."""
    with contextlib.suppress(_Rollback), store.begin() as tx:
        if store.engine.dialect.name == "postgresql":
            tx.session.execute(text("SET LOCAL lock_timeout = '2s'"))
        tx.session.execute(update(PlatformRow).values(name_en=PlatformRow.name_en))
        raise _Rollback


def _inbox(store: SqlStore) -> dict[str, Any]:
    """Events waiting, how long the longest-due one has been due, how many are quarantined.

    An event held back on purpose (a user over the rate limit, a retry's backoff) is not
    due yet and does not count as stuck: one user's flood must not make the server unready.
    """
    now = datetime.now(UTC)
    pending = (col(InboundEvent.status) == "pending") & col(InboundEvent.processed_at).is_(None)
    with Session(store.engine) as session:
        waiting = session.execute(select(func.count()).where(pending)).scalar_one()
        due, since = session.execute(
            select(func.count(), func.min(InboundEvent.next_attempt_at)).where(
                pending, col(InboundEvent.next_attempt_at) <= now
            )
        ).one()
        failed = session.execute(
            select(func.count()).where(col(InboundEvent.status) == "failed")
        ).scalar_one()
    lag = None
    if since is not None:
        since = since if since.tzinfo else since.replace(tzinfo=UTC)  # SQLite: naive UTC
        lag = round((now - since).total_seconds(), 1)
    return {"pending": waiting, "due": due, "failed": failed, "oldest_due_seconds": lag}


async def readiness(
    *, settings: Settings, store: SqlStore, knowledge: KnowledgeBase
) -> dict[str, Any]:
    """Every check's verdict ("ok" or why not), the failing ones, and the figures behind them.

    Never raises; details of an error go to the log, not to this public answer.
    """
    details: dict[str, Any] = {}

    def disk() -> str:
        free_mb = free_disk_bytes(settings.data_dir) // 2**20
        details["disk_free_mb"] = free_mb
        if free_mb < settings.ready_min_free_mb:
            return f"low: {free_mb} MB free, {settings.ready_min_free_mb} MB needed"
        return "ok"

    def chunks() -> str:
        counts = {p: len(knowledge.index(p).lexical) for p in sorted(knowledge.platforms)}
        details["chunks"] = counts
        empty = [p for p, n in counts.items() if n == 0]
        if not counts:
            return "no platforms"
        return f"empty for {', '.join(empty)} (not ingested?)" if empty else "ok"

    def inbox() -> str:
        details["inbox"] = figures = _inbox(store)
        lag = figures["oldest_due_seconds"]
        if lag is not None and lag > settings.ready_inbox_age:
            return f"stuck: an event has waited {lag:.0f} s past its time"
        return "ok"

    def database() -> str:
        _probe_write(store)
        return "ok"

    def vector_store() -> str:
        knowledge.heartbeat()
        return "ok"

    checks: dict[str, str] = {}
    probes = {"database": database, "vector_store": vector_store, "disk": disk}
    probes.update(knowledge=chunks, inbox=inbox)
    for name, probe in probes.items():
        try:
            checks[name] = await asyncio.wait_for(asyncio.to_thread(probe), READY_TIMEOUT)
        except TimeoutError:
            checks[name] = f"no answer in {READY_TIMEOUT:.0f} s"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            log.warning("readiness check %s failed: %r", name, exc)
            checks[name] = f"failed: {type(exc).__name__}"
    failing = [name for name, verdict in checks.items() if verdict != "ok"]
    return {"ready": not failing, "failing": failing, **checks, "details": details}
