"""Proposals that belong together: possible duplicates, read in both directions, and merges.

At filing, a proposal is linked to every earlier proposal of its desk that the intake found
reading almost the same (`similar`, with the score) and to every earlier one from the same
organisation (`same_organisation`: equal `org_key`, so 「（株）ハマテック」 and
「株式会社ハマテック」 agree). A link is stored once and read from either side. A merge
(`merged`) records that `proposal_id` was closed and is handled under `other_id`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from storage.models import Proposal, ProposalLink

SIMILAR = "similar"
SAME_ORGANISATION = "same_organisation"
MERGED = "merged"
OPEN = ("received", "screening", "in_dialogue", "department_review")  # as storage.staff
# An organisation key shorter than this (say 「市」) says nothing about who proposes.
MIN_ORG_KEY = 2


def link_on_filing(session: Session, *, proposal: Proposal) -> int:
    """Link a newly filed proposal to its possible duplicates; returns how many links."""
    found: dict[tuple[int, str], float | None] = {}
    if len(proposal.org_key) >= MIN_ORG_KEY:
        same = session.exec(
            select(Proposal.id).where(
                Proposal.platform_id == proposal.platform_id,
                Proposal.org_key == proposal.org_key,
                col(Proposal.id) != proposal.id,
            )
        )
        for other_id in same:
            if other_id is not None:
                found[(other_id, SAME_ORGANISATION)] = None
    similar = (proposal.record.get("triage") or {}).get("possible_duplicates") or []
    scores = {str(d.get("reference")): d.get("score") for d in similar if isinstance(d, dict)}
    if scores:
        rows = session.exec(
            select(Proposal.id, Proposal.reference).where(
                Proposal.platform_id == proposal.platform_id,
                col(Proposal.reference).in_(list(scores)),
                col(Proposal.id) != proposal.id,
            )
        )
        for other_id, reference in rows:
            if other_id is not None:
                found[(other_id, SIMILAR)] = scores.get(reference)
    for (other_id, kind), score in found.items():
        session.add(
            ProposalLink(proposal_id=proposal.id or 0, other_id=other_id, kind=kind, score=score)
        )
    session.flush()
    return len(found)


def _links(session: Session, ids: list[int]) -> list[ProposalLink]:
    return list(
        session.exec(
            select(ProposalLink).where(
                or_(col(ProposalLink.proposal_id).in_(ids), col(ProposalLink.other_id).in_(ids))
            )
        )
    )


def links_of(session: Session, *, proposal_id: int) -> list[dict[str, Any]]:
    """The proposals linked to one, from either side, oldest link first.

    Each: reference, title, organisation, status, kind, score, and for a merge `merged_into`
    (this one was closed into the other) or `merged_from` (the other was closed into this).
    """
    rows = _links(session, [proposal_id])
    others = {r.other_id if r.proposal_id == proposal_id else r.proposal_id for r in rows}
    proposals = {
        p.id: p for p in session.exec(select(Proposal).where(col(Proposal.id).in_(others)))
    }
    found: dict[int, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.id or 0):
        other_id = row.other_id if row.proposal_id == proposal_id else row.proposal_id
        other = proposals.get(other_id)
        if other is None:
            continue
        entry = found.setdefault(
            other_id,
            {
                "reference": other.reference,
                "title": other.title,
                "organisation": other.organisation,
                "status": other.status,
                "kinds": [],
                "score": None,
                "merged": None,
            },
        )
        if row.kind == MERGED:
            entry["merged"] = "merged_into" if row.proposal_id == proposal_id else "merged_from"
        else:
            entry["kinds"].append(row.kind)
            entry["score"] = row.score if row.score is not None else entry["score"]
    return list(found.values())


def open_duplicate_counts(session: Session, *, ids: list[int]) -> dict[int, int]:
    """For the queue's badge: for each open proposal, how many possible duplicates it has
    that are still open and not merged with it."""
    if not ids:
        return {}
    rows = _links(session, ids)
    merged = {frozenset((r.proposal_id, r.other_id)) for r in rows if r.kind == MERGED}
    wanted = set(ids)
    pairs: dict[int, set[int]] = {}
    for row in rows:
        pair = frozenset((row.proposal_id, row.other_id))
        if row.kind == MERGED or pair in merged:
            continue
        for one, other in ((row.proposal_id, row.other_id), (row.other_id, row.proposal_id)):
            if one in wanted:
                pairs.setdefault(one, set()).add(other)
    # Only proposals still being worked on count, on either side: a company's earlier,
    # finished proposal is listed on the page but is no reason for a badge.
    everyone = set(pairs) | {o for s in pairs.values() for o in s}
    still_open = set(
        session.exec(
            select(Proposal.id).where(
                col(Proposal.id).in_(everyone), col(Proposal.status).in_(OPEN)
            )
        )
    )
    return {k: len(v & still_open) for k, v in pairs.items() if k in still_open and v & still_open}


def link_merged(session: Session, *, closed_id: int, kept_id: int, actor: str) -> None:
    """Record that `closed_id` is handled under `kept_id`."""
    session.add(
        ProposalLink(proposal_id=closed_id, other_id=kept_id, kind=MERGED, created_by=actor)
    )
    session.flush()
