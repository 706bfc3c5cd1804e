"""Limits at the HTTP edge: request bodies bounded before they are read, and web-chat rates.

`BodyLimit` is a pure ASGI middleware: a request whose Content-Length is over its route's limit
is refused with 413 before one byte of the body is read, and a chunked body is counted as it
streams in and cut off at the limit, so a 200 MB upload costs at most the limit in memory.

`SlidingWindow` counts hits per key over the last minute in this process's memory: with
several server processes each enforces its own window (the limit is per process).
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from bot.settings import Settings

__all__ = [
    "BODY_LIMITS",
    "DEFAULT_BODY_LIMIT",
    "BodyLimit",
    "SlidingWindow",
    "WebLimits",
    "retry_after",
]

KB = 1024
MB = 1024 * KB
# Longest matching prefix wins. Sizes are the platforms' documented maxima with headroom:
# - LINE: a text message is at most 5,000 characters; a request batches a few events.
# - Slack: a message is at most 40,000 characters; an event or a button payload (form-encoded,
#   so up to 9 bytes per Japanese character) repeats it in its blocks.
# - Telegram: a text is at most 4,096 characters; an update may quote a replied-to message.
# - Web chat: 2,000 characters, as UTF-8 or \u-escaped JSON, plus the message id.
# - Staff console: sign-in, notes and status forms.
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/webhooks/line/", 512 * KB),
    ("/webhooks/slack/", 1 * MB),
    ("/webhooks/telegram/", 256 * KB),
    ("/chat/", 16 * KB),
    ("/staff/", 64 * KB),
)
DEFAULT_BODY_LIMIT = 1 * MB


class _TooLarge(Exception):
    """Raised into the app when the streamed body passes the limit."""


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server itself refuses such a request
    return None


class BodyLimit:
    """Refuse request bodies over their route's limit with 413, before reading them."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: tuple[tuple[str, int], ...] = BODY_LIMITS,
        default: int = DEFAULT_BODY_LIMIT,
    ) -> None:
        self.app = app
        self.limits = sorted(limits, key=lambda item: len(item[0]), reverse=True)
        self.default = default

    def limit_for(self, path: str) -> int:
        """The body limit of a request path."""
        return next((size for prefix, size in self.limits if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        received = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # whatever the app made of the cut-off body, the answer is 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body too large (limit {limit} bytes)"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SlidingWindow:
    """At most `limit` hits per `window` seconds per key (0 or less: no limit)."""

    def __init__(
        self,
        *,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float:
        """Count a hit: 0 when allowed, else the seconds until one is (nothing counted)."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            self._make_room(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(hits[0] + self.window - now, 0.001)
        hits.append(now)
        return 0.0

    def undo(self, key: str) -> None:
        """Take back the last hit of `key` (it turned out not to count: a resend)."""
        hits = self._hits.get(key)
        if hits:
            hits.pop()

    def _make_room(self, now: float) -> None:
        if len(self._hits) < self.max_keys:
            return
        # Forget idle keys first; if every key is busy, the oldest ones (memory stays bounded).
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window
        ]:
            del self._hits[key]
        while len(self._hits) >= self.max_keys:
            del self._hits[next(iter(self._hits))]


@dataclass
class WebLimits:
    """The web chat's windows: messages per session and per address, sessions per address."""

    messages_per_session: SlidingWindow
    messages_per_address: SlidingWindow
    sessions_per_address: SlidingWindow

    @classmethod
    def from_settings(cls, settings: Settings) -> WebLimits:
        """Windows of one minute with the configured limits."""
        return cls(
            messages_per_session=SlidingWindow(limit=settings.web_messages_per_minute_session),
            messages_per_address=SlidingWindow(limit=settings.web_messages_per_minute_address),
            sessions_per_address=SlidingWindow(limit=settings.web_sessions_per_minute_address),
        )

    def set_clock(self, clock: Callable[[], float]) -> None:
        """Use another clock (tests)."""
        for window in (
            self.messages_per_session,
            self.messages_per_address,
            self.sessions_per_address,
        ):
            window.clock = clock

    def message(self, *, session: str, address: str) -> float:
        """Count a message; 0 when allowed, else the seconds to wait (then nothing counted)."""
        wait = self.messages_per_session.hit(session)
        if wait:
            return wait
        wait = self.messages_per_address.hit(address)
        if wait:
            self.messages_per_session.undo(session)
        return wait

    def undo_message(self, *, session: str, address: str) -> None:
        """Take back a counted message (a resend of one already accepted)."""
        self.messages_per_session.undo(session)
        self.messages_per_address.undo(address)


def retry_after(wait: float) -> str:
    """A Retry-After header value: whole seconds, at least one."""
    return str(max(1, math.ceil(wait)))
