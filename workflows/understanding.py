"""Rule-based understanding (no LLM): language, intent, yes/no and reference numbers.

Questions by meaning and "not decided yet" are `workflows.questions`; a change of mind is
`workflows.changes`; the eligibility rules are `workflows.eligibility` (`eligibility_hits` is
also named here, where the desk's helpers were told to find it).
"""

from __future__ import annotations

import re
from enum import StrEnum

from workflows.contacts import EMAIL_IN_TEXT, URL_IN_TEXT
from workflows.eligibility import eligibility_hits
from workflows.plain import normalise
from workflows.questions import is_question

__all__ = [
    "without_reference",
    "HUMAN_WORDS",
    "PROPOSAL_WORDS",
    "STATUS_WORDS",
    "Intent",
    "cancels",
    "detect_language",
    "eligibility_hits",
    "find_reference",
    "recognise",
    "yes_no",
]

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
REFERENCE = re.compile(r"\b([A-Z]{2,6})-(\d{4})-(\d{5})\b")


class Intent(StrEnum):
    PROPOSAL = "proposal"
    QUESTION = "question"
    STATUS = "status"
    HUMAN = "human"
    CANCEL = "cancel"
    HELP = "help"
    BACK = "back"
    GREETING = "greeting"
    THANKS = "thanks"
    COMPLAINT = "complaint"
    OFF_TOPIC = "off_topic"
    FOLLOW_UP = "followup"  # more about a proposal already filed (workflows.followups)
    OTHER = "other"


_INTENT_PATTERNS: list[tuple[Intent, re.Pattern[str]]] = [
    (
        Intent.CANCEL,
        re.compile(
            r"^(キャンセル|やめ(る|ます|たい)|中止|取り?消し|cancel|stop|quit)[。.!！]?$", re.I
        ),
    ),
    (Intent.HELP, re.compile(r"^(ヘルプ|使い方|help|\?|？)$", re.I)),
    (Intent.BACK, re.compile(r"^(戻る|もどる|前に戻る|back)$", re.I)),
    (
        Intent.HUMAN,
        # 「ご担当者様」 is a salutation and "our staff will" a proposal, not a request for a person.
        re.compile(
            r"(?<!ご)担当者(?!様|各位|名|の方へ)|担当の方と|人と話|職員と話|オペレーター|"
            r"(?<![A-Za-z])(?:(?:talk|speak|chat) (?:to|with) (?:a |an |your )?(?:human|person|staff|"
            r"operator|someone)|human|operator)(?![A-Za-z])|^(?:staff|a person|person)[.!]?$",
            re.I,
        ),
    ),
    (
        Intent.STATUS,
        re.compile(
            r"^状況|(?:提案|申請|受付)の?(?:状況|進捗)|状況を(?:確認|知り|教え)|進捗|ステータス|どうなって|"
            r"どうなりました|どうなった|どうなります(?:か|でしょう)|返事|返信(?:は|が|まだ)|連絡(?:は|が)(?:まだ|来)|"
            r"審査(?:状況|結果)|\bstatus\b|\bprogress\b|(?<![A-Za-z])(?:any news|any update|"
            r"heard back|what happened (?:to|with)|news on)(?![A-Za-z])",
            re.I,
        ),
    ),
    (
        Intent.PROPOSAL,
        re.compile(
            r"提案|企画|連携したい|協業|共創したい|実証|一緒に取り組|\bpropos|\bpartnership\b|\bpilot\b|\bcollaborat",
            re.I,
        ),
    ),
    (
        Intent.QUESTION,
        re.compile(
            r"[?？]|ですか|ますか|教えて|知りたい|どうやって|どうすれば|できる|方法|"
            r"\b(how|what|when|where|who|which|can i|is there|do i)\b",
            re.I,
        ),
    ),
    (
        Intent.GREETING,
        re.compile(
            r"^(?:こんにちは|こんばんは|おはよう|はじめまして|(?:hello|hi|hey)(?![A-Za-z]))", re.I
        ),
    ),
]


PROPOSAL_WORDS = next(p for i, p in _INTENT_PATTERNS if i is Intent.PROPOSAL)
HUMAN_WORDS = next(p for i, p in _INTENT_PATTERNS if i is Intent.HUMAN)
STATUS_WORDS = next(p for i, p in _INTENT_PATTERNS if i is Intent.STATUS)

_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z']{0,40}")
# Everyday English words written capitalised at a sentence start or alone ("Hi", "I", "We").
_COMMON_EN = frozenset(
    "i we you my our your the a an hi hello hey dear thanks thank yes no please ok okay sure "
    "what how when where why can could would is are am do does this that it".split()
)


def _ordinary_words(text: str) -> tuple[int, int]:
    """(count, letters) of ordinary English words: lower case ones and everyday words.

    A romaji name ("Hiroshi Tanaka") or a brand ("GreenGrid KK") is capitalised and counts
    for nothing; e-mail addresses and URLs are left out.
    """
    count = letters = 0
    for raw in EMAIL_IN_TEXT.sub(" ", URL_IN_TEXT.sub(" ", text)).split():
        token = raw.strip(".,!?;:\"'()[]…、。")
        if not _LATIN_TOKEN.fullmatch(token):
            continue  # "not-an-address" is one token, not three words
        if (token.islower() and len(token) >= 2) or token.lower() in _COMMON_EN:
            count, letters = count + 1, letters + len(token)
    return count, letters


