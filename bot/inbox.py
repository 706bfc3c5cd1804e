"""Processes stored webhook events after they were acknowledged; picks up leftovers on start.

One event never stops the others. An event no channel can read (a Telegram update
without a chat, a LINE text that is not a string, a channel that is not enabled) is
quarantined at once: reading it again gives the same answer. An event whose turn fails
(the desk could not even record its apology, e.g. the database is down or refuses the
text) is retried with capped exponential backoff and quarantined after
`inbox_max_attempts`. Quarantined events ("failed") keep their last error and wait for
`madoguchi inbox retry`. Order holds per sender (channel, platform, user): a later event
waits while an earlier one of the same sender is still pending; other senders flow.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.channels.base import Channel
from bot.settings import Settings
from bot.workers import Clock, RateWindow, backoff, keep_draining, utc_now
from storage import inbound, messaging, repository
from storage.models import InboundEvent
from storage.store import SqlStore
from workflows import Desk, Incoming, Outgoing, State
from workflows.texts import t
from workflows.understanding import detect_language

log = logging.getLogger("madoguchi.inbox")

Sender = tuple[str, str, str]  # channel, platform, user: one conversation
Parsed = tuple[Incoming, dict[str, Any]]
RETRY_CAP = 300.0  # seconds; a failing event is tried again at least every five minutes
BATCH = 100
CHUNK = 500  # ids per IN (…) when looking up the senders of waiting events
SENDER_CACHE = 10_000
SHORT_TEXT = 280  # characters: a message longer than this is scheduled after short ones


class Unreadable(Exception):
    """The stored event cannot become a message; trying again would fail the same way."""


class Inbox:
    """Turns stored events into desk turns, each in one transaction with its replies.

    Also the per-user rate limit of every channel: over `user_messages_per_minute` turns
    of one sender in 60 s, the sender's next events wait (not dropped, not counted as
    attempts) until the window has room, and the sender is told once per window to wait.
    The window is kept in memory, so it is per process and starts afresh on restart.
    """

    def __init__(
        self,
        *,
        store: SqlStore,
        desk: Desk,
        channels: Mapping[str, Channel],
        settings: Settings,
        on_turn: Callable[[], None] = lambda: None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.desk = desk
        self.channels = channels
        self.on_turn = on_turn
        self.clock = clock
        self.max_attempts = max(1, settings.inbox_max_attempts)
        self.base_delay = settings.inbox_base_delay
        self.rate = RateWindow(limit=settings.user_messages_per_minute)
        self.concurrency = max(1, settings.inbox_concurrency)
        self._turns = ThreadPoolExecutor(self.concurrency, thread_name_prefix="turn")
        self._wake = asyncio.Event()
        self._senders: dict[int, Sender | None] = {}  # waiting event id -> its sender

    def wake(self) -> None:
        """New events are waiting."""
        self._wake.set()

    def read(self, event: InboundEvent) -> Parsed | None:
        """The message and reply route in a stored event (None: nothing to answer).

        Raises `Unreadable` for an event that can never be answered as it is.
        """
        channel = self.channels.get(event.channel)
        if channel is None:
            raise Unreadable(f"channel {event.channel!r} is not enabled")
        try:
            parsed = channel.incoming(event.platform_id, event.payload)
        except Exception as exc:
            raise Unreadable(f"{type(exc).__name__}: {exc}") from exc
        if parsed is None:
            return None
        incoming = parsed[0]
        for name in ("text", "user_key"):
            value = getattr(incoming, name)
            if not isinstance(value, str):
                raise Unreadable(f"{name} is {type(value).__name__}, not text")
        if incoming.platform not in self.desk.platforms:
            raise Unreadable(f"unknown platform {incoming.platform!r}")
        return parsed

    def _sender_of(self, event: InboundEvent) -> Sender | None:
        try:
            parsed = self.read(event)
        except Unreadable:
            return None
        return None if parsed is None else _sender(parsed[0])

    def _load(self, now: dt.datetime) -> tuple[list[InboundEvent], dict[Sender, dt.datetime]]:
        """The due events, and the senders held by an earlier event not yet due (until when)."""
        with self.store.begin() as tx:
            due = inbound.due_inbound(tx.session, now=now, limit=BATCH)
            if not due:
                return [], {}
            waiting = inbound.waiting_inbound(tx.session, now=now, before_id=due[-1].id or 0)
            if len(self._senders) > SENDER_CACHE:
                self._senders.clear()
            unknown = [event_id for event_id, _ in waiting if event_id not in self._senders]
            for start in range(0, len(unknown), CHUNK):
                ids = unknown[start : start + CHUNK]
                for row in inbound.inbound_events(tx.session, ids=ids):
                    self._senders[row.id or 0] = self._sender_of(row)
        held: dict[Sender, dt.datetime] = {}
        for event_id, at in waiting:  # oldest first: the first one of a sender goes first
            sender = self._senders.get(event_id)
            if sender is not None:
                held.setdefault(sender, at)
        return due, held

    def _write(self, action: Callable[..., Any], **values: Any) -> None:
        with self.store.begin() as tx:
            action(tx.session, **values)

    async def drain(self) -> int:
        """Process every due event; returns how many turns ran. Never stops at one event.

        Up to `concurrency` senders are served at once (one turn at a time per sender, in
        order), each turn on the inbox's own threads so acknowledgements never queue behind
        turns. After every finished turn the due events are read again, so a short message
        that arrives behind twenty long ones waits for a free slot, not for all twenty.
        """
        turns = 0
        seen: Counter[int] = Counter()
        running: dict[asyncio.Task[int], tuple[int, Sender | None]] = {}
        while True:
            now = self.clock()
            self.rate.forget_idle(now)
            due, held = await asyncio.to_thread(self._load, now)
            busy = {sender for _, sender in running.values() if sender is not None}
            in_flight = {event_id for event_id, _ in running.values()}
            for event, sender in self._next_per_sender(due, busy, in_flight):
                if len(running) >= self.concurrency:
                    break
                event_id = event.id or 0
                seen[event_id] += 1
                if seen[event_id] > self.max_attempts + 1:
                    # Every outcome makes an event not due; one due this often means the
                    # clock is off or a write did not take. Rather than spin, leave it.
                    log.error("event %s came due %s times in one round; paused", event_id, seen)
                    continue
                task = asyncio.create_task(self._process(event, held))
                running[task] = (event_id, sender)
                in_flight.add(event_id)
                if sender is not None:
                    busy.add(sender)
            if not running:
                return turns
            finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                running.pop(task)
                turns += task.result()

    def _next_per_sender(
        self, due: list[InboundEvent], busy: set[Sender], in_flight: set[int]
    ) -> list[tuple[InboundEvent, Sender | None]]:
        """The oldest due event of each sender that is not busy, short messages first.

        A long message costs a second or more (reading and embedding it); taking the short
        ones of other senders first keeps everyone else's replies prompt while a few long
        ones are worked through. Each sender's own order is untouched.
        """
        picked: list[tuple[bool, int, InboundEvent, Sender | None]] = []
        taken: set[Sender] = set(busy)
        for event in due:
            event_id = event.id or 0
            if event_id in in_flight:
                continue
            parsed = self._parsed_or_none(event)
            sender = None if parsed is None else _sender(parsed[0])
            if sender is not None:
                if sender in taken:
                    continue  # its earlier event goes first
                taken.add(sender)
            long = parsed is not None and len(parsed[0].text) > SHORT_TEXT
            picked.append((long, event_id, event, sender))
        picked.sort(key=lambda item: (item[0], item[1]))
        return [(event, sender) for _, _, event, sender in picked]

    def _parsed_or_none(self, event: InboundEvent) -> Parsed | None:
        try:
            return self.read(event)
        except Unreadable:
            return None

    async def _process(self, event: InboundEvent, held: dict[Sender, dt.datetime]) -> int:
        """One due event; 1 if a turn ran. Every outcome leaves the event no longer due."""
        event_id = event.id or 0
        try:
            parsed = self.read(event)
        except Unreadable as exc:
            log.warning("event %s (%s) quarantined: %s", event_id, event.channel, exc)
            await asyncio.to_thread(
                self._write, inbound.quarantine_inbound, event_id=event_id, error=str(exc)
            )
            self._senders.pop(event_id, None)
            return 0
        if parsed is None:
            log.info("event %s (%s) has nothing to answer: marked done", event_id, event.channel)
            await asyncio.to_thread(self._write, inbound.claim_inbound, event_id=event_id)
            return 0
        incoming, route = parsed
        sender = _sender(incoming)
        self._senders[event_id] = sender
        if sender in held:  # an earlier event of this conversation goes first
            await asyncio.to_thread(
                self._write, inbound.defer_inbound, event_ids=[event_id], until=held[sender]
            )
            return 0
        now = self.clock()
        free_at = self.rate.free_at(sender, now)
        if free_at is not None:
            notice = self.rate.first_refusal(sender, now)
            await asyncio.to_thread(self._hold, event_id, parsed, free_at, notice)
            held[sender] = free_at
            if notice:
                self.on_turn()
            return 0
        self.rate.record(sender, now)
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._turns,
                functools.partial(self.desk.handle, incoming, event_id=event_id, route=route),
            )
        except Exception as exc:
            await self._failed(event, exc, sender, held)
            return 0
        self._senders.pop(event_id, None)
        self.on_turn()
        return 1

    async def _failed(
        self,
        event: InboundEvent,
        exc: Exception,
        sender: Sender,
        held: dict[Sender, dt.datetime],
    ) -> None:
        """Retry later with backoff, or quarantine after the last attempt."""
        event_id = event.id or 0
        attempt = event.attempts + 1
        error = f"{type(exc).__name__}: {exc}"
        if attempt >= self.max_attempts:
            log.error("event %s quarantined after %s attempts: %s", event_id, attempt, error)
            await asyncio.to_thread(
                self._write, inbound.quarantine_inbound, event_id=event_id, error=error
            )
            self._senders.pop(event_id, None)
            return
        at = self.clock() + backoff(attempt, base=self.base_delay, cap=RETRY_CAP)
        log.warning(
            "event %s failed (attempt %s of %s), retried at %s: %s",
            event_id,
            attempt,
            self.max_attempts,
            at.isoformat(timespec="seconds"),
            error,
        )
        await asyncio.to_thread(
            self._write, inbound.retry_inbound_at, event_id=event_id, at=at, error=error
        )
        held[sender] = at

    def _hold(self, event_id: int, parsed: Parsed, until: dt.datetime, notice: bool) -> None:
        """Defer a rate-limited event; with `notice`, queue the "please wait" reply too.

        The notice goes into the transcript (the web chat reads it there) and the outbox
        (the other channels deliver it), in the same transaction as the deferral.
        """
        incoming, route = parsed
        with self.store.begin() as tx:
            inbound.defer_inbound(tx.session, event_ids=[event_id], until=until)
            if not notice:
                return
            conversation = repository.open_conversation(
                tx.session,
                platform_id=incoming.platform,
                channel=incoming.channel,
                user_key=incoming.user_key,
                initial_state=State.IDLE.value,
            )
            lang = detect_language(incoming.text, current=conversation.language)
            reply = Outgoing(text=t("busy.wait", lang))
            repository.log_message(
                tx.session, conversation_id=conversation.id, direction="out", text=reply.text
            )
            messaging.enqueue(
                tx.session,
                platform_id=incoming.platform,
                channel=incoming.channel,
                user_key=incoming.user_key,
                conversation_id=conversation.id,
                payload={**reply.to_payload(), "route": route, "part": 0},
            )
        log.info("%s/%s is over the rate limit: told to wait", incoming.channel, incoming.platform)

    async def run(self, *, interval: float = 2.0) -> None:
        """Drain now, then whenever woken (or every `interval` seconds)."""
        await keep_draining(self.drain, self._wake, interval=interval, log=log)


def _sender(incoming: Incoming) -> Sender:
    return (incoming.channel, incoming.platform, incoming.user_key)
