"""Reading the proposer's answers: the value, not the sentence around it, and never a loop.

Every message is read for every field (a reply that also gives the phone keeps the phone); a
question, a change of mind or a request to go back is done, not stored as the answer; a field
that cannot be read is asked differently each time (`workflows.misses`).
"""

from __future__ import annotations

import re
from typing import Any

from workflows import answers, review
from workflows.changes import change_request
from workflows.choices import Match, Option, core, match_rules
from workflows.contacts import EMAIL_IN_TEXT, PHONE_IN_TEXT
from workflows.courtesy import proposal_sentences
from workflows.extraction import extract
from workflows.fields import CONFIRM_CHANGES, FACTS, YES_NO, Kind, spec, wanted
from workflows.intake import (
    absorb,
    advance,
    ask,
    back,
    clear,
    next_missing,
    options_for,
    reask,
    suggest_title,
)
from workflows.misses import miss, not_decided
from workflows.names import legal_form_only, organisation
from workflows.questions import is_question, is_undecided
from workflows.record import corporate_number_is_valid, normalise_email, normalise_phone
from workflows.texts import field_name, label, t
from workflows.turn import State, Turn
from workflows.values import clean_value

EXTRAS = {
    "skip": Option("skip", ("飛ばす", "スキップ", "この項目は飛ばす", "なしで", "skip", "pass")),
    "human": Option("human", ("担当者", "担当者と話す", "人と話したい", "staff", "a person")),
}
_NOT_A_PROPOSAL = re.compile(
    r"提案ではなく(?:て)?質問|提案じゃなくて質問|質問だけ|ただの質問|not a proposal|"
    r"just a question|only a question|just have a question",
    re.I,
)
_PREVIOUS = re.compile(
    r"前の質問に戻|前の項目に戻|一つ前に戻|ひとつ前に戻|previous question|go back", re.I
)
_NUMBER_ONLY = re.compile(r"^(?:no\.?|number|#)?\d{1,3}(?:番|ばん|番目|つめ|つ目)?$")
# 「今の内容を確認したい」, "show me what you have so far": the fields filled so far.
_SO_FAR = re.compile(
    r"(?:今|いま|ここまで|これまで|現在|入力した)の?(?:内容|入力)を?(?:確認|見せ|みせ|見たい|教え)|"
    r"(?:内容|入力内容)を(?:確認|見せ|見たい)|"
    r"\b(?:what (?:you have|you've got|i(?:'ve| have) (?:entered|given|said)) so far|"
    r"show me what you have|what have you got so far)\b",
    re.I,
)
# 「さっき書いた通りです」, 「最初に書いたとおり」, "as I said": the value is in the earlier text.
_AS_WRITTEN = re.compile(
    r"(?:さっき|先ほど|先程|最初に?|はじめに|初めに|上に|上で|前に|冒頭に?|件名に|メールに|本文に)"
    r"(?:も)?(?:書いた|書きました|かいた|記載した|記載の|お送りした|送った|言った|述べた|お伝えした)"
    r"(?:とおり|通り|ように|ようにです|んですけど|けど|のですが|んですが|内容)?|"
    r"\bas I (?:said|wrote|mentioned)\b|\bI just told you\b|\bsee (?:above|my first message)\b",
    re.I,
)
_LEFTOVER_CHARS = " \t\n、。,.!！…‥・ー〜~w"
_LEFTOVERS = frozenset({"", "です", "で", "でお願いします", "でいいです", "ですが", "ですけど"})
# Not a value for a free-text field: yes/no, consent, 「わかりません」, 「課題って言われても」,
# 「PDFを見てください」 (what the person says about the question, not an answer to it).
_NON_VALUE = re.compile(
    r"^(?:はい|いいえ|うん|ええ|同意(?:します|しません|いたします)?|わかりません|分かりません|"
    r"わからない|分からない|わかんない|知らない|ok|yes|no|i don'?t know)"
    r"[。.!！…]*$|"
    r"って言われても|と言われても|(?:PDF|資料|添付|ファイル|表紙)(?:を|に|の)?(?:見て|ご覧|参照|書いて)",
    re.I,
)
# Read from every answer: the facts, and the cost model wherever it is said (「…、費用はうちで
# 全部持ちます」 in the title's answer), so it is not asked again.
COST = "content.cost_model"
_EVERY_ANSWER = (*FACTS, COST)
_ENGLISH = re.compile(r"\bin english\b|英語で", re.I)
_JAPANESE = re.compile(r"\bin japanese\b|日本語で", re.I)


