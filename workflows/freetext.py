"""A free-text answer (a name, an e-mail, a title, the proposal): the value and what else it says.

A short answer is read by its clauses: 「ベーカリーこむぎっていいます 個人でやってます」 is the
organisation and its type; 「佐藤です 電話でいいですか 090-1234-5678」 at the organisation
question is the contact's name, a question about being reached by phone, and the phone — the
organisation is asked again, nothing is lost and nothing counts as a miss.
"""

from __future__ import annotations

import re
from typing import Any

from workflows.clauses import clauses, questions_in, value_clauses
from workflows.courtesy import proposal_sentences
from workflows.extraction import extract
from workflows.facts import (
    CONTACT_MEANS,
    accept,
    answer_questions,
    read_value,
    set_aside,
    take_facts,
    take_person,
)
from workflows.fields import Kind, spec
from workflows.intake import ask, suggest_title
from workflows.misses import miss
from workflows.names import legal_form_only, organisation
from workflows.orgtypes import stated_type
from workflows.people import KANJI_NAME, person_name
from workflows.texts import label, t
from workflows.turn import State, Turn
from workflows.values import read_person

# 「さっき書いた通りです」, 「最初に書いたとおり」, "as I said": the value is in the earlier text.
_AS_WRITTEN = re.compile(
    r"(?:さっき|先ほど|先程|最初に?|はじめに|初めに|上に|上で|前に|冒頭に?|件名に|メールに|本文に)"
    r"(?:も)?(?:書いた|書きました|かいた|記載した|記載の|お送りした|送った|言った|述べた|お伝えした)"
    r"(?:とおり|通り|ように|ようにです|んですけど|けど|のですが|んですが|内容)?|"
    r"\bas I (?:said|wrote|mentioned)\b|\bI just told you\b|\bsee (?:above|my first message)\b",
    re.I,
)
_LEFTOVER_CHARS = " \t\n、。,.!！…‥・ー〜~w"
_LEFTOVERS = frozenset({"", "です", "で", "でお願いします", "でいいです", "ですが", "ですけど"})
# Not a value for a free-text field: yes/no, consent, 「わかりません」, 「課題って言われても」,
# 「PDFを見てください」 (what the person says about the question, not an answer to it).
_NON_VALUE = re.compile(
    r"^(?:はい|いいえ|うん|ええ|同意(?:します|しません|いたします)?|わかりません|分かりません|"
    r"わからない|分からない|わかんない|知らない|ok|yes|no|i don'?t know)"
    r"[。.!！…]*$|"
    r"って言われても|と言われても|(?:PDF|資料|添付|ファイル|表紙)(?:を|に|の)?(?:見て|ご覧|参照|書いて)",
    re.I,
)
# Fields whose answer is a few words, read clause by clause; a proposal is read whole.
SHORT_FIELDS = ("organisation.name", "contact.name", "contact.email", "content.title")
# A shop or an office, not a person: 「佐藤商店」, 「山田工務店」.
_NOT_PERSON_END = (
    "商店 店 屋 堂 工房 事務所 会 社 舎 園 館 企画 工業 製作所 農園 農場 スタジオ サロン "
    "カフェ 食堂 薬局 医院 病院 歯科 教室 塾 研究所 センター"
).split()


def _value_text(field: str, text: str, *, leave: list[str]) -> str:
    """The part of a short answer that may hold the value (not a question, a contact, a word
    on how to be reached, or a type said on its own)."""
    if field not in SHORT_FIELDS or field == "contact.email":
        return text
    parts = [c for c in value_clauses(text) if c not in leave]
    named = [c for c in parts if not stated_type(c)]
    return "。".join(named or parts)  # "X - we're an association": the name is in it


def _person_instead(text: str, *, has_contact: bool) -> bool:
    """Whether an answer to the organisation question is a person (「営業部長田中一郎です」,
    「担当の佐藤です」, 「佐藤です」 with a phone number), not an organisation."""
    if not text or organisation(text) is not None:
        return False
    person = read_person(text)
    if person is None or person.name.endswith(tuple(_NOT_PERSON_END)):
        return False
    if person.department or person.title or person_name(text):
        return True
    return has_contact and KANJI_NAME.fullmatch(person.name) is not None


def answer_free(turn: Turn, field: str) -> State:
    """The answer to a free-text field, with the facts and questions it also holds."""
    short = field in SHORT_FIELDS
    questions = questions_in(turn.text) if short else []
    # 「メールはないので電話でお願いします」: how to be reached, answered like a question.
    means = [c for c in clauses(turn.text) if CONTACT_MEANS.search(c) and c not in questions]
    questions = [*questions, *means] if short else questions
    value_text = _value_text(field, turn.text, leave=means)
    facts = take_facts(turn, turn.text, asked=field)
    if _AS_WRITTEN.search(value_text):
        earlier = _as_written(turn, field, value_text)
        if earlier is not None:
            return earlier
    contact = any(k in facts for k in ("contact.phone", "contact.email"))
    contact = contact or any(CONTACT_MEANS.search(q) for q in questions)
    if field == "organisation.name" and _person_instead(value_text, has_contact=contact):
        name = take_person(turn, value_text)
        if name and not turn.slots.get("contact.name"):
            turn.slots["contact.name"] = name
            facts = ["contact.name", *facts]
        value_text = ""
    if not value_text.strip() or (
        spec(field).kind is Kind.TEXT and _NON_VALUE.search(value_text.strip())
    ):
        return set_aside(turn, field, facts=facts, questions=questions) or miss(
            turn, field, "invalid.empty"
        )
    value: Any
    if field == "contact.name":
        value = take_person(turn, value_text)
        error = None if value else "invalid.empty"
    else:
        value, error = read_value(field, value_text)
    if value is None and field == "organisation.name":
        form = legal_form_only(value_text)
        if form is not None:
            turn.slots.setdefault("organisation.type", form.value)  # 「NPO法人です」: the type
            kind = label(form, turn.lang)
            ask(turn, field, before=t("organisation.form_only", turn.lang, type=kind))
            return State.INTAKE
    if error or value is None:
        return set_aside(turn, field, facts=facts, questions=questions) or miss(
            turn, field, error or "invalid.empty"
        )
    answer_questions(turn, questions)
    return accept(turn, field, value)


def _as_written(turn: Turn, field: str, text: str) -> State | None:
    """「最初に書いた通りです」: the value from the first message; None when more was said."""
    rest = _AS_WRITTEN.sub("", text)
    if rest.strip(_LEFTOVER_CHARS) not in _LEFTOVERS:
        value, error = read_value(field, rest)
        return None if error or value is None else accept(turn, field, value)
    first = turn.progress.first or ""
    found = extract(first) if first else {}
    proposal = proposal_sentences(first) if first else ""
    raw: Any = found.get(field)
    if field == "content.summary":
        raw = proposal or raw
    elif field == "content.title" and not raw:
        raw = suggest_title(str(turn.slots.get("content.summary") or proposal or ""))
    if raw in (None, "", []):
        return miss(turn, field, "invalid.empty")
    if isinstance(raw, list) or spec(field).kind is not Kind.TEXT:
        return accept(turn, field, raw)
    value, error = read_value(field, str(raw))
    if error or value is None:
        return miss(turn, field, error or "invalid.empty")
    return accept(turn, field, value)
