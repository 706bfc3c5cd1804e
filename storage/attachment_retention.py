"""Retention for the files proposers sent: rows in small transactions, files after the commit.

The rules are retention's own (`storage.retention`), applied to attachments older than the
cutoff:

- listed by a proposal (its record's `content.attachments`): deleted once every proposal
  listing it is closed and untouched since before the cutoff (what retention anonymises);
- listed by no proposal and no longer in its conversation's dialogue state (an intake that
  was abandoned or cancelled, or a conversation retention has just cleared): an orphan,
  deleted;
- still in its conversation's dialogue state (an intake under way): kept.

Files are content-addressed (`attachments/<platform>/<xx>/<sha256><ext>`), so one file may
back several rows: once the rows are committed, the attachments folder is swept and a file
is removed only when no row names it and it was last written before the cutoff (which also
removes files stored for a turn that never recorded them). A file is first renamed aside
and its time looked at again, so one the channels are storing again at that moment
(`storage.attachments.store_bytes` refreshes its time) is put back, never lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text
from sqlalchemy.engine import Engine, Row
from sqlmodel import Session, col, select

from storage.attachments import attachment_ids
from storage.models import Attachment, Conversation, Proposal

__all__ = ["AttachmentCounts", "remove_attachments", "sweep_files"]

FOLDER = "attachments"
SWEEP_BATCH = 500


@dataclasses.dataclass
class AttachmentCounts:
    """Rows deleted and files removed (or, in a dry run, that would be)."""

    rows: int = 0
    files: int = 0


def remove_attachments(
    engine: Engine,
    *,
    cutoff: dt.datetime,
    data_dir: Path,
    closed: Sequence[str],
    dry_run: bool = False,
    batch_size: int = 200,
) -> AttachmentCounts:
    """Delete the attachments retention no longer keeps, then the files no row names.

    `closed` are the proposal statuses retention treats as closed.
    """
    counts = AttachmentCounts()
    doomed: set[int] = set()  # a dry run keeps the rows: the sweep must not count them
    after: int | None = 0
    while after is not None:
        with Session(engine) as session:
            transaction = session.begin()
            try:
                if session.get_bind().dialect.name == "sqlite":
                    # Write first: no turn commits between what the batch reads and deletes.
                    session.execute(text("UPDATE platform SET id = id WHERE 1 = 0"))
                after, ids = _batch(
                    session, cutoff=cutoff, after=after, limit=batch_size, closed=closed
                )
                if ids:
                    session.execute(delete(Attachment).where(col(Attachment.id).in_(ids)))
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        counts.rows += len(ids)
        doomed.update(ids)
    counts.files = sweep_files(
        engine, data_dir=data_dir, before=cutoff, dry_run=dry_run, ignoring=doomed
    )
    return counts


def _locked(session: Session, query: Any, of: Any) -> Any:
    """On PostgreSQL, lock the rows; rows a running turn holds are left for next time."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(of=of, skip_locked=True)
    return query


