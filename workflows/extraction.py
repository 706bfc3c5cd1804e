"""What a free text states outright: contact details, organisation, roles, costs, period."""

from __future__ import annotations

import re
from typing import Any

from workflows.record import (
    CostModel,
    OrganisationType,
    Role,
    corporate_number_is_valid,
    normalise_email,
    normalise_phone,
)
from workflows.understanding import EMAIL_IN_TEXT, PHONE_IN_TEXT, URL_IN_TEXT, normalise

# What a turn reads of one message (the proposal summary included); the rest stays in the
# transcript only. Every pattern here is linear, so this bounds the work, not the correctness.
MAX_TEXT = 4000

# Legal forms before or after the name; the type they imply.
_LEGAL_FORMS: list[tuple[str, OrganisationType]] = [
    ("株式会社", OrganisationType.COMPANY),
    ("(株)", OrganisationType.COMPANY),
    ("有限会社", OrganisationType.COMPANY),
    ("合同会社", OrganisationType.COMPANY),
    ("特定非営利活動法人", OrganisationType.NPO),
    ("認定NPO法人", OrganisationType.NPO),
    ("NPO法人", OrganisationType.NPO),
    ("一般社団法人", OrganisationType.ASSOCIATION),
    ("公益社団法人", OrganisationType.ASSOCIATION),
    ("一般財団法人", OrganisationType.ASSOCIATION),
    ("公益財団法人", OrganisationType.ASSOCIATION),
    ("社会福祉法人", OrganisationType.ASSOCIATION),
    ("学校法人", OrganisationType.UNIVERSITY),
    ("国立大学法人", OrganisationType.UNIVERSITY),
]
_KABU = "(株)"  # the one legal form that is not made of name characters
_SUFFIXES = ("大学", "銀行", "信用金庫", "信用組合")
_NAME = r"[\w・ー&＆\-]"
# A run of name characters, or "(株)": a Japanese name can start only at one of these.
_NAME_TOKEN = re.compile(rf"{_NAME}+|\(株\)")
_NAME_RUN = re.compile(rf"{_NAME}+")
_NAME_CHAR = re.compile(_NAME)
_FORM = re.compile("|".join(re.escape(f) for f, _ in _LEGAL_FORMS))
_ANCHOR = re.compile("|".join(re.escape(f) for f in [*(f for f, _ in _LEGAL_FORMS), *_SUFFIXES]))
_SPACE = re.compile(r"\s")
# English: a chain of capitalised words; the name ends with the chain's last legal form.
_CAPITALISED_CHAIN = re.compile(r"\b[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*")
_WORD_GAP = re.compile(r"\s+")
_EN_FORM = re.compile(
    r"Inc\.|Co\.,?\s?Ltd\.?|K\.K\.|LLC|Ltd\.?|Corporation|Corp\.|GmbH|University|Bank"
)
_PARTICLES = re.compile(r"(の|です|と申します|から|では|は|が|より)$")


def _form_then_name(text: str, form_end: int) -> int | None:
    """End of `FORM \\s? NAME+` once the form ends at `form_end`, if a name follows."""
    if _SPACE.match(text, form_end):
        form_end += 1
    run = _NAME_RUN.match(text, form_end)
    return run.end() if run else None


