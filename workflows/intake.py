"""Proposal intake: ask only for what is missing, one question at a time."""

from __future__ import annotations

import re
from typing import Any

from workflows import review
from workflows.extraction import ROLE_PATTERNS, extract, organisation
from workflows.record import (
    CostModel,
    OrganisationType,
    Role,
    corporate_number_is_valid,
    normalise_email,
    normalise_phone,
)
from workflows.texts import label, t
from workflows.turn import State, Turn
from workflows.understanding import normalise, yes_no

PROPOSAL_FIELDS = (
    "organisation.name",
    "organisation.type",
    "contact.name",
    "contact.email",
    "content.title",
    "content.summary",
    "content.problem",
    "content.activities",
    "content.municipality_roles",
    "content.cost_model",
    "proposer.membership_tier",
    "consents",
)
CHOICES: dict[str, list[str]] = {
    "organisation.type": [o.value for o in OrganisationType],
    "content.cost_model": [c.value for c in CostModel],
    "content.municipality_roles": [r.value for r in Role],
}
LIMITS = {"content.title": 120, "organisation.name": 200, "contact.name": 100}


def wanted_fields(turn: Turn) -> list[str]:
    """The platform's required fields in asking order (plus the tier where it has tiers)."""
    required = set(turn.platform.required_fields)
    if turn.platform.membership_tiers:
        required.add("proposer.membership_tier")
    return [f for f in PROPOSAL_FIELDS if f in required]


def next_missing(turn: Turn) -> str | None:
    """The first wanted field not yet filled."""
    return next((f for f in wanted_fields(turn) if turn.slots.get(f) in (None, "", [])), None)


def absorb(turn: Turn, text: str) -> None:
    """Fill empty slots from what `text` states, never overwriting an answer."""
    found = extract(text)
    wrong = found.pop("_invalid_corporate_number", None)
    if wrong:
        turn.say("invalid.corporate_number", number=wrong)
    for key, value in found.items():
        if turn.slots.get(key) in (None, "", []):
            turn.slots[key] = value


def start(turn: Turn) -> State:
    """A new proposal: keep what the first message says, then ask for the rest."""
    for key in [k for k in turn.slots if not k.startswith("_")]:
        del turn.slots[key]
    turn.slots["_answered"] = []
    absorb(turn, turn.text)
    if len(turn.slots) > 2:
        turn.say("intake.start")
    return advance(turn)


def ask(turn: Turn, field: str) -> None:
    """Ask for `field`, with choices where it is an enumeration."""
    turn.slots["_asking"] = field
    if field == "proposer.membership_tier":
        tiers = turn.platform.membership_tiers
        text = (
            t("ask.proposer.membership_tier", turn.lang)
            + "\n"
            + "\n".join(f"{tier.id}: {tier.description.get(turn.lang)}" for tier in tiers)
        )
        turn.say_text(text, choices=[tier.id for tier in tiers])
        return
    if field == "consents":
        rules = _citation(turn, "not-accepted")
        privacy = _citation(turn, "privacy")
        turn.say(
            "ask.consents",
            choices=["yes", "no"],
            rules_title=rules[0],
            rules_url=rules[1],
            privacy_title=privacy[0],
        )
        return
    turn.say(f"ask.{field}", choices=CHOICES.get(field))


def _citation(turn: Turn, suffix: str) -> tuple[str, str]:
    doc_id = next(
        (r.document for r in turn.platform.eligibility_rules if r.document.endswith(suffix)),
        f"{turn.platform.id[:2]}-{suffix}",
    )
    for candidate in (doc_id, f"kf-{suffix}", f"zc-{suffix}"):
        found = turn.library.citation(turn.platform.id, candidate)
        if found:
            return found.title, found.url
    return suffix, ""


def advance(turn: Turn) -> State:
    """Check the rules as soon as they can apply, then ask the next question or read back."""
    problem = review.check(turn)
    if problem is not None:
        return problem
    field = next_missing(turn)
    if field is not None:
        ask(turn, field)
        return State.INTAKE
    turn.slots.pop("_asking", None)
    return review.read_back(turn)


