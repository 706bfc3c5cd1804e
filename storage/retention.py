"""Retention: delete or anonymise what we keep about proposers once it is no longer needed.

After `days` without activity, a conversation with nothing open (no open proposal of its
contact, no unanswered inquiry, no reply still to send) loses its transcript, its dialogue
state and its contact details; closed proposals lose the proposer's name, e-mail and phone
(organisation and title stay, for statistics); finished inbox and outbox rows, which hold
message text, are deleted.

Work is done in small batches, one transaction each, so that a run from cron holds the
database only briefly while the server keeps answering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, or_, text, update
from sqlalchemy.engine import Engine, Row
from sqlmodel import Session, col, select

from storage import accounts, intakes, search
from storage.attachment_retention import remove_attachments
from storage.models import (
    Contact,
    Conversation,
    InboundEvent,
    Inquiry,
    Message,
    Outbox,
    Proposal,
    utcnow,
)

__all__ = ["CLOSED_PROPOSALS", "RetentionCounts", "apply_retention"]

# workflows.record.Status: any other status (including one added later) counts as open.
CLOSED_PROPOSALS = ("agreed", "declined", "withdrawn", "merged")
ANSWERED_INQUIRIES = ("answered",)
FINISHED_INBOUND = ("done", "failed")
FINISHED_OUTBOX = ("sent", "dead")
CONTACT_FIELDS = ("display_name", "organisation", "email", "phone")
PROPOSER_FIELDS = ("contact_name", "email", "phone")  # organisation_name stays
BATCH = 200


@dataclasses.dataclass
class RetentionCounts:
    """How many rows of each kind were (or, in a dry run, would be) deleted or anonymised."""

    conversations: int = 0  # cleared: any of transcript, dialogue state, contact, inquiries
    messages: int = 0  # transcript messages deleted
    contacts: int = 0  # contacts anonymised
    inquiries: int = 0  # answered inquiries whose question and answer were removed
    proposals: int = 0  # closed proposals whose record lost the proposer's contact details
    inbound_events: int = 0  # processed or quarantined webhook events deleted
    outbox: int = 0  # sent or dead-lettered replies deleted
    intake_outcomes: int = 0  # refused or abandoned intakes (what the proposer typed) deleted
    sign_ins: int = 0  # expired staff sessions and run-out sign-in throttle windows deleted
    attachments: int = 0  # proposers' files (rows) deleted: storage.attachment_retention
    attachment_files: int = 0  # files removed from the data directory

    def as_dict(self) -> dict[str, int]:
        """The counts by kind."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class _Batch:
    session: Session
    cutoff: dt.datetime
    after: int
    limit: int
    counts: RetentionCounts
    reset_state: str

    def locked(self, query: Any, of: Any) -> Any:
        """On PostgreSQL, lock the rows; rows a running turn holds are left for next time."""
        if self.session.get_bind().dialect.name == "postgresql":
            return query.with_for_update(of=of, skip_locked=True)
        return query


Step = Callable[[_Batch], "int | None"]


def apply_retention(
    engine: Engine,
    *,
    days: int,
    reset_state: str,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH,
    data_dir: Path | None = None,
) -> RetentionCounts:
    """Apply the retention rule for `days` (0 keeps everything); a dry run only counts.

    `reset_state` is the dialogue state a cleared conversation starts again from; with
    `data_dir`, the proposers' files go by the same rule (`storage.attachment_retention`).
    """
    counts = RetentionCounts()
    with Session(engine) as session, session.begin():
        # Not personal data kept for a purpose: gone whatever `days` says.
        counts.sign_ins = accounts.purge_stale(
            session, now=now or utcnow(), window=accounts.THROTTLE_WINDOW
        )
        if dry_run:
            session.rollback()
    if days <= 0:
        return counts
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    with Session(engine) as session, session.begin():
        counts.intake_outcomes = intakes.purge_intake_outcomes(session, before=cutoff)
        if dry_run:
            session.rollback()
    steps: Sequence[Step] = (_conversations, _proposals, _inbound, _outbox)
    for step in steps:
        after: int | None = 0
        while after is not None:
            with Session(engine) as session:
                transaction = session.begin()
                try:
                    _take_write_lock(session)
                    batch = _Batch(session, cutoff, after, batch_size, counts, reset_state)
                    after = step(batch)
                except BaseException:
                    transaction.rollback()
                    raise
                if dry_run:
                    transaction.rollback()
                else:
                    transaction.commit()
    if data_dir is not None:
        _attachments(engine, cutoff=cutoff, data_dir=data_dir, counts=counts, dry_run=dry_run)
    return counts


