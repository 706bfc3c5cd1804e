"""Member questions, status checks and hand-offs to staff."""

from __future__ import annotations

import re
import unicodedata

from knowledge import Passage
from storage import ProposalPublic
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


_DASHES = re.compile(r"[ー－‐‑‒–—―−ｰ]")
_LOOSE_REFERENCE = re.compile(r"(?<![A-Z])([A-Z]{2,4}) ?- ?(\d{4}) ?- ?(\d{1,5})(?!\d)")


def reference_in(text: str) -> str | None:
    """A reference number however typed: ｋｆー２０２６ー００００２, kf-2026-5 → KF-2026-00005."""
    found = find_reference(text)
    if found:
        return found
    folded = _DASHES.sub("-", unicodedata.normalize("NFKC", text[:2000]).upper())
    loose = _LOOSE_REFERENCE.search(folded)
    if loose is None:
        return None
    return f"{loose.group(1)}-{loose.group(2)}-{int(loose.group(3)):05d}"


def own_proposals(turn: Turn) -> list[ProposalPublic]:
    """The proposals this contact filed on this desk, newest first."""
    return [
        p
        for p in turn.tx.list_proposals(platform_id=turn.platform.id)
        if p.contact_id == turn.conversation.contact_id
    ]


def my_status(turn: Turn) -> State:
    """「先日出した提案どうなりました？」: one proposal answered, several listed, none said so."""
    mine = own_proposals(turn)
    if len(mine) == 1:
        return status(turn, mine[0].reference)
    if not mine:
        turn.say("status.none", choices=["human"])
        return State.IDLE
    shown = mine[:9]
    lines = [
        t(
            "status.line",
            turn.lang,
            number=n,
            reference=p.reference,
            title=p.title,
            status=label(p.status, turn.lang),
        )
        for n, p in enumerate(shown, start=1)
    ]
    turn.say_text(
        "\n".join([t("status.several", turn.lang), *lines]), choices=[p.reference for p in shown]
    )
    return State.STATUS_ASK


def handle_status_ask(turn: Turn) -> State:
    """The reference number asked for (or a pick from the list shown); never asked a third time.

    Without a number the user's own proposals are looked up: one is answered, several are
    listed to pick from, none is said so with a person offered.
    """
    offered = turn.progress.offered
    text = turn.text.strip()
    if text.isdigit() and 1 <= int(text) <= len(offered):
        return status(turn, offered[int(text) - 1])
    reference = reference_in(turn.text)
    if reference is not None:
        return status(turn, reference)
    if offered and any(reference_in(v) for v in offered):
        turn.say("handoff.ask")  # the list was shown: a person, not the same question again
        return State.HANDOFF_ASK
    return my_status(turn)


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
