"""Reading the proposer's answers: the value, not the sentence around it, and never a loop.

Every message is read for every field (a reply that also gives the phone keeps the phone); a
question, a change of mind or a request to go back is done, not stored as the answer; a field
that cannot be read is asked differently each time (`workflows.misses`).
"""

from __future__ import annotations

import re
from typing import Any

from workflows import answers
from workflows.asides import apply_change, aside
from workflows.choices import Match, Option, core, match_rules
from workflows.clauses import questions_in
from workflows.contacts import email_in
from workflows.extraction import ROLE_PATTERNS, extract
from workflows.facts import (
    COST,
    accept,
    question_query,
    set_aside,
    take_cost,
    take_facts,
    typo_answer,
)
from workflows.fields import YES_NO, Kind, spec
from workflows.freetext import SHORT_FIELDS, answer_free
from workflows.intake import advance, ask, next_missing, options_for
from workflows.misses import miss, not_decided
from workflows.questions import asks_for_suggestion, is_confused, is_question, is_undecided
from workflows.texts import field_name, label, t
from workflows.turn import State, Turn

__all__ = ["EXTRAS", "apply_change", "handle_intake"]

EXTRAS = {
    "skip": Option("skip", ("飛ばす", "スキップ", "この項目は飛ばす", "なしで", "skip", "pass")),
    "human": Option("human", ("担当者", "担当者と話す", "人と話したい", "staff", "a person")),
}
_NUMBER_ONLY = re.compile(r"^(?:no\.?|number|#)?\d{1,3}(?:番|ばん|番目|つめ|つ目)?$")
_CHOICES = (Kind.CHOICE, Kind.MULTI, Kind.CONSENT)
ROLES_FIELD = "content.municipality_roles"


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
    """The answer to a change to confirm, a mistyped e-mail or a title suggestion, if it is one."""
    pending, turn.progress.pending = turn.progress.pending, None
    if pending is None:
        return None
    if pending["kind"] == "typo":
        return _typo_answer(turn, pending)
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
    if pending["kind"] == "title" and (
        said == "yes" or asks_for_suggestion(turn.text) or is_undecided(turn.text)
    ):  # "you pick one" after the suggestion is shown: the suggestion
        return accept(turn, field, pending["value"])
    return None


def _typo_answer(turn: Turn, pending: dict[str, Any]) -> State | None:
    """「はい」/「合ってます」/a new address, after 「gmail.com のお間違いではありませんか」."""
    field, typed, likely = pending["field"], pending["typed"], pending["value"]
    retyped = email_in(turn.text)
    said = typo_answer(turn.text, likely=likely.rsplit("@", 1)[-1])
    name = field_name(field, turn.lang)
    if retyped and retyped not in (typed, likely):
        turn.slots[field] = retyped
        turn.say("corrected", field=name, value=retyped)
        return advance(turn)
    if said is True or retyped == likely:
        turn.slots[field] = likely
        turn.say("corrected", field=name, value=likely)
        return advance(turn)
    if said is False or retyped == typed or pending.get("asked", 0) >= 1:
        turn.progress.kept.append(typed)
        turn.say("email.kept", typed=typed)
        return advance(turn)
    turn.progress.pending = {**pending, "asked": pending.get("asked", 0) + 1}
    return None


def handle_intake(turn: Turn) -> State:
    """An answer to the question asked (or something else said instead)."""
    field = turn.progress.asking or next_missing(turn)
    if field is None:
        return advance(turn)
    settled = _pending(turn, field)
    if settled is not None:
        return settled
    if turn.progress.pending and turn.progress.pending["kind"] == "typo":
        return advance(turn)  # neither yes nor no: asked once more
    kind = spec(field).kind
    extras = [x for x in turn.progress.offered if x in EXTRAS]
    take_cost(turn, turn.text, asked=field)  # the cost, wherever it is said
    shown = _shown_menu(turn, field, extras)
    if kind in _CHOICES:
        picked = match_rules(
            turn.text,
            [*options_for(turn, field), *(EXTRAS[x] for x in extras)],
            multiple=kind is Kind.MULTI,
            shown=shown,
        )
        if field == ROLES_FIELD and picked.values and not _NUMBER_ONLY.match(core(turn.text)):
            said = _stated(turn.text, field)  # "centres to test on, and their data": both
            picked = Match(values=tuple(dict.fromkeys([*picked.values, *said])), by=picked.by)
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
    if is_confused(turn.text):  # 「何を答えればいいのか」: an example at once, not "more, please"
        turn.progress.misses[field] = max(turn.progress.misses.get(field, 0), 1)
        return miss(turn, field, "invalid.empty")
    if field == "content.title" and asks_for_suggestion(turn.text):
        return not_decided(turn, field)  # "could you suggest one?": a title is suggested
    # 「あとで決めてもいいですか」 is 未定 where 未定 is an answer; elsewhere a question.
    asked = is_question(turn.text)
    if is_undecided(turn.text) and (spec(field).undecided or not asked):
        return not_decided(turn, field)
    if kind in _CHOICES:
        return _choice_answer(turn, field, extras=extras, asked=asked)
    if asked and field not in SHORT_FIELDS:
        take_facts(turn, turn.text, asked=field)
        answers.cite(turn, question_query(turn, field, turn.text))
        ask(turn, field, before=t("intake.resume_after", turn.lang))
        return State.INTAKE
    return answer_free(turn, field)


def _choice_answer(turn: Turn, field: str, *, extras: list[str], asked: bool) -> State:
    """A menu answer no rule read: facts or a question said instead, or a pick by meaning."""
    facts = take_facts(turn, turn.text, asked=field)
    if facts:  # an e-mail typed while the type is asked: kept, and the menu again
        questions = questions_in(turn.text)
        return set_aside(turn, field, facts=facts, questions=questions) or State.INTAKE
    if asked:
        answers.cite(turn, question_query(turn, field, turn.text))
        ask(turn, field, before=t("intake.resume_after", turn.lang))
        return State.INTAKE
    stated = _stated(turn.text, field)
    if stated:  # 「市にはお金は求めません」, 「花壇を使わせていただきたい」: said in a sentence
        return accept(turn, field, stated)
    picked = _choose(turn, field, extras=extras)
    if not picked.values and not picked.close:
        return miss(turn, field, "invalid.choice")
    return _chosen(turn, field, picked)


def _stated(text: str, field: str) -> Any:
    """The cost or the roles a sentence states (「開発費も運用費も弊社持ちです」), if any."""
    if field == COST:
        return extract(text).get(COST)
    if field == ROLES_FIELD:
        return [role.value for role, pattern in ROLE_PATTERNS.items() if pattern.search(text)]
    return None


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
    take_facts(turn, turn.text, asked=field)
    if kind is Kind.CONSENT:
        if values == ["no"]:
            turn.say("consents.declined", choices=["yes", "cancel"])
            return State.INTAKE
        return accept(turn, field, True)
    return accept(turn, field, values if kind is Kind.MULTI else values[0])


def _shown(turn: Turn, field: str, value: str) -> str:
    for option in options_for(turn, field):
        if option.value == value and field == "proposer.membership_tier":
            return option.names[1 if turn.lang == "en" else 0]
    return label(value, turn.lang)
