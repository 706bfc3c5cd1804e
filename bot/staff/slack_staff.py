"""The staff channel in Slack: new proposals and inquiries with buttons, and the daily digest.

Posts go through the outbox (retries, dead letters); button presses go through the same
`Triage` as the console, so the checks and the audit trail are the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.settings import Settings
from bot.workers import keep_draining
from storage import accounts, messaging, staff
from storage.models import utcnow
from storage.store import SqlStore
from workflows.calendar import DEFAULT_TIMEZONE, format_date, local_today
from workflows.texts import label
from workflows.triage import TRANSITIONS, Refused, StaffMember, Triage

log = logging.getLogger("madoguchi.staff.slack")
CHANNEL = "slack"
NOT_LINKED = "この Slack ユーザーはスタッフ未登録です（staff add --slack-user）。"


def escape(text: object) -> str:
    """Text Slack shows as typed: no `<!channel>`, mention or link can come out of it.

    Slack's rule: only `&`, `<` and `>` are control characters in message text.
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict[str, Any]:
    cut = text[:3000]
    if len(text) > 3000:  # never leave half an escape such as "&am" at the end
        cut = re.sub(r"&[a-z]{0,3}$", "", cut)
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut}}


def proposal_post(proposal: Any, console_url: str) -> dict[str, Any]:
    """Blocks announcing a proposal, with the console's actions as buttons."""
    content = proposal.record.get("content") or {}
    summary = escape(str(content.get("summary", ""))[:300])
    options = [
        {
            "text": {"type": "plain_text", "text": label(s, "ja")},
            "value": f"{proposal.reference}|{s}",
        }
        for s in sorted(TRANSITIONS.get(proposal.status, set()))
        if s != "declined"  # declining needs a written reason: the console asks for it
    ]
    elements: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": "staff-assign-me",
            "text": {"type": "plain_text", "text": "自分が担当"},
            "value": proposal.reference,
        },
        {
            "type": "button",
            "action_id": "staff-open",
            "text": {"type": "plain_text", "text": "コンソールで開く"},
            "url": f"{console_url}/staff/proposals/{proposal.reference}",
        },
    ]
    if options:
        elements.insert(
            1,
            {
                "type": "static_select",
                "action_id": "staff-status",
                "placeholder": {"type": "plain_text", "text": "状態を変更"},
                "options": options,
            },
        )
    text = (
        f"新しい提案 {proposal.reference}「{escape(proposal.title)}」"
        f"（{escape(proposal.organisation)}）期限 {format_date(proposal.due_date, 'ja')}"
    )
    return {
        "text": text,
        "blocks": [_section(f"*{text}*\n{summary}"), {"type": "actions", "elements": elements}],
    }


def inquiry_post(inquiry: Any, console_url: str) -> dict[str, Any]:
    """Blocks announcing a member question handed to staff."""
    text = f"問い合わせ Q-{inquiry.id}：{escape(inquiry.question)}"
    button = {
        "type": "button",
        "action_id": "staff-open",
        "text": {"type": "plain_text", "text": "コンソールで開く"},
        "url": f"{console_url}/staff/inquiries",
    }
    return {
        "text": text,
        "blocks": [_section(text[:3000]), {"type": "actions", "elements": [button]}],
    }


def digest_post(rows: list[Any], console_url: str, today: dt.date) -> dict[str, Any]:
    """The daily digest of overdue proposals."""
    day = format_date(today, "ja")
    if not rows:
        text = f"{day}：期限を過ぎた提案はありません。"
        return {"text": text, "blocks": [_section(text)]}
    lines = [
        f"• <{console_url}/staff/proposals/{r.reference}|{r.reference}> {escape(r.title)}"
        f"（期限 {format_date(r.due_date, 'ja')}、{label(r.status, 'ja')}、"
        f"担当 {escape(r.assignee or '未割当')}）"
        for r in rows
    ]
    text = f"{day}：期限を過ぎた提案 {len(rows)} 件"
    return {"text": text, "blocks": [_section(f"*{text}*"), _section("\n".join(lines))]}


