"""Search that forgives: folded text per proposal and the queue's matching clause.

Folding makes the ways people write one name the same string: NFKC (full-width Latin and
half-width kana alike), lower case, katakana as hiragana, legal forms dropped
（株）/㈱/株式会社/(有)/NPO法人…, spaces and middle dots removed. A query matches a proposal
whose folded text contains the folded query, or (from five characters) a string one edit
away: one letter wrong, missing or extra. Those one-edit patterns run on a trigram index,
pg_trgm's GIN index on PostgreSQL and an FTS5 trigram table on SQLite, which the repository
keeps up to date on every write (`refresh`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import column, or_, table, text, union
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage.models import Contact, Proposal, ProposalEvent

FTS_TABLE = "proposal_search"
# Bounds: a query beyond this is cut; a proposal's folded text is at most this long.
QUERY_LIMIT = 100
TEXT_LIMIT = 20_000
# One-edit tolerance for folded queries of this many characters (shorter ones: exact only;
# longer ones: 3n+1 patterns would get long, and a long query is rarely mistyped everywhere).
FUZZY_MIN, FUZZY_MAX = 5, 24
# Fields in the folded text are separated so that no match spans two of them.
SEPARATOR = "|"
# The event notes worth finding: internal notes, replies and the proposer's follow-ups.
NOTE_PREFIXES = ("note:", "reply:", "followup:")

_LEGAL_FORMS = (
    "特定非営利活動法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "国立大学法人",
    "独立行政法人",
    "社会福祉法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "npo法人",
    "学校法人",
    "医療法人",
    "(特非)",
    "(一社)",
    "(一財)",
    "(公社)",
    "(公財)",
    "(株)",
    "(有)",
    "(同)",
    "(資)",
    "(名)",
    "(社)",
    "(財)",
    "(医)",
    "(福)",
    "(学)",
)
# Literal alternatives only (linear); Latin forms as whole words.
_LEGAL = re.compile(
    "|".join(re.escape(f) for f in _LEGAL_FORMS)
    + r"|\b(?:co\.,? ?ltd\.?|inc\.|inc\b|ltd\.|ltd\b|llc\b|corp\.|corporation\b|k\.k\.)"
)
_SPACES = re.compile(r"[\s・･]+")
_TRIGRAM_RUN = re.compile(r"[^%_]{3}")
_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def fold(value: str, *, limit: int = TEXT_LIMIT) -> str:
    """The searchable form of a text (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", value[:limit]).lower().translate(_KATAKANA)
    return _SPACES.sub("", _LEGAL.sub(" ", folded))


def org_key(name: str | None) -> str:
    """An organisation's folded name: 「（株）ハマテック」 and 「株式会社 ﾊﾏﾃｯｸ」 agree."""
    return fold(name or "", limit=200)[:200]


def search_text(
    *,
    title: str,
    organisation: str,
    record: dict[str, Any],
    contact_name: str | None,
    contact_email: str | None,
    notes: Iterable[str],
) -> str:
    """A proposal's folded text: title, summary, organisation, contact names and e-mails,
    and the notes, replies and follow-ups of its history."""
    proposer = record.get("proposer") or {}
    parts = [
        title,
        str((record.get("content") or {}).get("summary") or ""),
        organisation,
        str(proposer.get("contact_name") or ""),
        str(proposer.get("email") or ""),
        contact_name or "",
        contact_email or "",
        *(_written(n) for n in notes),
    ]
    folded = SEPARATOR.join(f for p in parts if p and (f := fold(p)))
    return folded[:TEXT_LIMIT]


def _written(note: str) -> str:
    """What a person wrote in a history note ("assignee=x; note: 電話済み" → "電話済み")."""
    for prefix in NOTE_PREFIXES:
        if note.startswith(prefix):
            return note[len(prefix) :]
        at = note.find("; " + prefix)
        if at >= 0:
            return note[at + 2 + len(prefix) :]
    return ""


def refresh(session: Session, *, proposal: Proposal, with_contact: bool = True) -> None:
    """Recompute a proposal's folded text and organisation key, and its trigram row
    (`with_contact=False` once retention has removed the proposer's personal data)."""
    if with_contact:
        session.flush()
    # Columns, not the ORM object: an UPDATE a moment ago (update_contact) is seen as it is.
    # No autoflush: the proposal's pending changes and its search text go out as one UPDATE.
    # (On PostgreSQL a second UPDATE of a row this transaction already updated re-checks its
    # foreign keys, which waits on a contact a running turn holds FOR UPDATE.)
    with session.no_autoflush:
        contact = (
            session.exec(
                select(Contact.display_name, Contact.email).where(Contact.id == proposal.contact_id)
            ).first()
            if with_contact
            else None
        )
        notes = list(
            session.exec(
                select(ProposalEvent.note).where(
                    ProposalEvent.proposal_id == proposal.id,
                    col(ProposalEvent.note).is_not(None),
                )
            )
        )
    proposal.search_text = search_text(
        title=proposal.title,
        organisation=proposal.organisation,
        record=proposal.record,
        contact_name=contact[0] if contact else None,
        contact_email=contact[1] if contact else None,
        notes=[n for n in notes if n],
    )
    proposal.org_key = org_key(proposal.organisation)
    session.add(proposal)
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": proposal.id})
        session.execute(
            text(f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (:id, :t)"),
            {"id": proposal.id, "t": proposal.search_text},
        )


def _like(fragment: str) -> str:
    """A LIKE pattern's literal part (backslash escapes, used with ESCAPE '\\')."""
    return fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def one_edit_patterns(needle: str) -> list[str]:
    """LIKE patterns for every string one edit from `needle` (substitution, deletion,
    insertion), each as a substring: `%はま_っく%`, `%はまっく%`, `%はま_てっく%`…"""
    chars = [_like(c) for c in needle]
    patterns = set()
    for i in range(len(chars)):
        patterns.add("".join(chars[:i]) + "_" + "".join(chars[i + 1 :]))
        patterns.add("".join(chars[:i]) + "".join(chars[i + 1 :]))
    for i in range(len(chars) + 1):
        patterns.add("".join(chars[:i]) + "_" + "".join(chars[i:]))
    return sorted(f"%{p}%" for p in patterns)


def matching(session: Session, query: str) -> ColumnElement[bool] | None:
    """The queue's clause for a search (None for a blank one): the folded text contains the
    folded query (or a one-edit variant of it), or the reference contains what was typed."""
    needle = fold(query, limit=QUERY_LIMIT)
    typed = unicodedata.normalize("NFKC", query[:QUERY_LIMIT]).strip().upper()
    if not needle and not typed:
        return None
    by_reference = col(Proposal.reference).like(f"%{_like(typed)}%", escape="\\")
    if not needle:
        return by_reference
    patterns = [f"%{_like(needle)}%"]
    if FUZZY_MIN <= len(needle) <= FUZZY_MAX:
        patterns += one_edit_patterns(needle)
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's FTS5 trigram table answers a plain LIKE holding three characters in a row
        # from its index (and matches nothing for shorter ones); the others read the column.
        # One SELECT per pattern, united: an OR of LIKEs would read the whole table.
        indexed = [p for p in patterns if _TRIGRAM_RUN.search(p)] if needle == _like(needle) else []
        fts = table(FTS_TABLE, column("rowid"), column("search_text"))
        parts: list[Any] = [select(fts.c.rowid).where(fts.c.search_text.like(p)) for p in indexed]
        parts += [
            select(Proposal.id).where(col(Proposal.search_text).like(p, escape="\\"))
            for p in patterns
            if p not in indexed
        ]
        found: ColumnElement[bool] = col(Proposal.id).in_(
            union(*parts) if len(parts) > 1 else parts[0]
        )
    else:
        # pg_trgm's GIN index (ix_proposal_search_trgm) serves these LIKEs when the planner
        # finds it cheaper than one pass over the table (a desk of a few thousand reads the
        # table once; see make bench). PostgreSQL's LIKE treats a backslash as an escape
        # anyway, so it is always named.
        found = or_(*(col(Proposal.search_text).like(p, escape="\\") for p in patterns))
    return or_(found, by_reference)
