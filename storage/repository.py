"""The one repository layer every write goes through: keyword-only functions over a session."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage import duplicates, search
from storage.models import (
    Contact,
    Conversation,
    Inquiry,
    Message,
    PlatformRow,
    Proposal,
    ProposalEvent,
    ReferenceCounter,
    utcnow,
)
from storage.public import ConversationPublic, ProposalEventPublic, ProposalPublic

# Only for callers that do not pass the reference year (workflows.calendar has the same default;
# storage does not import workflows).
DEFAULT_TIMEZONE = "Asia/Tokyo"


def ensure_platform(
    session: Session, *, platform_id: str, name_ja: str, name_en: str, reference_prefix: str
) -> None:
    """Insert or refresh a platform row."""
    row = session.get(PlatformRow, platform_id)
    if row is None:
        session.add(
            PlatformRow(
                id=platform_id, name_ja=name_ja, name_en=name_en, reference_prefix=reference_prefix
            )
        )
    else:
        row.name_ja, row.name_en, row.reference_prefix = name_ja, name_en, reference_prefix
    session.flush()


def open_conversation(
    session: Session, *, platform_id: str, channel: str, user_key: str, initial_state: str
) -> ConversationPublic:
    """The conversation for (platform, channel, user), created with its contact if new."""
    conversation = session.exec(
        select(Conversation).where(
            Conversation.platform_id == platform_id,
            Conversation.channel == channel,
            Conversation.user_key == user_key,
        )
    ).first()
    if conversation is None:
        contact = session.exec(
            select(Contact).where(
                Contact.platform_id == platform_id,
                Contact.channel == channel,
                Contact.user_key == user_key,
            )
        ).first()
        if contact is None:
            contact = Contact(platform_id=platform_id, channel=channel, user_key=user_key)
            session.add(contact)
            session.flush()
        assert contact.id is not None
        conversation = Conversation(
            platform_id=platform_id,
            channel=channel,
            user_key=user_key,
            contact_id=contact.id,
            state=initial_state,
        )
        session.add(conversation)
        session.flush()
    return ConversationPublic.model_validate(conversation, from_attributes=True)


def save_conversation(
    session: Session, *, conversation_id: int, state: str, slots: dict[str, Any], language: str
) -> None:
    """Persist the dialogue state after a turn."""
    session.execute(
        update(Conversation)
        .where(col(Conversation.id) == conversation_id)
        .values(state=state, slots=slots, language=language, updated_at=utcnow())
    )


def log_message(
    session: Session,
    *,
    conversation_id: int,
    direction: str,
    text: str,
    payload: dict[str, Any] | None = None,
) -> None:
    """Append to the transcript."""
    session.add(
        Message(
            conversation_id=conversation_id, direction=direction, text=text, payload=payload or {}
        )
    )


def transcript(session: Session, *, conversation_id: int) -> list[Message]:
    """The conversation's messages, oldest first."""
    return list(
        session.exec(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(col(Message.id))
        )
    )


def update_contact(session: Session, *, contact_id: int, **fields: str | None) -> None:
    """Fill in what a proposer told us about themselves."""
    values = {k: v for k, v in fields.items() if v}
    if values:
        session.execute(update(Contact).where(col(Contact.id) == contact_id).values(**values))
        if {"display_name", "email"} & set(values):  # searchable: their proposals follow
            for proposal in session.exec(select(Proposal).where(Proposal.contact_id == contact_id)):
                search.refresh(session, proposal=proposal)