def parse(turn: Turn, field: str, text: str) -> tuple[Any, str | None]:
    """(value, None) for a good answer to `field`, or (None, error text key)."""
    raw = normalise(text)
    choices = turn.slots.get("_choices") or []
    if (
        raw.isdigit()
        and choices
        and 1 <= int(raw) <= len(choices)
        and field != "content.municipality_roles"
    ):
        raw = str(choices[int(raw) - 1])  # "1" answers the first offered choice, whatever it is
    if field in ("organisation.type", "content.cost_model", "proposer.membership_tier"):
        options = choices or CHOICES.get(field, [])
        if raw.isdigit() and 1 <= int(raw) <= len(options):
            return options[int(raw) - 1], None
        for option in options:
            if raw.lower() in (
                option.lower(),
                label(option, "ja").lower(),
                label(option, "en").lower(),
            ):
                return option, None
        if field == "content.cost_model":
            found = extract(raw).get("content.cost_model")
            if found:
                return found, None
        return None, "invalid.choice"
    if field == "content.municipality_roles":
        options = CHOICES[field]
        numbers = re.findall(r"\d+", raw)
        if numbers and all(1 <= int(n) <= len(options) for n in numbers):
            return sorted({options[int(n) - 1] for n in numbers}, key=options.index), None
        roles = [r.value for r, pattern in ROLE_PATTERNS.items() if pattern.search(raw)]
        if roles:
            return roles, None
        if re.fullmatch(r"(特に)?(なし|ありません|ない)|none|nothing", raw, re.I):
            return [Role.OTHER.value], None
        return None, "invalid.choice"
    if field == "contact.email":
        try:
            return normalise_email(raw), None
        except ValueError:
            return None, "invalid.contact.email"
    if field == "contact.phone":
        try:
            return normalise_phone(raw), None
        except ValueError:
            return None, "invalid.contact.phone"
    if field == "organisation.corporate_number":
        digits = re.sub(r"\D", "", raw)
        if corporate_number_is_valid(digits):
            return digits, None
        return None, "invalid.corporate_number"
    if field == "consents":
        answer = yes_no(raw)
        if answer is None:
            return None, "invalid.choice"
        return answer, None
    if len(raw) < 2:
        return None, "invalid.empty"
    limit = LIMITS.get(field)
    if limit and len(raw) > limit:
        return None, "invalid.too_long"
    if field in ("organisation.name", "contact.name"):
        # A direct answer is the whole name ("NPO法人みどりのまち"); only its legal form is read.
        raw = re.sub(r"(です|と申します|と言います)[。.]?$", "", raw).strip()
    if field == "organisation.name":
        found = organisation(raw)
        if found and not turn.slots.get("organisation.type"):
            turn.slots["organisation.type"] = found[1].value
    return raw, None


def handle_intake(turn: Turn) -> State:
    """An answer to the question asked."""
    field = turn.slots.get("_asking") or next_missing(turn)
    if field is None:
        return advance(turn)
    value, error = parse(turn, field, turn.text)
    if error:
        turn.say(error, limit=LIMITS.get(field, 0), number=normalise(turn.text))
        ask(turn, field)
        return State.INTAKE
    if field == "consents" and value is False:
        turn.say("consents.declined", choices=["yes", "cancel"])
        return State.INTAKE
    turn.slots[field] = value
    turn.slots.setdefault("_answered", []).append(field)
    if field not in CHOICES and field != "consents":
        absorb(turn, turn.text)
    return advance(turn)


def back(turn: Turn) -> State:
    """Undo the last answer and ask it again."""
    answered: list[str] = turn.slots.get("_answered", [])
    if not answered:
        turn.say("back.none")
        field = turn.slots.get("_asking")
        if field:
            ask(turn, field)
        return State.INTAKE
    field = answered.pop()
    turn.slots.pop(field, None)
    ask(turn, field)
    return State.INTAKE


def choice(turn: Turn) -> str | None:
    """The offered choice the user picked (by number, value or yes/no), if any."""
    raw = normalise(turn.text)
    options = turn.slots.get("_choices") or []
    if raw.isdigit() and 1 <= int(raw) <= len(options):
        return str(options[int(raw) - 1])
    if raw in options:
        return raw
    answer = yes_no(raw)
    if answer is not None and options:
        return str(options[0] if answer else options[-1])
    return None


def clear(turn: Turn) -> None:
    """Forget the proposal being entered."""
    for key in [
        k
        for k in turn.slots
        if not k.startswith("_")
        or k in ("_asking", "_answered", "_similar", "_duplicates", "_rejected")
    ]:
        del turn.slots[key]
