"""What the Slack staff channel shows: a post per proposal and per inquiry (re-rendered and
updated in place after every action), a follow-up notice, and the daily digest.

No contact data leaves for Slack: no summary, no names of proposers, and e-mail addresses and
phone numbers in a title or question are masked. Every post links to its own console page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from workflows.calendar import format_date
from workflows.texts import label
from workflows.triage import TRANSITIONS

CHANNEL = "slack"
# Bounded, linear patterns: an address, and 10-15 digits with separators between them (a
# separator is never a digit, so each digit has one way to match).
_EMAIL = re.compile(r"[^\s@<>&;:,]{1,64}@[^\s@<>&;:,]{1,253}")
_PHONE = re.compile(r"\+?\d(?:[\-‐－ー()（） ]{0,2}\d){9,14}")


def escape(text: object) -> str:
    """Text Slack shows as typed: no `<!channel>`, mention or link can come out of it.

    Slack's rule: only `&`, `<` and `>` are control characters in message text.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def redact(text: str) -> str:
    """Mask e-mail addresses and phone numbers (contact data stays in the console)."""
    return _PHONE.sub("［電話番号］", _EMAIL.sub("［メールアドレス］", text[:2000]))


def _section(text: str) -> dict[str, Any]:
    cut = text[:3000]
    if len(text) > 3000:  # never leave half an escape such as "&am" at the end
        cut = re.sub(r"&[a-z]{0,3}$", "", cut)
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _open(url: str, text: str = "コンソールで開く") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": "staff-open",
        "text": {"type": "plain_text", "text": text},
        "url": url,
    }


def proposal_post(
    proposal: Any,
    console_url: str,
    *,
    names: Mapping[str, str] | None = None,
    themes: Mapping[str, str] | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Blocks for a proposal as it stands: status, assignee, the console's actions.

    `names` maps usernames to display names; `themes` theme ids to Japanese labels; `actor`
    is who acted last and when (「山田 花子（2026/11/22 17:31）」), shown after an update.
    """
    names = names or {}
    url = f"{console_url}/staff/proposals/{proposal.reference}"
    content = proposal.record.get("content") or {}
    theme_names = "、".join((themes or {}).get(t, t) for t in content.get("themes") or [])
    options = [
        {
            "text": {"type": "plain_text", "text": label(s, "ja")},
            "value": f"{proposal.reference}|{s}",
        }
        for s in sorted(TRANSITIONS.get(proposal.status, set()))
        if s != "declined"  # declining needs a written reason: the console asks for it
    ]
    elements: list[dict[str, Any]] = []
    if options:
        elements.append(
            {
                "type": "button",
                "action_id": "staff-assign-me",
                "text": {"type": "plain_text", "text": "自分が担当"},
                "value": proposal.reference,
            }
        )
        elements.append(
            {
                "type": "static_select",
                "action_id": "staff-status",
                "placeholder": {"type": "plain_text", "text": "状態を変更"},
                "options": options,
            }
        )
    elements.append(_open(url))
    title = escape(redact(proposal.title))
    headline = (
        f"提案 <{url}|{escape(proposal.reference)}>「{title}」（{escape(proposal.organisation)}）"
    )
    assignee = names.get(proposal.assignee or "", proposal.assignee or "") or "未割当"
    awaiting = " ・ *提案者の返信待ち*" if getattr(proposal, "awaiting_staff_since", None) else ""
    state = (
        f"状態：*{label(proposal.status, 'ja')}* ・ 担当：*{escape(assignee)}* ・ "
        f"期限 {format_date(proposal.due_date, 'ja')}{awaiting}"
    )
    lines = [_section(f"*{headline}*\n{state}")]
    if theme_names:
        lines.append(_context(f"テーマ：{escape(theme_names)}"))
    if actor:
        lines.append(_context(f"最終更新：{escape(actor)}"))
    status = label(proposal.status, "ja")
    text = f"提案 {proposal.reference}「{title}」{status}・担当 {escape(assignee)}"
    return {"text": text, "blocks": [*lines, {"type": "actions", "elements": elements}]}


def inquiry_post(
    inquiry: Any, console_url: str, *, names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Blocks for a member question handed to staff, linking to its own page."""
    url = f"{console_url}/staff/inquiries/{inquiry.id}"
    question = escape(redact(inquiry.question))[:1500]
    if inquiry.status == "open":
        state = "状態：*対応中*"
    else:
        by = (names or {}).get(inquiry.answered_by or "", inquiry.answered_by or "")
        state = f"状態：*回答済み*（{escape(by)}）"
    text = f"問い合わせ Q-{inquiry.id}：{question}"
    return {
        "text": text[:3000],
        "blocks": [
            _section(f"*問い合わせ <{url}|Q-{inquiry.id}>*\n{question}\n{state}"),
            {"type": "actions", "elements": [_open(url)]},
        ],
    }


def followup_post(
    proposal: Any, console_url: str, *, mention: str | None, assignee: str | None
) -> dict[str, Any]:
    """A proposer wrote again about an open proposal: tell its assignee (never what was
    written: the console shows it)."""
    url = f"{console_url}/staff/proposals/{proposal.reference}"
    who = f"<@{mention}> " if mention else (f"{escape(assignee)}さん " if assignee else "")
    text = (
        f"{who}提案 <{url}|{escape(proposal.reference)}>「{escape(redact(proposal.title))}」に"
        "提案者から追加の連絡がありました（返信待ち）。"
    )
    return {
        "text": text,
        "blocks": [_section(text), {"type": "actions", "elements": [_open(url, "内容を見る")]}],
    }


def digest_post(rows: list[Any], console_url: str, today: dt.date) -> dict[str, Any]:
    """The daily digest of overdue proposals."""
    day = format_date(today, "ja")
    if not rows:
        text = f"{day}：期限を過ぎた提案はありません。"
        return {"text": text, "blocks": [_section(text)]}
    lines = [
        f"• <{console_url}/staff/proposals/{r.reference}|{r.reference}> "
        f"{escape(redact(r.title))}"
        f"（期限 {format_date(r.due_date, 'ja')}、{label(r.status, 'ja')}、"
        f"担当 {escape(r.assignee or '未割当')}）"
        for r in rows
    ]
    text = f"{day}：期限を過ぎた提案 {len(rows)} 件"
    return {"text": text, "blocks": [_section(f"*{text}*"), _section("\n".join(lines))]}
