"""The desk: one turn of any conversation, from message to saved state and replies.

The state's handler answers the turn: the menu (`workflows.menu`), the intake
(`workflows.reading`, `workflows.intake`), a stale conversation (`workflows.resume`); cancel,
help, back, corrections and status checks apply in every state.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import Any

from knowledge import KnowledgeNeeded, Platform, PreparedLibrary
from storage import ConversationPublic
from workflows import answers, followups, intake, reading
from workflows.changes import change_request, correction
from workflows.choices import RuleChooser
from workflows.extraction import MAX_TEXT
from workflows.intents import IntentReader, reader_for
from workflows.io import Incoming, Outgoing
from workflows.menu import handle_handoff_offer, handle_idle, handle_question
from workflows.ports import DeskStore, Library, TurnStore, Understanding
from workflows.resume import IN_PROPOSAL, PROPOSAL_HANDLERS, Handler, handle_resume, stale
from workflows.texts import t
from workflows.turn import PROGRESS_KEY, Progress, State, Turn, read_text
from workflows.understanding import Intent, detect_language, find_reference, recognise

log = logging.getLogger(__name__)
# A turn needs at most the message's vector (what it is for), then a question's answer or a
# read-back's themes, similar cases and duplicates: a sealed pass notes what it lacks, a fetch
# computes it, the next pass goes on.
SEALED_PASSES = 4

HANDLERS: dict[State, Handler] = {
    State.IDLE: handle_idle,
    **PROPOSAL_HANDLERS,
    State.HANDOFF_OFFER: handle_handoff_offer,
    State.HANDOFF_ASK: answers.handle_handoff_ask,
    State.STATUS_ASK: answers.handle_status_ask,
    State.QUESTION_ASK: handle_question,
    State.RESUME: handle_resume,
    State.DONE: handle_idle,
}


# 「やっぱりやめます」, 「いや、提案するのやめときます」, 「だから、やめます」: giving up.
# Read on the text without separators (so no two repeats sit side by side: linear).
CANCEL_SENTENCE = re.compile(
    r"^(?:やっぱり|やはり|もう|いや|いえ|だから|すみません|すいません|じゃあ|では|うーん)?"
    r"(?:やっぱり|今回は|いったん|一旦)?(?:提案(?:する|を出す|出す)?の?(?:は|を)?|出すのは)?"
    r"(?:やめ(?:ます|る|とき(?:ます)?|ておきます|たいです|たい|ようかな|にします)|止めます|取りやめます|"
    r"キャンセル(?:します|で)?)w*$|"
    r"^(?:never ?mind|forget it|i(?:'ll| will) stop|i(?:'ve| have) changed my mind)$",
    re.I,
)
_SEPARATORS = re.compile(r"[、,。.!！…\s]+")


def cancels(text: str) -> bool:
    """Whether `text` gives the proposal up in a sentence (not only the word 「中止」)."""
    if len(text) > 40:
        return False
    squeezed = text.strip(" .!") if text.isascii() else _SEPARATORS.sub("", text)
    return CANCEL_SENTENCE.search(squeezed) is not None


def keep(turn: Turn) -> None:
    """Keep a cancelled proposal's answers a while, so 「さっきの続きから」 can restore them."""
    filled = {k: v for k, v in turn.slots.items() if not k.startswith("_") and v not in (None, "")}
    if filled:
        turn.slots["_cancelled"] = {"slots": filled, "at": turn.now.isoformat()}


