"""「重複として統合」: close a duplicate under the reference that goes on, without a decline.

The closed proposal becomes `merged`, both are linked, both histories say so, and its
proposer is told, in their language and through the outbox like any staff message, that the
proposal goes on under the other reference (never 見送り).
"""

from __future__ import annotations

import unicodedata

from workflows.record import Status
from workflows.texts import t
from workflows.triage import TRANSITIONS, Refused, StaffMember, Triage

# A proposal still being worked on may be merged; one that has ended may not.
MERGEABLE = frozenset(s for s, steps in TRANSITIONS.items() if steps)


def merge_duplicate(triage: Triage, staff: StaffMember, reference: str, into: str) -> str:
    """Close `reference` as a duplicate of `into` (same desk); returns the kept reference.

    Refused (`merge_target`) when `into` is not another proposal of the same desk that is
    still open, (`transition`) when `reference` has already ended.
    """
    kept_reference = unicodedata.normalize("NFKC", into[:40]).strip().upper()
    with triage.store.begin() as tx:
        closed = tx.proposal_in(reference=reference, platforms=staff.platforms)
        if closed is None:
            raise Refused(f"no proposal {reference}", code="not_found")
        kept = tx.proposal_in(reference=kept_reference, platforms=(closed.platform_id,))
        if kept is None or kept.id == closed.id or kept.status not in MERGEABLE:
            raise Refused(f"cannot merge into {kept_reference}", code="merge_target")
        if closed.status not in MERGEABLE:
            raise Refused(f"{closed.reference} has ended", code="transition")
        tx.link_merged(closed_id=closed.id, kept_id=kept.id, actor=staff.username)
        tx.update_proposal(
            proposal=closed,
            actor=staff.username,
            note=f"merged: {kept.reference}",
            staff_response=True,
            status=Status.MERGED.value,
        )
        tx.update_proposal(proposal=kept, actor=staff.username, note=f"merged: {closed.reference}")
        text = t(
            "notify.merged",
            closed.language,
            reference=closed.reference,
            title=closed.title,
            other=kept.reference,
        )
        triage._tell_proposer(tx, closed, text)  # the path of every message from staff
        return str(kept.reference)
