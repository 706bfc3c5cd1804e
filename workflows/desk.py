"""The desk: one turn of any conversation, from message to saved state and replies."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from knowledge import Platform
from storage import ConversationPublic
from workflows import answers, intake, review
from workflows.io import Incoming, Outgoing
from workflows.ports import DeskStore, Library, TurnStore
from workflows.texts import field_name, t
from workflows.turn import State, Turn
from workflows.understanding import (
    Intent,
    correction,
    detect_language,
    find_reference,
    normalise,
    recognise,
)

log = logging.getLogger(__name__)
Handler = Callable[[Turn], State]
IN_PROPOSAL = (State.INTAKE, State.BUDGET, State.CONFIRM)
MENU = {
    "propose": Intent.PROPOSAL,
    "ask": Intent.QUESTION,
    "status": Intent.STATUS,
    "human": Intent.HUMAN,
}


def handle_idle(turn: Turn) -> State:
    """No task under way: work out what the user wants."""
    choice = turn.text if turn.text in MENU else None
    intent = MENU[choice] if choice else recognise(turn.text)
    if intent is Intent.PROPOSAL:
        return intake.start(turn) if not choice else intake.advance(turn)
    if intent is Intent.QUESTION and not choice:
        return answers.answer(turn)
    if intent is Intent.STATUS:
        reference = find_reference(turn.text)
        if reference:
            return answers.status(turn, reference)
        turn.say("status.ask", prefix=turn.platform.reference_prefix)
        return State.STATUS_ASK
    if intent is Intent.HUMAN:
        if len(normalise(turn.text)) > 25:
            return answers.hand_off(turn, turn.text)
        turn.say("handoff.ask")
        return State.HANDOFF_ASK
    if choice == "ask":
        turn.say("menu.ask")
        return State.IDLE
    turn.say(
        "menu",
        platform=turn.platform.name.get(turn.lang),
        choices=["propose", "ask", "status", "human"],
    )
    return State.IDLE


HANDLERS: dict[State, Handler] = {
    State.IDLE: handle_idle,
    State.INTAKE: intake.handle_intake,
    State.BUDGET: review.handle_budget,
    State.CONFIRM: review.handle_confirm,
    State.HANDOFF_OFFER: answers.handle_handoff_offer,
    State.HANDOFF_ASK: answers.handle_handoff_ask,
    State.STATUS_ASK: answers.handle_status_ask,
    State.DONE: handle_idle,
}


def fallback(turn: Turn, state: State) -> State | None:
    """Cancel, help, back, corrections and status checks, in every state."""
    intent = recognise(turn.text)
    if intent is Intent.CANCEL:
        if state in IN_PROPOSAL:
            intake.clear(turn)
            turn.say("cancelled")
        else:
            turn.say("nothing_to_cancel")
        return State.DONE
    if intent is Intent.HELP:
        turn.say("help")
        if state is State.INTAKE and turn.slots.get("_asking"):
            intake.ask(turn, turn.slots["_asking"])
        return state
    if intent is Intent.BACK and state in (State.INTAKE, State.CONFIRM):
        return intake.back(turn)
    if state in (State.INTAKE, State.CONFIRM):
        fix = correction(turn.text)
        if fix:
            return _correct(turn, state, *fix)
    reference = find_reference(turn.text)
    if reference and state is not State.STATUS_ASK:
        answers.status(turn, reference)
        if state is State.INTAKE and turn.slots.get("_asking"):
            intake.ask(turn, turn.slots["_asking"])
        return state
    return None


def _correct(turn: Turn, state: State, field: str, raw: str) -> State:
    value, error = intake.parse(turn, field, raw)
    if error or value is None:
        turn.say(error or "invalid.empty", limit=intake.LIMITS.get(field, 0), number=raw)
    else:
        turn.slots[field] = value
        turn.say("corrected", field=field_name(field, turn.lang), value=value)
    if state is State.CONFIRM:
        return review.read_back(turn)
    asking = turn.slots.get("_asking")
    return intake.advance(turn) if asking is None or asking == field else _reask(turn, asking)


def _reask(turn: Turn, field: str) -> State:
    intake.ask(turn, field)
    return State.INTAKE


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


class Desk:
    """Runs turns: loads the conversation, dispatches by state, saves state and transcript."""

    def __init__(
        self,
        *,
        store: DeskStore,
        library: Library,
        platforms: Mapping[str, Platform],
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.store = store
        self.library = library
        self.platforms = platforms
        self.clock = clock

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
        with self.store.begin() as tx:
            if event_id is not None and not tx.claim_inbound(event_id=event_id):
                return []  # another worker processed it
            conversation = _open(tx, platform, incoming)
            text = normalise(incoming.text)
            lang = detect_language(text, current=conversation.language)
            if text.isdigit() or text in ("はい", "いいえ"):
                lang = conversation.language  # a bare number says nothing about language
            tx.log_message(conversation_id=conversation.id, direction="in", text=incoming.text)
            turn = Turn(
                tx=tx,
                library=self.library,
                platform=platform,
                conversation=conversation,
                channel=incoming.channel,
                lang=lang,
                text=text,
                slots=dict(conversation.slots),
                now=self.clock(),
            )
            state = State(conversation.state)
            offered = turn.slots.pop("_choices", None) or []
            turn.slots["_choices"] = offered
            if text.isdigit() and 1 <= int(text) <= len(offered) and state is State.IDLE:
                turn.text = offered[int(text) - 1]
            next_state = fallback(turn, state)
            if next_state is None:
                next_state = HANDLERS[state](turn)
            if not turn.replies:
                turn.say(
                    "menu",
                    platform=platform.name.get(lang),
                    choices=["propose", "ask", "status", "human"],
                )
            tx.save_conversation(
                conversation_id=conversation.id,
                state=next_state.value,
                slots=turn.slots,
                language=lang,
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
        lang = detect_language(incoming.text)
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
