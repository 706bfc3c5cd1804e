"""The small interfaces the desk works through (implemented by storage and knowledge)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from knowledge import Answer, Citation, Passage
from storage import ConversationPublic, ProposalPublic
from workflows.choices import Match, Option


class TurnStore(Protocol):
    """Everything one turn reads and writes, inside one transaction."""

    def open_conversation(
        self, *, platform_id: str, channel: str, user_key: str, initial_state: str
    ) -> ConversationPublic: ...

    def save_conversation(
        self, *, conversation_id: int, state: str, slots: dict[str, Any], language: str
    ) -> None: ...

    def log_message(
        self,
        *,
        conversation_id: int,
        direction: str,
        text: str,
        payload: dict[str, Any] | None = None,
    ) -> None: ...

    def update_contact(self, *, contact_id: int, **fields: str | None) -> None: ...

    def file_proposal(
        self,
        *,
        platform_id: str,
        prefix: str,
        contact_id: int,
        channel: str,
        language: str,
        track: str,
        title: str,
        organisation: str,
        received_at: dt.datetime,
        due_date: dt.date,
        record: dict[str, Any],
        department: str | None = None,
        year: int | None = None,
    ) -> ProposalPublic: ...

    def record_intake_outcome(
        self,
        *,
        platform_id: str,
        conversation_id: int,
        contact_id: int,
        outcome: str,
        rule_id: str | None,
        text: str,
    ) -> None: ...

    def find_proposal(
        self, *, reference: str, platform_id: str | None = None
    ) -> ProposalPublic | None: ...

    def list_proposals(
        self, *, platform_id: str | None = None, status: str | None = None
    ) -> list[ProposalPublic]: ...

    def file_inquiry(
        self,
        *,
        platform_id: str,
        contact_id: int,
        conversation_id: int,
        question: str,
        language: str,
    ) -> int: ...

    def claim_inbound(self, *, event_id: int) -> bool: ...

    def open_proposals_of(self, *, platform_id: str, contact_id: int) -> list[ProposalPublic]: ...

    def latest_message_id(self, *, conversation_id: int, direction: str) -> int | None: ...

    def attach_followup(
        self,
        *,
        proposal_id: int,
        conversation_id: int,
        message_id: int | None,
        at: dt.datetime,
        next_action_due: dt.date,
    ) -> None: ...

    def enqueue(
        self,
        *,
        platform_id: str,
        channel: str,
        user_key: str,
        conversation_id: int | None,
        payload: dict[str, Any],
    ) -> int: ...


class DeskStore(Protocol):
    """Opens a transaction per turn; it commits when the block ends without error."""

    def begin(self) -> AbstractContextManager[TurnStore]: ...


class StaffStore(Protocol):
    """A transaction whose handle offers the repository's staff and triage functions."""

    def begin(self) -> AbstractContextManager[Any]: ...


class Library(Protocol):
    """What the desk asks of the platform's documents.

    `search`, `classify_themes` and `similarities` embed text (slow): the desk reaches them
    through a per-turn `knowledge.PreparedLibrary`, which calls them only while no
    transaction is open and answers the turn's transaction from its memo.
    """

    def search(
        self, query: str, *, platform: str, k: int = 5, kind: str | None = None
    ) -> list[Passage]: ...

    def citation(self, platform: str, doc_id: str) -> Citation | None: ...

    def classify_themes(self, text: str, *, platform: str) -> list[tuple[str, float]]: ...

    def similarities(self, text: str, others: list[str]) -> list[float]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def answer(self, query: str, *, platform: str, k: int = 3) -> Answer: ...


class Understanding(Protocol):
    """Reads which offered choice an answer means (rules and embeddings by default).

    `similarities` embeds text: the desk passes the turn's `PreparedLibrary.similarities`, so
    an implementation that needs meaning asks for it through the sealed passes.
    """

    def choose(
        self,
        text: str,
        options: Sequence[Option],
        *,
        similarities: Callable[[str, list[str]], list[float]] | None = None,
        multiple: bool = False,
    ) -> Match: ...
