"""`/readyz`: whether this process can do its work (database, vectors, disk, inbox age)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.models import InboundEvent, PlatformRow
from storage.store import SqlStore

__all__ = ["free_disk_bytes", "readiness"]

log = logging.getLogger("madoguchi.server")

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