def fallback(turn: Turn, state: State) -> State | None:
    """Cancel, help, back, corrections and status checks, in every state."""
    intent = recognise(turn.text)
    if intent is Intent.CANCEL or (state in IN_PROPOSAL and cancels(turn.text)):
        if state in (*IN_PROPOSAL, State.RESUME):
            keep(turn)
            intake.abandon(turn)
            turn.say("cancelled")
        else:
            turn.say("nothing_to_cancel")
        return State.DONE
    if intent is Intent.HELP:
        turn.say("help")
        if state is State.INTAKE and turn.progress.asking:
            intake.ask(turn, turn.progress.asking)
        return state
    if intent is Intent.BACK and state in (State.INTAKE, State.CONFIRM):
        return intake.back(turn)
    if state in (State.INTAKE, State.CONFIRM):
        fix = change_request(turn.text) or correction(turn.text)
        if fix:
            return reading.apply_change(turn, fix[0], fix[1])
    reference = find_reference(turn.text)
    if reference and state is not State.STATUS_ASK:
        idle = state in (State.IDLE, State.DONE)
        if idle and (news := followups.about_reference(turn, reference)):
            return news
        answers.status(turn, reference)
        if state is State.INTAKE and turn.progress.asking:
            intake.ask(turn, turn.progress.asking)
        return state
    return None


def _open(tx: TurnStore, platform: Platform, incoming: Incoming) -> ConversationPublic:
    return tx.open_conversation(
        platform_id=platform.id,
        channel=incoming.channel,
        user_key=incoming.user_key,
        initial_state=State.IDLE.value,
    )


def _enqueue(
    tx: TurnStore,
    platform: Platform,
    incoming: Incoming,
    conversation_id: int,
    replies: list[Outgoing],
    route: dict[str, Any],
) -> None:
    for part, reply in enumerate(replies):
        tx.enqueue(
            platform_id=platform.id,
            channel=incoming.channel,
            user_key=incoming.user_key,
            conversation_id=conversation_id,
            payload={**reply.to_payload(), "route": route, "part": part},
        )


def _dispatch(turn: Turn, state: State) -> State:
    """Fallbacks first, then the state's handler; a menu when nothing was said."""
    offered = turn.progress.offered
    if turn.text.isdigit() and 1 <= int(turn.text) <= len(offered) and state is State.IDLE:
        turn.text = offered[int(turn.text) - 1]
    next_state = None if recognise(turn.text) is Intent.CANCEL else stale(turn, state)
    if next_state is None:
        next_state = fallback(turn, state)
    if next_state is None:
        next_state = HANDLERS[state](turn)
    if not turn.replies:
        turn.say(
            "menu",
            platform=turn.platform.name.get(turn.lang),
            choices=["propose", "ask", "status", "human"],
        )
    return next_state


