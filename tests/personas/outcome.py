"""What happened in one persona's conversation: the figures the tests and the bench read."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.personas.profiles import Persona


@dataclass
class Run:
    """What happened in one persona's conversation."""

    persona: Persona
    outcome: str = "turn_cap"  # filed | refused | cancelled | gave_up | turn_cap
    reference: str | None = None
    user_turns: int = 0
    reprompts: int = 0
    confusions: int = 0
    redundant: int = 0  # a field asked although the opening message stated it
    unanswered: int = 0  # a question asked mid-intake and not answered from the documents
    unheeded: int = 0  # a change of mind not acknowledged
    transcript: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def as_intended(self) -> bool:
        """Filed, refused or answered, as the persona meant."""
        wanted = {"file": "filed", "refuse": "refused", "ask": "answered"}
        return self.outcome == wanted[self.persona.intent]
