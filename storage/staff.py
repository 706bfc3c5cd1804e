"""Staff accounts, sessions, sign-in throttling, the triage queue and its audited updates."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, func, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import (
    InboundEvent,
    Inquiry,
    LoginThrottle,
    Outbox,
    Proposal,
    ProposalEvent,
    StaffAccount,
    StaffSession,
    utcnow,
)
from storage.public import ProposalPublic
from storage.repository import searchable

SORTS: dict[str, Any] = {
    "received": col(Proposal.received_at).desc(),
    "received_asc": col(Proposal.received_at).asc(),
    "due": col(Proposal.due_date).asc(),
    "status": col(Proposal.status).asc(),
}


def add_staff(
    session: Session,
    *,
    username: str,
    display_name: str,
    password_hash: str,
    role: str,
    platforms: list[str],
    slack_user_id: str | None = None,
) -> StaffAccount:
    """Create an account (username unique)."""
    account = StaffAccount(
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        role=role,
        platforms=sorted(set(platforms)),
        slack_user_id=slack_user_id,
    )
    session.add(account)
    session.flush()
    return account


def staff_by_username(session: Session, *, username: str) -> StaffAccount | None:
    """An active account by username."""
    return session.exec(
        select(StaffAccount).where(StaffAccount.username == username, col(StaffAccount.active))
    ).first()


def staff_by_id(session: Session, *, staff_id: int) -> StaffAccount | None:
    """An active account by id."""
    account = session.get(StaffAccount, staff_id)
    return account if account is not None and account.active else None


def staff_by_slack_user(session: Session, *, slack_user_id: str) -> StaffAccount | None:
    """The account linked to a Slack user."""
    return session.exec(
        select(StaffAccount).where(
            StaffAccount.slack_user_id == slack_user_id, col(StaffAccount.active)
        )
    ).first()


def staff_of_platform(session: Session, *, platform_id: str) -> list[StaffAccount]:
    """Accounts that may work on a platform (for the assignee list)."""
    return [
        a
        for a in session.exec(select(StaffAccount).where(col(StaffAccount.active)))
        if platform_id in a.platforms
    ]


def staff_named(session: Session, *, username: str) -> StaffAccount | None:
    """An account by username, active or not (for the CLI)."""
    return session.exec(select(StaffAccount).where(StaffAccount.username == username)).first()


def end_sessions(session: Session, *, staff_id: int) -> int:
    """Sign an account out everywhere; returns how many sessions ended."""
    result = session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == staff_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def set_password(session: Session, *, account: StaffAccount, password_hash: str) -> int:
    """A new password; every session of the account ends (returns how many)."""
    account.password_hash = password_hash
    session.add(account)
    return end_sessions(session, staff_id=account.id or 0)


def set_active(session: Session, *, account: StaffAccount, active: bool) -> int:
    """Enable or disable an account; disabling ends its sessions (returns how many)."""
    account.active = active
    session.add(account)
    return 0 if active else end_sessions(session, staff_id=account.id or 0)


def start_session(
    session: Session, *, token_hash: str, staff_id: int, expires_at: dt.datetime, address: str
) -> None:
    """Record a signed-in session (a new row, so a new id, at every sign-in)."""
    now = utcnow()
    # Housekeeping while we are here: this account's expired sessions go.
    session.execute(
        delete(StaffSession).where(
            col(StaffSession.staff_id) == staff_id, col(StaffSession.expires_at) < now
        )
    )
    session.add(
        StaffSession(
            token_hash=token_hash,
            staff_id=staff_id,
            expires_at=expires_at,
            address=address[:64],
        )
    )


def session_account(session: Session, *, token_hash: str) -> StaffAccount | None:
    """The active account behind an unexpired session, or None."""
    return session.exec(
        select(StaffAccount)
        .join(StaffSession, col(StaffSession.staff_id) == col(StaffAccount.id))
        .where(
            StaffSession.token_hash == token_hash,
            col(StaffSession.expires_at) > utcnow(),
            col(StaffAccount.active),
        )
    ).first()


def end_session(session: Session, *, token_hash: str) -> None:
    """Sign out one session (logout)."""
    session.execute(delete(StaffSession).where(col(StaffSession.token_hash) == token_hash))


def throttle_hit(session: Session, *, key: str, window: dt.timedelta) -> int:
    """Count one attempt under `key` in a fixed window; returns the count, this one included.

    One statement, so concurrent attempts each get their own number even on PostgreSQL
    (the conflicting row is locked by the upsert): no check-then-insert race.
    """
    now = utcnow()
    expired = col(LoginThrottle.window_start) < now - window
    insert = (sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert)(
        LoginThrottle
    )
    statement = (
        insert.values(key=key, window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=[col(LoginThrottle.key)],
            set_={
                "count": case((expired, 1), else_=col(LoginThrottle.count) + 1),
                "window_start": case((expired, now), else_=col(LoginThrottle.window_start)),
            },
        )
        .returning(col(LoginThrottle.count))
    )
    return int(session.execute(statement).scalar_one())


def throttle_clear(session: Session, *, key: str, window: dt.timedelta) -> None:
    """Forget a key after a correct sign-in, and every window that has run out."""
    session.execute(
        delete(LoginThrottle).where(
            or_(
                col(LoginThrottle.key) == key,
                col(LoginThrottle.window_start) < utcnow() - window,
            )
        )
    )


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows."""

    platforms: tuple[str, ...]
    status: str | None = None
    theme: str | None = None
    department: str | None = None
    channel: str | None = None
    overdue: bool = False
    query: str | None = None
    sort: str = "received"
    page: int = 1
    per_page: int = 25


