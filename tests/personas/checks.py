"""Checking a filed record against what the persona said, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from storage import repository
from storage.public import ProposalPublic
from tests.personas.profiles import UNDECIDED, Persona
from tests.personas.reading import norm
from workflows import Desk
from workflows.record import normalise_phone

# Words a proposal summary never holds: greetings, salutations, sign-offs.
GREETINGS = (
    "お世話になっております",
    "お世話になります",
    "ご担当者様",
    "御中",
    "よろしくお願い",
    "Dear ",
    "Best regards",
    "Kind regards",
)
# Where a field is asked only on one platform, it is checked only there.
PLATFORM_FIELDS = {
    "kyoso-front": ("problem", "roles"),
    "zerocarbon": ("tier",),
}


@dataclass(frozen=True)
class FieldCheck:
    """One field of the record: what the persona said, what was filed."""

    name: str
    expected: Any
    actual: Any
    ok: bool


def filed_proposals(desk: Desk, *, platform: str, user_key: str) -> list[ProposalPublic]:
    """The proposals filed from this persona's conversation (through the repository)."""
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        conversation = repository.find_conversation(
            session, platform_id=platform, channel="personas", user_key=user_key
        )
        if conversation is None:
            return []
        mine = repository.list_proposals(session, platform_id=platform)
        return [p for p in mine if p.contact_id == conversation.contact_id]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return norm(a).casefold() == norm(b).casefold()
    return bool(a == b)


def _phone(raw: str | None) -> str | None:
    return None if raw is None else normalise_phone(raw)


def _leaks(persona: Persona, text: str) -> bool:
    """Whether `text` holds a greeting, signature or contact line, or a non-answer."""
    facts = persona.facts
    leaks = [*GREETINGS, *persona.leaks, facts.email, "タイトルは", "件名は", "The title is"]
    if facts.phone:
        leaks.append(facts.phone)
    if len(norm(facts.contact)) >= 2:
        leaks.append(facts.contact)  # the writer's name belongs to the contact, not the proposal
    return any(norm(leak).casefold() in norm(text).casefold() for leak in leaks)


def _clean_summary(persona: Persona, summary: str) -> bool:
    if norm(persona.facts.summary_key).casefold() not in norm(summary).casefold():
        return False
    return not _leaks(persona, summary)


def _title(persona: Persona, title: str) -> tuple[Any, bool]:
    if persona.facts.title:
        return persona.facts.title, _same(title, persona.facts.title)
    # No title in mind: any clean one-line title the desk suggested and the persona accepted,
    # not the persona's non-answer and not a sentence cut off mid-way.
    bad = ("未定", "決めて", "おまかせ", "それで", "お願いします", "not sure", "that's fine", "?")
    cut = title.endswith(("…", "...", "、", ","))
    ok = bool(title) and not cut and len(title) <= 60 and not any(b in title for b in bad)
    return "(a suggested title: one line, whole, not a non-answer)", ok


def check_record(persona: Persona, record: dict[str, Any]) -> list[FieldCheck]:
    """Every field the persona stated, compared with the filed record."""
    facts, proposer, content = persona.facts, record["proposer"], record["content"]
    checks = [
        ("organisation", facts.organisation, proposer["organisation_name"]),
        ("type", facts.organisation_type, proposer["organisation_type"]),
        ("contact", facts.contact, proposer["contact_name"]),
        ("email", facts.email.lower(), str(proposer["email"]).lower()),
        ("phone", _phone(facts.phone), proposer.get("phone")),
        ("cost", facts.cost_model, content["cost_model"]),
    ]
    result = [FieldCheck(n, e, a, _same(e, a)) for n, e, a in checks]
    expected_title, ok = _title(persona, content["title"])
    result.append(FieldCheck("title", expected_title, content["title"], ok))
    result.append(
        FieldCheck(
            "summary",
            f"has {facts.summary_key!r}, no greeting/signature/contact",
            content["summary"],
            _clean_summary(persona, content["summary"]),
        )
    )
    if facts.activities_key:
        # What will be done may also be read from the summary the persona gave: either is
        # the persona's own proposal, where a title, a question or a name is not.
        activities = norm(content.get("activities") or "").casefold()
        keys = [norm(k).casefold() for k in (facts.activities_key, facts.summary_key)]
        found = any(k in activities for k in keys) and not _leaks(persona, activities)
        expected = f"has {facts.activities_key!r} (or {facts.summary_key!r})"
        result.append(FieldCheck("activities", expected, content.get("activities"), found))
    extra = PLATFORM_FIELDS.get(persona.platform, ())
    if "problem" in extra and facts.problem_key:
        problem = content.get("problem") or ""
        found = norm(facts.problem_key).casefold() in norm(problem).casefold()
        found = found and not _leaks(persona, problem)
        result.append(FieldCheck("problem", facts.problem_key, problem, found))
    if "roles" in extra:
        roles = sorted(content.get("municipality_roles") or [])
        wanted = sorted(facts.roles or ("other",))
        result.append(FieldCheck("roles", wanted, roles, roles == wanted))
    if "tier" in extra:
        tier = proposer.get("membership_tier")
        ok = tier in (None, UNDECIDED) if facts.tier == UNDECIDED else tier == facts.tier
        result.append(FieldCheck("tier", facts.tier, tier, ok))
    language = record.get("language")
    result.append(FieldCheck("language", persona.lang, language, language == persona.lang))
    consents = record.get("consents") or {}
    given = bool(consents) and all(consents.values())
    result.append(FieldCheck("consents", facts.consents, given, given == facts.consents))
    return result