def _batch(
    session: Session, *, cutoff: dt.datetime, after: int, limit: int, closed: Sequence[str]
) -> tuple[int | None, list[int]]:
    """(the last id looked at or None when done, the ids to delete) for one batch."""
    query = (
        select(Attachment.id, Attachment.conversation_id)
        .where(col(Attachment.id) > after, col(Attachment.created_at) < cutoff)
        .order_by(col(Attachment.id))
        .limit(limit)
    )
    rows: Sequence[Row[Any]] = session.execute(_locked(session, query, Attachment)).all()
    if not rows:
        return None, []
    # The conversation first (a turn filing the proposal holds it), then its proposals.
    wanted = select(Conversation.id, Conversation.contact_id, Conversation.slots).where(
        col(Conversation.id).in_({row.conversation_id for row in rows})
    )
    conversations = {c.id: c for c in session.execute(_locked(session, wanted, Conversation))}
    in_dialogue = {i for c in conversations.values() for i in _listed(c.slots)}
    contacts = {c.contact_id for c in conversations.values()}
    proposals = select(Proposal.id, Proposal.contact_id, Proposal.status, Proposal.updated_at)
    proposals = proposals.where(col(Proposal.contact_id).in_(contacts))
    everyone = session.execute(proposals).all()
    lockable = set(session.execute(_locked(session, proposals, Proposal)).scalars())
    busy = {p.contact_id for p in everyone if p.id not in lockable}
    with_records = select(Proposal.id, Proposal.record).where(col(Proposal.id).in_(lockable))
    # Not dict(result): a Result has keys() (its column names), so dict() reads it as a mapping.
    records: dict[int, Any] = {pid: record for pid, record in session.execute(with_records)}  # noqa: C416
    listed_by: dict[int, list[Any]] = {}
    for proposal in everyone:
        content = (records.get(proposal.id) or {}).get("content")
        entries = content.get("attachments") if isinstance(content, dict) else None
        for attachment in attachment_ids(entries if isinstance(entries, list) else []):
            listed_by.setdefault(attachment, []).append(proposal)
    ids = []
    for row in rows:
        conversation = conversations.get(row.conversation_id)
        if conversation is None or conversation.contact_id in busy:
            continue  # a running turn or staff save holds it: next run
        if row.id in listed_by:
            if all(p.status in closed and p.updated_at < cutoff for p in listed_by[row.id]):
                ids.append(int(row.id))
        elif row.id not in in_dialogue:
            ids.append(int(row.id))  # an orphan: the intake it came with ended unfiled
    return int(rows[-1].id), ids


def _listed(slots: Any) -> set[int]:
    """Attachment ids a conversation's dialogue state still lists (any list of entries)."""
    if not isinstance(slots, dict):
        return set()
    return {i for v in slots.values() if isinstance(v, list) for i in attachment_ids(v)}


def _files(root: Path) -> Iterator[Path]:
    """Every file under the attachments folder (symbolic links are not followed)."""
    for folder, _, names in os.walk(root):
        for name in names:
            yield Path(folder) / name


def sweep_files(
    engine: Engine,
    *,
    data_dir: Path,
    before: dt.datetime,
    dry_run: bool = False,
    ignoring: set[int] | None = None,
) -> int:
    """Remove the files under `<data_dir>/attachments` no row names, last written before
    `before`; the number removed (a dry run only counts, `ignoring` rows it would delete).
    """
    root = data_dir / FOLDER
    if not root.is_dir():
        return 0
    limit = before.timestamp()
    removed = 0
    batch: list[tuple[Path, str]] = []

    def settle() -> int:
        named = _named(engine, [relative for _, relative in batch], ignoring or set())
        done = 0
        for path, relative in batch:
            if relative not in named and (dry_run or _remove(path, limit=limit)):
                done += 1
        batch.clear()
        return done

    for path in _files(root):
        try:
            if path.is_symlink() or path.stat().st_mtime >= limit:
                continue
        except FileNotFoundError:
            continue
        batch.append((path, path.relative_to(data_dir).as_posix()))
        if len(batch) >= SWEEP_BATCH:
            removed += settle()
    return removed + (settle() if batch else 0)


def _named(engine: Engine, paths: list[str], ignoring: set[int]) -> set[str]:
    """The paths some attachment row names (rows in `ignoring` left out)."""
    query = select(Attachment.path).where(col(Attachment.path).in_(paths))
    if ignoring:
        query = query.where(col(Attachment.id).not_in(ignoring))
    with Session(engine) as session:
        return set(session.execute(query).scalars())


def _remove(path: Path, *, limit: float) -> bool:
    """Rename aside, look at the time again, then delete (or put back one stored again)."""
    aside = path.with_name(f"{path.name}.removing-{secrets.token_hex(4)}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return False
    if aside.stat().st_mtime >= limit:  # stored again between the look and the rename
        os.replace(aside, path)
        return False
    aside.unlink()
    return True
