"""The worker side of a process: inbox, outbox, staff announcer, scheduled jobs, wake-ups.

`madoguchi worker` runs all of it; `madoguchi serve` runs it beside the HTTP side unless
MADOGUCHI_BACKGROUND_WORKERS=false (then only the scheduled jobs are left to workers or cron).
Stopping is graceful: nothing new is claimed, turns under way finish, leased inbox events
and outbox messages not started are handed back at once, so no lease is left to run out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from bot.listener import INBOX, OUTBOX, listen
from bot.parts import Parts
from bot.scheduler import Scheduler
from bot.settings import Settings

__all__ = ["Background"]

log = logging.getLogger("madoguchi.worker")

GRACE = 30.0  # seconds a stopping worker waits for its turns before it lets go of them
WARM_UP_QUERY = "参加するにはどうすればよいですか"


def warm_up(parts: Parts) -> None:
    """Load the indexes, the embedding model and the intent model before the first turn.

    Without it the first turn after a (re)start took 3.6-5.6 s (the intent model's fit)
    while events piled up behind it.
    """
    started = time.perf_counter()
    for platform in parts.knowledge.platforms:
        try:
            parts.knowledge.search(WARM_UP_QUERY, platform=platform, k=1)
        except Exception as exc:  # noqa: BLE001 - not ingested yet: readiness reports it
            log.warning("warm-up of %s failed: %r", platform, exc)
    intents = getattr(parts.inbox.desk, "intents", None)
    if intents is not None:
        intents.ready()  # the intent model is fitted once per process: 2-5 s
    log.info("warmed up in %.1f s", time.perf_counter() - started)


class Background:
    """Starts and stops the background tasks of one process."""

    def __init__(self, parts: Parts, settings: Settings, *, scheduled: bool) -> None:
        self.parts = parts
        self.settings = settings
        self.scheduler: Scheduler | None = None
        if scheduled and settings.scheduled_jobs:
            announcer = parts.announcer
            self.scheduler = Scheduler(
                store=parts.store,
                settings=settings,
                owner=parts.inbox.owner,
                timezones={p.id: p.timezone for p in parts.knowledge.platforms.values()},
                staff_channels=dict(announcer.targets),
                on_queue=parts.sender.wake,
            )
        self._draining: list[asyncio.Task[None]] = []
        self._helpers: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start every task (the listener only on PostgreSQL), once the knowledge is warm."""
        parts = self.parts
        await asyncio.to_thread(warm_up, parts)
        self._draining = [
            asyncio.create_task(parts.inbox.run(), name="inbox"),
            asyncio.create_task(parts.sender.run(), name="outbox"),
        ]
        self._helpers = [asyncio.create_task(parts.announcer.run(), name="announcer")]
        if self.scheduler is not None:
            self._helpers.append(asyncio.create_task(self.scheduler.run(), name="scheduler"))
        engine = parts.store.engine
        if engine.dialect.name == "postgresql":
            wakes = {INBOX: parts.inbox.wake, OUTBOX: parts.sender.wake}
            self._helpers.append(asyncio.create_task(listen(engine.url, wakes), name="listener"))

    async def stop(self, *, grace: float = GRACE) -> None:
        """Finish or hand back: turns under way end (up to `grace` s), leases are released."""
        self.parts.inbox.stop()
        self.parts.sender.stop()
        if self.scheduler is not None:
            self.scheduler.stopping.set()
        if self._draining:
            done, late = await asyncio.wait(self._draining, timeout=grace)
            for task in late:
                log.warning("%s did not finish in %.0f s: stopped", task.get_name(), grace)
                task.cancel()
            for task in [*done, *late]:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for task in self._helpers:
            task.cancel()
        for task in self._helpers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._draining:  # a cancelled inbox may not have reached its own release
            released = await asyncio.to_thread(self.parts.inbox.release)
            if released:
                log.info("released %s inbox lease(s) on the way out", released)
        self._draining, self._helpers = [], []
