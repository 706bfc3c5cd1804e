"""The value of one field, without the sentence around it.

「株式会社Xです。担当は高橋と申します」 → 株式会社X for the organisation; 「タイトルは「X」です」
→ X for the title; the summary is the proposal sentences. A question or 「未定です」 is no value.
"""

from __future__ import annotations

import re

from workflows.contacts import email_in, phone_in
from workflows.courtesy import proposal_sentences, without_courtesies
from workflows.names import legal_form_only, organisation
from workflows.orgtypes import stated_type
from workflows.people import (
    DEPARTMENT,
    NOT_A_NAME,
    TITLE_WORD,
    VERB_ENDINGS,
    Person,
    looks_like_name,
    person_name,
    split_role,
    tidy_name,
    without_role,
)
from workflows.plain import TIGHT, base, first_sentence, normalise, strip_fillers
from workflows.questions import is_non_answer, is_question, is_undecided

_EMPTY_ORG = frozenset(
    "会社 企業 団体 法人 個人 大学 npo npo法人 任意団体 自治会 町内会 company npo university "
    "business organisation organization".split()
) | {"a company", "an npo", "a university", "a business", "an organisation", "an organization"}
_ORG_LEAD = re.compile(
    r"(?:うちは|弊社は|当社は|私たちは|わたしたちは|私どもは|団体名は|会社名は|社名は|法人名は|組織名は|"
    r"所属は|屋号は|店名は|お店の名前は|店の名前は|団体の名前は|会社の名前は|"
    r"(?:we are|we're|i'm from|i am from|from|our (?:organi[sz]ation|company) is|"
    r"the (?:organi[sz]ation|company) is)\s+(?:the\s+)?)",
    re.I,
)
_PERSON_LEAD = re.compile(
    r"(?:私は|わたしは|私、|わたくし、?|担当者名は|担当者は|担当は|担当の|名前は|お名前は|氏名は|"
    r"(?:担当者?|氏名|お?名前|担当者名)\s?[:：]\s?|"
    r"(?:my name is|i am|i'm|this is|it's|the contact (?:person )?is|name:)\s+)",
    re.I,
)
_UNIT = re.compile(
    r"[の ]?(?!の)[\w・ー]{1,20}"
    r"(?:研究室|研究所|学部|学科|研究科|センター|ラボ|支店|支社|事業部|営業所|本部)"
)
_AFTER_ORG = re.compile(r"^[のでです、, ]{0,4}")
_READING = re.compile(r"\s?\(.{0,20}\)(?=\s?(?:です|と申します)?$)")
_HONORIFIC = ("さん", "様", "氏", "です")
_TITLE_LEAD = re.compile(
    r"(?:(?:やっぱり|やはり)[、,]?\s?)?(?:(?:提案の)?(?:タイトル|件名|題名|提案名)(?:は|を)?\s?[:：]?\s?|"
    r"(?:the |my |our )?(?:proposal )?title(?: is)?\s?[:：]?\s?|"
    r"(?:it'?s|it is) called\s|"
    r"(?:let'?s |we(?:'ll| will) |i(?:'d| would) (?:rather |prefer to )?)?call it\s)",
    re.I,
)
_TITLE_TRAIL = tuple(
    (
        "についてのご提案 に関するご提案 に関する提案 のご提案 の提案 "
        "というタイトルでお願いします というタイトルにします というタイトルです "
        "というタイトルで というタイトル という名前で という件名で でいきます で行きます "
        "でいきたいです に変えたいです に変えたい に変更します に変更してください "
        "にしてください って名前 という名前 ってタイトル というタイトル って件名 という件名"
    ).split()
)
_OPEN_CLOSE = {"「": "」", "『": "』", "“": "”", '"': '"', "【": "】"}
_LOCATION_LEAD = re.compile(
    r"(?:所在地は|本社は|住所は|場所は|拠点は|(?:based|located) in\s)", re.I
)
_TEXT_FIELDS = tuple(
    (
        "content.problem content.activities content.benefit content.track_record content.area "
        "content.proposer_role"
    ).split()
)


_FREE_TEXT = frozenset(
    ("organisation.name", "contact.name", "content.title", "content.summary", *_TEXT_FIELDS)
)


