"""Member questions, status checks and hand-offs to staff."""

from __future__ import annotations

from knowledge import Passage
from workflows.calendar import format_date
from workflows.texts import label, t
from workflows.turn import State, Turn
from workflows.understanding import find_reference, yes_no

# Measured on the sample corpora: answered questions score dense >= 0.87 with real keyword
# overlap; off-topic ones score <= 0.825, and a topic the documents do not cover (a fee)
# reached 0.88 dense but only 0.8 lexical.
STRONG_DENSE = 0.90
GOOD_DENSE = 0.86
GOOD_LEXICAL = 1.5
ANSWER_CHARS = 300


def answer(turn: Turn) -> State:
    """Answer from the documents, citing them; offer staff when the evidence is weak."""
    passages = turn.library.search(turn.text, platform=turn.platform.id, k=3)
    top = passages[0] if passages else None
    if top is not None and _strong(top.dense_score or 0.0, top.lexical_score or 0.0):
        text = top.text if len(top.text) <= ANSWER_CHARS else top.text[:ANSWER_CHARS] + "…"
        turn.say("answer", title=top.title, text=text, url=top.url)
        return State.IDLE
    turn.slots["_question"] = turn.text
    reply = t("weak", turn.lang)
    if top is not None:
        reply += "\n" + t("weak.nearest", turn.lang, title=top.title, url=top.url)
    turn.say_text(reply, choices=["yes", "no"])
    return State.HANDOFF_OFFER


def _strong(dense: float, lexical: float) -> bool:
    return dense >= STRONG_DENSE or (dense >= GOOD_DENSE and lexical >= GOOD_LEXICAL)


def hand_off(turn: Turn, question: str) -> State:
    """File an inquiry for staff."""
    number = turn.tx.file_inquiry(
        platform_id=turn.platform.id,
        contact_id=turn.conversation.contact_id,
        conversation_id=turn.conversation.id,
        question=question,
        language=turn.lang,
    )
    turn.say("handoff.done", number=number)
    return State.IDLE


def handle_handoff_offer(turn: Turn) -> State:
    """Yes files the pending question for staff."""
    reply = yes_no(turn.text)
    if reply is None and turn.text.strip().isdigit():
        reply = turn.text.strip() == "1"
    question = turn.slots.pop("_question", turn.text)
    if reply:
        return hand_off(turn, question)
    turn.say("handoff.declined")
    return State.IDLE


def handle_handoff_ask(turn: Turn) -> State:
    """The user says what they want staff for."""
    return hand_off(turn, turn.text)


def status(turn: Turn, reference: str) -> State:
    """Where a proposal stands, told only to the contact who filed it."""
    proposal = turn.tx.find_proposal(reference=reference, platform_id=turn.platform.id)
    if proposal is None or proposal.contact_id != turn.conversation.contact_id:
        turn.say("status.unknown", reference=reference)
    else:
        turn.say(
            "status.found",
            reference=proposal.reference,
            title=proposal.title,
            status=label(proposal.status, turn.lang),
            due=format_date(proposal.due_date, turn.lang),
        )
    return State.IDLE


def handle_status_ask(turn: Turn) -> State:
    """The user gives the reference number asked for."""
    reference = find_reference(turn.text)
    if reference is None:
        turn.say("status.ask", prefix=turn.platform.reference_prefix)
        return State.STATUS_ASK
    return status(turn, reference)


def cite(turn: Turn, question: str) -> bool:
    """Answer `question` from the documents with its citation, leaving the state as it is.

    For a question asked in the middle of another task (the intake asks its question again
    after it); whether the documents answered it.
    """
    passages = turn.library.search(question, platform=turn.platform.id, k=3)
    top = passages[0] if passages else None
    if top is not None and strong(top):
        turn.say("answer", title=top.title, text=excerpt(top), url=top.url)
        return True
    turn.say("intake.question.weak")
    return False


def strong(passage: Passage) -> bool:
    """Whether `passage` answers its query well enough to quote."""
    return _strong(passage.dense_score or 0.0, passage.lexical_score or 0.0)


def excerpt(passage: Passage) -> str:
    """The passage's text, cut to what a chat reply shows."""
    text = passage.text
    return text if len(text) <= ANSWER_CHARS else text[:ANSWER_CHARS] + "…"
