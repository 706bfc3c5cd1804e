"""No task under way: the menu, what the user wants, and an offer answered or passed over."""

from __future__ import annotations

import datetime as dt
import re

from workflows import answers, intake
from workflows.choices import Option, match_rules
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
# 「いえ、提案ではなく質問です」: a question, whatever the word 提案 says.
NOT_A_PROPOSAL = re.compile(
    r"提案では(?:なく|ありません)|提案じゃな(?:くて|い)|提案はしません|質問だけ|ただの質問|"
    r"not a proposal|just (?:a|have a) question|only a question",
    re.I,
)
# 「先日出した提案どうなりました？」, "any news on the proposal I sent earlier?": the user's own.
MY_STATUS = re.compile(
    r"(?:提案|申請|申し込み|申込|応募|出した|送った|送りました|出しました)[^。？?\n]{0,20}?"
    r"(?:どうなり|どうなっ|その後|状況|進捗|結果|返事|返信|連絡)|"
    r"(?:any news|an update|any update|what happened|status|progress|hear back)[^.?\n]{0,40}?"
    r"\b(?:proposal|application|submission)",
    re.I,
)
# Something the person wants to do with the city: 〜したいと思ってて, 〜してもらえたりしますか.
WISH = re.compile(
    r"たい(?:と|って)?(?:思|おも|考|かんが)|たい(?:です|んです|のです|のですが|んですけど)|"
    r"(?:て|で)(?:もらえ|いただけ)(?:たり|ません|ますか|ないか)|(?:て|で)(?:ほしい|いただきたい)|"
    r"を(?:つくり|作り|始め|はじめ|やり)たい|"
    r"\b(?:we|i)(?: would|'d| want| plan| hope| are planning| are looking)(?: like)? to\b|"
    r"\bwe(?:'d| would) like\b",
    re.I,
)
# A question about the desk or membership, not a proposal.
DESK_QUESTION = re.compile(
    r"会員|入会|会費|年会費|申し?込み方|申込|締め?切り|期限|審査|手続|個人情報|窓口|"
    r"(?:費用|お金)(?:は|が)?(?:かかり|必要)|どうすれば|どうやって|方法|"
    r"\b(?:member(?:ship)?|fee|deadline|how (?:do|can) (?:i|we)|join)\b",
    re.I,
)
URL = re.compile(r"https?://\S+")
KIND = (
    Option(
        "propose",
        ("提案", "提案です", "ご提案", "提案する", "連携の提案をする", "proposal", "propose"),
    ),
    Option("ask", ("質問", "質問です", "ご質問", "質問する", "question", "a question", "ask")),
)


def _opening(turn: Turn, intent: Intent) -> State | None:
    """A first message read for what it is: a proposal's text is kept, never dropped."""
    text = turn.text
    if NOT_A_PROPOSAL.search(text):
        turn.say("question.go")
        return State.QUESTION_ASK
    if MY_STATUS.search(text) and not find_reference(text) and not answers.reference_in(text):
        return answers.my_status(turn)
    url = URL.search(text)
    if url and len(text.strip()) - len(url.group(0)) < 25:
        return intake.start(turn)  # a link to the proposal: kept in content.attachments
    if intent in (Intent.PROPOSAL, Intent.STATUS, Intent.HUMAN, Intent.CANCEL, Intent.HELP):
        return None
    wish = WISH.search(text) is not None
    asking_desk = DESK_QUESTION.search(text) is not None
    if wish and not asking_desk:
        return intake.start(turn)
    if (wish and asking_desk) or (intent is Intent.OTHER and len(normalise(text)) >= 30):
        turn.slots["_opening"] = text
        turn.say("opening.which", choices=["propose", "ask"])
        return State.IDLE
    return None


def _held(turn: Turn, held: str) -> State | None:
    """The answer to 「ご提案ですか、それともご質問ですか」: the kept text goes where chosen."""
    picked = match_rules(turn.text, KIND).value
    if picked is None:
        return None
    turn.text = held
    return intake.start(turn) if picked == "propose" else answers.answer(turn)


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


def handle_idle(turn: Turn) -> State:
    """No task under way: work out what the user wants."""
    restored = _restore(turn)
    if restored is not None:
        return restored
    held = turn.slots.pop("_opening", None)
    if held:
        state = _held(turn, str(held))
        if state is not None:
            return state
    choice = turn.text if turn.text in MENU else None
    intent = MENU[choice] if choice else recognise(turn.text)
    if not choice:
        opened = _opening(turn, intent)
        if opened is not None:
            return opened
    if intent is Intent.PROPOSAL:
        return intake.start(turn) if not choice else intake.advance(turn)
    if intent is Intent.QUESTION and not choice:
        return answers.answer(turn)
    if intent is Intent.STATUS:
        reference = answers.reference_in(turn.text)
        if reference:
            return answers.status(turn, reference)
        if answers.own_proposals(turn) and not choice:
            return answers.my_status(turn)
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
