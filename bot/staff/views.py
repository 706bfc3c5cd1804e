"""What the console pages show: the fixed notices, and the proposal read in one transaction."""

from __future__ import annotations

from typing import Any

from storage.store import SqlStore
from workflows.triage import StaffMember

# The only texts `?error=` and `?done=` can show: a code from the URL picks one, an
# unknown code shows nothing (so a crafted link cannot put words on our page).
ERRORS = {
    "credentials": "ユーザー名またはパスワードが違います。",
    "throttled": "試行回数が多すぎます。15分後にお試しください。",
    "transition": "その状態には変更できません（手続きの順序に沿っていません）。",
    "reason": "見送りには理由の記入が必要です。",
    "assignee": "その担当者はこの窓口を担当していません。",
    "department": "その部署はこの窓口にありません。",
    "empty": "内容が空です。入力してから送ってください。",
    "not_found": "対象が見つかりません（すでに処理されたか、権限がありません）。",
    "refused": "この操作はできませんでした。",
}
DONE = {
    "status": "状態を変更しました。",
    "assign": "担当者を設定しました。",
    "department": "部署を設定しました。",
    "note": "内部メモを記録しました。",
    "reply": "提案者に返信しました。",
    "answer": "問い合わせに回答しました。",
}

# How the console names an intake that ended without a proposal.
OUTCOME_LABELS = {
    "refused": "規則により受付できず",
    "abandoned": "途中で終了",
}


def refusal_code(exc: Exception) -> str:
    """The `?error=` code for a refused action."""
    code = getattr(exc, "code", "refused")
    return code if code in ERRORS else "refused"


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
