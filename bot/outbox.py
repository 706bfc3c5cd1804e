"""Delivers queued replies through platform outages.

Each message is retried with exponential backoff (capped, with jitter) until it goes out,
the platform refuses it for good, or it has failed for the whole retry window. Per sender
(channel and platform: one bot token) a 429 `Retry-After` pauses every message, and a
circuit breaker stops calls after a run of transient failures, then probes with one message.
Several workers may share a PostgreSQL outbox (SKIP LOCKED); pauses and breakers are per
process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from bot import metrics
from bot.channels.base import Channel, Delivery, RetryLater, Undeliverable
from bot.workers import keep_draining
from storage import messaging
from storage.models import utcnow
from storage.store import SqlStore
from storage.tracing import request_id

log = logging.getLogger("madoguchi.outbox")

Clock = Callable[[], dt.datetime]
Key = tuple[str, str]  # (channel, platform)


@dataclass
class _Gate:
    failures: int = 0  # consecutive transient failures
    opened: int = 0  # times the breaker opened since the last success: the cooldown grows
    until: dt.datetime | None = None  # nothing is attempted before this


class Gates:
    """A pause (on `Retry-After`) and a circuit breaker for each sender.

    The breaker opens after `threshold` consecutive transient failures, for a cooldown that
    doubles from `base_delay` up to `max_delay`; then it is half-open: the next message is a
    probe, its success closes the breaker and a transient failure opens it again.
    """

    def __init__(self, *, threshold: int, base_delay: float, max_delay: float) -> None:
        self.threshold = threshold
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._gates: dict[Key, _Gate] = {}

    def held_until(self, key: Key, now: dt.datetime) -> dt.datetime | None:
        """When the sender may call again, if it must wait now."""
        gate = self._gates.get(key)
        if gate is None or gate.until is None or gate.until <= now:
            return None
        return gate.until

    def held(self, now: dt.datetime) -> list[Key]:
        """Senders that must wait now."""
        return [key for key in self._gates if self.held_until(key, now)]

    def succeeded(self, key: Key) -> None:
        """The platform answered (delivered or refused for good): close the breaker."""
        gate = self._gates.pop(key, None)
        if gate is not None and gate.opened:
            log.info("%s/%s: platform API answers again; sending resumes", *key)

    def failed(self, key: Key, now: dt.datetime) -> None:
        """A transient failure (5xx, network); opens the breaker after a run of them."""
        gate = self._gates.setdefault(key, _Gate())
        gate.failures += 1
        if gate.failures < self.threshold:
            return
        gate.opened += 1
        cooldown = min(self.max_delay, self.base_delay * 2 ** (gate.opened - 1))
        gate.until = max(gate.until or now, now + dt.timedelta(seconds=cooldown))
        log.warning(
            "%s/%s: %s failures in a row; no calls for %.1f s, then one probe",
            *key,
            gate.failures,
            cooldown,
        )

    def pause(self, key: Key, now: dt.datetime, seconds: float) -> dt.datetime:
        """The platform asked us to wait: nothing for this sender until then."""
        gate = self._gates.setdefault(key, _Gate())
        seconds = min(self.max_delay, max(self.base_delay, seconds))
        gate.until = max(gate.until or now, now + dt.timedelta(seconds=seconds))
        log.warning("%s/%s: rate limited; every message waits %.1f s", *key, seconds)
        return gate.until


class _Job(NamedTuple):
    delivery: Delivery
    key: Key
    retry_from: dt.datetime


class Sender:
    """One outbox worker; `clock` returns an aware UTC datetime (tests move it by hand)."""

    def __init__(
        self,
        *,
        store: SqlStore,
        channels: Mapping[str, Channel],
        base_delay: float = 1.0,
        max_delay: float = 600.0,
        retry_window: float = 6 * 3600.0,
        breaker_threshold: int = 5,
        clock: Clock = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.channels = channels
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.retry_window = dt.timedelta(seconds=retry_window)
        self.clock = clock
        self.rng = rng or random.Random()
        self.gates = Gates(threshold=breaker_threshold, base_delay=base_delay, max_delay=max_delay)
        self._wake = asyncio.Event()
        self.stopping = False  # set by `stop`: leased messages are handed back, none taken

    def wake(self) -> None:
        """Messages were queued."""
        self._wake.set()

    def backoff(self, attempt: int) -> float:
        """Seconds before attempt `attempt + 1`: exponential, capped, with ±50 % jitter."""
        delay = min(self.max_delay, self.base_delay * 2 ** min(attempt - 1, 40))
        return delay * (0.5 + self.rng.random())

    def _claim(self) -> list[_Job]:
        now = self.clock()
        with self.store.begin() as tx:
            rows = messaging.claim_outbox(tx.session, now=now, exclude=self.gates.held(now))
            jobs = []
            for row in rows:
                followers = []
                if getattr(self.channels.get(row.channel), "batches", False):
                    followers = messaging.claim_followers(tx.session, head=row, now=now)
                delivery = Delivery(
                    outbox_id=row.id or 0,
                    platform=row.platform_id,
                    user_key=row.user_key,
                    payload={**row.payload, "_channel": row.channel, "_request": row.request_id},
                    attempt=row.attempts,
                    claimed_at=now,
                    reply_token_used_at=row.reply_token_used_at,
                    record_reply_token=self._recorder(row.id or 0),
                    followers=tuple(f.payload for f in followers),
                    follower_ids=tuple(f.id or 0 for f in followers),
                )
                jobs.append(_Job(delivery, (row.channel, row.platform_id), row.retry_from))
            return jobs

    def _recorder(self, outbox_id: int) -> Callable[[bool], Awaitable[None]]:
        def record(used: bool) -> None:
            with self.store.begin() as tx:  # its own short transaction, committed at once
                at = self.clock() if used else None
                messaging.mark_reply_token(tx.session, outbox_id=outbox_id, at=at)

        async def recorder(used: bool) -> None:
            await asyncio.to_thread(record, used)

        return recorder

    def _release(self, job: _Job, until: dt.datetime) -> None:
        with self.store.begin() as tx:
            for outbox_id in job.delivery.ids:
                messaging.release_outbox(tx.session, outbox_id=outbox_id, at=until)

    def _settle(self, job: _Job, error: Exception | None, now: dt.datetime) -> None:
        delivery = job.delivery
        with self.store.begin() as tx:
            if error is None:
                for outbox_id in delivery.ids:  # a batch goes out (or fails) as one
                    messaging.mark_sent(tx.session, outbox_id=outbox_id, at=now)
                metrics.DELIVERIES.labels(job.key[0], "sent").inc()
                return
            reason = f"{type(error).__name__}: {error}"
            deadline = job.retry_from + self.retry_window
            if isinstance(error, Undeliverable) or now >= deadline:
                log.error(
                    "outbox %s dead after %s attempt(s): %s",
                    delivery.outbox_id,
                    delivery.attempt,
                    reason,
                )
                for outbox_id in delivery.ids:
                    messaging.mark_dead(tx.session, outbox_id=outbox_id, error=reason)
                metrics.DELIVERIES.labels(job.key[0], "dead").inc()
                return
            at = self.gates.held_until(job.key, now) or now + dt.timedelta(
                seconds=self.backoff(delivery.attempt)
            )
            at = min(at, deadline)  # one last attempt when the window closes
            log.warning(
                "outbox %s attempt %s failed (%s); next in %.1f s",
                delivery.outbox_id,
                delivery.attempt,
                reason,
                (at - now).total_seconds(),
            )
            for outbox_id in delivery.ids:
                messaging.mark_retry(tx.session, outbox_id=outbox_id, at=at, error=reason)
            metrics.DELIVERIES.labels(job.key[0], "retry").inc()

    async def _attempt(self, job: _Job) -> Exception | None:
        """Send once; the sender's gate learns from the outcome."""
        request_id.set(job.delivery.payload.get("_request"))  # the webhook's, for the logs
        channel_name = job.key[0]
        channel = self.channels.get(channel_name)
        error: Exception | None = None
        try:
            if channel is None:
                raise Undeliverable(f"channel {channel_name} is not enabled")
            await channel.send(job.delivery)
        except (RetryLater, Undeliverable) as exc:
            error = exc
        except Exception as exc:  # network errors and the like: try again later
            error = RetryLater(f"{type(exc).__name__}: {exc}")
        now = self.clock()
        if isinstance(error, RetryLater) and error.after is not None:
            self.gates.pause(job.key, now, error.after)
        elif isinstance(error, RetryLater):
            self.gates.failed(job.key, now)
        else:
            self.gates.succeeded(job.key)
        log.debug("outbox %s attempt %s: %r", job.delivery.outbox_id, job.delivery.attempt, error)
        return error

    async def drain(self) -> int:
        """Send everything due now; returns how many attempts were made."""
        attempts = 0
        while not self.stopping:
            jobs = await asyncio.to_thread(self._claim)
            if not jobs:
                return attempts
            for job in jobs:
                if self.stopping:  # handed back unattempted, for another worker to send now
                    await asyncio.to_thread(self._release, job, self.clock())
                    continue
                # A pause or open breaker that began during this batch holds the rest back.
                until = self.gates.held_until(job.key, self.clock())
                if until is not None:
                    await asyncio.to_thread(self._release, job, until)
                    continue
                error = await self._attempt(job)
                await asyncio.to_thread(self._settle, job, error, self.clock())
                attempts += 1
        return attempts

    async def run(self, *, interval: float = 1.0) -> None:
        """Send now, then whenever woken (or every `interval` seconds) until stopped."""
        await keep_draining(
            self.drain, self._wake, interval=interval, log=log, stopped=lambda: self.stopping
        )

    def stop(self) -> None:
        """Take nothing more; the message being sent finishes, the rest are handed back."""
        self.stopping = True
        self._wake.set()
