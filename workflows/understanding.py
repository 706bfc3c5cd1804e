"""Rule-based understanding (no LLM): language, intent, yes/no, references, corrections."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from workflows.textsafety import strip_invisible

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
REFERENCE = re.compile(r"\b([A-Z]{2,6})-(\d{4})-(\d{5})\b")
# The lookbehind starts an address only where a run of address characters starts: without it
# every character of a long run without "@" scanned the rest of the run (quadratic).
EMAIL_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
PHONE_IN_TEXT = re.compile(r"(?:\+81[\s\-]?|0)\d{1,4}[\s\-]?\d{1,4}[\s\-]?\d{3,4}")
URL_IN_TEXT = re.compile(r"https?://[^\s)）」、。]+")


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
        re.compile(r"担当者|人と話|職員と話|オペレーター|\b(human|person|staff|operator)\b", re.I),
    ),
    (Intent.STATUS, re.compile(r"状況|進捗|ステータス|どうなって|\bstatus\b|\bprogress\b", re.I)),
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


def normalise(text: str) -> str:
    """NFKC, trimmed, without bidi controls and zero-width characters.

    NFKC turns full-width letters and digits half-width; the invisible characters would
    reverse a stored name's display and defeat search.
    """
    return strip_invisible(unicodedata.normalize("NFKC", text)).strip()


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


SALES = re.compile(
    r"ご購入|購入をご検討|導入をご検討|導入していただ|お見積|割引|特別価格|価格で|販売|売り込|営業|製品をご紹介|"
    r"buy our|purchase our|our product|discount|special price|pricing",
    re.I,
)
POLITICAL = re.compile(r"選挙|政党|後援会|布教|宗教活動|election|political party|religious", re.I)
_ENDORSEMENT_ASK = re.compile(r"(市|自治体)の(名義|ロゴ)を|ロゴを使(って|わせ)")
_ENDORSEMENT_USE = re.compile(r"宣伝|広告")
_CITY_LOGO = re.compile(r"city'?s logo", re.I)


def endorsement(text: str) -> bool:
    """Whether the text asks to use the city's name or logo for advertising.

    Line by line, the first request then any advertising word after it: the same answer as
    `(市|自治体)の(名義|ロゴ)を.*(宣伝|広告)|…` in linear time (that regex rescanned the rest of
    the line from every request).
    """
    if _CITY_LOGO.search(text):
        return True
    for line in text.split("\n"):
        ask = _ENDORSEMENT_ASK.search(line)
        if ask and _ENDORSEMENT_USE.search(line, ask.end()):
            return True
    return False


def sales_signals(text: str) -> int:
    """How many distinct sales-pitch phrases the text uses."""
    return len({m.group(0) for m in SALES.finditer(normalise(text))})


_CORRECTION = re.compile(r"訂正|修正|変更|間違|直して|correct|change|update|fix", re.I)
_FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("contact.email", re.compile(r"メール|e-?mail|アドレス", re.I)),
    ("contact.phone", re.compile(r"電話|phone", re.I)),
    ("organisation.corporate_number", re.compile(r"法人番号|corporate number", re.I)),
    (
        "organisation.name",
        re.compile(r"団体名|会社名|社名|法人名|organi[sz]ation|company name", re.I),
    ),
    ("contact.name", re.compile(r"担当者?名|名前|contact name|\bname\b", re.I)),
    ("content.title", re.compile(r"タイトル|件名|提案名|title", re.I)),
    ("content.period", re.compile(r"期間|period", re.I)),
    ("content.cost_model", re.compile(r"費用|cost", re.I)),
]


# A correction is one short sentence. Longer texts are answers, not corrections; the bound also
# keeps the lazy value patterns below (quadratic in the worst case) to bounded work.
CORRECTION_CHARS = 300


def correction(text: str) -> tuple[str, str] | None:
    """(field, new raw value) when the user corrects something, e.g. メールは x@y.jp に訂正."""
    text = normalise(text)
    if len(text) > CORRECTION_CHARS or not _CORRECTION.search(text):
        return None
    for field, words in _FIELD_WORDS:
        if not words.search(text):
            continue
        if field == "contact.email":
            email = EMAIL_IN_TEXT.search(text)
            return (field, email.group(0)) if email else None
        if field == "contact.phone":
            phone = PHONE_IN_TEXT.search(text)
            return (field, phone.group(0)) if phone else None
        if field == "organisation.corporate_number":
            digits = re.search(r"\d[\d\-\s]{11,16}\d", text)
            return (field, re.sub(r"\D", "", digits.group(0))) if digits else None
        value = re.search(r"(?:は|を)\s*「?(.+?)」?\s*(?:に|へ)(?:訂正|修正|変更)", text)
        if value is None:
            value = re.search(r"\bto\s+['\"]?(.+?)['\"]?[.!]?$", text, re.I)
        if value:
            return field, value.group(1).strip()
    return None