def read_value(field: str, text: str) -> tuple[Any, str | None]:
    """(value, None) for a good free answer to `field`, or (None, error text key)."""
    kind = spec(field).kind
    if kind is Kind.EMAIL:
        found = EMAIL_IN_TEXT.search(text)
        try:
            return normalise_email(found.group(0) if found else text), None
        except ValueError:
            return None, "invalid.contact.email"
    if kind is Kind.PHONE:
        found = PHONE_IN_TEXT.search(text)
        try:
            return normalise_phone(found.group(0) if found else text), None
        except ValueError:
            return None, "invalid.contact.phone"
    if kind is Kind.NUMBER:
        digits = re.sub(r"\D", "", text)
        return (
            (digits, None)
            if corporate_number_is_valid(digits)
            else (None, "invalid.corporate_number")
        )
    value = clean_value(field, text)
    if field == "content.summary":
        value = proposal_sentences(text) or value
    if value is None or len(value.strip()) < 2:
        return None, "invalid.empty"
    limit = spec(field).limit
    if limit and len(value) > limit:
        return None, "invalid.too_long"
    return value.strip(), None


def _choose(turn: Turn, field: str, *, extras: list[str]) -> Match:
    options = [*options_for(turn, field), *(EXTRAS[x] for x in extras)]
    multiple = spec(field).kind is Kind.MULTI
    return turn.understanding.choose(
        turn.text, options, similarities=turn.library.similarities, multiple=multiple
    )


def _shown_menu(turn: Turn, field: str, extras: list[str]) -> list[Option]:
    """The options of `field` as last shown, in their order (so "1" answers the screen)."""
    known = {o.value: o for o in [*options_for(turn, field), *(EXTRAS[x] for x in extras)]}
    return [known[v] for v in turn.progress.offered if v in known]


def _pending(turn: Turn, field: str) -> State | None:
    """The answer to a change to confirm or a title suggestion, if it is one."""
    pending, turn.progress.pending = turn.progress.pending, None
    if pending is None:
        return None
    said = match_rules(turn.text, YES_NO).value
    if pending["kind"] == "change":
        name = field_name(pending["field"], turn.lang)
        if said == "yes":
            turn.slots[pending["field"]] = pending["value"]
            turn.say("corrected", field=name, value=pending["value"])
            return advance(turn)
        if said == "no":
            turn.say("change.kept", field=name, old=turn.slots.get(pending["field"]))
            return advance(turn)
        return None
    if pending["kind"] == "title" and said == "yes":
        return _accept(turn, field, pending["value"])
    return None


def _accept(turn: Turn, field: str, value: Any) -> State:
    turn.slots[field] = value
    turn.progress.answered.append(field)
    turn.progress.misses.pop(field, None)
    if field == "content.summary":
        turn.progress.restate = False
    if field == "organisation.name" and not turn.slots.get("organisation.type"):
        found = organisation(str(value))
        if found:
            turn.slots["organisation.type"] = found[1].value
    return advance(turn)


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
    if field not in {
        *wanted(turn.platform),
        "contact.phone",
        "organisation.corporate_number",
        "organisation.location",
        "content.period",
    }:
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


