"""What the proposal page shows, read in one transaction."""

from __future__ import annotations

from typing import Any

from storage.store import SqlStore
from workflows.triage import StaffMember


def proposal_view(store: SqlStore, member: StaffMember, reference: str) -> dict[str, Any] | None:
    """The proposal, its transcript, history and assignable staff; None if not theirs."""
    with store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=member.platforms)
        if proposal is None:
            return None
        channel, user_key = tx.contact_address(contact_id=proposal.contact_id)
        conversation = tx.find_conversation(
            platform_id=proposal.platform_id, channel=channel, user_key=user_key
        )
        transcript = (
            [
                {"direction": m.direction, "text": m.text, "at": m.created_at}
                for m in tx.transcript(conversation_id=conversation.id)
            ]
            if conversation
            else []
        )
        public = tx.find_proposal(reference=reference, platform_id=proposal.platform_id)
        return {
            "proposal": public,
            "record": public.record,
            "transcript": transcript,
            "history": tx.proposal_history(proposal_id=proposal.id),
            "colleagues": [
                a.username for a in tx.staff_of_platform(platform_id=proposal.platform_id)
            ],
        }
