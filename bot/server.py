"""`madoguchi serve`: one FastAPI app for every channel, with the background workers unless
MADOGUCHI_BACKGROUND_WORKERS=false (then `madoguchi worker` processes do that work)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from bot import metrics
from bot.background import Background
from bot.channels import registry
from bot.limits import BodyLimit
from bot.parts import Parts, build_channels, build_parts
from bot.readiness import free_disk_bytes, readiness
from bot.security import SecurityHeaders
from bot.settings import Settings
from bot.staff.console import Console
from bot.staff.console import router as staff_router
from bot.staff.mail import Mailer
from bot.staff.slack_staff import on_staff_action
from bot.telemetry import Telemetry
from knowledge import KnowledgeBase
from storage.store import SqlStore

__all__ = [
    "MAX_REQUEST_HEAD",
    "Parts",
    "build_channels",
    "create_app",
    "free_disk_bytes",
    "server_config",
]

# Request heads larger than this are refused: uvicorn's default parser (httptools) buffers
# headers without limit (200 MB of headers grew the process by 213 MB), h11 stops here.
MAX_REQUEST_HEAD = 64 * 1024
MAX_CONNECTIONS = 1000  # beyond this uvicorn answers 503 instead of taking more memory
# On SIGTERM uvicorn stops accepting and lets requests under way finish, this long at most.
GRACEFUL_SHUTDOWN = 30


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
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        **options,
    )


def create_app(
    settings: Settings, *, knowledge: KnowledgeBase | None = None, store: SqlStore | None = None
) -> FastAPI:
    """The app; background workers start with it unless `settings.background_workers` is off."""
    parts = build_parts(settings, knowledge=knowledge, store=store)
    hub, sender, knowledge, store = parts.hub, parts.sender, parts.knowledge, parts.store
    metrics.watch_queues(store)
    background = Background(parts, settings, scheduled=False)  # scheduled jobs: workers, cron

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await registry.start_channels(parts.channels)  # e.g. Telegram's command list
        if settings.background_workers:
            await background.start()
        yield
        await background.stop()

    # No interactive API docs: they load scripts from a CDN, which the pages' CSP forbids.
    app = FastAPI(
        title="Madoguchi",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,  # its redirect echoes the Host header; a trailing slash is a 404
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Telemetry)
    app.add_middleware(BodyLimit)  # outermost: refuses oversized bodies before anything reads
    app.state.parts = parts

    def staff_acted() -> None:
        sender.wake()
        parts.announcer.wake()  # the Slack staff post follows the change

    console = Console(
        store=store,
        platforms=knowledge.platforms,
        secret=settings.session_secret,
        on_send=staff_acted,
        mailer=Mailer.from_settings(settings),
        data_dir=settings.data_dir,
    )
    app.include_router(staff_router(console))
    staff_action = functools.partial(
        on_staff_action, store=store, triage=console.triage, on_change=parts.announcer.wake
    )
    for routes in registry.routers(hub, parts.channels, staff_action=staff_action):
        app.include_router(routes)  # every enabled channel's webhooks (bot/channels/registry.py)

    @app.api_route("/healthz", methods=["GET", "HEAD"])  # uptime monitors often use HEAD
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.api_route("/readyz", methods=["GET", "HEAD"])
    async def readyz() -> Any:
        report = await readiness(settings=settings, store=store, knowledge=knowledge)
        return JSONResponse(report, status_code=200 if report["ready"] else 503)

    @app.get("/metrics")
    async def prometheus() -> Response:
        import asyncio

        body = await asyncio.to_thread(metrics.render)  # the queue gauges read the database
        return Response(body, media_type=metrics.CONTENT_TYPE_LATEST)

    return app
