"""What the background workers share: the drain loop, retry backoff and a per-sender rate window."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable, Hashable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The real clock (aware, UTC); workers take a clock so tests can move time."""
    return dt.datetime.now(dt.UTC)


async def keep_draining(
    drain: Callable[[], Awaitable[int]],
    wake: asyncio.Event,
    *,
    interval: float,
    log: logging.Logger,
    stopped: Callable[[], bool] = lambda: False,
) -> None:
    """Run `drain` now and whenever `wake` is set (at least every `interval` seconds).

    Returns once `stopped()` is true after a round (set `wake` to end the wait at once).
    """
    while not stopped():
        try:
            await drain()
        except Exception:
            log.exception("worker round failed")
        if stopped():
            return
        try:
            await asyncio.wait_for(wake.wait(), timeout=interval)
        except TimeoutError:
            pass
        wake.clear()


def backoff(attempt: int, *, base: float, cap: float) -> dt.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, …).

    Doubles from `base` up to `cap`; the jitter (down to 75 %) keeps events that failed
    together, say while the database was down, from all coming back in the same instant.
    """
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return dt.timedelta(seconds=max(0.001, delay * random.uniform(0.75, 1.0)))


class RateWindow:
    """At most `limit` events per key in any sliding `seconds` window, remembered in memory.

    Per process: a restart starts every window afresh, and two server processes each
    allow `limit`. `limit` 0 or less switches the limit off.
    """

    def __init__(self, *, limit: int, seconds: float = 60.0) -> None:
        self.limit = limit
        self.span = dt.timedelta(seconds=seconds)
        self._seen: dict[Hashable, deque[dt.datetime]] = {}
        self._noticed: dict[Hashable, dt.datetime] = {}

    def _recent(self, key: Hashable, now: dt.datetime) -> deque[dt.datetime]:
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.span:
            times.popleft()
        return times

    def free_at(self, key: Hashable, now: dt.datetime) -> dt.datetime | None:
        """None when `key` may go now, else the moment its window has room again."""
        if self.limit <= 0:
            return None
        times = self._recent(key, now)
        if len(times) < self.limit:
            return None
        return times[len(times) - self.limit] + self.span

    def record(self, key: Hashable, now: dt.datetime) -> None:
        """`key` went at `now`."""
        if self.limit > 0:
            self._recent(key, now).append(now)

    def first_refusal(self, key: Hashable, now: dt.datetime) -> bool:
        """True once per window in which `key` is held back (say "please wait" only once)."""
        last = self._noticed.get(key)
        if last is not None and last > now - self.span:
            return False
        self._noticed[key] = now
        return True

    def forget_idle(self, now: dt.datetime) -> None:
        """Drop keys with nothing in their window, so memory follows the active senders only."""
        for key in [k for k in self._seen if not self._recent(k, now)]:
            del self._seen[key]
        for key in [k for k, at in self._noticed.items() if at <= now - self.span]:
            del self._noticed[key]
