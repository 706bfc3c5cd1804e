"""What every channel module provides, and how sending fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from workflows import Incoming


class RetryLater(Exception):
    """The platform asked us to wait (429) or failed transiently (5xx, network)."""

    def __init__(self, reason: str, *, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Undeliverable(Exception):
    """The platform refused the message for good (blocked, bad request)."""


@dataclass(frozen=True)
class Delivery:
    """One queued reply: its payload (text, choices, cards, route) and where it goes."""

    outbox_id: int
    platform: str
    user_key: str
    payload: dict[str, Any]
    attempt: int
    # The sender's clock when it took the message: reply-token freshness is judged by it.
    claimed_at: dt.datetime | None = None
    # Set when an earlier attempt called the reply API with this message's token and its
    # outcome is unknown (crash, timeout): that part must never be pushed as well.
    reply_token_used_at: dt.datetime | None = None
    # Records (True) or withdraws (False) a reply-token call, committed before it is made.
    record_reply_token: Callable[[bool], Awaitable[None]] | None = None
    # Later messages of the same turn, leased with this one to go out in the same call(s)
    # (channels with `batches = True`: LINE's reply call carries up to five messages).
    followers: tuple[dict[str, Any], ...] = ()
    follower_ids: tuple[int, ...] = ()

    @property
    def ids(self) -> tuple[int, ...]:
        """Every outbox row this delivery settles."""
        return (self.outbox_id, *self.follower_ids)


class Channel(Protocol):
    """A channel: turns stored events into `Incoming` and delivers replies."""

    name: str

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """The user message and the reply route in a stored event (None: nothing to answer)."""
        ...

    async def send(self, delivery: Delivery) -> None:
        """Deliver, or raise `RetryLater` / `Undeliverable`."""
        ...


def split_text(text: str, limit: int, *, measure: Any = len) -> list[str]:
    """Split at line ends (then anywhere) into pieces within `limit`, in order."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while measure(line) > limit:
            cut = limit
            while measure(line[:cut]) > limit:
                cut -= 1
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        if measure(current + line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()]


def utf16_units(text: str) -> int:
    """Length as LINE counts it."""
    return len(text.encode("utf-16-le")) // 2
