"""The staff channel in Slack: a post per new proposal and inquiry, updated in place after
every action (chat.update on the stored ts), a notice when a proposer writes again, and the
daily digest.

Posts go through the outbox (retries, dead letters); the Slack channel tells `StaffPostLog`
the ts of each post it delivers, and resolves an update's ts from it at send time. Button
presses go through the same `Triage` as the console, so the checks and the audit are the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import col, select

from bot.settings import Settings
from bot.staff.slack_posts import (
    CHANNEL,
    digest_post,
    escape,
    followup_post,
    inquiry_post,
    proposal_post,
)
from bot.workers import keep_draining
from storage import accounts, messaging, staff, staff_posts
from storage.models import ProposalEvent, utcnow
from storage.store import SqlStore
from workflows.calendar import DEFAULT_TIMEZONE, format_time, local_today
from workflows.texts import label
from workflows.triage import Refused, StaffMember, Triage

__all__ = ["CHANNEL", "Announcer", "StaffPostLog", "digest_post", "on_staff_action"]

log = logging.getLogger("madoguchi.staff.slack")
NOT_LINKED = "この Slack ユーザーはスタッフ未登録です（staff add --slack-user）。"
# Posts older than this are no longer updated (the console has the history).
UPDATE_WINDOW = dt.timedelta(days=60)


def post_state(kind: str, item: Any) -> str:
    """What a post shows of its item: when this changes, the post is updated."""
    if kind == staff_posts.PROPOSAL:
        awaiting = getattr(item, "awaiting_staff_since", None) is not None
        return f"{item.status}|{item.assignee or ''}|{awaiting}|{item.due_date}"
    return f"{item.status}|{item.answered_by or ''}"


class StaffPostLog:
    """Where staff-channel posts landed: the Slack channel's `staff_posts` hook."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store

    async def posted(self, platform: str, item: Mapping[str, Any], channel: str, ts: str) -> None:
        """Slack accepted a post: keep its channel and ts for later updates."""

        def save() -> None:
            with self.store.begin() as tx:
                staff_posts.set_ts(
                    tx.session,
                    platform_id=platform,
                    kind=str(item.get("kind")),
                    item_id=int(item.get("item_id") or 0),
                    channel=channel,
                    ts=ts,
                )

        await asyncio.to_thread(save)

    async def where(self, platform: str, item: Mapping[str, Any]) -> tuple[str, str] | None:
        """(channel, ts) of an item's post, or None while it has not been delivered."""

        def read() -> tuple[str, str] | None:
            with self.store.begin() as tx:
                post = staff_posts.post_of(
                    tx.session,
                    platform_id=platform,
                    kind=str(item.get("kind")),
                    item_id=int(item.get("item_id") or 0),
                )
                return (post.channel, post.ts) if post is not None and post.ts else None

        return await asyncio.to_thread(read)


class Announcer:
    """Queues posts, updates and follow-up notices to each platform's staff channel."""

    def __init__(
        self,
        *,
        store: SqlStore,
        settings: Settings,
        platforms: list[str],
        on_queue: Callable[[], None],
        timezones: Mapping[str, str] | None = None,
        themes: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.timezones = dict(timezones or {})
        self.themes = {k: dict(v) for k, v in (themes or {}).items()}
        self.targets = {
            p: c.staff_channel
            for p in platforms
            if (c := settings.channels_of(p)).staff_channel and c.slack is not None
        }
        self.on_queue = on_queue
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something may have been filed or changed."""
        self._wake.set()

    def _proposal(
        self, proposal: Any, platform: str, names: Mapping[str, str], **extra: Any
    ) -> Any:
        return proposal_post(
            proposal,
            self.settings.public_url,
            names=names,
            themes=self.themes.get(platform, {}),
            **extra,
        )

    def _announce(self) -> int:
        queued = 0
        with self.store.begin() as tx:
            for platform, channel in self.targets.items():
                names = {
                    a.username: a.display_name for a in tx.staff_of_platform(platform_id=platform)
                }
                queued += self._new(tx, platform, channel, names)
                queued += self._changed(tx, platform, channel, names)
        return queued

    def _new(self, tx: Any, platform: str, channel: str, names: Mapping[str, str]) -> int:
        proposals, inquiries = staff.unannounced(tx.session, platform_id=platform)
        kinds: list[tuple[str, Any]] = [(staff_posts.PROPOSAL, p) for p in proposals]
        kinds += [(staff_posts.INQUIRY, i) for i in inquiries]
        for kind, item in kinds:
            post = (
                self._proposal(item, platform, names)
                if kind == staff_posts.PROPOSAL
                else inquiry_post(item, self.settings.public_url, names=names)
            )
            marker = {"kind": kind, "item_id": item.id}
            self._queue(tx, platform, channel, {**post, "staff_post": marker})
            staff_posts.remember_post(
                tx.session,
                platform_id=platform,
                kind=kind,
                item_id=item.id or 0,
                channel=channel,
                state=post_state(kind, item),
            )
        staff.mark_announced(tx.session, items=[*proposals, *inquiries])
        tx.session.flush()
        return len(kinds)

    def _changed(self, tx: Any, platform: str, channel: str, names: Mapping[str, str]) -> int:
        """Updates for posts whose item changed; notices for new proposer follow-ups."""
        queued = 0
        since = utcnow() - UPDATE_WINDOW
        for post, item in staff_posts.recent_posts(tx.session, platform_id=platform, since=since):
            state = post_state(post.kind, item)
            if state != post.state:
                if post.kind == staff_posts.PROPOSAL:
                    last = tx.session.exec(
                        select(ProposalEvent)
                        .where(ProposalEvent.proposal_id == item.id)
                        .order_by(col(ProposalEvent.id).desc())
                    ).first()
                    zone = self.timezones.get(platform, DEFAULT_TIMEZONE)
                    actor = (
                        f"{names.get(last.actor, last.actor)}（{format_time(last.at, zone)}）"
                        if last is not None
                        else None
                    )
                    shown = self._proposal(item, platform, names, actor=actor)
                else:
                    shown = inquiry_post(item, self.settings.public_url, names=names)
                marker = {"kind": post.kind, "item_id": post.item_id}
                self._queue(tx, platform, channel, {**shown, "update": marker})
                staff_posts.mark_post(tx.session, post=post, state=state)
                queued += 1
            waiting = getattr(item, "awaiting_staff_since", None)
            if post.kind == staff_posts.PROPOSAL and waiting and post.followup_at != waiting:
                assignee = tx.staff_by_username(username=item.assignee) if item.assignee else None
                notice = followup_post(
                    item,
                    self.settings.public_url,
                    mention=assignee.slack_user_id if assignee else None,
                    assignee=names.get(item.assignee or "", item.assignee),
                )
                self._queue(tx, platform, channel, notice)
                staff_posts.mark_post(tx.session, post=post, followup_at=waiting)
                queued += 1
        return queued

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
        """Queue every pending announcement, update and follow-up notice."""
        if not self.targets:
            return 0
        queued = await asyncio.to_thread(self._announce)
        if queued:
            self.on_queue()
        return queued

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
    *,
    store: SqlStore,
    triage: Triage,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    on_change: Callable[[], None] | None = None,
) -> None:
    """A button press in the staff channel, by a Slack user linked to a staff account.

    The presser is answered privately; the post itself is updated for everyone by the
    announcer (`on_change` wakes it).
    """
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
    if on_change is not None:
        on_change()
    await respond(text=message, response_type="ephemeral", replace_original=False)
