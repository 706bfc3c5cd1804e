"""What the console pages show: the fixed notices, and the proposal read in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from knowledge import Platform
from storage import staff
from storage.staff import VIEWS, QueueFilter, Today, current_due, today_of
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
    "merge_target": "統合先が見つかりません。"
    "同じ窓口で対応中の、別の提案の受付番号を入力してください。",
    "stale": "この提案は、ページを開いた後にほかの人が変更しました。保存していません。"
    "下の変更内容を確認してから、もう一度保存してください。",
    "date": "日付を読み取れませんでした（2026/12/07 の形で入力してください）。",
    "selection": "提案を1件以上選んでください。",
    "too_long": "返信・メモ・理由は5,000字までです。"
    "保存していません（入力した文章はそのまま残してあります）。",
}
DONE = {
    "status": "状態を変更しました。",
    "assign": "担当者を設定しました。",
    "department": "部署を設定しました。",
    "note": "内部メモを記録しました。",
    "reply": "提案者に返信しました。",
    "answer": "問い合わせに回答しました。",
    "merge": "重複として統合しました。"
    "提案者には統合先の受付番号をお知らせしました（見送りの通知は送っていません）。",
    "reopen": "問い合わせを対応中に戻しました。",
    "triage": "保存しました。",
    "bulk": "選択した提案を変更しました。",
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


def queue_filter(params: Mapping[str, str], member: StaffMember) -> QueueFilter:
    """The queue's filters from a query string (the queue page's, or a proposal's `back`)."""
    platform = params.get("platform") or None
    platforms = (platform,) if platform in member.platforms else member.platforms
    if platform and platform not in member.platforms:
        platforms = ()
    page = params.get("page") or "1"
    view = params.get("view") or None
    return QueueFilter(
        platforms=platforms,
        status=params.get("status") or None,
        theme=params.get("theme") or None,
        department=params.get("department") or None,
        channel=params.get("channel") or None,
        overdue=params.get("overdue") == "1",
        query=(params.get("q") or "").strip()[:200] or None,
        sort=params.get("sort") or "received",
        page=max(int(page), 1) if page.isdigit() and len(page) < 6 else 1,
        view=view if view in VIEWS else None,
        assignee=params.get("assignee") or None,
        me=member.username,
    )


def clock(row: Any, today: Today) -> dict[str, Any]:
    """What the queue shows of a proposal's clocks: the current due date, days left (negative
    when overdue), whether a follow-up awaits staff, and the last activity."""
    due = current_due(row)
    days = (due - today_of(today, row.platform_id)).days if due is not None else None
    return {
        "due": due,
        "days": days,
        "late": days is not None and days < 0,
        "awaiting": row.awaiting_staff_since is not None and due is not None,
        "activity": row.last_activity_at or row.received_at,
    }


def neighbours(
    store: SqlStore, where: QueueFilter, today: Today, reference: str
) -> tuple[str | None, str | None]:
    """The previous and next proposal around `reference` in the filtered queue (any page)."""
    everything = QueueFilter(**{**where.__dict__, "page": 1, "per_page": 100_000})
    with store.begin() as tx:
        rows, _ = staff.queue(tx.session, where=everything, today=today)
    references = [r.reference for r in rows]
    if reference not in references:
        return None, None
    at = references.index(reference)
    before = references[at - 1] if at > 0 else None
    after = references[at + 1] if at + 1 < len(references) else None
    return before, after


def staff_names(store: SqlStore, platforms: tuple[str, ...]) -> dict[str, str]:
    """Username → display name of everyone on these desks (the console shows names)."""
    with store.begin() as tx:
        return {
            a.username: a.display_name
            for p in platforms
            for a in tx.staff_of_platform(platform_id=p)
        }


def proposal_view(
    store: SqlStore, member: StaffMember, reference: str, *, whole: bool = False
) -> dict[str, Any] | None:
    """The proposal, its part of the conversation (or all of it), history and colleagues."""
    with store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=member.platforms)
        if proposal is None:
            return None
        channel, user_key = tx.contact_address(contact_id=proposal.contact_id)
        conversation = tx.find_conversation(
            platform_id=proposal.platform_id, channel=channel, user_key=user_key
        )
        messages = tx.transcript(conversation_id=conversation.id) if conversation else []
        others = _others(tx, proposal)
        part = messages if whole else proposal_part(messages, proposal, others=others)
        public = tx.find_proposal(reference=reference, platform_id=proposal.platform_id)
        events = staff.history(tx.session, proposal_id=proposal.id or 0)
        return {
            "proposal": public,
            "record": public.record,
            "transcript": [
                {
                    "direction": m.direction,
                    "text": m.text,
                    "at": m.created_at,
                    "staff": m.direction == "out" and m.proposal_id is not None,
                }
                for m in part
            ],
            "whole": whole,
            "hidden": len(messages) - len(part),
            "history": events,
            "seen_event": max((e.id or 0 for e in events), default=0),
            "links": tx.links_of(proposal_id=proposal.id or 0),  # duplicates, both directions
            "colleagues": [
                (a.username, a.display_name)
                for a in tx.staff_of_platform(platform_id=proposal.platform_id)
            ],
        }


def _others(tx: Any, proposal: Any) -> list[dt.datetime]:
    """When the same proposer's other proposals on this desk were filed."""
    return [
        p.received_at
        for p in tx.list_proposals(platform_id=proposal.platform_id)
        if p.contact_id == proposal.contact_id and p.id != proposal.id
    ]


def proposal_part(messages: list[Any], proposal: Any, *, others: list[dt.datetime]) -> list[Any]:
    """This proposal's part of a conversation: its intake and what was said about it since.

    The intake runs from the proposer's previous filing (or the start) to this filing, plus
    the reply carrying its reference; afterwards, the messages attached to it (follow-ups,
    staff replies) and the desk's answers to such a follow-up.
    """
    received = _aware(proposal.received_at)
    start = max((_aware(o) for o in others if _aware(o) < received), default=None)
    part: list[Any] = []
    answering = False  # the desk's replies to this proposal's follow-up
    for message in messages:
        at = _aware(message.created_at)
        if message.proposal_id is not None:
            ours = message.proposal_id == proposal.id
            if ours:
                part.append(message)
            answering = ours and message.direction == "in"
            continue
        if answering and message.direction == "out":
            part.append(message)
            continue
        answering = False
        intake = (start is None or at > start) and at <= received
        filed = message.direction == "out" and at >= received and proposal.reference in message.text
        if intake or filed:
            part.append(message)
    return part


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def platform_options(platforms: Mapping[str, Platform], member: StaffMember, lang: str) -> Any:
    """Themes and departments of the member's desks as (id, label) pairs, for drop-downs."""
    themes: dict[str, str] = {}
    departments: dict[str, str] = {}
    for pid in member.platforms:
        platform = platforms.get(pid)
        if platform is None:
            continue
        for theme in platform.themes:
            themes.setdefault(theme.id, theme.label.get(lang))
        for department in platform.departments:
            departments.setdefault(department.id, department.name.get(lang))
    return sorted(themes.items(), key=lambda x: x[1]), sorted(
        departments.items(), key=lambda x: x[1]
    )
