"""Facts in any answer: every message is read for every field, whatever was asked.

「佐藤です 電話でいいですか 090-1234-5678」 at the organisation question gives the contact's
name and phone; an e-mail typed while the organisation type is asked is kept, noted in the
reply, and the pending question is asked again (not counted as a miss).
"""

from __future__ import annotations

import re
from typing import Any

from workflows import answers
from workflows.changes import CHANGE_FIELDS
from workflows.contacts import PHONE_IN_TEXT, email_in
from workflows.courtesy import proposal_sentences
from workflows.fields import FACTS, Kind, spec, wanted
from workflows.intake import absorb, advance, ask
from workflows.names import organisation
from workflows.record import corporate_number_is_valid, normalise_phone
from workflows.texts import field_name, label, t
from workflows.turn import State, Turn
from workflows.values import clean_value, read_person

COST = "content.cost_model"
EVERY_ANSWER = (*FACTS, COST)
_EMPTY: tuple[Any, ...] = (None, "", [])
# 「電話でいいですか」, 「メールがないんですが」, "Can I give a phone number instead?": how to
# be reached, asked in the middle of an answer.
CONTACT_MEANS = re.compile(
    r"電話(?:番号)?(?:で|だけで|でも)(?:いい|よい|良い|大丈夫|OK|構いません|かまいません)|"
    r"電話(?:の方|のほう)が|メール(?:アドレス)?(?:が|は)(?:ない|無い|ありません|持って)|"
    r"メール(?:じゃないと|でないと)|(?:LINE|ライン)(?:で|でも)(?:いい|よい|大丈夫)|"
    r"(?<![A-Za-z])(?:(?:by|a) (?:phone|telephone)(?: number)? (?:instead|ok|okay|fine)|"
    r"phone (?:instead|is (?:ok|okay|fine|enough))|(?:don'?t|do not) have (?:an )?e-?mail|"
    r"no e-?mail)(?![A-Za-z])",
    re.I,
)


NO_EMAIL = re.compile(
    r"メール(?:アドレス)?(?:が|は)(?:ない|無い|ありません|持って(?:い)?ない|使って(?:い)?ない|使えない)|"
    r"(?<![A-Za-z])(?:(?:don'?t|do not) (?:have|use) (?:an )?e-?mail|no e-?mail)(?![A-Za-z])",
    re.I,
)


def read_value(field: str, text: str) -> tuple[Any, str | None]:
    """(value, None) for a good free answer to `field`, or (None, error text key)."""
    kind = spec(field).kind
    if kind is Kind.EMAIL:
        address = email_in(text)
        return (address, None) if address else (None, "invalid.contact.email")
    if kind is Kind.PHONE:
        found = PHONE_IN_TEXT.search(text)
        try:
            return normalise_phone(found.group(0) if found else text), None
        except ValueError:
            return None, "invalid.contact.phone"
    if kind is Kind.NUMBER:
        digits = re.sub(r"\D", "", text)
        return (
            (digits, None)
            if corporate_number_is_valid(digits)
            else (None, "invalid.corporate_number")
        )
    value = clean_value(field, text)
    if field == "content.summary":
        value = proposal_sentences(text) or value
    if value is None or len(value.strip()) < 2:
        return None, "invalid.empty"
    limit = spec(field).limit
    if limit and len(value) > limit:
        return None, "invalid.too_long"
    return value.strip(), None


# Said about money: only then does an answer to another question set the cost model
# (「アプリを無料で配布します」 is what the proposer offers residents, not who pays).
COST_WORDS = re.compile(
    r"費用|経費|コスト|予算|負担|お金|実費|代金|持ち(?:ます)?|自腹|"
    r"(?<![A-Za-z])(?:costs?|budget|pay|paid|funding|funded|expenses?)(?![A-Za-z])",
    re.I,
)


def take_cost(turn: Turn, text: str, *, asked: str | None) -> None:
    """The cost model, wherever it is said about money (「…、費用はうちで全部持ちます」)."""
    if asked != COST and COST_WORDS.search(text):
        absorb(turn, text, asked=asked, only=(COST,))


def take_facts(turn: Turn, text: str, *, asked: str | None) -> list[str]:
    """Fill the empty fact fields `text` states (not `asked`); the keys newly filled."""
    before = {key: turn.slots.get(key) for key in EVERY_ANSWER}
    take_cost(turn, text, asked=asked)
    absorb(turn, text, asked=asked, only=FACTS)
    return [
        key
        for key in EVERY_ANSWER
        if before[key] in _EMPTY and turn.slots.get(key) not in _EMPTY and key != asked
    ]


def take_person(turn: Turn, text: str) -> str | None:
    """The contact's name (with department and job title) from a short answer, if it is one."""
    person = read_person(text)
    if person is None:
        return None
    if person.department:
        turn.slots.setdefault("contact.department", person.department)
    if person.title:
        turn.slots.setdefault("contact.title", person.title)
    return person.name


