"""Rule-based understanding (no LLM): language, intent, yes/no and reference numbers.

Questions by meaning and "not decided yet" are `workflows.questions`; a change of mind is
`workflows.changes`; the eligibility rules are `workflows.eligibility` (`eligibility_hits` is
also named here, where the desk's helpers were told to find it).
"""

from __future__ import annotations

import re
from enum import StrEnum

from workflows.eligibility import eligibility_hits
from workflows.plain import normalise
from workflows.questions import is_question

__all__ = [
    "Intent",
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
            r"審査(?:状況|結果)|\bstatus\b|\bprogress\b",
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
        re.compile(r"^(こんにちは|こんばんは|おはよう|はじめまして|hello|hi|hey)", re.I),
    ),
]


_PROPOSAL_WORDS = next(p for i, p in _INTENT_PATTERNS if i is Intent.PROPOSAL)

_LATIN_WORD = re.compile(r"[A-Za-z]{2}")


def detect_language(text: str, *, current: str = "ja") -> str:
    """`ja` when the text has Japanese script, `en` when it has Latin words only."""
    if JAPANESE.search(text):
        return "ja"
    # Two neighbouring tokens with Latin letters ("two words, not one token"). Token by token,
    # because the regex `[A-Za-z]{2,}\S*\s+\S*[A-Za-z]{2,}` was cubic on one long word.
    worded = [_LATIN_WORD.search(token) is not None for token in text.split()]
    if any(a and b for a, b in zip(worded, worded[1:], strict=False)):
        return "en"
    return current


def recognise(text: str) -> Intent:
    """The user's intent, by priority: control words, status, hand-off, proposal, question."""
    text = normalise(text)
    if REFERENCE.search(text):
        return Intent.STATUS
    if len(text) >= 80 and _PROPOSAL_WORDS.search(text) and not is_question(text):
        return Intent.PROPOSAL  # a proposal e-mail mentions 状況 or 担当者 in passing
    for intent, pattern in _INTENT_PATTERNS:
        if pattern.search(text):
            if intent is Intent.PROPOSAL and re.search(r"[?？]$", text) and len(text) < 40:
                return Intent.QUESTION  # "how do I make a proposal?" is a question
            return intent
    return Intent.PROPOSAL if len(text) >= 80 else Intent.OTHER


def find_reference(text: str) -> str | None:
    """A reference number like KF-2026-00012, if the text has one."""
    match = REFERENCE.search(normalise(text).upper())
    return match.group(0) if match else None


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
