"""SQLModel tables. JSON columns hold structured data (slots, records, payloads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Timezone-aware now (stored as UTC)."""
    return dt.datetime.now(dt.UTC)


def _json(**kwargs: Any) -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False), **kwargs)


class PlatformRow(SQLModel, table=True):
    """A platform (tenant) known to the database."""

    __tablename__ = "platform"

    id: str = Field(primary_key=True, max_length=64)
    name_ja: str
    name_en: str
    reference_prefix: str = Field(max_length=8)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Contact(SQLModel, table=True):
    """A proposer's identity on one channel of one platform."""

    __table_args__ = (UniqueConstraint("platform_id", "channel", "user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id", index=True)
    channel: str = Field(max_length=32)
    user_key: str = Field(max_length=255)
    display_name: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str = Field(default="ja", max_length=8)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """Dialogue state, saved after every turn."""

    __table_args__ = (UniqueConstraint("platform_id", "channel", "user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id", index=True)
    channel: str = Field(max_length=32)
    user_key: str = Field(max_length=255)
    contact_id: int = Field(foreign_key="contact.id")
    state: str = Field(max_length=32)
    slots: dict[str, Any] = _json()
    language: str = Field(default="ja", max_length=8)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    """The transcript, both directions."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    direction: str = Field(max_length=3)  # "in" | "out"
    text: str
    # The proposal a follow-up or a staff reply belongs to (its part of the conversation).
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    payload: dict[str, Any] = _json()
    created_at: dt.datetime = Field(default_factory=utcnow)


class Proposal(SQLModel, table=True):
    """A filed proposal: searchable columns plus the full validated record as JSON."""

    __table_args__ = (UniqueConstraint("platform_id", "reference"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id", index=True)
    reference: str = Field(max_length=32, index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    channel: str = Field(max_length=32)
    language: str = Field(max_length=8)
    track: str = Field(max_length=16)
    title: str
    organisation: str
    status: str = Field(default="received", max_length=32, index=True)
    assignee: str | None = None
    department: str | None = None
    received_at: dt.datetime = Field(default_factory=utcnow)
    due_date: dt.date
    record: dict[str, Any] = _json()
    # Folded (storage.search): title, summary, organisation, contact, e-mail and notes.
    search_text: str = ""
    org_key: str = Field(default="", max_length=200, index=True)  # folded, legal form dropped
    first_response_at: dt.datetime | None = None
    announced_at: dt.datetime | None = None  # posted to the staff channel
    updated_at: dt.datetime = Field(default_factory=utcnow)
    # Staff week (issue 13): a proposer's follow-up sets `awaiting_staff_since` (cleared when
    # staff answer); the next action is due `next_action_due` (set by staff, or N business
    # days after a follow-up); `version` grows with every change (a stale console page is told).
    awaiting_staff_since: dt.datetime | None = Field(default=None, index=True)
    last_activity_at: dt.datetime | None = None
    next_action_due: dt.date | None = None
    version: int = 1


class ProposalEvent(SQLModel, table=True):
    """Status history and audit: who, when, from -> to, note."""

    __tablename__ = "proposal_event"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    actor: str
    at: dt.datetime = Field(default_factory=utcnow)
    from_status: str | None = None
    to_status: str | None = None
    note: str | None = None


class Inquiry(SQLModel, table=True):
    """A member question handed to staff."""

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id", index=True)
    contact_id: int = Field(foreign_key="contact.id")
    conversation_id: int = Field(foreign_key="conversation.id")
    question: str
    language: str = Field(max_length=8)
    status: str = Field(default="open", max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow)
    announced_at: dt.datetime | None = None  # posted to the staff channel
    answer: str | None = None
    answered_by: str | None = None
    answered_at: dt.datetime | None = None


class InboundEvent(SQLModel, table=True):
    """A webhook event, unique per channel and external id (de-duplication)."""

    __tablename__ = "inbound_event"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=255)
    platform_id: str = Field(foreign_key="platform.id")
    payload: dict[str, Any] = _json()
    received_at: dt.datetime = Field(default_factory=utcnow)
    processed_at: dt.datetime | None = None
    # "pending" until its turn commits ("done"); "failed" after the last retry (quarantined,
    # skipped, re-queueable with `madoguchi inbox retry`).
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)
    last_error: str | None = None
    # Set by a worker before the turn (`storage.claims`): the conversation the event belongs
    # to, 1 for a long message (served after short ones), and who holds it until when.
    sender_key: str | None = Field(default=None, max_length=400)
    weight: int = 0
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: dt.datetime | None = None
    request_id: str | None = Field(default=None, max_length=64)  # the webhook's (logs)


class ScheduledJob(SQLModel, table=True):
    """The lock row of a scheduled job: the last slot (say a desk's day) that ran, and where."""

    __tablename__ = "scheduled_job"

    name: str = Field(primary_key=True, max_length=100)
    last_slot: str | None = Field(default=None, max_length=64)
    last_run_at: dt.datetime | None = None
    last_owner: str | None = Field(default=None, max_length=64)
    last_result: str | None = Field(default=None, max_length=1000)


class Outbox(SQLModel, table=True):
    """An outgoing message waiting for (or past) delivery."""

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id")
    channel: str = Field(max_length=32)
    user_key: str = Field(max_length=255)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    payload: dict[str, Any] = _json()
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)
    last_error: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    sent_at: dt.datetime | None = None
    # The retry window runs from here (reset when a dead letter is re-queued).
    retry_from: dt.datetime = Field(default_factory=utcnow)
    # Set just before a LINE reply-token call: such a message is never pushed again.
    reply_token_used_at: dt.datetime | None = None
    request_id: str | None = Field(default=None, max_length=64)  # of the turn that queued it


class ReferenceCounter(SQLModel, table=True):
    """Last reference number issued per platform and year."""

    __tablename__ = "reference_counter"

    platform_id: str = Field(foreign_key="platform.id", primary_key=True)
    year: int = Field(primary_key=True)
    value: int = 0


class StaffAccount(SQLModel, table=True):
    """A member of a desk's staff; `platforms` lists the desks they may see."""

    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str
    password_hash: str
    role: str = Field(default="staff", max_length=16)  # "staff" | "admin"
    platforms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    slack_user_id: str | None = Field(default=None, max_length=32, index=True)
    active: bool = True
    language: str = Field(default="ja", max_length=8)  # the console's language for this account
    created_at: dt.datetime = Field(default_factory=utcnow)


class LoginAttempt(SQLModel, table=True):
    """Failed sign-ins, for rate limiting."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64)
    at: dt.datetime = Field(default_factory=utcnow, index=True)


class StaffSession(SQLModel, table=True):
    """A signed-in staff session; the cookie holds a random token, the table its hash."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff_account.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
    address: str | None = Field(default=None, max_length=64)


class LoginThrottle(SQLModel, table=True):
    """Sign-in attempts per key (username+address, or address) in a fixed window."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=255)
    window_start: dt.datetime = Field(default_factory=utcnow)
    count: int = 0


class IntakeOutcome(SQLModel, table=True):
    """An intake that ended without a proposal: refused by an eligibility rule, or abandoned.

    Kept so staff see who was turned away and why; `text` is what the proposer had typed
    of the proposal so far (bounded), nothing else about them.
    """

    __tablename__ = "intake_outcome"

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    contact_id: int = Field(foreign_key="contact.id")
    outcome: str = Field(max_length=16)  # "refused" | "abandoned"
    rule_id: str | None = Field(default=None, max_length=64)
    text: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)


class ProposalLink(SQLModel, table=True):
    """Two proposals that belong together: a possible duplicate (`similar`,
    `same_organisation`; read in both directions) or a merge (`merged`: `proposal_id` was
    closed and is handled under `other_id`)."""

    __tablename__ = "proposal_link"
    __table_args__ = (UniqueConstraint("proposal_id", "other_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    other_id: int = Field(foreign_key="proposal.id", index=True)
    kind: str = Field(max_length=32)
    score: float | None = None
    created_by: str = Field(default="desk", max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)


class StaffPost(SQLModel, table=True):
    """Where a proposal or inquiry was announced in a Slack staff channel (for chat.update)."""

    __tablename__ = "staff_post"
    __table_args__ = (UniqueConstraint("platform_id", "kind", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id")
    kind: str = Field(max_length=16)  # "proposal" | "inquiry"
    item_id: int
    channel: str = Field(max_length=64)
    ts: str | None = Field(default=None, max_length=32)  # set when Slack answers the post
    posted_at: dt.datetime = Field(default_factory=utcnow)
    followup_at: dt.datetime | None = None  # the proposer follow-up last announced
    state: str = Field(default="", max_length=500)  # what the post shows (re-posted on change)


class Attachment(SQLModel, table=True):
    """A file a proposer sent during an intake (issue 11), kept under the data directory.

    Listed in the proposal's record (`content.attachments`: "attachment:<id> <name>") once the
    proposal is filed; `path` is relative to the data directory.
    """

    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(foreign_key="platform.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    channel: str = Field(max_length=32)
    file_name: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=500)
    created_at: dt.datetime = Field(default_factory=utcnow)
