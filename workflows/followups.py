"""Follow-ups belong to the case: a proposer's message about an open proposal reaches its staff.

After staff reply, a proposer answers 「来週火曜14時はいかがでしょうか」. That is not a new
request, so it is attached to the open proposal (a message of the proposal), the proposal is
marked as awaiting staff, its next action falls due `followup_days` business days later, and
the proposer is told 「担当者にお伝えしました」. With several open proposals the proposer is
asked which one; the message is held meanwhile and never dropped.
"""

from __future__ import annotations

import re
from typing import Any

from storage import ProposalPublic
from workflows.calendar import add_business_days, local_today
from workflows.choices import Option, match_rules
from workflows.io import Choice, Outgoing
from workflows.plain import normalise
from workflows.texts import t
from workflows.turn import State, Turn
from workflows.understanding import Intent, recognise, without_reference

OPEN = ("received", "screening", "in_dialogue", "department_review")
HELD = "_followup"
# Intents that always mean something else: the desk's own handlers answer them.
NEVER = {Intent.CANCEL, Intent.HELP, Intent.BACK, Intent.HUMAN, Intent.GREETING}
# 「新しい提案」「別の提案をしたい」, "another proposal": a new request, not a follow-up.
NEW_REQUEST = re.compile(
    r"新しい|新規|別件|別の(?:提案|企画|件)|もう一(?:つ|件)|another|a new|new (?:proposal|idea)",
    re.I,
)
# 「先ほどの提案ですが、期間を変えたいです」, "about my proposal": the filed one, not a new one.
EARLIER = re.compile(
    r"(?:先ほど|さきほど|先日|この前|前回|昨日|きのう)(?:の|お送りした|送った|出した|提出した)?"
    r"(?:提案|件|申し込み|申込)|(?:出した|送った|提出した|お送りした)(?:提案|件)|"
    r"\b(?:the|my) (?:proposal|application) (?:i|we) (?:sent|submitted)\b|\bmy proposal\b",
    re.I,
)
# Wishes (「〜したいと思っています」) and desk questions (会費・締切) read as new requests unless
# staff are already talking with the proposer.
WISH = re.compile(
    r"たい(?:と|って)?(?:思|おも|考|かんが)|たい(?:です|んです)|(?:て|で)(?:ほしい|いただきたい)|"
    r"\b(?:we|i)(?: would|'d| want| plan)(?: like)? to\b",
    re.I,
)
ASKS_STATUS = re.compile(
    r"どうなり|どうなっ|その後|状況|進捗|結果|返事|返信(?:は|が)|連絡(?:は|が)|"
    r"\b(?:any news|any update|status|progress|hear back)\b",
    re.I,
)
DESK_QUESTION = re.compile(
    r"会員|入会|会費|年会費|申し?込み方|締め?切り|個人情報|"
    r"\b(?:membership|fee|deadline|join)\b",
    re.I,
)
# 「の件、」「について」, "re:": what joins a reference to the news about it.
LEAD_IN = re.compile(r"^[\s、。,.:：]*(?:の件|の|について|re|about)?[\s、。,.:：]*", re.I)
MAX_LISTED = 9
CHOICE = "followup-"
# Values of the menu's buttons (a tap sends the value): never a follow-up.
MENU_VALUES = {"propose", "ask", "status", "human", "yes", "no", "continue", "restart"}