def handle_intake(turn: Turn) -> State:
    """An answer to the question asked (or something else said instead)."""
    field = turn.progress.asking or next_missing(turn)
    if field is None:
        return advance(turn)
    settled = _pending(turn, field)
    if settled is not None:
        return settled
    kind = spec(field).kind
    extras = [x for x in turn.progress.offered if x in EXTRAS]
    if field != COST:
        absorb(turn, turn.text, asked=field, only=(COST,))  # the cost, wherever it is said
    shown = _shown_menu(turn, field, extras)
    if kind in (Kind.CHOICE, Kind.MULTI, Kind.CONSENT):
        picked = match_rules(
            turn.text,
            [*options_for(turn, field), *(EXTRAS[x] for x in extras)],
            multiple=kind is Kind.MULTI,
            shown=shown,
        )
        if picked.values or picked.close:
            return _chosen(turn, field, picked)
        if _NUMBER_ONLY.match(core(turn.text)):
            return miss(turn, field, "invalid.choice")  # a number not on the menu shown
    elif extras:
        picked = match_rules(turn.text, [EXTRAS[x] for x in extras], shown=shown)
        if picked.value:
            return _chosen(turn, field, picked)
    aside_state = aside(turn)
    if aside_state is not None:
        return aside_state
    # 「あとで決めてもいいですか」 is 未定 where 未定 is an answer; elsewhere a question.
    asked = is_question(turn.text)
    if is_undecided(turn.text) and (spec(field).undecided or not asked):
        return not_decided(turn, field)
    if asked:
        answers.cite(turn, turn.text)
        ask(turn, field, before=t("intake.resume_after", turn.lang))
        return State.INTAKE
    if kind in (Kind.CHOICE, Kind.MULTI, Kind.CONSENT):
        picked = _choose(turn, field, extras=extras)
        if not picked.values and not picked.close:
            stated = extract(turn.text).get(COST) if field == COST else None
            if stated:  # 「市にはお金は求めません」, a cost explained in a sentence
                return _accept(turn, field, stated)
            return miss(turn, field, "invalid.choice")
        return _chosen(turn, field, picked)
    if _AS_WRITTEN.search(turn.text):
        earlier = _as_written(turn, field)
        if earlier is not None:
            return earlier
    if kind is Kind.TEXT and _NON_VALUE.search(turn.text.strip()):
        return miss(turn, field, "invalid.empty")
    value, error = read_value(field, turn.text)
    form = legal_form_only(turn.text) if field == "organisation.name" else None
    if value is None and form is not None:
        turn.slots.setdefault("organisation.type", form.value)  # 「NPO法人です」: the type
        ask(turn, field, before=t("organisation.form_only", turn.lang, type=label(form, turn.lang)))
        return State.INTAKE
    if error or value is None:
        return miss(turn, field, error or "invalid.empty")
    absorb(turn, turn.text, asked=field, only=_EVERY_ANSWER)
    return _accept(turn, field, value)


def _as_written(turn: Turn, field: str) -> State | None:
    """「最初に書いた通りです」: the value from the first message; None when more was said."""
    rest = _AS_WRITTEN.sub("", turn.text)
    if rest.strip(_LEFTOVER_CHARS) not in _LEFTOVERS:
        value, error = read_value(field, rest)
        return None if error or value is None else _accept(turn, field, value)
    first = turn.progress.first or ""
    found = extract(first) if first else {}
    proposal = proposal_sentences(first) if first else ""
    raw: Any = found.get(field)
    if field == "content.summary":
        raw = proposal or raw
    elif field == "content.title" and not raw:
        raw = suggest_title(str(turn.slots.get("content.summary") or proposal or ""))
    if raw in (None, "", []):
        return miss(turn, field, "invalid.empty")
    if isinstance(raw, list) or spec(field).kind is not Kind.TEXT:
        return _accept(turn, field, raw)
    value, error = read_value(field, str(raw))
    if error or value is None:
        return miss(turn, field, error or "invalid.empty")
    return _accept(turn, field, value)


def _chosen(turn: Turn, field: str, picked: Match) -> State:
    if picked.close:
        first, second = (_shown(turn, field, v) for v in picked.close[:2])
        turn.progress.asking = field
        turn.say("choice.close", first=first, second=second, choices=list(picked.close[:2]))
        return State.INTAKE
    values = [v for v in picked.values if v not in EXTRAS]
    if "skip" in picked.values:
        turn.progress.skipped.append(field)
        turn.say("skipped", field=field_name(field, turn.lang))
        return advance(turn)
    if "human" in picked.values:
        question_text = t(
            "intake.stuck.handoff", turn.lang, field=field_name(field, turn.lang), text=turn.text
        )
        return answers.hand_off(turn, question_text)
    kind = spec(field).kind
    absorb(turn, turn.text, asked=field, only=CONFIRM_CHANGES)
    if kind is Kind.CONSENT:
        if values == ["no"]:
            turn.say("consents.declined", choices=["yes", "cancel"])
            return State.INTAKE
        return _accept(turn, field, True)
    return _accept(turn, field, values if kind is Kind.MULTI else values[0])


def _shown(turn: Turn, field: str, value: str) -> str:
    for option in options_for(turn, field):
        if option.value == value and field == "proposer.membership_tier":
            return option.names[1 if turn.lang == "en" else 0]
    return label(value, turn.lang)