def queue(
    session: Session, *, where: QueueFilter, today: dt.date
) -> tuple[list[ProposalPublic], int]:
    """One page of proposals and the total matching, for the platforms given only."""
    query = select(Proposal).where(col(Proposal.platform_id).in_(where.platforms))
    if where.status:
        query = query.where(Proposal.status == where.status)
    if where.department:
        query = query.where(Proposal.department == where.department)
    if where.channel:
        query = query.where(Proposal.channel == where.channel)
    if where.overdue:
        query = query.where(col(Proposal.due_date) < today, col(Proposal.status).in_(OPEN_STATUSES))
    if where.query:
        needle = f"%{searchable(where.query)}%"
        query = query.where(
            or_(
                col(Proposal.search_text).like(needle),
                func.lower(col(Proposal.title)).like(needle),
                func.lower(col(Proposal.organisation)).like(needle),
                col(Proposal.reference).like(f"%{where.query.upper()}%"),
            )
        )
    rows = list(
        session.exec(
            query.order_by(SORTS.get(where.sort, SORTS["received"]), col(Proposal.id).desc())
        )
    )
    if where.theme:  # themes live in the JSON record; filter in Python (a desk has hundreds)
        rows = [r for r in rows if where.theme in (r.record.get("content") or {}).get("themes", [])]
    total = len(rows)
    start = (max(where.page, 1) - 1) * where.per_page
    page = rows[start : start + where.per_page]
    return [ProposalPublic.model_validate(r, from_attributes=True) for r in page], total


OPEN_STATUSES = ("received", "screening", "in_dialogue", "department_review")


def proposal_in(session: Session, *, reference: str, platforms: tuple[str, ...]) -> Proposal | None:
    """A proposal, only if it belongs to one of `platforms`."""
    return session.exec(
        select(Proposal).where(
            Proposal.reference == reference, col(Proposal.platform_id).in_(platforms)
        )
    ).first()


def update_proposal(
    session: Session,
    *,
    proposal: Proposal,
    actor: str,
    note: str | None = None,
    staff_response: bool = False,
    **changes: Any,
) -> None:
    """Change fields of a proposal and audit it (who, when, from → to, note)."""
    from_status = proposal.status
    for field, value in changes.items():
        setattr(proposal, field, value)
    if "status" in changes or "assignee" in changes or "department" in changes:
        triage = dict(proposal.record.get("triage") or {})
        for field in ("status", "assignee"):
            if field in changes:
                triage[field] = changes[field]
        if "department" in changes:
            triage["suggested_department"] = changes["department"]
        proposal.record = {**proposal.record, "triage": triage}
    if staff_response and proposal.first_response_at is None:
        proposal.first_response_at = utcnow()
    proposal.updated_at = utcnow()
    session.add(proposal)
    described = ", ".join(f"{k}={v}" for k, v in changes.items() if k != "status")
    session.add(
        ProposalEvent(
            proposal_id=proposal.id or 0,
            actor=actor,
            from_status=from_status if "status" in changes else None,
            to_status=changes.get("status"),
            note="; ".join(part for part in (described, note) if part) or None,
        )
    )
    session.flush()


