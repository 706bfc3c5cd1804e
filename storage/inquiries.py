"""Member questions handed to staff, as the inquiry pages read them: a filtered, paged list,
and one inquiry with who asked, on which channel, and the conversation that led to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Contact, Inquiry, Message
from storage.search import fold

# The conversation shown before a hand-off: at most this many messages, and nothing older
# than the previous inquiry of the same conversation.
LEAD_UP = 30
# A hand-off's turn is logged within this of the inquiry's own time.
HAND_OFF_SLACK = dt.timedelta(seconds=10)


@dataclass(frozen=True)
class InquiryFilter:
    """What the inquiry list shows."""

    platforms: tuple[str, ...]
    status: str | None = None  # "open" | "answered" | None (all)
    channel: str | None = None
    language: str | None = None
    query: str | None = None
    page: int = 1
    per_page: int = 25


def _row(inquiry: Inquiry, contact: Contact | None) -> dict[str, Any]:
    return {
        **inquiry.model_dump(),
        "channel": contact.channel if contact else "",
        "asker": (contact.display_name or "") if contact else "",
        "organisation": (contact.organisation or "") if contact else "",
        "email": (contact.email or "") if contact else "",
    }


def inquiry_list(session: Session, *, where: InquiryFilter) -> tuple[list[dict[str, Any]], int]:
    """One page of inquiries (open ones first, then the newest) and how many match."""
    query = (
        select(Inquiry, Contact)
        .join(Contact, col(Contact.id) == col(Inquiry.contact_id))
        .where(col(Inquiry.platform_id).in_(where.platforms))
    )
    if where.status in ("open", "answered"):
        query = query.where(Inquiry.status == where.status)
    if where.channel:
        query = query.where(Contact.channel == where.channel)
    if where.language:
        query = query.where(Inquiry.language == where.language)
    if where.query and (needle := fold(where.query, limit=100)):
        # Inquiries are few and short: the folded question and asker are compared in Python.
        rows = [
            (i, c)
            for i, c in session.exec(query)
            if needle in fold(f"{i.question}|{c.display_name or ''}|{c.organisation or ''}")
            or needle in fold(i.answer or "")
        ]
        rows.sort(key=lambda r: (r[0].status != "open", -(r[0].id or 0)))
        total = len(rows)
        start = (max(where.page, 1) - 1) * where.per_page
        return [_row(i, c) for i, c in rows[start : start + where.per_page]], total
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page = session.exec(
        query.order_by(col(Inquiry.status).desc(), col(Inquiry.id).desc())
        .offset((max(where.page, 1) - 1) * where.per_page)
        .limit(where.per_page)
    )
    return [_row(i, c) for i, c in page], total


def _hand_off_message(session: Session, inquiry: Inquiry) -> int | None:
    """The desk's message naming the inquiry (logged in the hand-off's own turn)."""
    return session.exec(
        select(func.min(Message.id)).where(
            Message.conversation_id == inquiry.conversation_id,
            Message.direction == "out",
            col(Message.created_at) >= inquiry.created_at - HAND_OFF_SLACK,
            col(Message.text).contains(f"Q-{inquiry.id}"),
        )
    ).one()


def inquiry_detail(
    session: Session, *, inquiry_id: int, platforms: tuple[str, ...]
) -> dict[str, Any] | None:
    """One inquiry of these desks with its asker and the conversation before the hand-off."""
    inquiry = session.get(Inquiry, inquiry_id)
    if inquiry is None or inquiry.platform_id not in platforms:
        return None
    contact = session.get(Contact, inquiry.contact_id)
    previous = session.exec(
        select(Inquiry)
        .where(Inquiry.conversation_id == inquiry.conversation_id, col(Inquiry.id) < inquiry_id)
        .order_by(col(Inquiry.id).desc())
    ).first()
    conditions: list[Any] = [Message.conversation_id == inquiry.conversation_id]
    ack = _hand_off_message(session, inquiry)
    if ack is not None:
        conditions.append(col(Message.id) <= ack)
    else:
        conditions.append(col(Message.created_at) <= inquiry.created_at)
    if previous is not None:
        before = _hand_off_message(session, previous)
        conditions.append(
            col(Message.id) > before
            if before is not None
            else col(Message.created_at) > previous.created_at
        )
    lead_up = list(
        session.exec(
            select(Message).where(*conditions).order_by(col(Message.id).desc()).limit(LEAD_UP)
        )
    )
    return {
        **_row(inquiry, contact),
        "transcript": [
            {"direction": m.direction, "text": m.text, "at": m.created_at}
            for m in reversed(lead_up)
        ],
        "phone": (contact.phone or "") if contact else "",
    }


def reopen_inquiry(session: Session, *, inquiry_id: int, platforms: tuple[str, ...]) -> bool:
    """Put an answered inquiry back in the open list (its last answer stays on record)."""
    inquiry = session.get(Inquiry, inquiry_id)
    if inquiry is None or inquiry.platform_id not in platforms or inquiry.status == "open":
        return False
    inquiry.status = "open"
    session.add(inquiry)
    return True