def intercept(turn: Turn, *, intent: Intent | None = None) -> State | None:
    """Attach the message to the proposer's open proposal, or return None to carry on.

    Called first thing when no task is under way (`menu.handle_idle`); `intent` is the
    router's reading of the message when it has one.
    """
    held = turn.slots.pop(HELD, None)
    if isinstance(held, dict):
        state = _answer_which(turn, held)
        if state is not None:
            return state
    if turn.text.isdigit() or turn.text in MENU_VALUES or len(normalise(turn.text)) < 2:
        return None
    mine = _open_proposals(turn)
    if not mine:
        return None
    intent = intent or recognise(turn.text)
    if not _is_followup(turn, intent, mine):
        return None
    if len(mine) == 1:
        return _attach(turn, mine[0], message_id=None)
    shown = mine[:MAX_LISTED]
    turn.slots[HELD] = {
        "message_id": turn.tx.latest_message_id(
            conversation_id=turn.conversation.id, direction="in"
        ),
        "offered": [p.reference for p in shown],
        "titles": [p.title[:60] for p in shown],
    }
    # Values without the reference: a reference in a message is read as a status check.
    choices = tuple(
        Choice(
            t("followup.line", turn.lang, reference=p.reference, title=p.title[:60]),
            f"{CHOICE}{n}",
        )
        for n, p in enumerate(shown, start=1)
    )
    turn.progress.offered = [c.value for c in choices]
    turn.replies.append(Outgoing(text=t("followup.which", turn.lang), choices=choices))
    return State.IDLE


def about_reference(turn: Turn, reference: str) -> State | None:
    """「KF-2026-00001の件、来週伺えます」: news about the proposer's proposal, not a status check.

    Returns None (read it as a status check) unless the proposer owns the open proposal and the
    message says more than the reference without asking how it stands.
    """
    rest = without_reference(turn.text)
    rest = LEAD_IN.sub("", rest)
    if len(rest) < 4 or ASKS_STATUS.search(rest) or recognise(rest) is Intent.STATUS:
        return None
    proposal = next((p for p in _open_proposals(turn) if p.reference == reference), None)
    if proposal is None:
        return None
    return _attach(turn, proposal, message_id=None)


def _open_proposals(turn: Turn) -> list[ProposalPublic]:
    return list(
        turn.tx.open_proposals_of(
            platform_id=turn.platform.id, contact_id=turn.conversation.contact_id
        )
    )


def _is_followup(turn: Turn, intent: Intent, mine: list[ProposalPublic]) -> bool:
    """Not a new request: a message staff of an open proposal should read."""
    text = turn.text
    if intent in NEVER or intent is Intent.STATUS or NEW_REQUEST.search(text):
        return False
    if EARLIER.search(text):
        return not ASKS_STATUS.search(text)  # 「先日出した提案の結果は？」 is a status check
    talking = any(p.first_response_at is not None for p in mine)
    if intent is Intent.PROPOSAL:  # 「提案書の修正版を送ります」 mentions the proposal in passing
        return talking and len(text) < 80 and not WISH.search(text)
    if intent is Intent.QUESTION:
        return talking and not DESK_QUESTION.search(text)
    if WISH.search(text) and not talking:
        return False  # 「〜を始めたいと思っています」 before staff wrote: a new idea
    return not (DESK_QUESTION.search(text) and not talking)


def _answer_which(turn: Turn, held: dict[str, Any]) -> State | None:
    """The proposer said which proposal the held message was about (a button, number or title)."""
    offered = [str(r) for r in held.get("offered") or []]
    titles = [str(x) for x in held.get("titles") or []]
    text = turn.text.strip()
    number = text.removeprefix(CHOICE)
    if number.isdigit() and 1 <= int(number) <= len(offered):
        picked: str | None = offered[int(number) - 1]
    else:
        options = [Option(r, (r, *titles[n : n + 1])) for n, r in enumerate(offered)]
        picked = match_rules(text, options).value
    if picked is None:
        return None  # something else: read as a new message (the held one stays logged)
    proposal = next((p for p in _open_proposals(turn) if p.reference == picked), None)
    if proposal is None:
        return None
    message_id = held.get("message_id")
    return _attach(turn, proposal, message_id=int(message_id) if message_id else None)


def _attach(turn: Turn, proposal: ProposalPublic, *, message_id: int | None) -> State:
    today = local_today(turn.now, turn.platform.timezone)
    turn.tx.attach_followup(
        proposal_id=proposal.id,
        conversation_id=turn.conversation.id,
        message_id=message_id,
        at=turn.now,
        next_action_due=add_business_days(today, turn.platform.followup_days),
    )
    turn.say("followup.ack", reference=proposal.reference, title=proposal.title)
    return State.IDLE


__all__ = ["about_reference", "intercept"]
