"""The inbox (inbound webhook events) and the outbox (replies awaiting delivery)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, or_, update
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
        .values(processed_at=utcnow(), status="done")
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
        .values(attempts=InboundEvent.attempts + 1, next_attempt_at=at, last_error=error[:1000])
    )


def defer_inbound(session: Session, *, event_ids: list[int], until: dt.datetime) -> None:
    """Hold pending events until `until` without counting an attempt (never brings one forward)."""
    if not event_ids:
        return
    session.execute(
        update(InboundEvent)
        .where(
            col(InboundEvent.id).in_(event_ids),
            col(InboundEvent.status) == "pending",
            col(InboundEvent.next_attempt_at) < until,
        )
        .values(next_attempt_at=until)
    )


def quarantine_inbound(session: Session, *, event_id: int, error: str) -> None:
    """Count the last attempt and give up: "failed", skipped until re-queued."""
    session.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id) == event_id, col(InboundEvent.status) == "pending")
        .values(attempts=InboundEvent.attempts + 1, status="failed", last_error=error[:1000])
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
            .values(status="pending", attempts=0, next_attempt_at=now or utcnow())
        )
    return ids


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
    session: Session,
    *,
    limit: int = 10,
    now: dt.datetime | None = None,
    exclude: Collection[tuple[str, str]] = (),
) -> list[Outbox]:
    """Lease due messages: the oldest undelivered one per recipient, so order is kept.

    `exclude` names (channel, platform) senders that are paused: their messages stay queued,
    untouched. PostgreSQL skips rows other workers hold (SKIP LOCKED); the lease lets a
    message whose sender crashed go out again after `SENDING_LEASE`.
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
    for channel, platform_id in exclude:
        query = query.where(
            ~and_(col(Outbox.channel) == channel, col(Outbox.platform_id) == platform_id)
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


def mark_sent(session: Session, *, outbox_id: int, at: dt.datetime | None = None) -> None:
    """Delivered."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == outbox_id)
        .values(status="sent", sent_at=at or utcnow(), last_error=None)
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


def release_outbox(session: Session, *, outbox_id: int, at: dt.datetime) -> None:
    """Hand a leased message back unattempted (its sender is paused): not counted."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == outbox_id, col(Outbox.status) == "sending")
        .values(status="pending", next_attempt_at=at, attempts=Outbox.attempts - 1)
    )


def mark_reply_token(session: Session, *, outbox_id: int, at: dt.datetime | None) -> None:
    """Record (or, with None, withdraw) a call that may have used the message's reply token."""
    session.execute(
        update(Outbox).where(col(Outbox.id) == outbox_id).values(reply_token_used_at=at)
    )


class RequeueError(ValueError):
    """The message cannot be re-queued (unknown, already sent, or being sent now)."""


def requeue_outbox(
    session: Session,
    *,
    outbox_id: int | None = None,
    dead: bool = False,
    now: dt.datetime | None = None,
) -> list[Outbox]:
    """Queue one message (by id) or every dead letter (`dead`) for delivery again, now.

    The retry window starts afresh; `last_error` and `reply_token_used_at` stay, so the
    record of what happened is kept and a used LINE reply token is not pushed again.
    """
    now = now or utcnow()
    if dead:
        rows = outbox_rows(session, status="dead")
    else:
        row = session.get(Outbox, outbox_id, with_for_update=True)
        if row is None:
            raise RequeueError(f"no outbox message #{outbox_id}")
        if row.status == "sent":
            raise RequeueError(f"outbox message #{outbox_id} was already sent at {row.sent_at}")
        if row.status == "sending":
            raise RequeueError(f"outbox message #{outbox_id} is being sent now")
        rows = [row]
    for row in rows:
        row.status = "pending"
        row.attempts = 0
        row.next_attempt_at = now
        row.retry_from = now
        session.add(row)
    session.flush()
    return rows