def _run_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name a run of name characters `text[start:end]` begins, if any.

    Tried in the order of the alternatives of the original pattern: legal form then name,
    name then the first legal form (shortest), name then the last 大学/銀行/... (longest).
    """
    form = _FORM.match(text, start)
    if form:
        found = _form_then_name(text, form.end())
        if found is not None:
            return start, found
    later = _FORM.search(text, start + 1, end)
    if later:
        return start, later.end()
    if text.startswith(_KABU, end):
        return start, end + len(_KABU)
    # Greedy: the last 大学/銀行/… of the run (suffixes never overlap, so the last ends last).
    ends = [
        at + len(suffix) for suffix in _SUFFIXES if (at := text.rfind(suffix, start + 1, end)) != -1
    ]
    return (start, max(ends)) if ends else None


def _japanese_name(text: str) -> str | None:
    """The first Japanese organisation name: a legal form with its name, or a 大学/銀行/… name.

    A name can start only where a run of name characters (or "(株)") starts, and each run is
    examined once, so this is linear in the text. The single regex it replaces,
    `FORM\\s?NAME+|NAME+?FORM|NAME+SUFFIX`, retried from every character of a run and scanned
    to its end each time: quadratic (one 40,000-character message held a worker for 49 s).
    """
    anchor = _ANCHOR.search(text)
    if anchor is None:
        return None  # no legal form, no 大学/銀行/…: the common case, in one scan
    begin = anchor.start()
    while begin > 0 and _NAME_CHAR.match(text, begin - 1):
        begin -= 1  # no name starts before the run that holds (or precedes) the first anchor
    for token in _NAME_TOKEN.finditer(text, begin):
        start = token.start()
        if token.group() == _KABU:
            end = _form_then_name(text, token.end())
            if end is not None:
                return text[start:end]
            continue
        span = _run_span(text, start, token.end())
        if span:
            return text[span[0] : span[1]]
    return None


def _english_name(text: str) -> str | None:
    """A name like "Minato Recycling Co., Ltd.": capitalised words up to the last legal form."""
    for chain in _CAPITALISED_CHAIN.finditer(text):
        starts = [gap.end() for gap in _WORD_GAP.finditer(text, chain.start(), chain.end())]
        for start in reversed(starts):
            form = _EN_FORM.match(text, start)
            if form:
                return text[chain.start() : form.end()]
    return None


def organisation(text: str) -> tuple[str, OrganisationType] | None:
    """An organisation name with its legal form, and the type that form implies."""
    text = normalise(text)
    name = _japanese_name(text)
    if name:
        for form, kind in _LEGAL_FORMS:
            if form in name:
                head, _, tail = name.partition(form)
                # "株式会社ミナトリサイクルの山田" -> keep the name, drop what follows a particle
                tail = re.split(r"の|です|と|から|で|は|が", tail, maxsplit=1)[0]
                return f"{head}{form}{tail}".strip(), kind
        name = _PARTICLES.sub("", name)
        if name.endswith("大学"):
            return name, OrganisationType.UNIVERSITY
        return name, OrganisationType.FINANCIAL
    name = _english_name(text)
    if name:
        name = re.sub(r"^(?:I am from|We are|From|At)\s+", "", name).strip()
        kind = OrganisationType.COMPANY
        if name.endswith("University"):
            kind = OrganisationType.UNIVERSITY
        elif name.endswith("Bank"):
            kind = OrganisationType.FINANCIAL
        return name, kind
    return None


_CONTACT_JA = re.compile(
    r"(?:担当(?:者)?(?:は|の|：|:)?\s*|(?:私は|わたしは))([一-龥ァ-ヶー][一-龥ぁ-んァ-ヶー ]{0,9}?)"
    r"\s?(?:です|と申します|が担当)"
)
_CONTACT_JA_TAIL = re.compile(
    r"(?:の|、)\s*([一-龥]{1,4}(?:\s?[一-龥ぁ-ん]{1,4})?)(?:です|と申します)"
)
_CONTACT_EN = re.compile(r"\b(?:my name is|I am|I'm|this is)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")


def contact_name(text: str) -> str | None:
    """The writer's name, when they introduce themselves."""
    text = normalise(text)
    for pattern in (_CONTACT_JA, _CONTACT_JA_TAIL, _CONTACT_EN):
        match = pattern.search(text)
        if match:
            return match.group(1).strip()
    return None


ROLE_PATTERNS: dict[Role, re.Pattern[str]] = {
    Role.VENUE: re.compile(
        r"会場|場所の提供|場所を(提供|お借り|貸)|実証の?場|フィールド|(公園|施設)を(使|利用|お借り|提供)|"
        r"venue|test field|\bsite\b|premises",
        re.I,
    ),
    Role.PUBLICITY: re.compile(r"広報|周知|PR|告知|publicity|promot", re.I),
    Role.DATA: re.compile(
        r"データの?提供|データを(提供|お借り|共有)|オープンデータ|\bdata\b", re.I
    ),
    Role.INTRODUCTIONS: re.compile(r"紹介|つないで|橋渡し|introduc", re.I),
    Role.PERMITS: re.compile(r"許可|許認可|調整|permit|coordinat", re.I),
    Role.CO_HOSTING: re.compile(r"共催|co-?host", re.I),
}