def _attachments(
    engine: Engine, *, cutoff: dt.datetime, data_dir: Path, counts: RetentionCounts, dry_run: bool
) -> None:
    """After the steps above (cleared dialogues free their intakes' files)."""
    removed = remove_attachments(
        engine, cutoff=cutoff, data_dir=data_dir, closed=CLOSED_PROPOSALS, dry_run=dry_run
    )
    counts.attachments, counts.attachment_files = removed.rows, removed.files


def _take_write_lock(session: Session) -> None:
    """SQLite: write first, so that the batch's reads happen inside its write transaction.

    Then no turn of the server can commit between what the batch reads and what it changes
    (and a transaction that had read first could not write after such a commit at all).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE platform SET id = id WHERE 1 = 0"))


def _conversations(batch: _Batch) -> int | None:
    found = _idle_conversations(batch)
    if not found:
        return None
    # A contact a running turn is updating is left for the next run: waiting for its lock
    # while holding the conversation's could deadlock with that turn.
    candidates = select(Contact.id).where(col(Contact.id).in_({row.contact_id for row in found}))
    lockable = set(batch.session.execute(batch.locked(candidates, Contact)).scalars())
    rows = [row for row in found if row.contact_id in lockable]
    cleared = (
        _delete_transcripts(batch, rows)
        | _reset_dialogues(batch, rows)
        | _anonymise_contacts(batch, rows)
        | _clear_inquiries(batch, rows)
    )
    batch.counts.conversations += len(cleared)
    return int(found[-1].id)


def _idle_conversations(batch: _Batch) -> Sequence[Row[Any]]:
    """The next conversations idle since before the cutoff with nothing open, locked."""
    open_proposal = exists().where(
        col(Proposal.contact_id) == col(Conversation.contact_id),
        col(Proposal.status).not_in(CLOSED_PROPOSALS),
    )
    open_inquiry = exists().where(
        col(Inquiry.conversation_id) == col(Conversation.id),
        col(Inquiry.status).not_in(ANSWERED_INQUIRIES),
    )
    unsent = exists().where(
        col(Outbox.conversation_id) == col(Conversation.id),
        col(Outbox.status).not_in(FINISHED_OUTBOX),
    )
    query = (
        select(Conversation.id, Conversation.contact_id, Conversation.slots, Conversation.state)
        .where(
            col(Conversation.id) > batch.after,
            col(Conversation.updated_at) < batch.cutoff,
            ~open_proposal,
            ~open_inquiry,
            ~unsent,
        )
        .order_by(col(Conversation.id))
        .limit(batch.limit)
    )
    return batch.session.execute(batch.locked(query, Conversation)).all()


def _delete_transcripts(batch: _Batch, rows: Sequence[Row[Any]]) -> set[int]:
    ids = [row.id for row in rows]
    having = select(Message.conversation_id).where(col(Message.conversation_id).in_(ids))
    changed = set(batch.session.execute(having.distinct()).scalars())
    deleted = batch.session.execute(delete(Message).where(col(Message.conversation_id).in_(ids)))
    batch.counts.messages += int(deleted.rowcount or 0)  # type: ignore[attr-defined]
    return changed


def _reset_dialogues(batch: _Batch, rows: Sequence[Row[Any]]) -> set[int]:
    changed = {row.id for row in rows if row.slots or row.state != batch.reset_state}
    if changed:
        batch.session.execute(
            update(Conversation)
            .where(col(Conversation.id).in_(changed))
            .values(slots={}, state=batch.reset_state)
        )
    return changed


def _anonymise_contacts(batch: _Batch, rows: Sequence[Row[Any]]) -> set[int]:
    identified = or_(*(col(getattr(Contact, name)).is_not(None) for name in CONTACT_FIELDS))
    query = select(Contact.id).where(
        col(Contact.id).in_({row.contact_id for row in rows}), identified
    )
    contacts = set(batch.session.execute(query).scalars())
    if contacts:
        batch.session.execute(
            update(Contact)
            .where(col(Contact.id).in_(contacts))
            .values(**dict.fromkeys(CONTACT_FIELDS))
        )
        batch.counts.contacts += len(contacts)
    return {row.id for row in rows if row.contact_id in contacts}


def _clear_inquiries(batch: _Batch, rows: Sequence[Row[Any]]) -> set[int]:
    inquiries = batch.session.execute(
        select(Inquiry.id, Inquiry.conversation_id).where(
            col(Inquiry.conversation_id).in_([row.id for row in rows]),
            col(Inquiry.status).in_(ANSWERED_INQUIRIES),
            (col(Inquiry.question) != "") | col(Inquiry.answer).is_not(None),
        )
    ).all()
    if inquiries:
        batch.session.execute(
            update(Inquiry)
            .where(col(Inquiry.id).in_([i for i, _ in inquiries]))
            .values(question="", answer=None)
        )
        batch.counts.inquiries += len(inquiries)
    return {conversation for _, conversation in inquiries}


def _proposals(batch: _Batch) -> int | None:
    query = (
        select(Proposal.id, Proposal.record)
        .where(
            col(Proposal.id) > batch.after,
            col(Proposal.status).in_(CLOSED_PROPOSALS),
            col(Proposal.updated_at) < batch.cutoff,
        )
        .order_by(col(Proposal.id))
        .limit(batch.limit)
    )
    rows = batch.session.execute(batch.locked(query, Proposal)).all()
    if not rows:
        return None
    for proposal_id, record in rows:
        proposer = dict(record.get("proposer") or {})
        if all(proposer.get(name) is None for name in PROPOSER_FIELDS):
            continue
        proposer.update(dict.fromkeys(PROPOSER_FIELDS))
        anonymised = batch.session.get(Proposal, proposal_id)
        if anonymised is None:
            continue
        anonymised.record = {**record, "proposer": proposer}
        # Names and e-mails leave the search text too, in the same UPDATE as the record.
        search.refresh(batch.session, proposal=anonymised, with_contact=False)
        batch.counts.proposals += 1
    return int(rows[-1][0])


def _inbound(batch: _Batch) -> int | None:
    ids = (
        batch.session.execute(
            select(InboundEvent.id)
            .where(
                col(InboundEvent.id) > batch.after,
                or_(
                    col(InboundEvent.status).in_(FINISHED_INBOUND),
                    col(InboundEvent.processed_at).is_not(None),
                ),
                col(InboundEvent.received_at) < batch.cutoff,
            )
            .order_by(col(InboundEvent.id))
            .limit(batch.limit)
        )
        .scalars()
        .all()
    )
    if not ids:
        return None
    batch.session.execute(delete(InboundEvent).where(col(InboundEvent.id).in_(ids)))
    batch.counts.inbound_events += len(ids)
    return int(ids[-1])


def _outbox(batch: _Batch) -> int | None:
    ids = (
        batch.session.execute(
            select(Outbox.id)
            .where(
                col(Outbox.id) > batch.after,
                col(Outbox.status).in_(FINISHED_OUTBOX),
                col(Outbox.created_at) < batch.cutoff,
            )
            .order_by(col(Outbox.id))
            .limit(batch.limit)
        )
        .scalars()
        .all()
    )
    if not ids:
        return None
    batch.session.execute(delete(Outbox).where(col(Outbox.id).in_(ids)))
    batch.counts.outbox += len(ids)
    return int(ids[-1])