def _unwrap(text: str) -> str:
    """「タイトル」 → タイトル, when the brackets hold the whole text; 「X」プロジェクト stays."""
    close = _OPEN_CLOSE.get(text[:1])
    if not close or len(text) < 2 or not text.endswith(close):
        return text
    depth = 0
    for at, char in enumerate(text):
        if char == text[0] and (close != text[0] or at == 0):
            depth += 1
        elif char == close:
            depth -= 1
            if depth == 0:
                return text[1:-1].strip() if at == len(text) - 1 else text
    return text


_CALLED = re.compile(r"(?<![A-Za-z])(?:called|named)\s+(.{2,80})$", re.I)
_APPOSITIVE = re.compile(r"\s?(?:\((?:an?|the)\s[^()]{1,40}\)|,\s?(?:an?|the)\s[a-z][^,]{0,40})$")
# "Hadano Green Offices - we're an association of small offices": the name, then what it is.
_DESCRIBED = re.compile(
    r"\s(?:-|–|—|―)\s|[、,]\s?(?=(?:we(?:'re| are)|an? |うちは|私たちは))", re.I
)


def _organisation_value(text: str) -> str | None:
    found = organisation(text)
    core = strip_fillers(_ORG_LEAD.sub("", strip_fillers(first_sentence(text)), count=1))
    called = _CALLED.search(core)
    if called and not found:  # "We're a small NPO called Green Steps"
        core = strip_fillers(called.group(1))
    described = _DESCRIBED.search(core)
    if described and not found:
        core = strip_fillers(core[: described.start()])
    core = _APPOSITIVE.sub("", core).strip() if not found else core  # "Green Steps (an NPO)"
    core = _unwrap(re.sub(r"^the\s+(?=[A-Z])", "", core))  # 屋号は「やまもと写真工房」です
    if stated_type(core):
        return None  # 「個人でやってます」, "it's just me, I'm a freelance designer": a type
    if found:
        # 「湘南工科大学 環境システム研究室」: a named unit after the name belongs to it.
        unit = core.split(found[0], 1)[1] if core.startswith(found[0]) else ""
        return core if unit and _UNIT.fullmatch(unit) else found[0]
    if (
        not core
        or len(core) > 200
        or core.lower() in _EMPTY_ORG
        or core in NOT_A_NAME
        or legal_form_only(core)
        or core.endswith(VERB_ENDINGS)
        or re.search(r"提案|相談|質問", core)
    ):
        return None
    return core


def _bare_name(core: str) -> str | None:
    """A name without reading, title, honorific or copula, if it still looks like one."""
    core = _READING.sub("", TITLE_WORD.sub("", strip_fillers(core))).strip(" 、,:：")
    core = core.removeprefix("の")
    for honorific in _HONORIFIC:
        if core.endswith(honorific) and len(core) > len(honorific):
            core = core[: -len(honorific)]
    core = TIGHT.sub(" ", core).strip()
    return core if looks_like_name(core) else None


# "Kenji Mori (Professor, Mechanical Engineering)": the title and department in brackets.
_EN_ROLE_BRACKET = re.compile(r"\s?\(([A-Za-z ,&.\-/]{2,80})\)\s?$")


def _bracketed_role(core: str) -> tuple[str, str | None, str | None]:
    """(name, department, title) when an English name ends with its role in brackets."""
    found = _EN_ROLE_BRACKET.search(core)
    if not found or not core[: found.start()].isascii():
        return core, None, None
    parts = [p.strip() for p in found.group(1).split(",") if p.strip()]
    titles = [p for p in parts if TITLE_WORD.search(p)]
    others = [p for p in parts if p not in titles]
    return (
        core[: found.start()],
        ", ".join(others) or None,
        ", ".join(titles) or None,
    )


# 「田中です（株式会社みなと 営業部）」: the affiliation in brackets after the name.
_AFFILIATION_BRACKET = re.compile(r"\s?\(([^()]{2,40})\)\s?$")


