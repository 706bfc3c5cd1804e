"""What leaves the storage layer: plain models, no sessions attached."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, computed_field

from storage.attachments import attachment_ids


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
    # The staff week's clocks and lock (issue 13); defaults keep older callers working.
    first_response_at: dt.datetime | None = None
    awaiting_staff_since: dt.datetime | None = None
    last_activity_at: dt.datetime | None = None
    next_action_due: dt.date | None = None
    version: int = 1

    @computed_field  # type: ignore[prop-decorator]
    @property
    def attachment_ids(self) -> list[int]:
        """Files the proposer sent during the intake (`storage.attachments.attachments_by_id`)."""
        content = self.record.get("content") if isinstance(self.record, dict) else None
        entries = content.get("attachments") if isinstance(content, dict) else None
        return attachment_ids(entries if isinstance(entries, list) else [])


class ProposalEventPublic(BaseModel):
    """One entry of a proposal's history."""

    actor: str
    at: dt.datetime
    from_status: str | None
    to_status: str | None
    note: str | None
