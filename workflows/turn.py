"""One turn of a conversation: what the handlers read and how they reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from knowledge import Platform
from storage import ConversationPublic
from workflows.extraction import MAX_TEXT
from workflows.io import Card, Choice, Outgoing
from workflows.ports import Library, TurnStore
from workflows.texts import label, t
from workflows.understanding import normalise


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
    DONE = "done"


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
    replies: list[Outgoing] = field(default_factory=list)

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
        offered = tuple(Choice(self._label(c), c) for c in choices or [])
        self.slots["_choices"] = [c.value for c in offered]
        self.replies.append(Outgoing(text=text, choices=offered, cards=cards, reference=reference))

    def _label(self, value: str) -> str:
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
}