def detect_language(text: str, *, current: str = "ja") -> str:
    """The reply language the words ask for.

    `en` for a message of several ordinary English words with little Japanese (a Japanese
    company name inside English text stays English); `ja` for Japanese text; a romaji name,
    a brand or an e-mail alone ("Hiroshi Tanaka", "GreenGrid KK") keeps `current`.
    """
    count, letters = _ordinary_words(text)
    japanese = len(JAPANESE.findall(text))
    if japanese:
        return "en" if count >= 3 and japanese * 2 <= letters else "ja"
    return "en" if count >= 2 else current


# A cancel said as a sentence: 「やっぱりやめます」, 「いや、提案するのやめときます」, 「だから、やめます」,
# 「もういいです」, "never mind, I'll stop". Short, and about the conversation: 「やめたい習慣」
# (proposal content) is no cancel, so the verb must end the sentence.
_CANCEL_SENTENCE = re.compile(
    r"(?:やめ(?:ます|る|たい|とき(?:ます)?|ておきます|ました|にします|させてください)|"
    r"中止(?:します|したい|で)|取り?(?:消し|下げ)(?:ます|たい|てください)|"
    r"キャンセル(?:します|したい|で|してください)?|もう(?:いい|結構)です|もういい)"
    r"(?:です|わ|よ|ね)?[。.!！…]*$|"
    r"(?<![A-Za-z])(?:never ?mind|forget it|i'?ll stop|i will stop|i'?d like to stop|"
    r"(?:i )?(?:want to |wanna )?(?:cancel|quit|stop)(?: (?:this|it|the proposal|now))?)[.!]*$",
    re.I,
)
CANCEL_CHARS = 30  # a cancel is a short sentence; a longer text is content


# 「喫煙をやめたい」 stops a habit, not the conversation: an object other than the proposal.
_STOPPED_OBJECT = re.compile(r"([^\s、,。]{1,10})を\s?(?:やめ|中止|キャンセル|取り?消)")
_CONVERSATION_OBJECT = re.compile(r"提案|申請|応募|手続き?|入力|登録|これ|それ|今回|話|相談|質問")


def cancels(text: str) -> bool:
    """Whether a short message gives up the conversation (「やっぱりやめます」, \"never mind\")."""
    if len(text) > CANCEL_CHARS or _CANCEL_SENTENCE.search(text) is None:
        return False
    obj = _STOPPED_OBJECT.search(text)
    return obj is None or _CONVERSATION_OBJECT.search(obj.group(1)) is not None


def recognise(text: str) -> Intent:
    """The rules' intent, by priority: control words, status, hand-off, proposal, question.

    The desk reads control words (cancel, help, back) with it in every state; what a new
    message is for is read by meaning (`workflows.intents`), with these rules as features.
    """
    text = normalise(text)
    if find_reference(text):
        return Intent.STATUS
    if cancels(text):
        return Intent.CANCEL
    if len(text) >= 80 and PROPOSAL_WORDS.search(text) and not is_question(text):
        return Intent.PROPOSAL  # a proposal e-mail mentions 状況 or 担当者 in passing
    for intent, pattern in _INTENT_PATTERNS:
        if pattern.search(text):
            if intent is Intent.PROPOSAL and re.search(r"[?？]$", text) and len(text) < 40:
                return Intent.QUESTION  # "how do I make a proposal?" is a question
            return intent
    return Intent.PROPOSAL if len(text) >= 80 else Intent.OTHER


# Tolerant: ｋｆー２０２６ー００００２ (NFKC leaves ー), kf-2026-5, KF 2026 00005.
_LOOSE_REFERENCE = re.compile(
    r"(?<![A-Za-z])([A-Za-z]{2,6})\s?[-‐‑–—―ーｰ−_]\s?(\d{4})\s?[-‐‑–—―ーｰ−_]\s?(\d{1,5})(?!\d)"
)


def find_reference(text: str) -> str | None:
    """A reference number like KF-2026-00012, if the text has one.

    Typed loosely too: lower case, full-width, ー or a space for the hyphen, and the number
    without its zeros (kf-2026-5 → KF-2026-00005).
    """
    match = _LOOSE_REFERENCE.search(normalise(text))
    if match is None:
        return None
    prefix, year, number = match.groups()
    return f"{prefix.upper()}-{year}-{int(number):05d}"


def without_reference(text: str) -> str:
    """The text with its reference numbers taken out (normalised), to read what else it says."""
    return normalise(_LOOSE_REFERENCE.sub(" ", normalise(text)))


YES = re.compile(
    r"^(はい|同意|同意します|ok|okay|yes|y|agree|i agree|了解|大丈夫|お願いします)[。.!！]?$", re.I
)
NO = re.compile(r"^(いいえ|いや|同意しない|no|n|disagree|結構です)[。.!！]?$", re.I)


def yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when neither."""
    text = normalise(text)
    if YES.match(text):
        return True
    if NO.match(text):
        return False
    return None
