"""PostgreSQL LISTEN: new inbox events and outbox messages wake this process's workers at once.

The database's triggers (migration 0009) NOTIFY at commit; polling stays as the fallback
for a lost connection (the listener reconnects with backoff and wakes everyone after).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from sqlalchemy.engine import URL

__all__ = ["INBOX", "OUTBOX", "listen"]

log = logging.getLogger("madoguchi.listener")

INBOX = "madoguchi_inbox"
OUTBOX = "madoguchi_outbox"
MAX_BACKOFF = 30.0


def conninfo(url: URL) -> str:
    """A libpq URI for a SQLAlchemy PostgreSQL URL (its options, e.g. search_path, kept)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: URL, wakes: Mapping[str, Callable[[], None]]) -> None:
    """Call `wakes[channel]()` for each notification on `channel`, until cancelled."""
    import psycopg

    delay = 1.0
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(
                conninfo(url), autocommit=True
            ) as connection:
                for channel in wakes:
                    await connection.execute(f"LISTEN {channel}")
                log.info("listening for %s", ", ".join(wakes))
                delay = 1.0
                for wake in wakes.values():  # whatever arrived while nobody listened
                    wake()
                async for note in connection.notifies():
                    woken = wakes.get(note.channel)
                    if woken is not None:
                        woken()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the polling fallback covers the gap
            log.warning("LISTEN connection lost (%r); polling until it is back", exc)
            await asyncio.sleep(delay)
            delay = min(MAX_BACKOFF, delay * 2)
