"""The triage queue, proposals and inquiries for staff, and their audited updates (accounts and
sessions are `storage.accounts`)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage import search
from storage.casework import (  # noqa: F401  (re-exported: tx.<name> finds them here)
    OPEN_STATUSES,
    HistoryEntry,
    Today,
    attach_followup,
    current_due,
    events_after,
    history,
    is_late,
    late_clause,
    latest_message_id,
    log_proposal_message,
    open_proposals_of,
    today_of,
)
from storage.intakes import intake_outcome_counts
from storage.models import (
    InboundEvent,
    Inquiry,
    Outbox,
    Proposal,
    ProposalEvent,
    utcnow,
)
from storage.public import ProposalPublic

# The dashboard counts refused and abandoned intakes over this window.
OUTCOME_WINDOW = dt.timedelta(days=30)


SORTS: dict[str, Any] = {
    "received": col(Proposal.received_at).desc(),
    "received_asc": col(Proposal.received_at).asc(),
    "due": col(Proposal.due_date).asc(),
    "status": col(Proposal.status).asc(),
    "activity": func.coalesce(col(Proposal.last_activity_at), col(Proposal.received_at)).desc(),
}


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
    # Views (issue 13): "mine", "unassigned", "awaiting" (a follow-up unread), "overdue";
    # `me` is the signed-in username "mine" means; `assignee` filters by a colleague.
    view: str | None = None
    assignee: str | None = None
    me: str | None = None


VIEWS = ("mine", "unassigned", "awaiting", "overdue")


def _view(query: Any, where: QueueFilter) -> Any:
    """The view's and the assignee filter's conditions."""
    if where.view == "mine":
        query = query.where(Proposal.assignee == (where.me or ""))
    elif where.view == "unassigned":
        query = query.where(col(Proposal.assignee).is_(None))
    elif where.view == "awaiting":
        query = query.where(col(Proposal.awaiting_staff_since).is_not(None))
    if where.assignee:
        query = query.where(Proposal.assignee == where.assignee)
    return query


def queue(
    session: Session, *, where: QueueFilter, today: Today
) -> tuple[list[ProposalPublic], int]:
    """One page of proposals and the total matching, for the platforms given only.

    `overdue` means past the due date on each platform's own clock (`today` per platform).
    """
    query = select(Proposal).where(col(Proposal.platform_id).in_(where.platforms))
    if where.status:
        query = query.where(Proposal.status == where.status)
    if where.department:
        query = query.where(Proposal.department == where.department)
    if where.channel:
        query = query.where(Proposal.channel == where.channel)
    if where.overdue or where.view == "overdue":
        query = query.where(late_clause(where.platforms, today))
    query = _view(query, where)
    if where.query and (found := search.matching(session, where.query)) is not None:
        query = query.where(found)  # folded, typo-tolerant (storage.search)
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


def proposal_in(
    session: Session, *, reference: str, platforms: tuple[str, ...], for_update: bool = False
) -> Proposal | None:
    """A proposal, only if it belongs to one of `platforms`.

    `for_update` locks the row until the transaction ends (PostgreSQL; SQLite transactions
    are serialised already), so two saves of one proposal cannot both pass a version check.
    """
    query = select(Proposal).where(
        Proposal.reference == reference, col(Proposal.platform_id).in_(platforms)
    )
    return session.exec(query.with_for_update() if for_update else query).first()


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
    if staff_response:  # answered: off the "awaiting staff" list, its follow-up clock stopped
        proposal.awaiting_staff_since = None
        if "next_action_due" not in changes:
            proposal.next_action_due = None
    proposal.updated_at = utcnow()
    proposal.last_activity_at = proposal.updated_at
    # In SQL (version = version + 1): a concurrent writer's increment is never lost.
    proposal.version = col(Proposal.version) + 1  # type: ignore[assignment]
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
    search.refresh(session, proposal=proposal)  # notes and replies are searchable


def dashboard(
    session: Session, *, platforms: tuple[str, ...], today: Today, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Counts by status, theme and channel; median hours to first staff response; overdue
    (on each platform's clock); intakes refused and abandoned in the last 30 days."""
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
    overdue = sum(1 for r in rows if is_late(r, today))
    awaiting = sum(
        1 for r in rows if r.awaiting_staff_since is not None and r.status in OPEN_STATUSES
    )
    outcomes = intake_outcome_counts(
        session, platforms=platforms, since=(now or utcnow()) - OUTCOME_WINDOW
    )
    return {
        "total": len(rows),
        "by_status": by_status,
        "by_theme": by_theme,
        "by_channel": by_channel,
        "median_first_response_hours": round(statistics.median(waits), 1) if waits else None,
        "overdue": overdue,
        "awaiting": awaiting,
        "refused": outcomes["refused"],
        "abandoned": outcomes["abandoned"],
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
    query = select(Proposal).where(late_clause((platform_id,), {platform_id: today}))
    return sorted(session.exec(query), key=lambda r: (current_due(r) or today, r.id or 0))
