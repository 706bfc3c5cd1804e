"""Processes stored webhook events after they were acknowledged; picks up leftovers on start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from bot.channels.base import Channel
from bot.workers import keep_draining
from storage import messaging
from storage.store import SqlStore
from workflows import Desk

log = logging.getLogger("madoguchi.inbox")


class Inbox:
    """Turns stored events into desk turns, each in one transaction with its replies."""

    def __init__(
        self,
        *,
        store: SqlStore,
        desk: Desk,
        channels: Mapping[str, Channel],
        on_turn: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.desk = desk
        self.channels = channels
        self.on_turn = on_turn
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """New events are waiting."""
        self._wake.set()

    def _pending(self) -> list[tuple[int, str, str, dict[str, Any]]]:
        with self.store.begin() as tx:
            rows = messaging.unprocessed_inbound(tx.session)
            return [(r.id or 0, r.channel, r.platform_id, r.payload) for r in rows]

    def _skip(self, event_id: int) -> None:
        with self.store.begin() as tx:
            messaging.claim_inbound(tx.session, event_id=event_id)

    async def drain(self) -> int:
        """Process every stored, unprocessed event; returns how many turns ran."""
        done = 0
        while True:
            pending = await asyncio.to_thread(self._pending)
            if not pending:
                return done
            for event_id, channel_name, platform, payload in pending:
                channel = self.channels.get(channel_name)
                parsed = channel.incoming(platform, payload) if channel else None
                if parsed is None or parsed[0].platform not in self.desk.platforms:
                    log.warning(
                        "event %s (%s) has nothing to answer: marked processed",
                        event_id,
                        channel_name,
                    )
                    await asyncio.to_thread(self._skip, event_id)
                    continue
                incoming, route = parsed
                try:
                    await asyncio.to_thread(
                        self.desk.handle, incoming, event_id=event_id, route=route
                    )
                    done += 1
                    self.on_turn()
                except Exception:
                    log.exception(
                        "event %s failed; it stays in the inbox for the next round", event_id
                    )
                    return done

    async def run(self, *, interval: float = 2.0) -> None:
        """Drain now, then whenever woken (or every `interval` seconds)."""
        await keep_draining(self.drain, self._wake, interval=interval, log=log)
