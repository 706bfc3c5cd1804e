"""No task under way: the menu, what the user wants, and an offer answered or passed over."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from workflows import answers, followups, intake
from workflows.choices import Option, match_rules
from workflows.cues import DESK_QUESTION, MY_STATUS, NOT_A_PROPOSAL, URL, WISH
from workflows.fields import YES_NO
from workflows.intents import Reading
from workflows.plain import normalise
from workflows.turn import State, Turn
from workflows.understanding import Intent

MENU = {
    "propose": Intent.PROPOSAL,
    "ask": Intent.QUESTION,
    "status": Intent.STATUS,
    "human": Intent.HUMAN,
}
CHOICE_OF = {intent: choice for choice, intent in MENU.items()}
KIND = (
    Option(
        "propose",
        ("提案", "提案です", "ご提案", "提案する", "連携の提案をする", "proposal", "propose"),
    ),
    Option("ask", ("質問", "質問です", "ご質問", "質問する", "question", "a question", "ask")),
    Option("status", ("状況", "状況確認", "提案の状況を確認する", "status", "check status")),
    Option("human", ("担当者", "担当者と話す", "人と話す", "staff", "talk to staff")),
)
HELD = "_opening"


def _opening(turn: Turn, reading: Reading) -> State | None:
    """The few things said so plainly that no reading is needed, and close calls asked."""
    text = turn.text
    if NOT_A_PROPOSAL.search(text):
        turn.say("question.go")
        return State.QUESTION_ASK
    url = URL.search(text)
    if url and len(text.strip()) - len(url.group(0)) < 25:
        return intake.start(turn)  # a link to the proposal: kept in content.attachments
    first, second = reading.intent, reading.runner_up
    # 「〜したいのですが、どうすればいいですか」: a wish and a question about the desk in one.
    both = {first, second} == {Intent.PROPOSAL, Intent.QUESTION} and bool(
        WISH.search(text) and DESK_QUESTION.search(text)
    )
    if (reading.close or both) and first in CHOICE_OF and second in CHOICE_OF:
        turn.slots[HELD] = text  # 「ご提案ですか、それともご質問ですか」: kept either way
        pair = {first, second}
        key = "opening.which" if pair == {Intent.PROPOSAL, Intent.QUESTION} else "opening.which.any"
        turn.say(key, choices=[CHOICE_OF[first], CHOICE_OF[second]])
        return State.IDLE
    return None


def _held(turn: Turn, held: str) -> State | None:
    """The answer to 「ご提案ですか、それともご質問ですか」: the kept text goes where chosen."""
    picked = match_rules(turn.text, KIND).value
    if picked is None:
        return None
    turn.text = held
    return ROUTES[MENU[picked]](turn)


def _status(turn: Turn) -> State:
    reference = answers.reference_in(turn.text)
    if reference:
        return answers.status(turn, reference)
    if answers.own_proposals(turn) or MY_STATUS.search(turn.text):
        return answers.my_status(turn)  # 「先日出した提案」 with none filed here: said so
    turn.say("status.ask", prefix=turn.platform.reference_prefix)
    return State.STATUS_ASK


def _human(turn: Turn) -> State:
    if len(normalise(turn.text)) > 25:
        return answers.hand_off(turn, turn.text)
    turn.say("handoff.ask")
    return State.HANDOFF_ASK


def _say(key: str, *, menu: bool = False, state: State = State.IDLE) -> Callable[[Turn], State]:
    def reply(turn: Turn) -> State:
        platform = turn.platform.name.get(turn.lang)
        turn.say(key, platform=platform, choices=MENU_CHOICES if menu else None)
        return state

    return reply


def _complaint(turn: Turn) -> State:
    turn.slots["_question"] = turn.text  # 「はい」 passes it to staff as it was written
    turn.say("complaint", choices=["yes", "no"])
    return State.HANDOFF_OFFER


MENU_CHOICES = ["propose", "ask", "status", "human"]
ROUTES: dict[Intent, Callable[[Turn], State]] = {
    Intent.PROPOSAL: intake.start,
    Intent.QUESTION: answers.answer,
    Intent.STATUS: _status,
    Intent.HUMAN: _human,
    Intent.CANCEL: _say("nothing_to_cancel"),
    Intent.GREETING: _say("greeting", menu=True),
    Intent.THANKS: _say("thanks"),
    Intent.COMPLAINT: _complaint,
    Intent.OFF_TOPIC: _say("off_topic", menu=True),
    # More about a filed proposal, with none open here to attach it to (`followups.intercept`
    # attaches it otherwise): the proposals found, or 「見つかりませんでした」 with a person.
    Intent.FOLLOW_UP: answers.my_status,
}


# 「さっきの続きから」, 「やっぱり出します。さっきの続きからできますか？」: a cancelled proposal.
CONTINUE = re.compile(
    r"続きから|続きを|つづきから|再開|やっぱり(?:出し|提出し|提案し)|やはり(?:出し|提出し)|"
    r"\b(?:continue|resume|pick up where|carry on)\b",
    re.I,
)


def _restore(turn: Turn) -> State | None:
    """A proposal cancelled within the stale window, taken up again where it stopped."""
    kept = turn.slots.get("_cancelled")
    if not isinstance(kept, dict) or not CONTINUE.search(turn.text):
        return None
    at = dt.datetime.fromisoformat(str(kept.get("at")))
    if turn.now - at > dt.timedelta(hours=turn.platform.stale_hours):
        turn.slots.pop("_cancelled", None)
        return None
    turn.slots.pop("_cancelled", None)
    intake.clear(turn)
    turn.slots.update(kept.get("slots") or {})
    turn.say("resume.restored")
    return intake.advance(turn)


def _chosen(turn: Turn, choice: str) -> State:
    """A menu button: propose starts the intake, ask invites the question."""
    intent = MENU[choice]
    if intent is Intent.PROPOSAL:
        return intake.advance(turn)
    if intent is Intent.STATUS:
        turn.say("status.ask", prefix=turn.platform.reference_prefix)
        return State.STATUS_ASK
    if intent is Intent.HUMAN:
        turn.say("handoff.ask")
        return State.HANDOFF_ASK
    turn.say("menu.ask")
    return State.QUESTION_ASK


def handle_idle(turn: Turn) -> State:
    """No task under way: work out what the user wants, by meaning (`turn.reading()`)."""
    restored = _restore(turn)
    if restored is not None:
        return restored
    held = turn.slots.pop(HELD, None)
    if held:
        state = _held(turn, str(held))
        if state is not None:
            return state
    if turn.text in MENU:
        return _chosen(turn, turn.text)
    expanded = answers.more(turn)
    if expanded is not None:
        return expanded
    followed = followups.intercept(turn, intent=turn.intent)  # to an open proposal's staff
    if followed is not None:
        return followed
    reading = turn.reading()
    opened = _opening(turn, reading)
    if opened is not None:
        return opened
    return ROUTES.get(reading.intent, _say("menu", menu=True))(turn)


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
