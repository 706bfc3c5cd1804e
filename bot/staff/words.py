"""What the console says, in Japanese and English: one place for page words, history lines,
errors and banners. Japanese is the key; an account whose language is English reads `EN`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.staff.attachment_words import ATTACHMENTS_EN
from bot.staff.tool_words import TOOLS_EN
from knowledge import Platform
from workflows.texts import label

# Japanese page words → English (a word missing here shows in Japanese, never as an id).
EN: dict[str, str] = {
    "提案一覧": "Proposals",
    "問い合わせ": "Inquiries",
    "受付できなかった提案": "Intakes not accepted",
    "ダッシュボード": "Dashboard",
    "ログアウト": "Sign out",
    "窓口スタッフ": "Desk staff",
    "スタッフメニュー": "Staff menu",
    "すべて": "All",
    "自分の担当": "Mine",
    "未割当": "Unassigned",
    "返信待ち": "Awaiting staff",
    "期限超過": "Overdue",
    "窓口": "Desk",
    "状態": "Status",
    "テーマ": "Theme",
    "部署": "Department",
    "担当者": "Assignee",
    "チャネル": "Channel",
    "検索": "Search",
    "並び順": "Sort",
    "絞り込む": "Filter",
    "受付の新しい順": "Newest first",
    "受付の古い順": "Oldest first",
    "期限の近い順": "Due soonest",
    "最近の動き順": "Recent activity",
    "受付番号": "Reference",
    "受付日": "Received",
    "期限": "Due",
    "団体": "Organisation",
    "タイトル": "Title",
    "担当": "Assignee",
    "最後の動き": "Last activity",
    "選択": "Select",
    "選択した提案をまとめて変更": "Change the selected proposals",
    "担当者を変更しない": "Keep the assignee",
    "担当者（まとめて）": "Assignee (selected)",
    "状態（まとめて）": "Status (selected)",
    "期限超過のみ": "Overdue only",
    "CSVで書き出す": "Export CSV",
    "JSONで書き出す": "Export JSON",
    "タイトル・概要・団体名": "Title, summary, organisation",
    "絞り込み": "Filters",
    "表示": "Views",
    "提案の移動": "Move between proposals",
    "ページを開いた後の変更": "Changes since you opened the page",
    "管理者": "admin",
    "スタッフ": "staff",
    "法人番号": "Corporate number",
    "所在地": "Location",
    "連絡先": "Contact",
    "会員の階層": "Membership tier",
    "概要": "Summary",
    "地域の課題": "Local problem",
    "取組内容": "Activities",
    "市へのお願い": "Asked of the city",
    "費用": "Costs",
    "期間": "Period",
    "添付": "Attachments",
    "同意": "Consents",
    "該当した規則": "Rules that apply",
    "似ている過去の事例": "Similar past cases",
    "部署の提案": "Suggested department",
    "担当なしにする": "Unassign",
    "状態を変更しない": "Keep the status",
    "見送りの理由": "Reason for declining",
    "まとめて適用": "Apply to selected",
    "該当する提案はありません。": "No proposals match.",
    "ページ": "Page",
    "日超過": " days overdue",
    "本日期限": "due today",
    "あと": "",
    "日": " days left",
    "提案者から新着": "New from proposer",
    "対応": "Triage",
    "変更しない": "No change",
    "（なし）": "(none)",
    "未設定": "Not set",
    "状態を変更": "Change status",
    "理由（見送りの場合は必須）": "Reason (required to decline)",
    "次の対応期限": "Next action due",
    "内部メモ": "Internal note",
    "提案者への返信": "Reply to the proposer",
    "保存": "Save",
    "保存して次へ": "Save and next",
    "前の提案": "Previous",
    "次の提案": "Next",
    "一覧に戻る": "Back to the list",
    "最初の対応期限": "First response due",
    "対応済み": "responded",
    "受付": "Received",
    "提案者": "Proposer",
    "内容": "Content",
    "審査のための情報": "For screening",
    "この提案の会話": "This proposal's conversation",
    "会話の全体を見る": "Show the whole conversation",
    "この提案の部分だけを見る": "Show this proposal's part only",
    "履歴": "History",
    "日時": "When",
    "誰が": "Who",
    "窓口ボット": "Desk bot",
    "担当者から": "Staff",
    "状態別": "By status",
    "テーマ別": "By theme",
    "チャネル別": "By channel",
    "返信不要として既読にする（返信を書いた場合は不要）": "Mark as read, no reply needed",
    "メッセージはありません。": "No messages.",
    "記録の全体（JSON）": "Full record (JSON)",
    "提案 {total} 件": "{total} proposals",
    "ユーザー名": "Username",
    "パスワード": "Password",
    "ログイン": "Sign in",
    "スタッフ ログイン": "Staff sign-in",
}
EN.update(TOOLS_EN)  # the staff tools' pages (duplicates, inquiries, accounts)
EN.update(ATTACHMENTS_EN)  # the proposal page's files (bot/staff/attachments.py)

ERRORS_EN = {
    "credentials": "Wrong username or password.",
    "throttled": "Too many attempts. Try again in 15 minutes.",
    "transition": "The status cannot change to that (not a step of the procedure).",
    "reason": "Declining needs a reason.",
    "assignee": "That person does not work on this desk.",
    "department": "That department is not one of this desk's.",
    "empty": "Nothing to save: fill in at least one part.",
    "not_found": "Not found (already handled, or not yours to see).",
    "refused": "That could not be done.",
    "stale": "Someone changed this proposal after you opened it. Nothing was saved; "
    "review the changes below and save again.",
    "date": "The date could not be read (write it as 2026/12/07).",
    "selection": "Select at least one proposal.",
    "merge_target": "No proposal to merge into: give the reference of another open proposal "
    "of this desk.",
    "too_long": "Replies, notes and reasons are limited to 5,000 characters. Nothing was saved "
    "(your text is kept below).",
}
DONE_EN = {
    "status": "Status changed.",
    "assign": "Assignee set.",
    "department": "Department set.",
    "note": "Internal note recorded.",
    "reply": "Reply sent to the proposer.",
    "answer": "Inquiry answered.",
    "triage": "Saved.",
    "bulk": "The selected proposals were changed.",
    "merge": "Merged as a duplicate. The proposer was told the other reference (no decline "
    "notice was sent).",
    "reopen": "The inquiry is open again.",
}


def words(lang: str) -> Callable[..., str]:
    """`tr("提案一覧")` in the account's language; `{name}` fields are filled in."""

    def tr(text: str, **values: Any) -> str:
        chosen = EN.get(text, text) if lang == "en" else text
        return chosen.format(**values) if values else chosen

    return tr


