"""What a free text states outright: contact details, organisation, roles, costs, period."""

from __future__ import annotations

import re
from typing import Any

from workflows.clauses import clauses
from workflows.contacts import URL_IN_TEXT, email_in, phone_in
from workflows.courtesy import proposal_sentences
from workflows.names import legal_form_only, organisation
from workflows.orgtypes import named_by_suffix, stated_type
from workflows.people import person_name
from workflows.plain import first_sentence, normalise
from workflows.questions import is_question
from workflows.record import corporate_number_is_valid
from workflows.requests import ROLE_PATTERNS, cost_model
from workflows.signature import read_signature
from workflows.values import clean_value

__all__ = [
    "MAX_TEXT",
    "ROLE_PATTERNS",
    "contact_name",
    "corporate_number",
    "cost_model",
    "extract",
    "organisation",
]

# What a turn reads of one message (the proposal summary included); the rest stays in the
# transcript only. Every pattern here is linear, so this bounds the work, not the correctness.
MAX_TEXT = 4000


def contact_name(text: str) -> str | None:
    """The writer's name, when they introduce themselves (never 「提案をしたい」 or 「相談」)."""
    return person_name(text)


_W = r"(?<![A-Za-z])"  # English words as whole words
_E = r"(?![A-Za-z])"
PERIOD = re.compile(
    r"(\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:から|～|〜|-)\s*(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:まで)?|"
    r"\d{1,2}か月間?|\d{1,2}ヶ月間?|(?<!\d)\d+年間|来年度|今年度|"
    r"(?:from )?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{4})? (?:to|until) (?:January|February|March|April|May|June|July|August|September|October|November|December)(?: \d{4})?|"
    r"(?<!\d)\d+ months?)",
    re.I,
)
_PROBLEM = re.compile(
    r"課題|困って|不足|足りな|問題(?!(?:は)?(?:ない|ありません|なし))|進まない|減って|増えて|"
    rf"{_W}(?:problems?|issues?|challenges?|lacks?|lacking|shortages?){_E}",
    re.I,
)
_ACTIVITY = re.compile(
    r"実施|行い|行う|行います|提供し|設置|開催|回収|運営|実証|導入し|用意し|用意します|担い|担います|"
    r"を開き|を開きます|を開いて|点検し|整備し|配布し|作成し|制作し|派遣し|企画し|"
    rf"{_W}(?:we will|we would|we plan|we want to|we'll){_E}",
    re.I,
)


def _without_cost(sentence: str) -> list[str]:
    """The sentence, or its clauses that do not say who pays (「弊社が設計・施工・保守を担い、
    設置費用はすべて弊社が負担します」 → the first clause is an activity)."""
    if cost_model(sentence) is None:
        return [sentence]
    clauses = [c.strip() for c in re.split(r"(?<=[いしてりき])、", sentence) if c.strip()]
    return [c for c in clauses if cost_model(c) is None] if len(clauses) > 1 else []


def sentences(text: str) -> list[str]:
    """Split into sentences (Japanese and English)."""
    parts = re.split(r"(?<=[。！？!?])|(?<=[.])\s+|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


CORPORATE_NUMBER = re.compile(
    r"(?:法人番号|corporate number)\s*(?:(?:は|:|：|is)\s*)?([\d\-\s]{13,17})", re.I
)
LOCATION = re.compile(
    r"(?:所在地|本社|住所|located in|based in)\s*(?:(?:は|:|：)\s*)?([^\s、。,.]{2,40})", re.I
)


def corporate_number(text: str) -> tuple[str, bool] | None:
    """A corporate number the text gives, and whether its check digit is right."""
    match = CORPORATE_NUMBER.search(normalise(text))
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return digits, corporate_number_is_valid(digits)


_TITLE_WORD = re.compile(r"(?:タイトル|件名|提案名|題名|(?<![A-Za-z])title)\s?[:：は]\s?", re.I)
_THEME_CALL = re.compile(r"テーマ型|theme call|themed call", re.I)
SUMMARY_CHARS = 40  # shorter proposal text is not yet a summary ("提案したいです")


# 「担当部署は企画政策課です」, 「部署：環境事業部」: the contact's department said in a sentence.
_DEPARTMENT_SAID = re.compile(
    r"(?:担当)?部署(?:名)?(?:は|:|：)\s?([一-龥ァ-ヶーA-Za-z0-9・]{2,20}?)"
    r"(?:です|になります|でございます|[。、,\s]|$)"
)


# 「参加の階層はA（会議に参加）を希望します」, "tier B, please": the tier letter (the intake keeps
# it only where the platform has that tier).
TIER_SAID = re.compile(
    r"(?:参加の)?(?:階層|ティア|会員区分|区分)\s?(?:は|:|：)?\s?([A-Ca-c])(?![A-Za-z])|"
    r"(?<![A-Za-z])tier\s?([A-C])(?![A-Za-z])",
    re.I,
)


_DEPARTMENT_BEFORE = re.compile(
    r"(?<![一-龥ァ-ヶー])([一-龥ァ-ヶー]{2,12}(?:部|課|室|局|センター|グループ|チーム))\s?の?\s?$"
)


def _contact(text: str, slots: dict[str, Any]) -> None:
    email = email_in(text)
    if email:
        slots["contact.email"] = email
    phone = phone_in(text)
    if phone:
        slots["contact.phone"] = phone
    signed = read_signature(text)
    for key in ("contact.name", "organisation.name", "contact.email", "contact.phone"):
        if signed.get(key):
            slots.setdefault(key, signed[key])
    department = _DEPARTMENT_SAID.search(text)
    if department:
        slots["contact.department"] = department.group(1)
    if "contact.name" not in slots:
        name = contact_name(text)
        if name:
            slots["contact.name"] = name
    name = slots.get("contact.name")
    if name and "contact.department" not in slots and not name.isascii():
        # 「株式会社ABC 営業部の田中です」: the department said right before the name.
        said = _DEPARTMENT_BEFORE.search(text[: text.find(name[:2])] if name[:2] in text else "")
        if said:
            slots["contact.department"] = said.group(1)


def _organisation(text: str, slots: dict[str, Any]) -> None:
    org = organisation(text)
    if org:
        slots["organisation.name"], kind = org
        slots["organisation.type"] = kind.value
    elif slots.get("organisation.name"):
        found = organisation(slots["organisation.name"])
        if found:
            slots["organisation.type"] = found[1].value
    else:
        bare = legal_form_only(text) or next(filter(None, map(stated_type, clauses(text))), None)
        if bare:  # 「NPO法人です」, 「個人でやってます」
            slots["organisation.type"] = bare.value
        named = next(filter(None, map(named_by_suffix, sentences(text)[:3])), None)
        if named:  # 「はだの温泉旅館組合です！」
            slots["organisation.name"] = named[0]
            if named[1] and not bare:
                slots["organisation.type"] = named[1].value
    number = corporate_number(text)
    if number:
        slots["organisation.corporate_number" if number[1] else "_invalid_corporate_number"] = (
            number[0]
        )
    location = LOCATION.search(text)
    if location:
        slots["organisation.location"] = re.sub(r"(です|にあります)$", "", location.group(1))


def _title(text: str) -> str | None:
    """A title the text names (「タイトルは「…」」), quoted titles kept whole."""
    named = _TITLE_WORD.search(text)
    if not named:
        return None
    return clean_value("content.title", first_sentence(text[named.end() :]))


# 【件名】【背景】【内容】【提案内容】【市に期待すること】【期待する効果】【費用】: a document's
# labelled sections, each read into its field.
_SECTION = re.compile(r"【([^【】\n]{1,20})】")
_SECTION_FIELDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"件名|タイトル|題名|提案名"), "content.title"),
    (re.compile(r"背景|課題|現状"), "content.problem"),
    (re.compile(r"市に期待|市への(?:依頼|お願い)|お願いしたい|市の役割|依頼事項"), "roles"),
    (re.compile(r"効果|成果|メリット"), "content.benefit"),
    (re.compile(r"費用|予算|コスト|経費"), "cost"),
    (re.compile(r"内容|概要|取り?組み|活動|実施"), "content.summary"),
]


