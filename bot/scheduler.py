"""Scheduled jobs inside `madoguchi worker`: staff digests, retention, dead-letter alerts.

Each job has slots (a desk's local day, a UTC day, an interval); a slot runs once across
every worker, whichever takes its lock row first (`storage.schedule`). A worker that was
down at the time catches up when it starts: today's digest goes out late rather than never.
The cron commands (`madoguchi staff digest`, `madoguchi retention run`) stay for those who
prefer cron; then switch these off with MADOGUCHI_SCHEDULED_JOBS=false.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select

from bot.settings import Settings
from bot.staff.slack_staff import CHANNEL, digest_post
from bot.workers import Clock, utc_now
from storage import messaging, schedule, staff
from storage.models import Outbox
from storage.retention import apply_retention
from storage.store import SqlStore
from workflows.calendar import DEFAULT_TIMEZONE
from workflows.turn import State

__all__ = ["Job", "Scheduler", "parse_time"]

log = logging.getLogger("madoguchi.scheduler")

TICK = 30.0  # seconds between looks at the clock
DEAD_MARK = "dead>"
# To staff (Japanese first, like the rest of the staff channel).
DEAD_LETTER_ALERT = (
    "⚠️ 返信 {count} 件を届けられませんでした（dead letter）。"
    "`madoguchi outbox list --status dead` で確認し、"
    "`madoguchi outbox retry --dead` で再送できます。"
    " / {count} replies could not be delivered."
)


def parse_time(value: str) -> dt.time | None:
    """ "HH:MM" as a time of day; "" (switched off) as None. Raises ValueError otherwise."""
    if not value:
        return None
    hours, _, minutes = value.partition(":")
    return dt.time(int(hours), int(minutes or 0))


def daily_slot(now: dt.datetime, *, zone: str, at: dt.time) -> str | None:
    """The local date once its time `at` has come in `zone` (else None: not yet today)."""
    local = now.astimezone(ZoneInfo(zone))
    return local.date().isoformat() if local.time() >= at else None


@dataclass
class Job:
    """A named job: `slot(now)` says which slot is due (None: none), `run` does the work."""

    name: str
    slot: Callable[[dt.datetime], str | None]
    run: Callable[[str, str | None], str]  # (slot, previous result) -> result


class Scheduler:
    """Runs each due slot of each job once; the jobs come from the settings and the desks."""

    def __init__(
        self,
        *,
        store: SqlStore,
        settings: Settings,
        owner: str,
        timezones: dict[str, str],
        staff_channels: dict[str, str],
        on_queue: Callable[[], None] = lambda: None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner
        self.timezones = timezones
        self.staff_channels = staff_channels
        self.on_queue = on_queue
        self.clock = clock
        self.stopping = asyncio.Event()
        self.jobs = self._jobs()

    def _jobs(self) -> list[Job]:
        jobs: list[Job] = []
        for platform, channel in sorted(self.staff_channels.items()):
            at = parse_time(self.settings.digest_times.get(platform, self.settings.digest_time))
            if at is None:
                continue
            zone = self.timezones.get(platform, DEFAULT_TIMEZONE)
            jobs.append(
                Job(
                    name=f"digest:{platform}",
                    slot=functools.partial(daily_slot, zone=zone, at=at),
                    run=functools.partial(self._digest, platform, channel),
                )
            )
        retention_at = parse_time(self.settings.retention_time)
        if retention_at is not None and self.settings.retention_days > 0:
            jobs.append(
                Job(
                    name="retention",
                    slot=lambda now: daily_slot(now, zone="UTC", at=retention_at),
                    run=lambda slot, _: self._retention(),
                )
            )
        minutes = self.settings.dead_letter_check_minutes
        if minutes > 0:
            jobs.append(
                Job(
                    name="dead-letters",
                    slot=lambda now: f"{int(now.timestamp()) // (minutes * 60):012d}",
                    run=lambda slot, previous: self._dead_letters(previous),
                )
            )
        return jobs

    def run_due(self) -> list[str]:
        """Run every job whose current slot nobody ran yet; the names of those run here."""
        ran = []
        now = self.clock()
        for job in self.jobs:
            slot = job.slot(now)
            if slot is None:
                continue
            with self.store.begin() as tx:
                previous = schedule.claim_slot(
                    tx.session, name=job.name, slot=slot, owner=self.owner, now=now
                )
            if previous is None:
                continue
            try:
                result = job.run(slot, previous.last_result)
            except Exception:  # noqa: BLE001 - the next slot tries again
                log.exception("scheduled job %s (%s) failed", job.name, slot)
                continue  # the previous result (a job's bookmark) stays
            with self.store.begin() as tx:
                schedule.record_result(tx.session, name=job.name, result=result)
            log.info("scheduled job %s (%s): %s", job.name, slot, result)
            ran.append(job.name)
        return ran

    def _digest(self, platform: str, channel: str, slot: str, _: str | None) -> str:
        day = dt.date.fromisoformat(slot)
        with self.store.begin() as tx:
            rows = staff.overdue(tx.session, platform_id=platform, today=day)
            post = digest_post(rows, self.settings.public_url, day)
            messaging.enqueue(
                tx.session,
                platform_id=platform,
                channel=CHANNEL,
                user_key=channel,
                conversation_id=None,
                payload={**post, "route": {"channel": channel}},
            )
        self.on_queue()
        return f"digest queued: {len(rows)} overdue"

    def _retention(self) -> str:
        counts = apply_retention(
            self.store.engine,
            days=self.settings.retention_days,
            reset_state=State.IDLE,
            data_dir=self.settings.data_dir,
        )
        return "retention: " + ", ".join(f"{k} {v}" for k, v in counts.as_dict().items())

    def _dead_letters(self, previous: str | None) -> str:
        """Log (and post to the staff channel) the replies that died since the last look.

        The result keeps the highest dead id seen ("dead>123"), so each is reported once.
        Posts to the staff channel are left out of the post (they would die the same way).
        """
        bookmark = (previous or "").removeprefix(DEAD_MARK)
        seen = int(bookmark) if bookmark.isdigit() else 0
        with self.store.begin() as tx:
            rows = list(
                tx.session.exec(
                    select(Outbox.platform_id, func.count(), func.max(Outbox.id))
                    .where(col(Outbox.status) == "dead", col(Outbox.id) > seen)
                    .where(col(Outbox.conversation_id).is_not(None))
                    .group_by(col(Outbox.platform_id))
                )
            )
            for platform, count, _ in rows:
                log.error("%s: %s replies could not be delivered (dead letters)", platform, count)
                channel = self.staff_channels.get(platform)
                if channel:
                    text = DEAD_LETTER_ALERT.format(count=count)
                    messaging.enqueue(
                        tx.session,
                        platform_id=platform,
                        channel=CHANNEL,
                        user_key=channel,
                        conversation_id=None,
                        payload={"text": text, "route": {"channel": channel}},
                    )
        if rows:
            self.on_queue()
        top = max([seen, *(int(top or 0) for _, _, top in rows)])
        return f"{DEAD_MARK}{top}"

    async def run(self) -> None:
        """Look at the clock every `TICK` seconds until stopped."""
        while not self.stopping.is_set():
            try:
                await asyncio.to_thread(self.run_due)
            except Exception:
                log.exception("scheduler round failed")
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=TICK)
            except TimeoutError:
                pass
