"""Staff work on the queue: the status lifecycle, assignment, notes, replies, all audited.

The console and the Slack staff channel both come through here, so the checks are the same:
a staff member only ever reaches proposals and inquiries of their own platforms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workflows.io import Outgoing
from workflows.ports import StaffStore
from workflows.record import Status
from workflows.texts import label, t

TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.SCREENING, Status.DECLINED, Status.WITHDRAWN},
    Status.SCREENING: {Status.IN_DIALOGUE, Status.DECLINED, Status.WITHDRAWN},
    Status.IN_DIALOGUE: {Status.DEPARTMENT_REVIEW, Status.DECLINED, Status.WITHDRAWN},
    Status.DEPARTMENT_REVIEW: {
        Status.AGREED,
        Status.IN_DIALOGUE,
        Status.DECLINED,
        Status.WITHDRAWN,
    },
    Status.AGREED: set(),
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
}


@dataclass(frozen=True)
class StaffMember:
    """Who acts, and which platforms they may touch."""

    id: int
    username: str
    display_name: str
    role: str
    platforms: tuple[str, ...]
    language: str = "ja"

    @property
    def is_admin(self) -> bool:
        """Admins may also manage accounts (future) and see every action's audit."""
        return self.role == "admin"


class Refused(Exception):
    """An action that is not allowed; the message is for the staff member, `code` for pages
    that show their own fixed texts (transition, reason, assignee, department, empty,
    not_found)."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


class Stale(Refused):
    """The page was older than the proposal: nothing saved; `changes` are the history entries
    since the page was loaded (so staff see what changed instead of overwriting it)."""

    def __init__(self, changes: list[Any]) -> None:
        super().__init__("the proposal changed since the page was loaded", code="stale")
        self.changes = changes


@dataclass(frozen=True)
class TriageForm:
    """One save of the proposal page; every part optional.

    `version` is the proposal's version the page showed (None: no check, for bulk changes);
    `seen_event` the last history entry it showed. `assignee`/`department`/`next_action_due`
    None means "keep"; an empty assignee means nobody. An empty `status` keeps the status.
    """

    version: int | None
    seen_event: int = 0
    assignee: str | None = None
    department: str | None = None
    next_action_due: dt.date | None = None
    status: str = ""
    reason: str = ""
    note: str = ""
    reply: str = ""
    # 「返信不要として既読」: a follow-up that needs no answer ("ありがとうございます") stops
    # awaiting staff and its next-action clock without a reply.
    acknowledge: bool = False


class Triage:
    """The actions staff take, each in one transaction with its audit entry."""

    def __init__(self, *, store: StaffStore) -> None:
        self.store = store

    def _proposal(self, tx: Any, staff: StaffMember, reference: str) -> Any:
        proposal = tx.proposal_in(reference=reference, platforms=staff.platforms)
        if proposal is None:  # another platform's proposal looks exactly like a missing one
            raise Refused(f"no proposal {reference}", code="not_found")
        return proposal

    def change_status(
        self, staff: StaffMember, reference: str, to: str, *, reason: str | None = None
    ) -> None:
        """Move along the lifecycle; declining needs a reason; the proposer is told."""
        with self.store.begin() as tx:
            proposal = self._proposal(tx, staff, reference)
            if to not in TRANSITIONS.get(proposal.status, set()):
                raise Refused(
                    f"{proposal.status} → {to} is not a step of the lifecycle", code="transition"
                )
            reason = (reason or "").strip() or None
            if to == Status.DECLINED and not reason:
                raise Refused("declining needs a reason", code="reason")
            self._status(tx, staff, proposal, to, reason or "")

    def assign(self, staff: StaffMember, reference: str, assignee: str | None) -> None:
        """Assign to a staff member of the same platform (or nobody)."""
        with self.store.begin() as tx:
            proposal = self._proposal(tx, staff, reference)
            if assignee:
                account = tx.staff_by_username(username=assignee)
                if account is None or proposal.platform_id not in account.platforms:
                    raise Refused(f"{assignee} does not work on this platform", code="assignee")
            tx.update_proposal(proposal=proposal, actor=staff.username, assignee=assignee or None)

    def set_department(
        self, staff: StaffMember, reference: str, department: str, *, known: set[str]
    ) -> None:
        """Set the department in charge (one of the platform's)."""
        if department not in known:
            raise Refused(f"unknown department {department}", code="department")
        with self.store.begin() as tx:
            proposal = self._proposal(tx, staff, reference)
            tx.update_proposal(proposal=proposal, actor=staff.username, department=department)

    def add_note(self, staff: StaffMember, reference: str, note: str) -> None:
        """An internal note (never shown to the proposer)."""
        if not note.strip():
            raise Refused("the note is empty", code="empty")
        with self.store.begin() as tx:
            proposal = self._proposal(tx, staff, reference)
            tx.update_proposal(
                proposal=proposal, actor=staff.username, note=f"note: {note.strip()}"
            )

    def reply(self, staff: StaffMember, reference: str, text: str) -> None:
        """A message to the proposer on their own channel; it lands in the transcript too."""
        if not text.strip():
            raise Refused("the reply is empty", code="empty")
        with self.store.begin() as tx:
            proposal = self._proposal(tx, staff, reference)
            self._reply(tx, staff, proposal, text.strip())

    def apply(
        self, staff: StaffMember, reference: str, form: TriageForm, *, known: set[str]
    ) -> list[str]:
        """Assign, department, next action, status, note and reply in one transaction.

        Everything is checked before anything is written, and the whole save is refused when
        the proposal changed since the page was loaded (`Stale`). Returns what was done.
        """
        with self.store.begin() as tx:
            proposal = tx.proposal_in(
                reference=reference, platforms=staff.platforms, for_update=True
            )
            if proposal is None:
                raise Refused(f"no proposal {reference}", code="not_found")
            if form.version is not None and proposal.version != form.version:
                raise Stale(tx.events_after(proposal_id=proposal.id, after=form.seen_event))
            changes = self._changes(tx, proposal, form, known=known)
            status = form.status if form.status and form.status != proposal.status else ""
            reason = form.reason.strip()
            if status and status not in TRANSITIONS.get(proposal.status, set()):
                raise Refused(f"{proposal.status} → {status} is not a step", code="transition")
            if status == Status.DECLINED and not reason:
                raise Refused("declining needs a reason", code="reason")
            note, reply = form.note.strip(), form.reply.strip()
            if not (changes or status or note or reply):
                raise Refused("nothing to save", code="empty")
            done: list[str] = []
            if changes:
                tx.update_proposal(proposal=proposal, actor=staff.username, **changes)
                done += sorted(changes)
            if status:
                self._status(tx, staff, proposal, status, reason)
                done.append("status")
            if note:
                tx.update_proposal(proposal=proposal, actor=staff.username, note=f"note: {note}")
                done.append("note")
            if reply:
                self._reply(tx, staff, proposal, reply)
                done.append("reply")
            return done

    @staticmethod
    def _changes(tx: Any, proposal: Any, form: TriageForm, *, known: set[str]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if form.assignee is not None and (form.assignee or None) != proposal.assignee:
            if form.assignee:
                account = tx.staff_by_username(username=form.assignee)
                if account is None or proposal.platform_id not in account.platforms:
                    raise Refused(f"{form.assignee} does not work here", code="assignee")
            changes["assignee"] = form.assignee or None
        if form.department and form.department != proposal.department:
            if form.department not in known:
                raise Refused(f"unknown department {form.department}", code="department")
            changes["department"] = form.department
        if form.next_action_due is not None and form.next_action_due != proposal.next_action_due:
            changes["next_action_due"] = form.next_action_due
        if form.acknowledge and proposal.awaiting_staff_since is not None and not form.reply:
            changes["awaiting_staff_since"] = None
            changes.setdefault("next_action_due", None)
        return changes

    def _status(self, tx: Any, staff: StaffMember, proposal: Any, to: str, reason: str) -> None:
        tx.update_proposal(
            proposal=proposal,
            actor=staff.username,
            note=reason or None,
            staff_response=True,
            status=to,
        )
        key = "notify.declined" if to == Status.DECLINED else "notify.status"
        text = t(
            key,
            proposal.language,
            reference=proposal.reference,
            title=proposal.title,
            status=label(to, proposal.language),
            reason=reason,
        )
        self._tell_proposer(tx, proposal, text)

    def _reply(self, tx: Any, staff: StaffMember, proposal: Any, text: str) -> None:
        body = t("notify.reply", proposal.language, reference=proposal.reference, text=text)
        self._tell_proposer(tx, proposal, body)
        tx.update_proposal(
            proposal=proposal, actor=staff.username, note=f"reply: {text}", staff_response=True
        )

    def answer_inquiry(self, staff: StaffMember, inquiry_id: int, text: str) -> None:
        """Answer a member question on the member's channel and close it."""
        if not text.strip():
            raise Refused("the answer is empty", code="empty")
        with self.store.begin() as tx:
            inquiry = tx.inquiry_in(inquiry_id=inquiry_id, platforms=staff.platforms)
            if inquiry is None:
                raise Refused(f"no inquiry Q-{inquiry_id}", code="not_found")
            channel, user_key = tx.contact_address(contact_id=inquiry.contact_id)
            body = t("notify.inquiry", inquiry.language, number=inquiry.id, text=text.strip())
            self._send(tx, inquiry.platform_id, channel, user_key, body)
            tx.close_inquiry(inquiry=inquiry, answer=text.strip(), by=staff.username)

    def _tell_proposer(self, tx: Any, proposal: Any, text: str) -> None:
        channel, user_key = tx.contact_address(contact_id=proposal.contact_id)
        self._send(tx, proposal.platform_id, channel, user_key, text, proposal_id=proposal.id)

    @staticmethod
    def _send(
        tx: Any,
        platform: str,
        channel: str,
        user_key: str,
        text: str,
        *,
        proposal_id: int | None = None,
    ) -> None:
        conversation = tx.find_conversation(
            platform_id=platform, channel=channel, user_key=user_key
        )
        outgoing = Outgoing(text=text)
        if conversation is not None:
            tx.log_proposal_message(
                conversation_id=conversation.id,
                proposal_id=proposal_id,
                direction="out",
                text=text,
                payload=outgoing.to_payload(),
            )
        if channel != "terminal":
            tx.enqueue(
                platform_id=platform,
                channel=channel,
                user_key=user_key,
                conversation_id=conversation.id if conversation else None,
                payload={**outgoing.to_payload(), "route": {}, "part": 0},
            )
