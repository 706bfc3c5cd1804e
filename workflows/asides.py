"""Not an answer: a change of mind, 'back', 'so far', another language, 「質問です」.

Said in the middle of the intake instead of an answer; each does what it says, then the pending
question is asked again (`workflows.intake.reask`).
"""

from __future__ import annotations

import re
from typing import Any

from workflows import review
from workflows.changes import change_request
from workflows.choices import match_rules
from workflows.facts import read_value
from workflows.fields import NOTED, Kind, spec, wanted
from workflows.intake import ask, back, clear, options_for, reask
from workflows.texts import field_name, label
from workflows.turn import State, Turn

_NOT_A_PROPOSAL = re.compile(
    r"提案ではなく(?:て)?質問|提案じゃなくて質問|質問だけ|ただの質問|not a proposal|"
    r"just a question|only a question|just have a question",
    re.I,
)
_PREVIOUS = re.compile(
    r"前の質問に戻|前の項目に戻|一つ前に戻|ひとつ前に戻|previous question|go back", re.I
)
# 「今の内容を確認したい」, "show me what you have so far": the fields filled so far.
_SO_FAR = re.compile(
    r"(?:今|いま|ここまで|これまで|現在|入力した)の?(?:内容|入力)を?(?:確認|見せ|みせ|見たい|教え)|"
    r"(?:内容|入力内容)を(?:確認|見せ|見たい)|"
    r"\b(?:what (?:you have|you've got|i(?:'ve| have) (?:entered|given|said)) so far|"
    r"show me what you have|what have you got so far)\b",
    re.I,
)
_ENGLISH = re.compile(r"\bin english\b|英語で", re.I)
_JAPANESE = re.compile(r"\bin japanese\b|日本語で", re.I)


def aside(turn: Turn) -> State | None:
    """Not an answer: a question, a change of mind, 'back', another language."""
    if _NOT_A_PROPOSAL.search(turn.text):
        clear(turn)
        turn.say("intake.to_question")
        return State.QUESTION_ASK
    if _PREVIOUS.search(turn.text):
        return back(turn)
    if _SO_FAR.search(turn.text) and len(turn.text) <= 60:
        lines = review.filled_lines(turn)
        if lines:
            turn.say("so_far", summary="\n".join(lines))
        else:
            turn.say("so_far.none")
        return reask(turn)
    if _ENGLISH.search(turn.text) or _JAPANESE.search(turn.text):
        turn.lang = "en" if _ENGLISH.search(turn.text) else "ja"
        return reask(turn)
    change = change_request(turn.text)
    if change is not None:
        return apply_change(turn, *change)
    return None


def apply_change(turn: Turn, field: str, raw: str | None) -> State:
    """The proposer changes `field` (to `raw`, or asks to be asked again)."""
    if field not in {*wanted(turn.platform), *NOTED}:
        return reask(turn)
    if raw is None:
        turn.slots.pop(field, None)
        ask(turn, field)
        return State.INTAKE
    value, error = _read_any(turn, field, raw)
    if error or value is None:
        turn.say(error or "invalid.empty", limit=spec(field).limit, number=raw[:40])
    else:
        turn.slots[field] = value
        shown = (
            "、".join(label(v, turn.lang) for v in value)
            if isinstance(value, list)
            else label(str(value), turn.lang)
        )
        turn.say("corrected", field=field_name(field, turn.lang), value=shown)
    return reask(turn)


def _read_any(turn: Turn, field: str, raw: str) -> tuple[Any, str | None]:
    kind = spec(field).kind
    if kind in (Kind.CHOICE, Kind.MULTI):
        found = match_rules(raw, options_for(turn, field), multiple=kind is Kind.MULTI)
        if kind is Kind.MULTI and found.values:
            return list(found.values), None
        return (found.value, None) if found.value else (None, "invalid.choice")
    if kind is Kind.CONSENT:
        return None, "invalid.choice"
    return read_value(field, raw)
