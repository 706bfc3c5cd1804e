"""A proposal as a case: its two clocks (the one definition of "overdue"), its history with
ids, its own messages, and proposers' follow-ups attached to it (issue 13).

`storage.staff` re-exports these, so a transaction handle (`tx.attach_followup(...)`) and the
console reach them where they reach the rest of the staff functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, func, or_
from sqlmodel import Session, col, select

from storage import search
from storage.models import Message, Proposal, ProposalEvent
from storage.public import ProposalPublic

OPEN_STATUSES = ("received", "screening", "in_dialogue", "department_review")
# "Today" per platform, each on its own desk's clock (a single date applies to all).
Today = dt.date | Mapping[str, dt.date]


def today_of(today: Today, platform_id: str) -> dt.date:
    """The desk's date for `platform_id`."""
    return today if isinstance(today, dt.date) else today[platform_id]


def current_due(row: Any) -> dt.date | None:
    """The date the desk owes its next step on a proposal: the one definition of "overdue".

    Two clocks: the first response is due by `due_date` (the platform's business-day
    promise) until staff first respond; the next action is due by `next_action_due` (set by
    staff, or N business days after a proposer's follow-up) until staff answer it. The
    earlier running clock counts; a closed proposal, or one answered with nothing pending,
    has none. `late_clause` is the same rule in SQL.
    """
    if row.status not in OPEN_STATUSES:
        return None
    dues = [row.next_action_due] if row.next_action_due is not None else []
    if row.first_response_at is None:
        dues.append(row.due_date)
    return min(dues) if dues else None


def is_late(row: Any, today: Today) -> bool:
    """Past its current clock on the desk's own date."""
    due = current_due(row)
    return due is not None and due < today_of(today, row.platform_id)


def late_clause(platforms: tuple[str, ...], today: Today) -> Any:
    """`is_late` as a WHERE clause (per platform, each on its own date)."""
    late = [
        and_(
            col(Proposal.platform_id) == p,
            or_(
                and_(
                    col(Proposal.first_response_at).is_(None),
                    col(Proposal.due_date) < today_of(today, p),
                ),
                col(Proposal.next_action_due) < today_of(today, p),
            ),
        )
        for p in platforms
    ]
    return and_(or_(false(), *late), col(Proposal.status).in_(OPEN_STATUSES))


@dataclass(frozen=True)
class HistoryEntry:
    """One history entry, detached from the session (it outlives a rolled-back save)."""

    id: int
    actor: str
    at: dt.datetime
    from_status: str | None
    to_status: str | None
    note: str | None


def events_after(session: Session, *, proposal_id: int, after: int) -> list[HistoryEntry]:
    """A proposal's history entries newer than entry `after`, oldest first."""
    rows = session.exec(
        select(ProposalEvent)
        .where(ProposalEvent.proposal_id == proposal_id, col(ProposalEvent.id) > after)
        .order_by(col(ProposalEvent.id))
    )
    return [
        HistoryEntry(r.id or 0, r.actor, r.at, r.from_status, r.to_status, r.note) for r in rows
    ]


def history(session: Session, *, proposal_id: int) -> list[HistoryEntry]:
    """A proposal's history entries (with their ids), oldest first."""
    return events_after(session, proposal_id=proposal_id, after=0)


def log_proposal_message(
    session: Session,
    *,
    conversation_id: int,
    proposal_id: int | None,
    direction: str,
    text: str,
    payload: dict[str, Any] | None = None,
) -> None:
    """Append to the transcript a message that belongs to a proposal (a staff reply)."""
    session.add(
        Message(
            conversation_id=conversation_id,
            proposal_id=proposal_id,
            direction=direction,
            text=text,
            payload=payload or {},
        )
    )


def open_proposals_of(
    session: Session, *, platform_id: str, contact_id: int
) -> list[ProposalPublic]:
    """A proposer's open proposals on one desk, the most recently active first."""
    rows = session.exec(
        select(Proposal)
        .where(
            Proposal.platform_id == platform_id,
            Proposal.contact_id == contact_id,
            col(Proposal.status).in_(OPEN_STATUSES),
        )
        .order_by(col(Proposal.updated_at).desc(), col(Proposal.id).desc())
    )
    return [ProposalPublic.model_validate(r, from_attributes=True) for r in rows]


def latest_message_id(session: Session, *, conversation_id: int, direction: str) -> int | None:
    """The newest message of a conversation in one direction (this turn's own, once logged)."""
    session.flush()
    return session.exec(
        select(func.max(Message.id)).where(
            Message.conversation_id == conversation_id, Message.direction == direction
        )
    ).one()


def attach_followup(
    session: Session,
    *,
    proposal_id: int,
    conversation_id: int,
    message_id: int | None,
    at: dt.datetime,
    next_action_due: dt.date,
) -> None:
    """Make a proposer's message part of the proposal and mark the proposal awaiting staff.

    `message_id` is the held message (asked "which proposal?"), else this turn's own.
    """
    message_id = message_id or latest_message_id(
        session, conversation_id=conversation_id, direction="in"
    )
    message = session.get(Message, message_id) if message_id else None
    if message is not None and message.conversation_id == conversation_id:
        message.proposal_id = proposal_id
        session.add(message)
    # Locked (PostgreSQL) like a staff save, so the two never interleave on one proposal.
    proposal = session.exec(
        select(Proposal).where(Proposal.id == proposal_id).with_for_update()
    ).first()
    if proposal is None:
        return
    if proposal.awaiting_staff_since is None:
        proposal.awaiting_staff_since = at
    proposal.last_activity_at = at
    # The earlier of a date staff set and the default: a new message never pushes it later.
    current = proposal.next_action_due
    proposal.next_action_due = min(current, next_action_due) if current else next_action_due
    proposal.version = col(Proposal.version) + 1  # type: ignore[assignment]
    session.add(proposal)
    session.add(
        ProposalEvent(
            proposal_id=proposal_id,
            actor="proposer",
            note="followup: " + (message.text[:200] if message is not None else ""),
        )
    )
    session.flush()
    search.refresh(session, proposal=proposal)