class Announcer:
    """Queues posts for new proposals and inquiries to each platform's staff channel."""

    def __init__(
        self,
        *,
        store: SqlStore,
        settings: Settings,
        platforms: list[str],
        on_queue: Callable[[], None],
        timezones: Mapping[str, str] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.timezones = dict(timezones or {})
        self.targets = {
            p: c.staff_channel
            for p in platforms
            if (c := settings.channels_of(p)).staff_channel and c.slack is not None
        }
        self.on_queue = on_queue
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something may have been filed."""
        self._wake.set()

    def _announce(self) -> int:
        posted = 0
        with self.store.begin() as tx:
            for platform, channel in self.targets.items():
                proposals, inquiries = staff.unannounced(tx.session, platform_id=platform)
                for proposal in proposals:
                    self._queue(
                        tx, platform, channel, proposal_post(proposal, self.settings.public_url)
                    )
                for inquiry in inquiries:
                    self._queue(
                        tx, platform, channel, inquiry_post(inquiry, self.settings.public_url)
                    )
                staff.mark_announced(tx.session, items=[*proposals, *inquiries])
                posted += len(proposals) + len(inquiries)
        return posted

    @staticmethod
    def _queue(tx: Any, platform: str, channel: str, post: dict[str, Any]) -> None:
        messaging.enqueue(
            tx.session,
            platform_id=platform,
            channel=CHANNEL,
            user_key=channel,
            conversation_id=None,
            payload={**post, "route": {"channel": channel}},
        )

    async def drain(self) -> int:
        """Queue every pending announcement."""
        if not self.targets:
            return 0
        posted = await asyncio.to_thread(self._announce)
        if posted:
            self.on_queue()
        return posted

    def digest(self, *, now: dt.datetime | None = None, today: dt.date | None = None) -> int:
        """Queue the overdue digest to every staff channel; returns the channels posted to.

        "Today" is each desk's date at `now` on its own clock (a run at 23:30 UTC is already
        the next day in Tokyo); `today` overrides it for every desk.
        """
        at = now or utcnow()
        with self.store.begin() as tx:
            for platform, channel in self.targets.items():
                zone = self.timezones.get(platform, DEFAULT_TIMEZONE)
                day = today or local_today(at, zone)
                rows = staff.overdue(tx.session, platform_id=platform, today=day)
                self._queue(tx, platform, channel, digest_post(rows, self.settings.public_url, day))
        return len(self.targets)

    async def run(self, *, interval: float = 5.0) -> None:
        """Announce now and whenever woken."""
        await keep_draining(self.drain, self._wake, interval=interval, log=log)


async def on_staff_action(
    *, store: SqlStore, triage: Triage, body: dict[str, Any], action: dict[str, Any], respond: Any
) -> None:
    """A button press in the staff channel, by a Slack user linked to a staff account."""
    user = (body.get("user") or {}).get("id", "")

    def run() -> str:
        with store.begin() as tx:
            account = accounts.staff_by_slack_user(tx.session, slack_user_id=user)
            if account is None:
                return NOT_LINKED
            member = StaffMember(
                account.id or 0,
                account.username,
                account.display_name,
                account.role,
                tuple(account.platforms),
            )
        try:
            if action["action_id"] == "staff-assign-me":
                triage.assign(member, action["value"], member.username)
                return (
                    f"{escape(action['value'])} を {escape(member.display_name)} "
                    "さんの担当にしました。"
                )
            reference, status = action["selected_option"]["value"].split("|", 1)
            triage.change_status(member, reference, status)
            return f"{escape(reference)} の状態を「{label(status, 'ja')}」にしました。"
        except Refused as exc:
            return f"できませんでした：{escape(exc)}"

    message = await asyncio.to_thread(run)
    await respond(text=message, response_type="ephemeral", replace_original=False)