def labelled_sections(text: str) -> dict[str, str]:
    """The text under each 【label】 by field key ("roles" and "cost" for those readers)."""
    found = list(_SECTION.finditer(text))
    out: dict[str, str] = {}
    for i, label in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        body = text[label.end() : end].strip()
        key = next((f for words, f in _SECTION_FIELDS if words.search(label.group(1))), None)
        if key and body and key not in out:
            if key == "content.title" or i + 1 == len(found):
                body = body.split("\n\n")[0].strip()  # the last section ends at a blank line
            out[key] = body
    return out


def _sections(text: str, slots: dict[str, Any]) -> None:
    sections = labelled_sections(text)
    for key, body in sections.items():
        if key == "roles":
            roles = [r.value for r, pattern in ROLE_PATTERNS.items() if pattern.search(body)]
            if roles:
                slots["content.municipality_roles"] = roles
        elif key == "cost":
            model = cost_model(body)
            if model:
                slots["content.cost_model"] = model.value
        else:
            value = clean_value(key, body if key != "content.title" else first_sentence(body))
            if value and key == "content.summary":
                slots["content.activities"] = value  # the whole proposal stays the summary
                slots.setdefault(key, value)
            elif value:
                slots[key] = value


def _content(text: str, slots: dict[str, Any]) -> None:
    urls = URL_IN_TEXT.findall(text)
    if urls:
        slots["content.attachments"] = urls
    proposal = proposal_sentences(text)
    roles = [role.value for role, pattern in ROLE_PATTERNS.items() if pattern.search(proposal)]
    if roles:
        slots["content.municipality_roles"] = roles
    model = cost_model(proposal)
    if model:
        slots["content.cost_model"] = model.value
    period = PERIOD.search(proposal)
    if period:
        slots["content.period"] = period.group(0)
    title = _title(text)
    if title:
        slots["content.title"] = title
    # A sentence about who pays is the cost model, not the problem or the activities.
    parts = [part for s in sentences(proposal) for part in _without_cost(s)]
    problem = [s for s in parts if _PROBLEM.search(s)]
    said = set(problem)
    activities = [s for s in parts if _ACTIVITY.search(s) and s not in said]
    joiner = " " if proposal.isascii() else ""
    if problem:
        slots["content.problem"] = joiner.join(problem)
    if activities:
        slots["content.activities"] = joiner.join(activities)
    if len(proposal) >= SUMMARY_CHARS and not is_question(text):
        slots["content.summary"] = proposal
    tier = TIER_SAID.search(text)
    if tier:
        slots["proposer.membership_tier"] = (tier.group(1) or tier.group(2)).upper()
    if _THEME_CALL.search(text):
        slots["track"] = "theme"
    _sections(text, slots)


def extract(text: str) -> dict[str, Any]:
    """Slots that a free text states outright (never guesses what it does not say).

    Every field is read cleanly: names without the sentence around them, contact details
    from a signature block, the summary from the proposal sentences only. Linear in the
    text, and bounded: it reads at most `MAX_TEXT` characters, what a turn reads of a message
    (the desk passes no more), so a pasted book costs what 4,000 characters cost.
    """
    text = normalise(text[: MAX_TEXT * 2])[:MAX_TEXT]
    slots: dict[str, Any] = {}
    _contact(text, slots)
    _organisation(text, slots)
    _content(text, slots)
    return slots
