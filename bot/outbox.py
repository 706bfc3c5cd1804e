"""Delivers queued replies: retries with exponential backoff and jitter, honours Retry-After,
dead-letters after the last attempt. Safe with several workers on PostgreSQL (SKIP LOCKED)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Mapping

from bot.channels.base import Channel, Delivery, RetryLater, Undeliverable
from bot.workers import keep_draining
from storage import messaging
from storage.models import utcnow
from storage.store import SqlStore

log = logging.getLogger("madoguchi.outbox")


class Sender:
    """One outbox worker."""

    def __init__(
        self,
        *,
        store: SqlStore,
        channels: Mapping[str, Channel],
        max_attempts: int = 6,
        base_delay: float = 1.0,
        max_delay: float = 600.0,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.channels = channels
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.rng = rng or random.Random()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Messages were queued."""
        self._wake.set()

    def backoff(self, attempt: int) -> float:
        """Seconds before attempt `attempt + 1`: exponential, with ±50 % jitter."""
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return delay * (0.5 + self.rng.random())

    def _claim(self) -> list[Delivery]:
        with self.store.begin() as tx:
            return [
                Delivery(
                    outbox_id=row.id or 0,
                    platform=row.platform_id,
                    user_key=row.user_key,
                    payload={**row.payload, "_channel": row.channel},
                    attempt=row.attempts,
                )
                for row in messaging.claim_outbox(tx.session)
            ]

    def _settle(self, delivery: Delivery, error: Exception | None) -> None:
        with self.store.begin() as tx:
            if error is None:
                messaging.mark_sent(tx.session, outbox_id=delivery.outbox_id)
                return
            reason = f"{type(error).__name__}: {error}"
            if isinstance(error, Undeliverable) or delivery.attempt >= self.max_attempts:
                log.error(
                    "outbox %s dead after %s attempt(s): %s",
                    delivery.outbox_id,
                    delivery.attempt,
                    reason,
                )
                messaging.mark_dead(tx.session, outbox_id=delivery.outbox_id, error=reason)
                return
            after = error.after if isinstance(error, RetryLater) and error.after else None
            delay = after if after is not None else self.backoff(delivery.attempt)
            at = utcnow() + dt.timedelta(seconds=delay)
            log.warning(
                "outbox %s attempt %s failed (%s); next in %.1f s",
                delivery.outbox_id,
                delivery.attempt,
                reason,
                delay,
            )
            messaging.mark_retry(tx.session, outbox_id=delivery.outbox_id, at=at, error=reason)

    async def drain(self) -> int:
        """Send everything due now; returns how many attempts were made."""
        attempts = 0
        while True:
            deliveries = await asyncio.to_thread(self._claim)
            if not deliveries:
                return attempts
            for delivery in deliveries:
                channel = self.channels.get(delivery.payload["_channel"])
                error: Exception | None = None
                try:
                    if channel is None:
                        raise Undeliverable(
                            f"channel {delivery.payload['_channel']} is not enabled"
                        )
                    await channel.send(delivery)
                except (RetryLater, Undeliverable) as exc:
                    error = exc
                except Exception as exc:  # network errors and the like: try again later
                    error = RetryLater(str(exc))
                await asyncio.to_thread(self._settle, delivery, error)
                attempts += 1

    async def run(self, *, interval: float = 1.0) -> None:
        """Send now, then whenever woken (or every `interval` seconds)."""
        await keep_draining(self.drain, self._wake, interval=interval, log=log)
