"""What the HTTP routes share: settings, the store, and the inbox's wake-up call."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bot.limits import WebLimits
from bot.settings import Settings
from knowledge import Platform
from storage import inbound
from storage.store import SqlStore
from workflows.textsafety import clean_payload, clean_text

log = logging.getLogger("madoguchi.inbound")

ACK_THREADS = 4


@dataclass
class Hub:
    """Shared state of the server."""

    settings: Settings
    store: SqlStore
    platforms: set[str]
    wake_inbox: Callable[[], None] = field(default=lambda: None)
    # The platforms' profiles (names, reply promise): the web chat's welcome shows them.
    profiles: Mapping[str, Platform] = field(default_factory=dict)
    web_limits: WebLimits | None = None
    # Acknowledgements get threads of their own: on the shared default pool they queued
    # behind transcript polls and the workers' reads (web-chat ack p50 115 ms under load).
    _acks: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(ACK_THREADS, thread_name_prefix="ack")
    )

    def __post_init__(self) -> None:
        if self.web_limits is None:
            self.web_limits = WebLimits.from_settings(self.settings)

    async def accept(
        self, *, channel: str, platform: str, external_id: str, payload: dict[str, Any]
    ) -> bool:
        """Store an event durably (once per channel and external id); True if it is new.

        Text is sanitised here, once for every channel: NUL and other control characters go
        (PostgreSQL refuses NUL), lone surrogates become U+FFFD (no UTF-8 encoder takes them).
        """
        external_id = clean_text(external_id)
        payload = clean_payload(payload)

        def insert() -> int | None:
            with self.store.begin() as tx:
                return inbound.record_inbound(
                    tx.session,
                    channel=channel,
                    external_id=external_id,
                    platform_id=platform,
                    payload=payload,
                )

        # In the request's context: the event is stored with its request id (bot.logs).
        stored = await asyncio.get_running_loop().run_in_executor(
            self._acks, contextvars.copy_context().run, insert
        )
        if stored is None:
            log.warning(  # `serve` shows WARNING: the README says duplicates are logged
                "%s event %s for %s already stored: acknowledged again",
                channel,
                external_id,
                platform,
            )
            return False
        self.wake_inbox()
        return True
