"""The request id that follows a webhook through its turn to the delivery of the replies."""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["request_id"]

# Set by the web process for each request, by a worker for each turn and delivery;
# stored with the inbox event and the outbox message it leads to.
request_id: ContextVar[str | None] = ContextVar("madoguchi_request_id", default=None)
