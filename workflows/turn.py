"""One turn of a conversation: what the handlers read and how they reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from knowledge import Platform
from storage import ConversationPublic
from workflows.choices import RuleChooser
from workflows.extraction import MAX_TEXT
from workflows.intents import IntentReader, Reading, RuleIntents
from workflows.io import Card, Choice, Outgoing
from workflows.plain import normalise
from workflows.ports import Library, TurnStore, Understanding
from workflows.texts import label, t
from workflows.understanding import Intent


def read_text(raw: str) -> tuple[str, bool]:
    """What a turn reads of a message, and whether that is less than all of it.

    At most `MAX_TEXT` characters, normalised; the transcript always keeps the whole message.
    """
    # NFKC may lengthen the text ("㍿" is 株式会社): normalise a margin, then cut.
    head = raw[: MAX_TEXT * 2]
    text = normalise(head)
    return text[:MAX_TEXT].strip(), len(text) > MAX_TEXT or len(raw) > len(head)


class State(StrEnum):
    """Conversation states; DONE is terminal (the next message starts afresh)."""

    IDLE = "idle"
    INTAKE = "intake"
    BUDGET = "budget"
    CONFIRM = "confirm"
    HANDOFF_OFFER = "handoff_offer"
    HANDOFF_ASK = "handoff_ask"
    STATUS_ASK = "status_ask"
    QUESTION_ASK = "question_ask"
    RESUME = "resume"
    DONE = "done"


PROGRESS_KEY = "_progress"
# Keys the dialogue kept among the user's slots before `Progress` (conversations saved then).
_LEGACY = {"_asking": "asking", "_answered": "answered", "_choices": "offered"}


@dataclass
class Progress:
    """The dialogue's bookkeeping, kept apart from what the proposer said.

    Attributes:
        asking: the field whose question is pending.
        answered: fields answered, in order (for "back").
        offered: the values of the choices last shown (so "2" answers them).
        misses: answers per field that could not be read.
        pending: a question about a question: a change to confirm, a title suggestion, two
            close choices (`{"kind": ..., "field": ..., "value": ...}`).
        undecided: fields answered 「未定」; skipped: fields the proposer left out; deferred:
            fields asked last (a title 「未定」 is suggested once the summary is known).
        last_activity: ISO time of the last turn (for stale conversations).
        resume: the state a stale proposal resumes in; held: the message that found it stale.
        restate: the summary is asked again after a budget rework.
        first: the message that started the proposal (「最初に書いた通りです」 points to it).
        kept: values the proposer confirmed as typed (an e-mail whose domain looked mistyped).
        similar, duplicates: what the read-back found, for the record's triage.
    """

    asking: str | None = None
    answered: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    misses: dict[str, int] = field(default_factory=dict)
    pending: dict[str, Any] | None = None
    undecided: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    last_activity: str | None = None
    resume: str | None = None
    held: str | None = None
    restate: bool = False
    first: str | None = None
    kept: list[str] = field(default_factory=list)
    similar: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def take(cls, slots: dict[str, Any]) -> Progress:
        """Remove the bookkeeping from `slots` (either form) and return it."""
        stored = slots.pop(PROGRESS_KEY, None) or {}
        for old, new in _LEGACY.items():
            if old in slots:
                stored.setdefault(new, slots.pop(old))
        for old in ("_similar", "_duplicates", "_rejected"):
            slots.pop(old, None)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in stored.items() if k in known and v is not None})

    def dump(self) -> dict[str, Any]:
        """The JSON form kept under `PROGRESS_KEY`."""
        return asdict(self)

    def reset(self) -> None:
        """Forget the proposal's bookkeeping (keeps the clock and the offered choices)."""
        fresh = Progress(last_activity=self.last_activity, offered=self.offered)
        self.__dict__.update(fresh.__dict__)


@dataclass
class Turn:
    """The context a handler works in; replies accumulate in `replies`."""

    tx: TurnStore
    library: Library
    platform: Platform
    conversation: ConversationPublic
    channel: str
    lang: str
    text: str
    slots: dict[str, Any]
    now: dt.datetime
    progress: Progress = field(default_factory=Progress)
    understanding: Understanding = field(default_factory=RuleChooser)
    intents: IntentReader = field(default_factory=RuleIntents)
    replies: list[Outgoing] = field(default_factory=list)
    _reading: Reading | None = field(default=None, repr=False)

    def reading(self) -> Reading:
        """What the message is for, by meaning (read once per turn, from `text` as it was).

        Its vector comes through the turn's prepared library: inside the transaction a
        vector not fetched yet ends the pass, and the desk runs it again once fetched.
        """
        if self._reading is None:
            self._reading = self.intents.read(self.text, embed=self.library.embed_query)
        return self._reading

    @property
    def intent(self) -> Intent:
        """The message's intent (`reading().intent`), for handlers that only need the label."""
        return self.reading().intent

    def say(
        self,
        key: str,
        *,
        choices: list[str] | None = None,
        cards: tuple[Card, ...] = (),
        filed: str | None = None,
        **values: Any,
    ) -> None:
        """Reply with text `key`; `choices` are values shown with their labels.

        `filed` marks the reply that carries a new reference number (for rich channels).
        """
        self.say_text(t(key, self.lang, **values), choices=choices, cards=cards, reference=filed)

    def say_text(
        self,
        text: str,
        *,
        choices: list[str] | None = None,
        cards: tuple[Card, ...] = (),
        reference: str | None = None,
    ) -> None:
        """Reply with a ready text; remembers the choices so '2' can answer them."""
        offered = tuple(Choice(self.label(c), c) for c in choices or [])
        self.progress.offered = [c.value for c in offered]
        self.replies.append(Outgoing(text=text, choices=offered, cards=cards, reference=reference))

    def label(self, value: str) -> str:
        """How choice `value` is shown in this turn's language."""
        tier = next((x for x in self.platform.membership_tiers if x.id == value), None)
        if tier is not None:
            return tier.label.get(self.lang)
        return t(_MENU[value], self.lang) if value in _MENU else label(value, self.lang)


_MENU = {
    "propose": "menu.propose",
    "ask": "menu.ask",
    "status": "menu.status",
    "human": "menu.human",
    "yes": "yes",
    "no": "no",
    "submit": "confirm.submit",
    "edit": "confirm.edit",
    "cancel": "confirm.cancel",
    "rework": "rule.needs-budget.rework",
    "stop": "rule.needs-budget.stop",
    "skip": "choice.skip",
    "continue": "resume.continue",
    "restart": "resume.restart",
    "undecided": "choice.undecided",
}
