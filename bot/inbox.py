"""Processes stored webhook events after they were acknowledged, in any number of workers.

One event never stops the others. An event no channel can read (a Telegram update
without a chat, a LINE text that is not a string, a channel that is not enabled) is
quarantined at once: reading it again gives the same answer. An event whose turn fails
(the desk could not even record its apology, e.g. the database is down or refuses the
text) is retried with capped exponential backoff and quarantined after
`inbox_max_attempts`. Quarantined events ("failed") keep their last error and wait for
`madoguchi inbox retry`.

Order holds per conversation (channel, platform, user), across processes: a worker leases
only the oldest pending event of a conversation (`storage.claims`), so a later event waits
while an earlier one is running, in backoff or held by the rate limit; other conversations
flow. A worker that dies leaves its leases to run out (`inbox_lease_seconds`); one that is
stopped finishes its turns and hands back what it holds.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from bot import metrics
from bot.channels.base import Channel
from bot.channels.notices import answer_notice
from bot.inbox_events import Parsed, Sender, Unreadable, hold, key_new_events, read_event, sender_of
from bot.settings import Settings
from bot.workers import Clock, RateWindow, backoff, keep_draining, utc_now
from storage import claims, inbound
from storage.models import InboundEvent
from storage.store import SqlStore
from storage.tracing import request_id
from workflows import Desk

__all__ = ["Inbox", "Parsed", "Sender", "Unreadable", "worker_id"]

log = logging.getLogger("madoguchi.inbox")

RETRY_CAP = 300.0  # seconds; a failing event is tried again at least every five minutes
KEY_ROUNDS = 5  # batches of new events keyed before each claim (the rest wait a round)


def worker_id() -> str:
    """Who holds a lease: host, process and a random tag (pids repeat across containers)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Inbox:
    """Turns stored events into desk turns, each in one transaction with its replies.

    Also the per-user rate limit of every channel: over `user_messages_per_minute` turns
    of one sender in 60 s, the sender's next events wait (not dropped, not counted as
    attempts) until the window has room, and the sender is told once per window to wait.
    The window is kept in memory, so it is per process and starts afresh on restart.
    """

    def __init__(
        self,
        *,
        store: SqlStore,
        desk: Desk,
        channels: Mapping[str, Channel],
        settings: Settings,
        on_turn: Callable[[], None] = lambda: None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.desk = desk
        self.channels = channels
        self.on_turn = on_turn
        self.clock = clock
        self.owner = worker_id()
        self.settings = settings
        self.lease = dt.timedelta(seconds=settings.inbox_lease_seconds)
        self.max_attempts = max(1, settings.inbox_max_attempts)
        self.base_delay = settings.inbox_base_delay
        self.rate = RateWindow(limit=settings.user_messages_per_minute)
        self.concurrency = max(1, settings.inbox_concurrency)
        self.stopping = False
        self._turns = ThreadPoolExecutor(self.concurrency, thread_name_prefix="turn")
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """New events are waiting."""
        self._wake.set()

    def read(self, event: InboundEvent) -> Parsed | None:
        """The message and reply route in a stored event (None: nothing to answer)."""
        return read_event(event, channels=self.channels, platforms=self.desk.platforms)

    def _claim(self, limit: int) -> list[InboundEvent]:
        """Key the new events, then lease up to `limit` heads of conversations."""
        for _ in range(KEY_ROUNDS):
            looked_at = key_new_events(
                self.store, channels=self.channels, platforms=self.desk.platforms
            )
            if looked_at < 200:
                break
        with self.store.begin() as tx:
            return claims.claim_heads(
                tx.session, now=self.clock(), owner=self.owner, lease=self.lease, limit=limit
            )

    def release(self) -> int:
        """Hand back every lease this inbox holds on unprocessed events; how many."""
        with self.store.begin() as tx:
            return claims.release_leases(tx.session, owner=self.owner)

    async def drain(self) -> int:
        """Process every due event; returns how many turns ran. Never stops at one event.

        Up to `concurrency` conversations are served at once, each turn on the inbox's own
        threads so acknowledgements never queue behind turns. After every finished turn the
        heads are claimed again, so a short message that arrives behind twenty long ones
        waits for a free slot, not for all twenty. Once `stopping`, nothing new is claimed
        and the turns under way are finished.
        """
        turns = 0
        running: set[asyncio.Task[int]] = set()
        while True:
            free = self.concurrency - len(running)
            if free > 0 and not self.stopping:
                for event in await asyncio.to_thread(self._claim, free):
                    running.add(asyncio.create_task(self._process(event)))
            if not running:
                return turns
            finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            turns += sum(task.result() for task in finished)

    async def _process(self, event: InboundEvent) -> int:
        """One leased event; 1 if a turn ran. Every outcome ends the lease."""
        event_id = event.id or 0
        request_id.set(event.request_id)  # this task's own context: its logs, its replies
        try:
            parsed = self.read(event)
        except Unreadable as exc:  # keyed as readable: the configuration changed since
            log.warning("event %s (%s) quarantined: %s", event_id, event.channel, exc)
            await asyncio.to_thread(self._write, inbound.quarantine_inbound, event_id, str(exc))
            return 0
        if parsed is None:
            await asyncio.to_thread(self._write, inbound.claim_inbound, event_id)
            return 0
        incoming, route = parsed
        sender = sender_of(incoming)
        now = self.clock()
        free_at = self.rate.free_at(sender, now)
        if free_at is not None:
            notice = self.rate.first_refusal(sender, now)
            await asyncio.to_thread(
                hold, self.store, event_id=event_id, parsed=parsed, until=free_at, notice=notice
            )
            if notice:
                self.on_turn()
            return 0
        self.rate.record(sender, now)
        self.rate.forget_idle(now)
        if route.get("notice"):  # a channel's greeting, note or file (bot/channels/notices.py)
            try:
                answered = await answer_notice(
                    store=self.store,
                    channels=self.channels,
                    settings=self.settings,
                    event_id=event_id,
                    incoming=incoming,
                    route=route,
                    platforms=self.desk.platforms,
                )
            except Exception as exc:  # a file's download failed: tried again later
                await self._failed(event, exc)
                return 0
            if answered:
                self.on_turn()
                return 0
        started = time.perf_counter()
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._turns,
                functools.partial(
                    contextvars.copy_context().run,  # the request id reaches the turn's logs
                    self.desk.handle,
                    incoming,
                    event_id=event_id,
                    route=route,
                ),
            )
        except Exception as exc:
            await self._failed(event, exc)
            return 0
        elapsed = time.perf_counter() - started
        metrics.TURN_SECONDS.labels(incoming.channel).observe(elapsed)
        log.debug("event %s (%s) answered in %.0f ms", event_id, event.channel, elapsed * 1000)
        if event.received_at is not None:
            metrics.observe_reply_lag(incoming.channel, event.received_at)
        self.on_turn()
        return 1

    def _write(self, action: Callable[..., object], event_id: int, error: str = "") -> None:
        with self.store.begin() as tx:
            if error:
                action(tx.session, event_id=event_id, error=error)
            else:
                action(tx.session, event_id=event_id)

    async def _failed(self, event: InboundEvent, exc: Exception) -> None:
        """Retry later with backoff, or quarantine after the last attempt."""
        event_id = event.id or 0
        attempt = event.attempts + 1
        error = f"{type(exc).__name__}: {exc}"
        metrics.TURN_FAILURES.labels(event.channel).inc()
        if attempt >= self.max_attempts:
            log.error("event %s quarantined after %s attempts: %s", event_id, attempt, error)
            await asyncio.to_thread(self._write, inbound.quarantine_inbound, event_id, error)
            return
        at = self.clock() + backoff(attempt, base=self.base_delay, cap=RETRY_CAP)
        log.warning(
            "event %s failed (attempt %s of %s), retried at %s: %s",
            event_id,
            attempt,
            self.max_attempts,
            at.isoformat(timespec="seconds"),
            error,
        )

        def retry() -> None:
            with self.store.begin() as tx:
                inbound.retry_inbound_at(tx.session, event_id=event_id, at=at, error=error)

        await asyncio.to_thread(retry)

    async def run(self, *, interval: float = 2.0) -> None:
        """Drain now, then whenever woken (or every `interval` seconds) until stopped.

        On the way out every lease still held is handed back (none is left to run out).
        """
        try:
            await keep_draining(
                self.drain, self._wake, interval=interval, log=log, stopped=lambda: self.stopping
            )
        finally:
            released = await asyncio.to_thread(self.release)
            if released:
                log.info("handed back %s inbox lease(s)", released)

    def stop(self) -> None:
        """Claim nothing more; `run` returns once the turns under way are finished."""
        self.stopping = True
        self._wake.set()
