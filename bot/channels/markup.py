"""Each platform's text format decoded at the edge, so the desk only ever reads plain text.

Slack sends mrkdwn: a typed e-mail arrives as ``<mailto:a@b.jp|a@b.jp>``, a link as
``<https://…|label>``, a mention as ``<@U123>``, and ``&``, ``<``, ``>`` as ``&amp;``,
``&lt;``, ``&gt;`` (https://api.slack.com/reference/surfaces/formatting#escaping).
LINE marks mentions by UTF-16 ranges of the text (``message.mention.mentionees``); Telegram
marks commands, mentions and hidden links by UTF-16 ranges (``entities``). Every pattern
here is linear: no nested or adjacent repeats of the same characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["line_text", "slack_text", "telegram_text"]

# One Slack control sequence (`<target>` or `<target|label>`, no `<` or `>` inside) or one
# of the three entities Slack escapes; read in one left-to-right pass.
_SLACK_TOKEN = re.compile(r"<([^<>|]{1,2000})(?:\|([^<>]{0,2000}))?>|&(?:lt|gt|amp);")
_SLACK_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}
_SLACK_ENTITY = re.compile(r"&(?:lt|gt|amp);")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def _unescape(text: str) -> str:
    # One pass: "&amp;lt;" is the text "&lt;" typed by the user, not "<".
    return _SLACK_ENTITY.sub(lambda m: _SLACK_ENTITIES[m.group(0)], text)


def _slack_token(match: re.Match[str], *, drop_user: str | None) -> str:
    target, label = match.group(1), match.group(2)
    if target is None:
        return _SLACK_ENTITIES[match.group(0)]
    label = _unescape(label) if label else None
    if target.startswith("@"):  # <@U123> or <@U123|hanako>
        if drop_user is not None and target[1:] == drop_user:
            return ""
        return "@" + (label or target[1:])
    if target.startswith("#"):  # <#C123|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        name = target[1:].split("^", 1)[0]
        return label or _SPECIAL.get(name, "@" + name)
    address = _unescape(target)
    shown = address.removeprefix("mailto:").removeprefix("tel:")
    if not label or label in (shown, address) or address.endswith("//" + label):
        return shown  # a typed e-mail or URL: Slack repeats it as its label
    return f"{label} ({shown})"  # a named link keeps its address: the desk may need it


def slack_text(text: str, *, bot_user: str | None = None) -> str:
    """Plain text of a Slack message; a mention of `bot_user` (the desk itself) is dropped."""
    return _tidy(_SLACK_TOKEN.sub(lambda m: _slack_token(m, drop_user=bot_user), text))


def _tidy(text: str) -> str:
    # A dropped leading mention leaves "  text": trim each line's edges, keep line breaks.
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _utf16_ranges(text: str) -> list[int]:
    """Index in `text` of each UTF-16 offset (astral characters take two units)."""
    index: list[int] = []
    for position, char in enumerate(text):
        index.append(position)
        if ord(char) > 0xFFFF:
            index.append(position)
    index.append(len(text))
    return index


def _cut(text: str, spans: Iterable[tuple[int, int, str]], *, limit: int = 100) -> str:
    """Replace UTF-16 spans (offset, length, replacement) of `text`; bad spans are skipped."""
    index = _utf16_ranges(text)
    units = len(index) - 1
    chosen: list[tuple[int, int, str]] = []
    for offset, length, replacement in sorted(spans)[:limit]:
        if offset < 0 or length <= 0 or offset + length > units:
            continue
        if chosen and offset < chosen[-1][0] + chosen[-1][1]:
            continue  # overlapping ranges are not ours to untangle
        chosen.append((offset, length, replacement))
    pieces: list[str] = []
    last = 0
    for offset, length, replacement in chosen:
        start, end = index[offset], index[offset + length]
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def line_text(text: str, mention: Mapping[str, Any] | None) -> str:
    """Plain text of a LINE message: the mention of the desk itself (``isSelf``) removed."""
    mentionees = (mention or {}).get("mentionees")
    if not isinstance(mentionees, list):
        return text
    spans = [
        (m["index"], m["length"], "")
        for m in mentionees
        if isinstance(m, dict)
        and m.get("isSelf") is True
        and isinstance(m.get("index"), int)
        and isinstance(m.get("length"), int)
    ]
    return _tidy(_cut(text, spans)) if spans else text


def telegram_text(text: str, entities: Iterable[Mapping[str, Any]] | None) -> str:
    """Plain text of a Telegram message: a hidden link's address shown after its words."""
    spans = []
    for entity in entities or ():
        if not isinstance(entity, Mapping) or entity.get("type") != "text_link":
            continue
        offset, length, url = entity.get("offset"), entity.get("length"), entity.get("url")
        if isinstance(offset, int) and isinstance(length, int) and isinstance(url, str):
            index = _utf16_ranges(text)
            if 0 <= offset and 0 < length and offset + length < len(index):
                words = text[index[offset] : index[offset + length]]
                spans.append((offset, length, f"{words} ({url[:2000]})"))
    return _cut(text, spans) if spans else text