def next_reference(session: Session, *, platform_id: str, prefix: str, year: int) -> str:
    """`PREFIX-YEAR-NNNNN`, race-free: the counter row is incremented atomically.

    On PostgreSQL the UPDATE takes a row lock that concurrent submits wait for; on SQLite
    the write lock serialises them.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReferenceCounter)
        .values(platform_id=platform_id, year=year, value=0)
        .on_conflict_do_nothing()
    )
    value = session.execute(
        update(ReferenceCounter)
        .where(col(ReferenceCounter.platform_id) == platform_id, col(ReferenceCounter.year) == year)
        .values(value=ReferenceCounter.value + 1)
        .returning(col(ReferenceCounter.value))
    ).scalar_one()
    return f"{prefix}-{year}-{value:05d}"


def file_proposal(
    session: Session,
    *,
    platform_id: str,
    prefix: str,
    contact_id: int,
    channel: str,
    language: str,
    track: str,
    title: str,
    organisation: str,
    received_at: dt.datetime,
    due_date: dt.date,
    record: dict[str, Any],
    department: str | None = None,
    actor: str = "proposer",
    year: int | None = None,
) -> ProposalPublic:
    """File a proposal with a fresh reference number and its first history entry.

    `year` is the reference year on the desk's clock (the caller knows the platform's time
    zone); without it, `received_at` is read in Asia/Tokyo, the zone of both sample desks,
    never in UTC (where 1 January 08:00 in Tokyo would still be last year).
    """
    if year is None:
        year = received_at.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).year
    reference = next_reference(session, platform_id=platform_id, prefix=prefix, year=year)
    record = {**record, "reference": reference}
    summary = str((record.get("content") or {}).get("summary", ""))
    proposal = Proposal(
        platform_id=platform_id,
        reference=reference,
        contact_id=contact_id,
        channel=channel,
        language=language,
        track=track,
        title=title,
        organisation=organisation,
        department=department,
        received_at=received_at,
        due_date=due_date,
        record=record,
        search_text=searchable(title, summary, organisation),
    )
    session.add(proposal)
    session.flush()
    assert proposal.id is not None
    session.add(
        ProposalEvent(proposal_id=proposal.id, actor=actor, to_status="received", note="filed")
    )
    search.refresh(session, proposal=proposal)  # folded text, organisation key, trigram row
    duplicates.link_on_filing(session, proposal=proposal)
    return ProposalPublic.model_validate(proposal, from_attributes=True)


def searchable(*parts: str) -> str:
    """Text for substring search: NFKC (full-width to half-width) and lower-cased."""
    return unicodedata.normalize("NFKC", " ".join(parts)).lower()


def find_proposal(
    session: Session, *, reference: str, platform_id: str | None = None
) -> ProposalPublic | None:
    """A proposal by reference (optionally within one platform)."""
    query = select(Proposal).where(Proposal.reference == reference)
    if platform_id:
        query = query.where(Proposal.platform_id == platform_id)
    row = session.exec(query).first()
    return None if row is None else ProposalPublic.model_validate(row, from_attributes=True)


def list_proposals(
    session: Session, *, platform_id: str | None = None, status: str | None = None
) -> list[ProposalPublic]:
    """Proposals, newest first, optionally filtered."""
    query = select(Proposal).order_by(col(Proposal.id).desc())
    if platform_id:
        query = query.where(Proposal.platform_id == platform_id)
    if status:
        query = query.where(Proposal.status == status)
    return [ProposalPublic.model_validate(p, from_attributes=True) for p in session.exec(query)]


def proposal_history(session: Session, *, proposal_id: int) -> list[ProposalEventPublic]:
    """A proposal's status history, oldest first."""
    rows = session.exec(
        select(ProposalEvent)
        .where(ProposalEvent.proposal_id == proposal_id)
        .order_by(col(ProposalEvent.id))
    )
    return [ProposalEventPublic.model_validate(r, from_attributes=True) for r in rows]


def file_inquiry(
    session: Session,
    *,
    platform_id: str,
    contact_id: int,
    conversation_id: int,
    question: str,
    language: str,
) -> int:
    """Hand a member question to staff; returns the inquiry id."""
    inquiry = Inquiry(
        platform_id=platform_id,
        contact_id=contact_id,
        conversation_id=conversation_id,
        question=question,
        language=language,
    )
    session.add(inquiry)
    session.flush()
    assert inquiry.id is not None
    return inquiry.id


def list_inquiries(session: Session, *, platform_id: str | None = None) -> list[Inquiry]:
    """Inquiries, oldest first."""
    query = select(Inquiry).order_by(col(Inquiry.id))
    if platform_id:
        query = query.where(Inquiry.platform_id == platform_id)
    return list(session.exec(query))


def find_conversation(
    session: Session, *, platform_id: str, channel: str, user_key: str
) -> ConversationPublic | None:
    """The conversation of (platform, channel, user), if one exists."""
    row = session.exec(
        select(Conversation).where(
            Conversation.platform_id == platform_id,
            Conversation.channel == channel,
            Conversation.user_key == user_key,
        )
    ).first()
    return None if row is None else ConversationPublic.model_validate(row, from_attributes=True)


def messages_after(session: Session, *, conversation_id: int, after: int) -> list[Message]:
    """Transcript entries with id greater than `after`, oldest first."""
    return list(
        session.exec(
            select(Message)
            .where(Message.conversation_id == conversation_id, col(Message.id) > after)
            .order_by(col(Message.id))
        )
    )


def contact_address(session: Session, *, contact_id: int) -> tuple[str, str]:
    """(channel, user key) of a contact: where to reach them."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise LookupError(f"no contact {contact_id}")
    return contact.channel, contact.user_key
