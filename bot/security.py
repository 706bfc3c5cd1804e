"""Security headers on every response: no sniffing, no framing, a strict CSP for HTML pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Pages get only what they load from our own origin: no inline script or style, no
# plugins, no <base> rewriting, forms post only here, and nobody may frame them.
STRICT_CSP = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
HSTS = "max-age=31536000"


def _with_frame_ancestors(policy: str) -> str:
    """A route's own CSP, with framing forbidden unless it already says who may frame it."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    if any(d.split()[0].lower() == "frame-ancestors" for d in directives):
        return policy
    return "; ".join([*directives, "frame-ancestors 'none'"])


def secure_headers(headers: list[tuple[bytes, bytes]], *, https: bool) -> list[tuple[bytes, bytes]]:
    """The response headers with the security headers added (a route's own values kept)."""
    present = {name.lower().decode("latin-1") for name, _ in headers}
    result = []
    content_type = ""
    for name, value in headers:
        key = name.lower().decode("latin-1")
        if key == "content-type":
            content_type = value.decode("latin-1").lower()
        if key == "content-security-policy":
            value = _with_frame_ancestors(value.decode("latin-1")).encode("latin-1")
        result.append((name, value))
    added = {k: v for k, v in ALWAYS.items() if k not in present}
    if content_type.startswith("text/html") and "content-security-policy" not in present:
        added["content-security-policy"] = STRICT_CSP
    if https and "strict-transport-security" not in present:
        added["strict-transport-security"] = HSTS
    result.extend((k.encode("latin-1"), v.encode("latin-1")) for k, v in added.items())
    return result


class SecurityHeaders:
    """Pure ASGI middleware (streaming responses pass through untouched but for headers).

    HSTS is sent only when the request came over HTTPS, as the server sees it: behind a
    TLS-terminating proxy, uvicorn's proxy headers (X-Forwarded-Proto) decide the scheme.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secure_headers(list(message.get("headers", [])), https=https)
            await send(message)

        await self.app(scope, receive, send_secured)


__all__ = ["STRICT_CSP", "SecurityHeaders", "secure_headers"]