def theme_name(platform: Platform | None, theme: str, lang: str) -> str:
    """A theme's label on its desk (the id only for a theme the desk no longer has)."""
    found = next((x for x in platform.themes if x.id == theme), None) if platform else None
    return found.label.get(lang) if found is not None else theme


def department_name(platform: Platform | None, department: str | None, lang: str) -> str:
    """A department's name on its desk."""
    if not department:
        return "未設定" if lang != "en" else "Not set"
    departments = platform.departments if platform is not None else []
    found = next((d for d in departments if d.id == department), None)
    return found.name.get(lang) if found is not None else department


# `update_proposal` writes "assignee=x, department=y; note": fields, then the note.
_PIECES = re.compile(r"; |, (?=(?:assignee|department|next_action_due|awaiting_staff_since)=)")
_FIELD = re.compile(r"^(assignee|department|next_action_due|awaiting_staff_since)=(.*)$")


def history_line(
    event: Any,
    *,
    lang: str,
    names: Mapping[str, str],
    platform: Platform | None,
) -> str:
    """One history entry as people read it: 「受付 → 審査中」「担当: 山田花子」「内部メモ: …」."""
    if event.note == "filed":
        return "受付（提案者が提出）" if lang != "en" else "Filed by the proposer"
    parts: list[str] = []
    if event.to_status:
        to = label(event.to_status, lang)
        parts.append(f"{label(event.from_status, lang)} → {to}" if event.from_status else to)
    for piece in _PIECES.split(event.note) if event.note else []:
        parts.append(_note(piece, lang=lang, names=names, platform=platform))
    return "、".join(p for p in parts if p) if lang != "en" else "; ".join(p for p in parts if p)


_PREFIXES = {
    "note: ": ("内部メモ: ", "Note: "),
    "reply: ": ("返信: ", "Reply: "),
    "followup: ": ("提案者から: ", "From the proposer: "),
}


def _note(piece: str, *, lang: str, names: Mapping[str, str], platform: Platform | None) -> str:
    for prefix, (ja, en) in _PREFIXES.items():
        if piece.startswith(prefix):
            return (en if lang == "en" else ja) + piece[len(prefix) :]
    field = _FIELD.match(piece)
    if field is None:
        return piece  # a decline reason or a note written before these labels
    name, value = field.groups()
    if name == "awaiting_staff_since":
        return "返信不要として既読" if lang != "en" else "Read, no reply needed"
    if name == "assignee":
        shown = names.get(value, value) if value and value != "None" else _none(lang)
        return ("Assignee: " if lang == "en" else "担当: ") + shown
    if name == "department":
        return ("Department: " if lang == "en" else "部署: ") + department_name(
            platform, value, lang
        )
    return ("Next action due: " if lang == "en" else "次の対応期限: ") + _day(value, lang)


def _none(lang: str) -> str:
    return "none" if lang == "en" else "なし"


def _day(value: str, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return _none(lang)
    return f"{day:%Y/%m/%d}"


def actor_name(actor: str, *, lang: str, names: Mapping[str, str]) -> str:
    """Who did it: a staff member's display name, or the proposer / the desk."""
    if actor == "proposer":
        return "提案者" if lang != "en" else "Proposer"
    if actor in ("system", "desk", "madoguchi"):
        return "窓口ボット" if lang != "en" else "Desk bot"
    return names.get(actor, actor)


__all__ = [
    "DONE_EN",
    "EN",
    "ERRORS_EN",
    "actor_name",
    "department_name",
    "history_line",
    "theme_name",
    "words",
]
