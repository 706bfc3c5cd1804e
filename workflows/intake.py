"""Proposal intake: ask only for what is missing, one question at a time.

What the first message states is kept; each question is built from the field registry
(`workflows.fields`); how free answers are read is `workflows.reading`; the read-back's
confirmation and the budget rework are answered here.
"""

from __future__ import annotations

from typing import Any

from workflows import answers, review
from workflows.choices import Option, match_rules
from workflows.contacts import suspect_domain
from workflows.courtesy import proposal_sentences
from workflows.extraction import extract
from workflows.fields import BUDGET, CONFIRM, CONFIRM_CHANGES, spec, tier_options, wanted
from workflows.questions import is_question
from workflows.signature import read_signature
from workflows.texts import field_name, t
from workflows.titles import suggest_title
from workflows.turn import State, Turn


def options_for(turn: Turn, field: str) -> tuple[Option, ...]:
    """The choices of `field` on this platform."""
    if field == "proposer.membership_tier":
        tiers = turn.platform.membership_tiers
        descriptions = [f"{x.description.ja} {x.description.en}" for x in tiers]
        return tier_options([(x.id, x.label.ja, x.label.en) for x in tiers], descriptions)
    return spec(field).options


def next_missing(turn: Turn) -> str | None:
    """The first wanted field not yet filled, decided as undecided, or skipped."""
    done = {*turn.progress.undecided, *turn.progress.skipped}
    deferred = turn.progress.deferred
    order = [f for f in wanted(turn.platform) if f not in deferred] + deferred
    return next((f for f in order if f not in done and turn.slots.get(f) in (None, "", [])), None)


def absorb(turn: Turn, text: str, *, asked: str | None = None, only: tuple[str, ...] = ()) -> None:
    """Fill empty fields from what `text` states; a different value for a filled one is asked."""
    found = {**extract(text), **read_signature(text)}
    wrong = found.pop("_invalid_corporate_number", None)
    if wrong:
        turn.say("invalid.corporate_number", number=wrong)
    if found.get("content.summary"):
        found["content.summary"] = proposal_sentences(text) or found["content.summary"]
    tiers = {x.id for x in turn.platform.membership_tiers}
    for key, value in found.items():
        if key == asked or (only and key not in only) or value in (None, "", []):
            continue
        if key == "proposer.membership_tier" and value not in tiers:
            continue
        old = turn.slots.get(key)
        if old in (None, "", []):
            turn.slots[key] = value
        elif key in CONFIRM_CHANGES and old != value and turn.progress.pending is None:
            turn.progress.pending = {"kind": "change", "field": key, "value": value}


def start(turn: Turn) -> State:
    """A new proposal: keep what the first message says, then ask for the rest."""
    clear(turn)
    turn.progress.first = turn.text  # 「最初に書いた通りです」 points back to it
    absorb(turn, turn.text)
    if len(turn.slots) >= 2:
        turn.say("intake.start")
    return advance(turn)


def question(turn: Turn, field: str) -> tuple[str, list[str]]:
    """The question for `field` and the choices shown with it."""
    lang = turn.lang
    if field == "proposer.membership_tier":
        tiers = turn.platform.membership_tiers
        lines = [f"{x.id}: {x.description.get(lang)}" for x in tiers]
        return "\n".join([t("ask.proposer.membership_tier", lang), *lines]), [x.id for x in tiers]
    if field == "consents":
        rules, privacy = review.citation(turn, "not-accepted"), review.citation(turn, "privacy")
        text = t(
            "ask.consents", lang, rules_title=rules[0], rules_url=rules[1], privacy_title=privacy[0]
        )
        return text, ["yes", "no"]
    if field == "content.title" and turn.slots.get("content.summary"):
        suggestion = suggest_title(str(turn.slots["content.summary"]))
        if suggestion:
            turn.progress.pending = {"kind": "title", "field": field, "value": suggestion}
            return t("ask.content.title", lang) + "\n" + t(
                "title.suggest", lang, title=suggestion
            ), ["yes"]
    if field == "content.summary" and turn.progress.restate:
        return t("ask.content.summary.restate", lang), []
    return t(f"ask.{field}", lang), [o.value for o in spec(field).options]


def ask(turn: Turn, field: str, *, before: str = "", extras: tuple[str, ...] = ()) -> None:
    """Ask for `field` (with `before` in the same message, so no question repeats unchanged)."""
    turn.progress.asking = field
    text, choices = question(turn, field)
    turn.say_text(f"{before}\n{text}" if before else text, choices=[*choices, *extras])


