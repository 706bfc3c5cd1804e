"""What a channel hands the desk and what the desk hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Choice:
    """A button; `value` is what the desk receives when it is chosen."""

    label: str
    value: str


@dataclass(frozen=True)
class Card:
    """A titled item with a link (past cases)."""

    title: str
    text: str
    url: str


@dataclass(frozen=True)
class Incoming:
    """A user message from any channel."""

    platform: str
    channel: str
    user_key: str
    text: str


@dataclass(frozen=True)
class Outgoing:
    """A reply; channels without buttons show `fallback_text()`."""

    text: str
    choices: tuple[Choice, ...] = ()
    cards: tuple[Card, ...] = field(default=())
    reference: str | None = None

    def to_payload(self) -> dict[str, Any]:
        """As JSON for the outbox."""
        return {
            "text": self.text,
            "choices": [[c.label, c.value] for c in self.choices],
            "cards": [[c.title, c.text, c.url] for c in self.cards],
            "reference": self.reference,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Outgoing:
        """Inverse of `to_payload`."""
        return cls(
            text=payload["text"],
            choices=tuple(Choice(label, value) for label, value in payload.get("choices", [])),
            cards=tuple(Card(*card) for card in payload.get("cards", [])),
            reference=payload.get("reference"),
        )

    def text_with_cards(self) -> str:
        """The text followed by one line per card (title and link)."""
        return "\n".join([self.text, *(f"・{c.title} {c.url}".rstrip() for c in self.cards)])

    def fallback_text(self) -> str:
        """The reply as plain text, with cards and numbered choices."""
        lines = [self.text_with_cards()]
        for number, choice in enumerate(self.choices, start=1):
            lines.append(f"{number}. {choice.label}")
        return "\n".join(lines)
