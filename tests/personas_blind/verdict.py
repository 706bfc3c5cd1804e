"""Checking the filed record, field by field, against what the persona said."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from storage import repository
from storage.public import ProposalPublic
from tests.personas_blind.model import UNDECIDED, Persona
from tests.personas_blind.reader import fold
from tests.personas_blind.talk import CHANNEL
from workflows import Desk

# Lines a proposal's summary never holds: greetings, salutations, sign-offs, self-introductions.
NOT_PROPOSAL = (
    "お世話になっております",
    "お世話になります",
    "ご担当者様",
    "御中",
    "よろしくお願い",
    "と申します",
    "初めてご連絡",
    "突然のご連絡",
    "TEL",
    "FAX",
    "〒",
    "Dear ",
    "Best regards",
    "Kind regards",
    "Many thanks",
    "Hi there",
    "タイトルは",
    "件名",
)
# A suggested title that is really a sentence or a non-answer.
NOT_A_TITLE = re.compile(
    r"(です|ます|ください|でした|ません|たい)$|[。.!?？！]$"
    r"|未定|おまかせ|お任せ|それで|not sure|that's fine",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    """One field: what the persona meant, what was filed, whether they agree."""

    name: str
    expected: Any
    actual: Any
    ok: bool


def filed(desk: Desk, *, persona: Persona, user_key: str) -> list[ProposalPublic]:
    """The proposals filed from this persona's conversation, read back through storage."""
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        conversation = repository.find_conversation(
            session, platform_id=persona.platform, channel=CHANNEL, user_key=user_key
        )
        if conversation is None:
            return []
        mine = repository.list_proposals(session, platform_id=persona.platform)
        return [p for p in mine if p.contact_id == conversation.contact_id]


def e164(phone: str | None) -> str | None:
    """A Japanese phone number as the record keeps it (+81…), by the persona's own reckoning."""
    if phone is None:
        return None
    digits = re.sub(r"[^\d+]", "", unicodedata.normalize("NFKC", phone))
    return "+81" + digits[1:] if digits.startswith("0") else digits


def _name(text: str | None) -> str:
    """A person's name compared without spaces between family and given name."""
    folded = fold(text or "")
    return re.sub(r"\s+", "", folded) if re.search(r"[^\x00-\x7f]", folded) else folded


def _unquote(title: str) -> str:
    return title[1:-1] if title[:1] == "「" and title[-1:] == "」" else title


def leaks(persona: Persona, text: str) -> list[str]:
    """What of the greeting, signature and contact lines made it into `text`."""
    facts = persona.facts
    found = [w for w in (*NOT_PROPOSAL, *facts.leaks, facts.email) if fold(w) in fold(text)]
    if facts.phone and re.sub(r"\D", "", fold(facts.phone)) in re.sub(r"\D", "", fold(text)):
        found.append(facts.phone)
    if len(facts.contact) >= 2 and _name(facts.contact) in _name(text):
        found.append(facts.contact)
    return found


def _title(persona: Persona, title: str) -> Check:
    if persona.facts.title:
        ok = fold(_unquote(title)) == fold(persona.facts.title)
        return Check("title", persona.facts.title, title, ok)
    ok = bool(title) and "\n" not in title and len(title) <= 40 and not NOT_A_TITLE.search(title)
    # A name is no title: the organisation or the contact offered back as one.
    ok = ok and fold(title) not in (fold(persona.facts.organisation), fold(persona.facts.contact))
    return Check("title", "(a suggested title: a short phrase, not a sentence)", title, ok)


def check(persona: Persona, record: dict[str, Any]) -> list[Check]:
    """Every field the persona stated, against the filed record."""
    facts, who, what = persona.facts, record["proposer"], record["content"]
    checks = [
        Check(
            "organisation",
            facts.organisation,
            who.get("organisation_name"),
            fold(facts.organisation) == fold(who.get("organisation_name") or ""),
        ),
        Check(
            "type",
            facts.org_type,
            who.get("organisation_type"),
            facts.org_type == who.get("organisation_type"),
        ),
        Check(
            "contact",
            facts.contact,
            who.get("contact_name"),
            _name(facts.contact) == _name(who.get("contact_name")),
        ),
        Check(
            "email",
            facts.email,
            who.get("email"),
            fold(facts.email) == fold(str(who.get("email") or "")),
        ),
        Check("phone", e164(facts.phone), who.get("phone"), e164(facts.phone) == who.get("phone")),
        Check("cost", facts.cost, what.get("cost_model"), facts.cost == what.get("cost_model")),
        _title(persona, what.get("title") or ""),
    ]
    summary = what.get("summary") or ""
    leaked = leaks(persona, summary)
    has_point = fold(facts.summary_key) in fold(summary)
    checks.append(
        Check(
            "summary",
            f"has {facts.summary_key!r}, leaks nothing",
            f"{summary!r} leaks={leaked}",
            has_point and not leaked,
        )
    )
    if persona.platform == "kyoso-front":
        roles = sorted(what.get("municipality_roles") or [])
        wanted = sorted(facts.roles or ("other",))
        checks.append(Check("roles", wanted, roles, roles == wanted))
    if persona.platform == "zerocarbon" and facts.tier is not None:
        tier = who.get("membership_tier")
        ok = tier in (None, UNDECIDED) if facts.tier == UNDECIDED else tier == facts.tier
        checks.append(Check("tier", facts.tier, tier, ok))
    consents = record.get("consents") or {}
    given = bool(consents) and all(consents.values())
    checks.append(Check("consents", True, consents, given))
    return checks