_COST_PATTERNS: list[tuple[CostModel, re.Pattern[str]]] = [
    (
        CostModel.NEEDS_BUDGET,
        re.compile(
            r"予算(を|が|化|措置)|委託して|購入して|ご購入|有償で|費用を(ご)?負担(して|いただ)|city (would )?pay|budget|purchase",
            re.I,
        ),
    ),
    (
        CostModel.PROPOSER_BEARS,
        re.compile(
            r"実費(は|を)(当社|弊社|私ども|自社|提案者)|実費負担|bear the (actual )?costs?", re.I
        ),
    ),
    (
        CostModel.NO_COST,
        re.compile(
            r"費用負担(は)?(なし|ありません|はありません)|(市|自治体|事務局)の(費用)?負担(は)?(なし|ありません|はありません|ゼロ)|無償|無料で|費用は(当社|弊社|自社)|no cost|free of charge|at our own (cost|expense)",
            re.I,
        ),
    ),
]

PERIOD = re.compile(
    r"(\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:から|～|〜|-)\s*(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:まで)?|"
    r"\d{1,2}か月間?|\d{1,2}ヶ月間?|(?<!\d)\d+年間|来年度|今年度|"
    r"(?:from )?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{4})? (?:to|until) (?:January|February|March|April|May|June|July|August|September|October|November|December)(?: \d{4})?|"
    r"(?<!\d)\d+ months?)",
    re.I,
)
_PROBLEM = re.compile(
    r"課題|困って|不足|問題|進まない|減って|増えて|problem|issue|challenge|lack|shortage", re.I
)
_ACTIVITY = re.compile(
    r"実施|行い|行う|行います|提供し|設置|開催|回収|運営|実証|導入し|we will|we would|we plan|we want to",
    re.I,
)


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


_TITLE = re.compile(r"(?:タイトル|件名|提案名|title)\s*[:：は]\s*「?([^」\n。]+)」?", re.I)
_THEME_CALL = re.compile(r"テーマ型|theme call|themed call", re.I)


def _contact(text: str, slots: dict[str, Any]) -> None:
    email = EMAIL_IN_TEXT.search(text)
    if email:
        slots["contact.email"] = normalise_email(email.group(0))
    stripped = EMAIL_IN_TEXT.sub(" ", URL_IN_TEXT.sub(" ", text))
    phone = PHONE_IN_TEXT.search(stripped)
    if phone:
        try:
            slots["contact.phone"] = normalise_phone(phone.group(0))
        except ValueError:
            pass
    name = contact_name(text)
    if name:
        slots["contact.name"] = name


def _organisation(text: str, slots: dict[str, Any]) -> None:
    org = organisation(text)
    if org:
        slots["organisation.name"], kind = org
        slots["organisation.type"] = kind.value
    number = corporate_number(text)
    if number:
        slots["organisation.corporate_number" if number[1] else "_invalid_corporate_number"] = (
            number[0]
        )
    location = LOCATION.search(text)
    if location:
        slots["organisation.location"] = re.sub(r"(です|にあります)$", "", location.group(1))


def _content(text: str, slots: dict[str, Any]) -> None:
    urls = URL_IN_TEXT.findall(text)
    if urls:
        slots["content.attachments"] = urls
    roles = [role.value for role, pattern in ROLE_PATTERNS.items() if pattern.search(text)]
    if roles:
        slots["content.municipality_roles"] = roles
    for model, pattern in _COST_PATTERNS:
        if pattern.search(text):
            slots["content.cost_model"] = model.value
            break
    period = PERIOD.search(text)
    if period:
        slots["content.period"] = period.group(0)
    title = _TITLE.search(text)
    if title:
        slots["content.title"] = title.group(1).strip()
    parts = sentences(text)
    problem = [s for s in parts if _PROBLEM.search(s)]
    said = set(problem)
    activities = [s for s in parts if _ACTIVITY.search(s) and s not in said]
    joiner = " " if text.isascii() else ""
    if problem:
        slots["content.problem"] = joiner.join(problem)
    if activities:
        slots["content.activities"] = joiner.join(activities)
    if len(text) >= 60:
        slots["content.summary"] = text
    if _THEME_CALL.search(text):
        slots["track"] = "theme"


def extract(text: str) -> dict[str, Any]:
    """Slots that a free text states outright (never guesses what it does not say).

    Linear in the text; the desk passes at most `MAX_TEXT` characters of a message.
    """
    text = normalise(text)
    slots: dict[str, Any] = {}
    _contact(text, slots)
    _organisation(text, slots)
    _content(text, slots)
    return slots
