"""One message, several things said: the clauses of a short answer.

「佐藤です 電話でいいですか 090-1234-5678」 is a name, a question and a phone number;
「ベーカリーこむぎっていいます 個人でやってます」 is a name and what kind of business it is. A
short answer is split at sentence ends, around contact details, and at a space or 、 that
follows a sentence ending (「…です」, 「…ます」, 「…か」), never inside a name written with a space
(「高橋 健一」). Linear: every split point is looked at once.
"""

from __future__ import annotations

import re

from workflows.contacts import EMAIL_IN_TEXT, PHONE_IN_TEXT, URL_IN_TEXT
from workflows.plain import base
from workflows.questions import is_question, sentences_of

# A space or 、 after one of these ends a clause: 「佐藤です 電話で…」, 「…やってます、…」.
_ENDINGS = (
    "です",
    "ます",
    "でした",
    "ました",
    "っす",
    "か",
    "かね",
    "ね",
    "よ",
    "けど",
    "けれど",
    "ですが",
    "んですが",
)
_GAP = re.compile(r"[\s、,]+")
_CONTACT = re.compile(
    "|".join(p.pattern for p in (EMAIL_IN_TEXT, URL_IN_TEXT, PHONE_IN_TEXT)), re.I
)
CLAUSE_TEXT = 300  # a longer text is a proposal, not an answer of a few parts


def _split_at_endings(piece: str) -> list[str]:
    out: list[str] = []
    start = 0
    for gap in _GAP.finditer(piece):
        left = piece[start : gap.start()]
        if left and left.endswith(_ENDINGS) and not left.isascii():
            out.append(left)
            start = gap.end()
    out.append(piece[start:])
    return [p.strip(" 、,") for p in out if p.strip(" 、,")]


def clauses(text: str) -> list[str]:
    """The clauses of a short answer; a long text is one clause (its sentences are read
    elsewhere)."""
    text = base(text)
    if len(text) > CLAUSE_TEXT:
        return [text]
    out: list[str] = []
    for sentence in sentences_of(text):
        start = 0
        for contact in _CONTACT.finditer(sentence):
            out.extend(_split_at_endings(sentence[start : contact.start()]))
            out.append(contact.group(0))
            start = contact.end()
        out.extend(_split_at_endings(sentence[start:]))
    return [c for c in out if c.strip(" 。.!！、,")]


def is_contact(clause: str) -> bool:
    """A clause that is only an e-mail address, a phone number or a URL (with its label)."""
    rest = _CONTACT.sub("", clause)
    return rest != clause and len(rest.strip(" :：、,。.()（）")) <= 8


def questions_in(text: str) -> list[str]:
    """The clauses of a short answer that ask something (「電話でいいですか」)."""
    return [c for c in clauses(text) if not is_contact(c) and is_question(c)]


def value_clauses(text: str) -> list[str]:
    """The clauses that may hold a value: not a question, not only a contact detail."""
    return [c for c in clauses(text) if not is_contact(c) and not is_question(c)]