def shown(turn: Turn, key: str) -> str:
    """A filled field's value as the proposer reads it."""
    value = turn.slots.get(key)
    if key == "contact.phone" and str(value).startswith("+81"):
        return "0" + str(value)[3:].replace(";ext=", " 内線" if turn.lang != "en" else " ext. ")
    if isinstance(value, list):
        return "、".join(label(str(v), turn.lang) for v in value)
    return label(str(value), turn.lang)


def acknowledge(turn: Turn, keys: list[str]) -> None:
    """「メールアドレス（sato@example.jp）を承りました。」 for facts taken from an answer."""
    if not keys:
        return
    joiner = ", " if turn.lang == "en" else "、"
    facts = joiner.join(f"{field_name(k, turn.lang)} ({shown(turn, k)})" for k in keys)
    if turn.lang != "en":
        facts = joiner.join(f"{field_name(k, turn.lang)}（{shown(turn, k)}）" for k in keys)
    turn.say("facts.noted", facts=facts)


def answer_contact_means(turn: Turn, said: str) -> tuple[str, ...]:
    """「電話でいいですか」: the desk replies by e-mail, so it needs one (the phone is kept);
    「メールはないので」: a person can take it by phone instead. The extra choices to offer."""
    if turn.slots.get("contact.email") or "contact.email" not in wanted(turn.platform):
        turn.say("contact.means.noted")
        return ()
    if NO_EMAIL.search(said):
        turn.say("contact.no_email")
        return ("human",)
    turn.say("contact.means.email")
    return ()


def accept(turn: Turn, field: str, value: Any) -> State:
    """Take `value` as the answer to `field`, then go on."""
    turn.slots[field] = value
    turn.progress.answered.append(field)
    turn.progress.misses.pop(field, None)
    if field == "content.summary":
        turn.progress.restate = False
    if field == "organisation.name" and not turn.slots.get("organisation.type"):
        found = organisation(str(value))
        if found:
            turn.slots["organisation.type"] = found[1].value
    return advance(turn)


_LATER = re.compile(
    r"あと(?:から|で)|後(?:から|で|ほど)|変え|変更|(?<![A-Za-z])(?:later|change)", re.I
)


def question_query(turn: Turn, field: str, question: str) -> str:
    """What to look up for a question asked mid-intake.

    「階層ってあとから変えられますか」 about the field being asked is looked up as the documents
    put it (「参加の階層は後から変更できますか」); any other question as it was asked.
    """
    words = dict(CHANGE_FIELDS).get(field)
    if words and words.search(question) and _LATER.search(question):
        return t("undecided.query", turn.lang, field=field_name(field, turn.lang))
    return question


def answer_questions(turn: Turn, questions: list[str]) -> tuple[str, ...]:
    """Answer what an answer also asks: how to be reached, or from the documents; the extra
    choices to offer with the next question."""
    extras: tuple[str, ...] = ()
    for question in questions[:2]:
        if CONTACT_MEANS.search(question):
            extras = answer_contact_means(turn, question)
        else:
            answers.cite(turn, question)
    return extras


def set_aside(turn: Turn, field: str, *, facts: list[str], questions: list[str]) -> State | None:
    """No value for `field`, but facts or questions: keep and answer them, then ask again.

    None when the message held neither (then it is a miss).
    """
    if not facts and not questions:
        return None
    if any(CONTACT_MEANS.search(q) for q in questions):
        facts = [k for k in facts if k != "contact.phone"]  # said with the answer about it
    acknowledge(turn, facts)
    extras = answer_questions(turn, questions)
    before = t("intake.resume_after", turn.lang) if questions and not facts else ""
    ask(turn, field, before=before, extras=extras)
    return State.INTAKE


# Answers to 「gmail.com のお間違いではありませんか？」 / "Did you mean gmail.com?": "no" (as
# typed) is read first, so 「違います、合ってます」 keeps the address.
_TYPO_NO = re.compile(
    r"いいえ|違います|ちがいます|違う|合って|あって(?:ます|います)|そのまま|このまま|正しいです|"
    r"大丈夫|問題ありません|間違いない|間違っていません|"
    r"(?<![A-Za-z])(?:no|nope|as (?:typed|written|is)|it'?s correct|is correct|that'?s my|"
    r"it exists|not a typo|keep it)(?![A-Za-z])",
    re.I,
)
_TYPO_YES = re.compile(
    r"^(?:あ[、,]?\s?)?(?:はい|そう|うん|ええ)|間違|まちが|直して|なおして|修正|訂正|お願い|"
    r"すみません|失礼|"
    r"(?<![A-Za-z])(?:yes|yeah|yep|right|correct|oops|typo|fix|please|sorry|my (?:bad|mistake))"
    r"(?![A-Za-z])",
    re.I,
)


def typo_answer(text: str, *, likely: str) -> bool | None:
    """True when the proposer meant the `likely` domain, False when the address is right as
    typed, None when the text says neither."""
    if likely.lower() in text.lower():
        return True
    if _TYPO_NO.search(text):
        return False
    return True if _TYPO_YES.search(text) else None
