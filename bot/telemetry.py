"""Per request: a request id for the logs (and the stored event), and the webhook metrics."""

from __future__ import annotations

import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics
from storage.tracing import request_id

__all__ = ["Telemetry"]

HEADER = b"x-request-id"
# A proxy's id is kept when it looks like one (bounded, no spaces or control characters).
GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def _channel(method: str, path: str) -> str | None:
    """The channel a request delivers an event on (None: not an event)."""
    if method != "POST":
        return None
    parts = path.split("/")
    if len(parts) >= 4 and parts[1] == "webhooks":
        return parts[2][:16]
    if len(parts) == 5 and parts[1] == "chat" and parts[3:] == ["api", "messages"]:
        return "web"
    return None


class Telemetry:
    """Pure ASGI middleware: sets the request id, counts events and times acknowledgements."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", ())).get(HEADER, b"").decode("latin-1")
        rid = given if GOOD_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        token = request_id.set(rid)
        method, path = scope.get("method", ""), scope.get("path", "")
        channel = _channel(method, path)
        sign_in = method == "POST" and path == "/staff/login"
        started = time.perf_counter()
        if channel:
            metrics.EVENTS_RECEIVED.labels(channel).inc()

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode())]
                status = int(message["status"])
                if channel and 200 <= status < 300:
                    metrics.EVENTS_ACKED.labels(channel).inc()
                    metrics.ACK_SECONDS.labels(channel).observe(time.perf_counter() - started)
                if sign_in:
                    location = dict(message["headers"]).get(b"location", b"")
                    if b"error=" in location:
                        reason = location.split(b"error=")[-1][:16].decode("latin-1")
                        metrics.SIGN_IN_FAILURES.labels(reason).inc()
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            request_id.reset(token)
