"""The outbox: replies awaiting delivery (the inbox is `storage.inbound`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from storage import tracing
from storage.claims import one_of
from storage.models import Outbox, utcnow

SENDING_LEASE = dt.timedelta(seconds=60)


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
        request_id=tracing.request_id.get(),
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
            one_of(session, col(Outbox.id), oldest),  # the inbox's claim, same plan
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


def claim_followers(
    session: Session, *, head: Outbox, now: dt.datetime, limit: int = 20
) -> list[Outbox]:
    """Lease the messages queued right after `head` for the same turn, to go in one call.

    A turn's replies are queued together, each with the same reply route; they follow
    `head` (same channel, platform and recipient) until a message with another route. A
    LINE reply call carries up to five messages, so they need not be pushed one by one.
    """
    query = (
        select(Outbox)
        .where(
            col(Outbox.channel) == head.channel,
            col(Outbox.platform_id) == head.platform_id,
            col(Outbox.user_key) == head.user_key,
            col(Outbox.status) == "pending",
            col(Outbox.id) > (head.id or 0),
        )
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    route = (head.payload or {}).get("route")
    followers: list[Outbox] = []
    for row in session.exec(query):
        if (row.payload or {}).get("route") != route or (row.payload or {}).get("part", 0) == 0:
            break  # another turn's message: it waits its own turn
        row.status = "sending"
        row.attempts += 1
        row.next_attempt_at = now + SENDING_LEASE
        followers.append(row)
    session.flush()
    return followers
