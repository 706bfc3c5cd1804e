"""The inbox: inbound webhook events, stored once, processed, retried or quarantined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage import tracing
from storage.models import InboundEvent, utcnow


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def record_inbound(
    session: Session, *, channel: str, external_id: str, platform_id: str, payload: dict[str, Any]
) -> int | None:
    """Store a webhook event once; returns its id, or None when it was already stored."""
    now = utcnow()
    result = session.execute(
        _insert(session)(InboundEvent)
        .values(
            channel=channel,
            external_id=external_id,
            platform_id=platform_id,
            payload=payload,
            received_at=now,
            status="pending",
            next_attempt_at=now,  # the column's server default is the database's clock
            request_id=tracing.request_id.get(),
        )
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(col(InboundEvent.id))
    )
    return result.scalar_one_or_none()


def unprocessed_inbound(session: Session, *, limit: int = 100) -> list[InboundEvent]:
    """Events still waiting (pending, due or in backoff), oldest first."""
    query = (
        select(InboundEvent)
        .where(col(InboundEvent.status) == "pending")
        .order_by(col(InboundEvent.id))
        .limit(limit)
    )
    return list(session.exec(query))


def claim_inbound(session: Session, *, event_id: int) -> bool:
    """Mark an event processed ("done") inside the turn's transaction; False if another did.

    On PostgreSQL the row lock makes a concurrent claimer wait for this transaction.
    """
    result = session.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id) == event_id, col(InboundEvent.processed_at).is_(None))
        .values(processed_at=utcnow(), status="done", lease_owner=None, lease_until=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def due_inbound(session: Session, *, now: dt.datetime, limit: int = 100) -> list[InboundEvent]:
    """Pending events whose time has come, oldest first."""
    query = (
        select(InboundEvent)
        .where(col(InboundEvent.status) == "pending", col(InboundEvent.next_attempt_at) <= now)
        .order_by(col(InboundEvent.id))
        .limit(limit)
    )
    return list(session.exec(query))


def waiting_inbound(
    session: Session, *, now: dt.datetime, before_id: int
) -> list[tuple[int, dt.datetime]]:
    """Pending events older than `before_id` not due yet (id, when due), oldest first."""
    query = (
        select(InboundEvent.id, InboundEvent.next_attempt_at)
        .where(
            col(InboundEvent.status) == "pending",
            col(InboundEvent.next_attempt_at) > now,
            col(InboundEvent.id) < before_id,
        )
        .order_by(col(InboundEvent.id))
    )
    return [(event_id, at) for event_id, at in session.exec(query) if event_id is not None]


def inbound_events(session: Session, *, ids: list[int]) -> list[InboundEvent]:
    """These events, oldest first."""
    if not ids:
        return []
    query = select(InboundEvent).where(col(InboundEvent.id).in_(ids)).order_by(col(InboundEvent.id))
    return list(session.exec(query))


def retry_inbound_at(session: Session, *, event_id: int, at: dt.datetime, error: str) -> None:
    """Count a failed attempt; the event is due again at `at`."""
    session.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id) == event_id, col(InboundEvent.status) == "pending")
        .values(
            attempts=InboundEvent.attempts + 1,
            next_attempt_at=at,
            last_error=error[:1000],
            lease_owner=None,
            lease_until=None,
        )
    )


def defer_inbound(session: Session, *, event_ids: list[int], until: dt.datetime) -> None:
    """Hold pending events until `until` without counting an attempt (never brings one forward).

    Their leases end: another worker may take them when they are due.
    """
    if not event_ids:
        return
    later = case(
        (col(InboundEvent.next_attempt_at) < until, until), else_=InboundEvent.next_attempt_at
    )
    session.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id).in_(event_ids), col(InboundEvent.status) == "pending")
        .values(next_attempt_at=later, lease_owner=None, lease_until=None)
    )


def quarantine_inbound(session: Session, *, event_id: int, error: str) -> None:
    """Count the last attempt and give up: "failed", skipped until re-queued."""
    session.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id) == event_id, col(InboundEvent.status) == "pending")
        .values(
            attempts=InboundEvent.attempts + 1,
            status="failed",
            last_error=error[:1000],
            lease_owner=None,
            lease_until=None,
        )
    )


def inbound_rows(
    session: Session, *, status: str | None = None, limit: int | None = None
) -> list[InboundEvent]:
    """Events (optionally of one status), newest first."""
    query = select(InboundEvent).order_by(col(InboundEvent.id).desc())
    if status:
        query = query.where(col(InboundEvent.status) == status)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def requeue_inbound(
    session: Session, *, event_ids: list[int] | None = None, now: dt.datetime | None = None
) -> list[int]:
    """Put events back in line (pending, attempts 0, due now); returns the ids re-queued.

    Without `event_ids`, every quarantined event. An event already answered ("done") is
    never re-queued: it would be answered twice.
    """
    query = select(InboundEvent.id).where(col(InboundEvent.processed_at).is_(None))
    if event_ids is None:
        query = query.where(col(InboundEvent.status) == "failed")
    else:
        query = query.where(col(InboundEvent.id).in_(event_ids), col(InboundEvent.status) != "done")
    ids = [event_id for event_id in session.exec(query.order_by(col(InboundEvent.id))) if event_id]
    if ids:
        session.execute(
            update(InboundEvent)
            .where(col(InboundEvent.id).in_(ids))
            .values(
                status="pending",
                attempts=0,
                next_attempt_at=now or utcnow(),
                lease_owner=None,
                lease_until=None,
            )
        )
    return ids