def dashboard(session: Session, *, platforms: tuple[str, ...], today: dt.date) -> dict[str, Any]:
    """Counts by status, theme and channel; median hours to first staff response; overdue."""
    rows = list(session.exec(select(Proposal).where(col(Proposal.platform_id).in_(platforms))))
    by_status: dict[str, int] = {}
    by_theme: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    waits = []
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
        by_channel[row.channel] = by_channel.get(row.channel, 0) + 1
        for theme in (row.record.get("content") or {}).get("themes", []):
            by_theme[theme] = by_theme.get(theme, 0) + 1
        if row.first_response_at is not None:
            first, received = row.first_response_at, row.received_at
            if first.tzinfo is None:
                first = first.replace(tzinfo=dt.UTC)
            if received.tzinfo is None:
                received = received.replace(tzinfo=dt.UTC)
            waits.append((first - received).total_seconds() / 3600)
    overdue = sum(1 for r in rows if r.status in OPEN_STATUSES and r.due_date < today)
    return {
        "total": len(rows),
        "by_status": by_status,
        "by_theme": by_theme,
        "by_channel": by_channel,
        "median_first_response_hours": round(statistics.median(waits), 1) if waits else None,
        "overdue": overdue,
    }


def stuck(session: Session, *, platforms: tuple[str, ...], limit: int = 20) -> dict[str, Any]:
    """Quarantined inbox events and dead letters of these platforms: counts and the newest."""
    found: dict[str, Any] = {}
    kinds: tuple[tuple[str, Any, str], ...] = (
        ("events", InboundEvent, "failed"),
        ("letters", Outbox, "dead"),
    )
    for name, model, status in kinds:
        where = (model.status == status, col(model.platform_id).in_(platforms))
        found[f"{name}_total"] = int(
            session.exec(select(func.count()).select_from(model).where(*where)).one()
        )
        rows = session.exec(select(model).where(*where).order_by(col(model.id).desc()).limit(limit))
        found[name] = [
            {
                "id": row.id,
                "platform_id": row.platform_id,
                "channel": row.channel,
                "attempts": row.attempts,
                "error": (row.last_error or "")[:200],
            }
            for row in rows
        ]
    return found


def inquiries(session: Session, *, platforms: tuple[str, ...]) -> list[Inquiry]:
    """Member questions handed to staff, open ones first."""
    query = (
        select(Inquiry)
        .where(col(Inquiry.platform_id).in_(platforms))
        .order_by(col(Inquiry.status).desc(), col(Inquiry.id).desc())
    )
    return list(session.exec(query))


def inquiry_in(session: Session, *, inquiry_id: int, platforms: tuple[str, ...]) -> Inquiry | None:
    """An inquiry, only if it belongs to one of `platforms`."""
    inquiry = session.get(Inquiry, inquiry_id)
    return inquiry if inquiry is not None and inquiry.platform_id in platforms else None


def close_inquiry(session: Session, *, inquiry: Inquiry, answer: str, by: str) -> None:
    """Mark an inquiry answered, recording who answered, when and what."""
    inquiry.status = "answered"
    inquiry.answer = answer
    inquiry.answered_by = by
    inquiry.answered_at = utcnow()
    session.add(inquiry)


def unannounced(session: Session, *, platform_id: str) -> tuple[list[Proposal], list[Inquiry]]:
    """Proposals and inquiries not yet posted to the staff channel."""
    proposals = session.exec(
        select(Proposal)
        .where(Proposal.platform_id == platform_id, col(Proposal.announced_at).is_(None))
        .order_by(col(Proposal.id))
    )
    asked = session.exec(
        select(Inquiry)
        .where(Inquiry.platform_id == platform_id, col(Inquiry.announced_at).is_(None))
        .order_by(col(Inquiry.id))
    )
    return list(proposals), list(asked)


def mark_announced(session: Session, *, items: list[Proposal | Inquiry]) -> None:
    """Remember that these were posted (in the same transaction as the queued post)."""
    now = utcnow()
    for item in items:
        item.announced_at = now
        session.add(item)


def overdue(session: Session, *, platform_id: str, today: dt.date) -> list[Proposal]:
    """Open proposals past their reply date, oldest due first."""
    query = (
        select(Proposal)
        .where(
            Proposal.platform_id == platform_id,
            col(Proposal.status).in_(OPEN_STATUSES),
            col(Proposal.due_date) < today,
        )
        .order_by(col(Proposal.due_date))
    )
    return list(session.exec(query))
