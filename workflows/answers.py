"""Member questions, status checks and hand-offs to staff."""

from __future__ import annotations

import re
import unicodedata

from knowledge import Answer, Passage
from storage import ProposalPublic
from workflows.calendar import format_date
from workflows.texts import label, t
from workflows.turn import State, Turn
from workflows.understanding import find_reference, yes_no

# The old evidence rule, kept for reading a field's "can I decide later?" (`workflows.misses`).
STRONG_DENSE = 0.90
GOOD_DENSE = 0.86
GOOD_LEXICAL = 1.5
ANSWER_CHARS = 300
MORE_CHARS = 900  # the passage shown on 「詳しく」
LAST_KEY = (
    "_last_answer"  # the last answer: its question and passage, for 「詳しく」 and follow-ups
)
# 「詳しく」, 「もっと詳しく教えて」, "more", "tell me more": the passage behind the last answer.
MORE = re.compile(
    r"^(?:もっと|もう少し|もうちょっと)?(?:詳しく|くわしく|詳細)(?:を|に)?(?:教えて|知りたい|見せて|お願い)?"
    r"(?:ください|下さい|ほしい|欲しい|します|いたします|です)?[。.!！?？]*$|"
    r"^(?:more|tell me more|more details?|details|show (?:me )?more|the (?:whole|full) passage)"
    r"(?: please)?[.!?]*$",
    re.I,
)
# 「それはいつですか」, 「その費用は？」, "when is that?": a question about the last answer.
FOLLOW_UP = re.compile(
    r"^(?:じゃあ|では|で、?|あと、?)?(?:それ|その|そこ|あれ|これ|この|そちら|そっち)|"
    # "when is that?", "how much is it", "what about that": the pronoun ends or opens it.
    r"(?<![A-Za-z])(?:that|it|this|those|them)[?.!]*$|"
    r"^(?:and |so |what about |how about )?(?:that|it|this)(?![A-Za-z])",
    re.I,
)
FOLLOW_UP_CHARS = 30


def _in_context(turn: Turn) -> str:
    """The question to search: a short follow-up is read with the question it follows."""
    last = turn.slots.get(LAST_KEY)
    text = turn.text
    if isinstance(last, dict) and len(text) <= FOLLOW_UP_CHARS and FOLLOW_UP.search(text):
        return f"{last.get('question', '')} {text}".strip()
    return text


_JAPANESE_END = re.compile(r"[。！？」）]$")


def _quoted(found: Answer) -> list[str]:
    """The answering sentences as quoted: the section heading once, before the first."""
    quoted = []
    for n, sentence in enumerate(found.sentences):
        repeated = n > 0 and sentence.section == found.sentences[0].section
        quoted.append(sentence.text if repeated else sentence.quoted)
    return quoted


def _lead(turn: Turn, found: Answer) -> str:
    """The answering sentences, quoted from the document, then the citation."""
    source = found.source
    assert source is not None
    japanese_for_english = turn.lang == "en" and any(s.japanese for s in found.sentences)
    if japanese_for_english:
        text = "\n".join(f"「{s}」" for s in _quoted(found))
        return t("answer.japanese", turn.lang, text=text, title=source.title, url=source.url)
    text = "".join(s if _JAPANESE_END.search(s) else f"{s} " for s in _quoted(found)).strip()
    return t("answer.lead", turn.lang, text=text, title=source.title, url=source.url)


def _remember(turn: Turn, question: str, found: Answer) -> None:
    source = found.source
    if source is not None:
        turn.slots[LAST_KEY] = {
            "question": question[:300],
            "title": source.title,
            "url": source.url,
            "passage": source.text[:MORE_CHARS],
        }


def _unsure(turn: Turn, found: Answer) -> State:
    """Say it is not in the documents, show related ones as links only, offer a person."""
    turn.slots["_question"] = turn.text
    lines = [t("weak", turn.lang)]
    if found.related:
        shown: set[str] = set()
        for passage in found.passages:
            if passage.doc_id not in shown and len(shown) < 2:
                shown.add(passage.doc_id)
                lines.append(t("weak.nearest", turn.lang, title=passage.title, url=passage.url))
    turn.say_text("\n".join(lines), choices=["yes", "no"])
    return State.HANDOFF_OFFER


def answer(turn: Turn) -> State:
    """Answer from the documents with the sentences that answer, cited; unsure, say so."""
    question = _in_context(turn)
    found = turn.library.answer(question, platform=turn.platform.id, k=3)
    if found.answerable and found.source is not None:
        turn.say_text(_lead(turn, found))
        _remember(turn, question, found)
        return State.IDLE
    return _unsure(turn, found)


def more(turn: Turn) -> State | None:
    """「詳しく」 after an answer: the passage it came from, cited; None if not asked."""
    if not MORE.search(turn.text.strip()):
        return None
    last = turn.slots.get(LAST_KEY)
    if not isinstance(last, dict):
        turn.say("answer.more.none")
        return State.QUESTION_ASK
    turn.say(
        "answer.more",
        title=str(last.get("title", "")),
        text=str(last.get("passage", "")),
        url=str(last.get("url", "")),
    )
    return State.IDLE


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
    found = turn.library.answer(question, platform=turn.platform.id, k=3)
    if found.answerable and found.source is not None:
        turn.say_text(_lead(turn, found))
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
