"""Who a blind persona is: the facts it means, how it writes, and what it does on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

UNDECIDED = "undecided"


@dataclass(frozen=True)
class Facts:
    """What the persona means, field by field: the filed record must say exactly this."""

    organisation: str
    org_type: str  # company | npo | university | association | financial | sole_proprietor | other
    contact: str
    email: str
    cost: str  # no_cost | proposer_bears
    summary_key: str  # words the summary must hold: the point of the proposal
    title: str | None = None  # None: the persona has no title and accepts a sensible suggestion
    phone: str | None = None
    roles: tuple[str, ...] = ()  # kyoso-front: what is asked of the city
    tier: str | None = None  # zerocarbon: A | B | C | UNDECIDED
    leaks: tuple[str, ...] = ()  # lines of this persona's message that must not reach the summary


@dataclass(frozen=True)
class Aside:
    """Something the persona says instead of answering, once, when `at` is asked.

    `expect` is what the desk must do with it:
    - ``answer``: answer it from the documents (citation and one of `words`), then go on;
    - ``english`` / ``japanese``: go on in that language;
    - ``previous``: ask the question before again;
    - ``heeded``: act on it (checked in the record, e.g. a changed title); any reply will do;
    - ``resume``: the persona is away `hours` first and answers as if never gone: the desk
      must ask whether to continue.
    """

    at: str
    text: str
    expect: str
    words: tuple[str, ...] = ()
    hours: float = 0.0


@dataclass(frozen=True)
class Persona:
    """A proposer: platform, language, first message, answers in its own words, asides."""

    id: str
    platform: str
    lang: str
    opening: str
    facts: Facts
    says: dict[str, str] = field(default_factory=dict)  # topic -> first answer
    asides: tuple[Aside, ...] = ()
    switches_to: str | None = None  # the language it goes on in after an english/japanese aside
    stated: tuple[str, ...] = ()  # topics already stated in the opening: asking them is redundant
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)  # an answer that states more


@dataclass
class Run:
    """What happened in one conversation."""

    persona: Persona
    outcome: str = "turn_cap"  # filed | refused | gave_up | turn_cap | stuck
    reference: str | None = None
    user_turns: int = 0
    reprompts: int = 0  # the same question again after it was answered
    redundant: int = 0  # a question about what the persona had already stated
    unheeded: list[str] = field(default_factory=list)  # asides the desk did not act on
    transcript: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lang_now: str = ""

    def story(self, *, last: int | None = None) -> str:
        """The conversation as text, for a failing test or a finding."""
        turns = self.transcript if last is None else self.transcript[-last:]
        lines = [f"{self.persona.id}: {self.outcome} after {self.user_turns} turns", *self.notes]
        for said, heard in turns:
            lines += [f"  > {said[:300]!r}", f"  < {heard[:400]!r}"]
        return "\n".join(lines)
