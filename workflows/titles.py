"""A title suggested from the proposal's first sentence: a phrase, never a whole sentence.

「…展示会を開きたいです。」 → 「…展示会を開く」; 「…相談会を開催することをご提案いたします。」 →
「…相談会を開催する」; "We want to install heat pumps in three small offices and share …" →
"Install heat pumps in three small offices". Linear: a few anchored patterns per sentence.
"""

from __future__ import annotations

import re

from workflows.plain import first_sentence

TITLE_CHARS = 40  # a title people read at a glance
_JA_TAIL = re.compile(
    r"(?:こと)?(?:を|について)?(?:ご)?提案(?:いた|させていただき|申し上げ)?(?:します|したいです|"
    r"したいと思います|したいと考えています|いたします)[。.!！]?$|"
    r"(?:です|になります|でございます)[。.!！]?$"
)
# A wish or a plan at the end: 「開きたいです」, 「実施したいと考えています」, 「行います」.
_JA_WISH = re.compile(
    r"(?:たいです|たいと思います|たいと思っています|たいと考えています|たいと考えております|"
    r"たいと存じます|たい|ます|ております|ています|ていきます)[。.!！]?$"
)
# The masu-stem's last kana and its dictionary ending (godan); e-row stems are ichidan (+る).
_GODAN = {
    "き": "く", "ぎ": "ぐ", "ち": "つ", "に": "ぬ", "び": "ぶ", "み": "む", "り": "る", "い": "う"
}  # fmt: skip
_ICHIDAN = frozenset("えけげせぜてでねへべぺめれ")
_KANJI = re.compile(r"[一-龥々〆ヵヶ]")
_SURU_AFTER = frozenset("にとくうずー")
_EN_LEAD = re.compile(
    r"^(?:(?:hello|hi|dear [a-z ]{1,30})[,!.]?\s+)?(?:so,?\s+)?"
    r"(?:(?:i|we)(?:'d| would) like to (?:propose|suggest|offer)?\s?(?:to\s)?|"
    r"(?:i|we) (?:want|plan|hope|wish|intend|propose|are planning|are proposing) to\s|"
    r"(?:i|we) propose\s|(?:i|we)(?:'d| would) like to\s|our (?:proposal|idea|plan) is to\s|"
    r"this is a proposal (?:for|to)\s)",
    re.I,
)
_EN_CUT = re.compile(r",|;|\s(?:and|to|so that|in order to|which|because|with the aim)\s", re.I)
TITLE_WORDS = 9
_PREPOSITIONS = frozenset("for of to in on at with by from around across between".split())
_DANGLING = frozenset("a an the for of to in on at and or with by from around".split())


def _dictionary_form(stem: str) -> str:
    """A masu-stem's plain form: 「開き」 → 開く, 「開催し」 → 開催する, 「届け」 → 届ける."""
    last = stem[-1:]
    if last == "し":
        # 「開催し」 (two kanji: a verbal noun), 「燃料にし」, 「よくし」 → する;
        # 「話し」, 「出し」, 「増やし」 (the verb's own kana) → す.
        noun = _KANJI.match(stem[-2:-1]) and _KANJI.match(stem[-3:-2])
        return stem[:-1] + ("する" if noun or stem[-2:-1] in _SURU_AFTER else "す")
    if last in _GODAN:
        return stem[:-1] + _GODAN[last]
    if last in _ICHIDAN:
        return stem + "る"
    return stem


def _japanese(sentence: str) -> str:
    text = _JA_TAIL.sub("", sentence).strip(" 。.、,")
    wish = _JA_WISH.search(text)
    if wish and wish.start() > 0:
        text = _dictionary_form(text[: wish.start()])
    if len(text) > TITLE_CHARS:
        clauses = [c.strip() for c in re.split(r"[、,;]", text) if c.strip()]
        text = clauses[-1] if clauses else text  # the head noun ends a Japanese sentence
    return text


def _english(sentence: str) -> str:
    text = _EN_LEAD.sub("", sentence.strip()).strip(" .!")
    text = re.sub(r"^(?:propose|suggest|make|submit)\s", "", text, flags=re.I)
    text = re.sub(
        r"^(?:a |an |the )?(?:proposal|project|idea) (?:for|about|on|regarding)\s", "", text
    )
    if len(text) > TITLE_CHARS:
        cut = _EN_CUT.search(text, 12)
        text = text[: cut.start()] if cut else text
    text = re.sub(r"^(?:a|an|the)\s(?=\w)", "", text, flags=re.I)  # "A reusable …" → "Reusable …"
    words = text.split()[:TITLE_WORDS]
    if len(" ".join(words)) > TITLE_CHARS:
        # End before a preposition ("… challenge | for member companies"): a whole phrase.
        cuts = [at for at in range(2, len(words)) if words[at].lower() in _PREPOSITIONS]
        fitting = [at for at in cuts if len(" ".join(words[:at])) <= TITLE_CHARS]
        words = words[: fitting[-1]] if fitting else words
    while len(words) > 3 and len(" ".join(words)) > TITLE_CHARS:
        words.pop()
    while len(words) > 3 and words[-1].lower() in _DANGLING:
        words.pop()  # never end on "for", "the", "and"
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def suggest_title(summary: str) -> str | None:
    """A one-line title from the summary's first sentence, as a phrase (None if none fits)."""
    first = first_sentence(summary)
    title = _english(first) if first.isascii() else _japanese(first)
    if len(title) < 4 or len(title) > TITLE_CHARS:
        return None
    return title