class Desk:
    """Runs turns: loads the conversation, dispatches by state, saves state and transcript."""

    def __init__(
        self,
        *,
        store: DeskStore,
        library: Library,
        platforms: Mapping[str, Platform],
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        understanding: Understanding | None = None,
        intents: IntentReader | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.platforms = platforms
        self.clock = clock
        self.understanding = understanding or RuleChooser()
        self.intents = intents or reader_for(library)

    def warm(self) -> None:
        """Fit the intent model now (start-up) rather than before the first turn."""
        self.intents.ready()

    def handle(
        self,
        incoming: Incoming,
        *,
        event_id: int | None = None,
        route: dict[str, Any] | None = None,
    ) -> list[Outgoing]:
        """One user message in, the replies out; state is committed with the transcript.

        With `event_id` (a stored webhook event) the event is marked processed, and with
        `route` (how to reach the user) the replies are queued in the outbox, both in the
        turn's own transaction: a crash before commit leaves the event to be processed
        again and sends nothing; after commit it is never processed twice.
        """
        platform = self.platforms.get(incoming.platform)
        if platform is None:
            raise KeyError(f"unknown platform {incoming.platform!r}")
        try:
            return self._turn(platform, incoming, event_id, route)
        except Exception:
            log.exception("turn failed for %s/%s", incoming.channel, incoming.user_key)
            return self._apologise(platform, incoming, event_id, route)

    def _turn(
        self,
        platform: Platform,
        incoming: Incoming,
        event_id: int | None,
        route: dict[str, Any] | None,
    ) -> list[Outgoing]:
        """Run the turn in passes, so nothing slow happens while its transaction is open.

        A pass inside the transaction takes knowledge answers only from `prepared`; when it
        needed one not fetched yet, it is rolled back, the answers are computed with no
        transaction open (embedding a query takes tens to hundreds of milliseconds, and on
        SQLite the transaction holds every other writer of the process), and the turn runs
        again. The pass that commits claims the event, saves the state and queues the
        replies together, as before.
        """
        self.intents.ready()  # fitted once per process, never inside a transaction
        prepared = PreparedLibrary(self.library)
        now = self.clock()
        for _ in range(SEALED_PASSES):
            try:
                return self._pass(platform, incoming, event_id, route, prepared, now)
            except KnowledgeNeeded:
                prepared.fetch()
        log.warning("turn still needed knowledge after %d passes: computed inline", SEALED_PASSES)
        return self._pass(platform, incoming, event_id, route, prepared, now, sealed=False)

    def _pass(
        self,
        platform: Platform,
        incoming: Incoming,
        event_id: int | None,
        route: dict[str, Any] | None,
        prepared: PreparedLibrary,
        now: dt.datetime,
        *,
        sealed: bool = True,
    ) -> list[Outgoing]:
        """One attempt at the turn, in one transaction (rolled back if knowledge was missing)."""
        text, clipped = read_text(incoming.text)
        with self.store.begin() as tx, prepared.sealed() if sealed else nullcontext():
            if event_id is not None and not tx.claim_inbound(event_id=event_id):
                return []  # another worker processed it
            conversation = _open(tx, platform, incoming)
            lang = detect_language(text, current=conversation.language)
            if text.isdigit() or text in ("はい", "いいえ"):
                lang = conversation.language  # a bare number says nothing about language
            tx.log_message(conversation_id=conversation.id, direction="in", text=incoming.text)
            slots = dict(conversation.slots)
            progress = Progress.take(slots)
            turn = Turn(
                tx=tx,
                library=prepared,
                platform=platform,
                conversation=conversation,
                channel=incoming.channel,
                lang=lang,
                text=text,
                slots=slots,
                now=now,
                progress=progress,
                understanding=self.understanding,
                intents=self.intents,
            )
            try:
                next_state = _dispatch(turn, State(conversation.state))
            except Exception:
                if prepared.missing:
                    raise KnowledgeNeeded from None  # a placeholder answer led it astray
                raise
            if prepared.missing:
                raise KnowledgeNeeded  # roll this pass back; fetch; run the turn again
            if clipped:
                notice = t("notice.truncated", lang, limit=MAX_TEXT)
                turn.replies.insert(0, Outgoing(text=notice))
            turn.progress.last_activity = now.isoformat()
            tx.save_conversation(
                conversation_id=conversation.id,
                state=next_state.value,
                slots={**turn.slots, PROGRESS_KEY: turn.progress.dump()},
                language=turn.lang,
            )
            for reply in turn.replies:
                tx.log_message(
                    conversation_id=conversation.id,
                    direction="out",
                    text=reply.fallback_text(),
                    payload=reply.to_payload(),
                )
            if route is not None:
                _enqueue(tx, platform, incoming, conversation.id, turn.replies, route)
            return turn.replies

    def _apologise(
        self,
        platform: Platform,
        incoming: Incoming,
        event_id: int | None,
        route: dict[str, Any] | None,
    ) -> list[Outgoing]:
        """Keep the message in the transcript even when its turn failed, and say sorry.

        If even this fails (the database is down), the event stays unprocessed and is
        tried again later.
        """
        lang = detect_language(read_text(incoming.text)[0])
        reply = Outgoing(text=t("error", lang))
        try:
            with self.store.begin() as tx:
                if event_id is not None and not tx.claim_inbound(event_id=event_id):
                    return []
                conversation = _open(tx, platform, incoming)
                tx.log_message(conversation_id=conversation.id, direction="in", text=incoming.text)
                tx.log_message(conversation_id=conversation.id, direction="out", text=reply.text)
                if route is not None:
                    _enqueue(tx, platform, incoming, conversation.id, [reply], route)
        except Exception:
            log.exception("could not record the failed turn")
            raise
        return [reply]
