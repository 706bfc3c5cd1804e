"""No task under way: the menu, what the user wants, and an offer answered or passed over."""

from __future__ import annotations

from workflows import answers, intake
from workflows.choices import match_rules
from workflows.fields import YES_NO
from workflows.plain import normalise
from workflows.turn import State, Turn
from workflows.understanding import Intent, find_reference, recognise

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
        return State.QUESTION_ASK
    turn.say(
        "menu",
        platform=turn.platform.name.get(turn.lang),
        choices=["propose", "ask", "status", "human"],
    )
    return State.IDLE


def handle_handoff_offer(turn: Turn) -> State:
    """Yes passes the pending question to staff; anything else is read as a new message."""
    said = match_rules(turn.text, YES_NO).value
    question = turn.slots.pop("_question", None)
    if said == "yes" and question:
        return answers.hand_off(turn, question)
    if said == "no":
        turn.say("handoff.declined")
        return State.IDLE
    return handle_idle(turn)


def handle_question(turn: Turn) -> State:
    """The question the user was invited to ask."""
    return answers.answer(turn)
