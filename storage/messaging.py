"""The inbox (inbound webhook events) and the outbox (replies awaiting delivery)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import InboundEvent, Outbox, utcnow

SENDING_LEASE = dt.timedelta(seconds=60)


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def record_inbound(
    session: Session, *, channel: str, external_id: str, platform_id: str, payload: dict[str, Any]
) -> int | None:
    """Store a webhook event once; returns its id, or None when it was already stored."""
    result = session.execute(
        _insert(session)(InboundEvent)
        .values(
            channel=channel,
            external_id=external_id,
            platform_id=platform_id,
            payload=payload,
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(col(InboundEvent.id))
    )
    return result.scalar_one_or_none()


def unprocessed_inbound(session: Session, *, limit: int = 100) -> list[InboundEvent]:
    """Events stored but not yet processed, oldest first (also those a crash left behind)."""
    query = (
        select(InboundEvent)
        .where(col(InboundEvent.processed_at).is_(None))
        .order_by(col(InboundEvent.id))
        .limit(limit)
    )
    return list(session.exec(query))


def claim_inbound(session: Session, *, event_id: int) -> bool:
    """Mark an event processed inside the turn's transaction; False if another worker did.

    On PostgreSQL the row lock makes a concurrent claimer wait for this transaction.
    """
    result = session.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id) == event_id, col(InboundEvent.processed_at).is_(None))
        .values(processed_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def enqueue(
    session: Session,
    *,
    platform_id: str,
    channel: str,
    user_key: str,
    conversation_id: int | None,
    payload: dict[str, Any],
) -> int:
    """Queue a message for delivery."""
    row = Outbox(
        platform_id=platform_id,
        channel=channel,
        user_key=user_key,
        conversation_id=conversation_id,
        payload=payload,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def claim_outbox(
    session: Session, *, limit: int = 10, now: dt.datetime | None = None
) -> list[Outbox]:
    """Lease due messages: the oldest undelivered one per recipient, so order is kept.

    PostgreSQL skips rows other workers hold (SKIP LOCKED); the lease lets a message whose
    sender crashed go out again after `SENDING_LEASE`.
    """
    now = now or utcnow()
    oldest = (
        select(func.min(Outbox.id))
        .where(col(Outbox.status).in_(["pending", "sending"]))
        .group_by(col(Outbox.channel), col(Outbox.user_key))
    )
    query = (
        select(Outbox)
        .where(
            col(Outbox.id).in_(oldest),
            or_(col(Outbox.status) == "pending", col(Outbox.status) == "sending"),
            col(Outbox.next_attempt_at) <= now,
        )
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.exec(query))
    for row in rows:
        row.status = "sending"
        row.attempts += 1
        row.next_attempt_at = now + SENDING_LEASE
    session.flush()
    return rows


def mark_sent(session: Session, *, outbox_id: int) -> None:
    """Delivered."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == outbox_id)
        .values(status="sent", sent_at=utcnow(), last_error=None)
    )


def mark_retry(session: Session, *, outbox_id: int, at: dt.datetime, error: str) -> None:
    """Try again at `at`."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == outbox_id)
        .values(status="pending", next_attempt_at=at, last_error=error[:1000])
    )


def mark_dead(session: Session, *, outbox_id: int, error: str) -> None:
    """Give up: the message stays visible to staff as a dead letter."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == outbox_id)
        .values(status="dead", last_error=error[:1000])
    )


def outbox_rows(session: Session, *, status: str | None = None) -> list[Outbox]:
    """Outbox rows (optionally of one status), oldest first."""
    query = select(Outbox).order_by(col(Outbox.id))
    if status:
        query = query.where(Outbox.status == status)
    return list(session.exec(query))
