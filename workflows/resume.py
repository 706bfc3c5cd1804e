"""A stale conversation: after a long silence, continue the unfinished proposal or start over.

A stale offer (hand-off, status, question) does not swallow the new message: it is read afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from workflows import intake, reading, review
from workflows.choices import match_rules
from workflows.fields import RESUME
from workflows.menu import handle_idle
from workflows.texts import t
from workflows.turn import State, Turn
from workflows.understanding import Intent, recognise

Handler = Callable[[Turn], State]
# The states of a proposal under way, and what reads an answer in each.
PROPOSAL_HANDLERS: dict[State, Handler] = {
    State.INTAKE: reading.handle_intake,
    State.BUDGET: intake.handle_budget,
    State.CONFIRM: intake.handle_confirm,
}
IN_PROPOSAL = tuple(PROPOSAL_HANDLERS)
# Offers that expect one answer: when stale, the next message is read afresh, not as that answer.
OFFERS = (State.HANDOFF_OFFER, State.HANDOFF_ASK, State.STATUS_ASK, State.QUESTION_ASK)
FIRST_WORDS = 30


def _what(turn: Turn) -> str:
    """The unfinished proposal, named by its title or its first words."""
    for key in ("content.title", "content.summary", "organisation.name"):
        value = str(turn.slots.get(key) or "")
        if value:
            return value if len(value) <= FIRST_WORDS else value[:FIRST_WORDS] + "…"
    return t("resume.untitled", turn.lang)


def stale(turn: Turn, state: State) -> State | None:
    """After a long silence: offer to continue the proposal, or read the message afresh."""
    last = turn.progress.last_activity
    if not last or state not in (*IN_PROPOSAL, *OFFERS):
        return None
    idle = turn.now - dt.datetime.fromisoformat(last)
    if idle < dt.timedelta(hours=turn.platform.stale_hours):
        return None
    if state in OFFERS:
        turn.slots.pop("_question", None)
        return handle_idle(turn)
    turn.progress.resume = state.value
    turn.progress.held = turn.text
    turn.say("resume.ask", what=_what(turn), choices=["continue", "restart"])
    return State.RESUME


def handle_resume(turn: Turn) -> State:
    """Continue the unfinished proposal where it stopped, or start over."""
    picked = match_rules(turn.text, RESUME).value
    resumed = State(turn.progress.resume or State.INTAKE.value)
    held, turn.progress.held = turn.progress.held, None
    if picked == "restart":
        intake.abandon(turn)
        turn.text = held if held and recognise(held) is Intent.PROPOSAL else ""
        return intake.start(turn)
    if picked == "continue":
        if resumed is State.CONFIRM:
            return review.read_back(turn)
        if resumed is State.BUDGET:
            return intake.advance(turn)
        return intake.reask(turn)
    return PROPOSAL_HANDLERS[resumed](turn)