def email_to_check(turn: Turn) -> dict[str, Any] | None:
    """A question to ask when the e-mail's domain looks mistyped (gmial.com), else None."""
    email = str(turn.slots.get("contact.email") or "")
    if not email or email in turn.progress.kept:
        return None
    local, _, domain = email.rpartition("@")
    likely = suspect_domain(domain)
    if likely is None:
        return None
    return {"kind": "typo", "field": "contact.email", "value": f"{local}@{likely}", "typed": email}


def advance(turn: Turn) -> State:
    """Check the rules as soon as they can apply, then ask the next question or read back."""
    pending = turn.progress.pending = turn.progress.pending or email_to_check(turn)
    if pending and pending["kind"] == "typo":
        typed, likely = pending["typed"], pending["value"]
        domain, fixed = typed.rsplit("@", 1)[-1], likely.rsplit("@", 1)[-1]
        turn.say("email.typo", typed=typed, domain=domain, likely=fixed, choices=["yes", "no"])
        return State.INTAKE
    if pending and pending["kind"] == "change":
        old = turn.slots.get(pending["field"])
        name = field_name(pending["field"], turn.lang)
        turn.say("change.confirm", field=name, old=old, new=pending["value"], choices=["yes", "no"])
        return State.INTAKE
    problem = review.check(turn)
    if problem is not None:
        return problem
    field = next_missing(turn)
    if field is not None:
        ask(turn, field)
        return State.INTAKE
    turn.progress.asking = None
    return review.read_back(turn)


def reask(turn: Turn) -> State:
    """Ask the pending question again (or move on when it was answered meanwhile)."""
    field = turn.progress.asking
    if field is None or turn.slots.get(field) not in (None, "", []):
        return advance(turn)
    ask(turn, field)
    return State.INTAKE


def back(turn: Turn) -> State:
    """Undo the last answer and ask it again."""
    answered = turn.progress.answered
    if not answered:
        turn.say("back.none")
        return reask(turn)
    field = answered.pop()
    turn.slots.pop(field, None)
    ask(turn, field)
    return State.INTAKE


def clear(turn: Turn) -> None:
    """Forget the proposal being entered (its data and its bookkeeping)."""
    for key in [k for k in turn.slots if not k.startswith("_")]:
        del turn.slots[key]
    turn.progress.reset()


def abandon(turn: Turn) -> None:
    """The proposer gives the proposal up: keep what they wrote for staff, then forget it."""
    text = "\n".join(
        f"{k}: {v}" for k, v in turn.slots.items() if not k.startswith("_") and v not in (None, "")
    )
    if text:
        turn.tx.record_intake_outcome(
            platform_id=turn.platform.id,
            conversation_id=turn.conversation.id,
            contact_id=turn.conversation.contact_id,
            outcome="abandoned",
            rule_id=None,
            text=text,
        )
    clear(turn)


def handle_budget(turn: Turn) -> State:
    """Rework without public money (then restate the proposal), or withdraw."""
    picked = turn.understanding.choose(
        turn.text, BUDGET, similarities=turn.library.similarities
    ).value
    if picked == "rework":
        turn.slots.pop("content.cost_model", None)
        turn.slots.pop("content.summary", None)  # asked again: the record must not contradict
        turn.progress.restate = True
        ask(turn, "content.cost_model")
        return State.INTAKE
    if picked == "stop":
        abandon(turn)
        turn.say("cancelled")
        return State.DONE
    turn.say("invalid.choice", choices=["rework", "stop"])
    return State.BUDGET


def handle_confirm(turn: Turn) -> State:
    """Submit, edit or cancel after the read-back (by number, label or in a sentence)."""
    picked = match_rules(turn.text, CONFIRM)
    if not picked.values and not picked.close:
        if is_question(turn.text):
            answers.cite(turn, turn.text)
            turn.say("confirm.question", choices=["submit", "edit", "cancel"])
            return State.CONFIRM
        picked = turn.understanding.choose(
            turn.text, CONFIRM, similarities=turn.library.similarities
        )
    if picked.value == "submit":
        filed = review.file(turn)
        return filed if filed is not None else advance(turn)
    if picked.value == "cancel":
        abandon(turn)
        turn.say("cancelled")
        return State.DONE
    if picked.close:
        first, second = (turn.label(v) for v in picked.close[:2])
        turn.say("choice.close", first=first, second=second, choices=list(picked.close[:2]))
        return State.CONFIRM
    turn.say("confirm.edit.how", choices=["submit", "cancel"])
    return State.CONFIRM
