"""The loop the background workers share: drain, then wait to be woken or for a while."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable


async def keep_draining(
    drain: Callable[[], Awaitable[int]],
    wake: asyncio.Event,
    *,
    interval: float,
    log: logging.Logger,
) -> None:
    """Run `drain` now and whenever `wake` is set (at least every `interval` seconds)."""
    while True:
        try:
            await drain()
        except Exception:
            log.exception("worker round failed")
        try:
            await asyncio.wait_for(wake.wait(), timeout=interval)
        except TimeoutError:
            pass
        wake.clear()
