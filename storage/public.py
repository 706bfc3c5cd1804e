"""What leaves the storage layer: plain models, no sessions attached."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel


class ConversationPublic(BaseModel):
    """A conversation's state as the dialogue sees it."""

    id: int
    platform_id: str
    channel: str
    user_key: str
    contact_id: int
    state: str
    slots: dict[str, Any]
    language: str


class ProposalPublic(BaseModel):
    """A filed proposal."""

    id: int
    platform_id: str
    reference: str
    contact_id: int
    channel: str
    language: str
    track: str
    title: str
    organisation: str
    status: str
    assignee: str | None
    department: str | None
    received_at: dt.datetime
    due_date: dt.date
    record: dict[str, Any]


class ProposalEventPublic(BaseModel):
    """One entry of a proposal's history."""

    actor: str
    at: dt.datetime
    from_status: str | None
    to_status: str | None
    note: str | None
