"""English for the proposal page's files (bot/staff/attachments.py): Japanese is the key, as in
`bot.staff.words.EN`, which takes these in."""

from __future__ import annotations

ATTACHMENTS_EN: dict[str, str] = {
    "ダウンロード": "Download",
    "提案者のメモ": "proposer's note",
    "保存期間を過ぎたため削除されたファイル": "A file removed after the retention period",
    "外部のリンク": "External link",
}