def _affiliation(core: str) -> tuple[str, str | None]:
    """(the text without a bracketed affiliation, the department it names)."""
    found = _AFFILIATION_BRACKET.search(core)
    if not found or found.group(1).isascii():
        return core, None
    inner = found.group(1)
    org = organisation(inner)
    rest = inner.replace(org[0], " ") if org else inner
    if not org and not DEPARTMENT.search(rest):
        return core, None  # a reading (たかはし) or something else: left to the name reader
    department = next((t for t in rest.split() if DEPARTMENT.fullmatch(t)), None)
    return strip_fillers(core[: found.start()]), department


def _person(text: str) -> Person | None:
    """The writer's name with the department and title said with it (「営業部長田中一郎」)."""
    text = _unwrap(text.strip())  # 「内田 亮」
    core, affiliated = _affiliation(strip_fillers(first_sentence(text)))
    if core != strip_fillers(first_sentence(text)):
        bare = _bare_name(core)
        return Person(name=tidy_name(bare), department=affiliated) if bare else None
    core, department, title = _bracketed_role(strip_fillers(first_sentence(text)))
    if department or title:
        bare = _bare_name(core)
        return Person(name=bare, department=department, title=title) if bare else None
    core = strip_fillers(first_sentence(text))
    lead = _PERSON_LEAD.match(core)
    core = strip_fillers(core[lead.end() :]) if lead else core
    found = organisation(core)
    if found:
        core = _AFTER_ORG.sub("", core.split(found[0], 1)[1])
    parts = split_role(strip_fillers(_READING.sub("", core.strip(" 、,"))))
    bare = _bare_name(parts.name)
    introduced = person_name(text)
    if introduced:
        name = tidy_name(without_role(introduced)[0])
        if bare is None or tidy_name(bare) != name:
            return Person(name=name)
    if bare is None:
        return None
    return Person(name=tidy_name(bare), department=parts.department, title=parts.title)


def _title_value(text: str) -> str | None:
    core = strip_fillers(first_sentence(text))
    core = strip_fillers(_TITLE_LEAD.sub("", core, count=1))
    for trail in _TITLE_TRAIL:
        if core.endswith(trail) and len(core) > len(trail):
            core = strip_fillers(core[: -len(trail)])
            break
    core = _unwrap(core)
    return core or None


def clean_value(field: str, text: str) -> str | None:
    """The value of `field` that `text` gives, without the sentence around it.

    「株式会社Xです。担当は高橋と申します」 → 株式会社X for organisation.name; 「Bでお願いします🙏」
    → B; 「タイトルは「X」です」 → X. None when nothing of the kind is left: 「相談」 is not a
    name, 「株式会社」 alone is not an organisation, a question is not a summary.
    """
    if field == "contact.email":
        return email_in(base(text))
    if field == "contact.phone":
        return phone_in(base(text))
    if field == "organisation.corporate_number":
        digits = re.sub(r"\D", "", normalise(text))
        return digits if len(digits) == 13 else None
    if is_question(text) or is_undecided(text):
        return None
    if field in _FREE_TEXT and is_non_answer(text):
        return None  # はい, 同意します, 「添付のPDFをご覧ください」: not this field's value
    body = without_courtesies(text)
    if not body:
        return None
    if field == "organisation.name":
        return _organisation_value(body)
    if field == "contact.name":
        person = _person(body)
        return person.name if person else None
    if field == "content.title":
        return _title_value(body)
    if field == "content.summary" or field in _TEXT_FIELDS:
        kept = proposal_sentences(body) if field == "content.summary" else body
        if kept and "\n" not in kept and len(kept) <= 30:
            kept = strip_fillers(kept)
        return kept or None
    if field == "organisation.location":
        core = strip_fillers(_LOCATION_LEAD.sub("", strip_fillers(first_sentence(body)), count=1))
        core = core.removesuffix("にあります").strip()
        return core or None
    return strip_fillers(first_sentence(body)) or None


def read_person(text: str) -> Person | None:
    """The contact's name with the department and job title said with it, read as
    `clean_value("contact.name", text)` reads the name (「営業部長田中一郎です」 → 田中一郎,
    営業部, 部長)."""
    if is_question(text) or is_undecided(text) or is_non_answer(text):
        return None
    body = without_courtesies(text)
    return _person(body) if body else None
