"""What a persona is: the true facts of a proposer and the way they write."""

from __future__ import annotations

from dataclasses import dataclass, field

# The fields a persona can be asked; the engine classifies each desk question into one of them.
FIELDS = (
    "organisation.name",
    "organisation.type",
    "contact.name",
    "contact.email",
    "contact.phone",
    "content.title",
    "content.summary",
    "content.problem",
    "content.activities",
    "content.municipality_roles",
    "content.cost_model",
    "proposer.membership_tier",
    "consents",
)
UNDECIDED = "undecided"


@dataclass(frozen=True)
class Facts:
    """The truth about a proposer, as the filed record should hold it.

    `title` None means the proposer has no title in mind (the desk should suggest one);
    `tier` UNDECIDED means they have not chosen one; `phone` None means they never give one.
    The `*_key` strings are phrases the summary, problem and activities must keep.
    """

    organisation: str
    organisation_type: str
    contact: str
    email: str
    title: str | None
    summary: str
    problem: str
    activities: str
    cost_model: str
    summary_key: str
    problem_key: str = ""
    activities_key: str = ""
    phone: str | None = None
    roles: tuple[str, ...] = ()
    tier: str | None = None
    consents: bool = True


@dataclass(frozen=True)
class Quirk:
    """Something a person does mid-intake instead of answering, and what the desk must do.

    When the desk first asks `at` (a field, "confirm", or "*" for any field), the persona
    says `text`; the desk's next turn must then `expect`:
    "answer" (its question answered from the documents, with the source),
    "acknowledged" (the change it named made, or offered),
    "english" (the conversation goes on in English),
    "previous" (the question before asked again: it went back),
    "resume" (after `hours` away the persona answers `at` as if it had never left: the desk
    asks whether to continue the unfinished proposal or start over; `text` is unused).
    """

    at: str
    text: str
    expect: str
    hours: float = 0.0


@dataclass(frozen=True)
class Persona:
    """A proposer: facts, a style of writing and the quirks the issue describes.

    Attributes:
        id: short name shown in reports.
        platform: kyoso-front or zerocarbon.
        lang: ja or en.
        intent: "file" (expects a reference number), "refuse" (a real sales pitch) or "ask"
            (not a proposal at all: expects its question answered and nothing filed).
        style: keigo, casual, plain (full sentences), bare (values and numbers), en, en_bare.
        opening: the first message.
        facts: the truth the record is checked against.
        says: the persona's own words for particular questions (field -> text), overriding
            the style's template; "submit" is what they type at the read-back, "budget" how
            they answer the budget rework offer, "restate" what changes after a rework.
        quirks: what the persona does besides answering (see `Quirk`), each once.
        leaks: texts that must not appear in the summary (greeting, signature, contact lines,
            a question or a change request the persona typed).
    """

    id: str
    platform: str
    lang: str
    style: str
    opening: str
    facts: Facts
    intent: str = "file"
    says: dict[str, str] = field(default_factory=dict)
    quirks: tuple[Quirk, ...] = ()
    leaks: tuple[str, ...] = ()
    note: str = ""
