"""Contact details from a signature block, labelled contact lines and a self-introduction.

「株式会社ヨコハマデータラボ / 事業開発部 部長 / 高橋 誠 / TEL: … / E-mail: …」 is read as the
organisation, department, name, phone and e-mail it states.
"""

from __future__ import annotations

import re

from workflows.contacts import EMAIL_IN_TEXT, PHONE_IN_TEXT, URL_IN_TEXT, email_in, phone_in
from workflows.courtesy import (
    LABELLED,
    SEPARATOR,
    is_introduction,
    lines_of,
    signature_start,
    split_sentences,
)
from workflows.names import organisation
from workflows.people import TITLE_WORD, looks_like_name, person_name, tidy_name
from workflows.plain import base
from workflows.values import clean_value

_LABEL_FIELD = [
    (
        re.compile(
            r"会社名|社名|団体名|法人名|組織名|事業者名|所属$|Company|Organi[sz]ation", re.I
        ),
        "organisation.name",
    ),
    (re.compile(r"部署|Department|Dept|Division", re.I), "contact.department"),
    (re.compile(r"氏名|名前|担当|Name|Contact person", re.I), "contact.name"),
    (re.compile(r"電話|携帯|TEL|Phone|Mobile", re.I), "contact.phone"),
    (re.compile(r"mail|メール", re.I), "contact.email"),
]
_DEPARTMENT = re.compile(
    r"(?:部|課|室|局|係|本部|事業部|研究室|研究所|グループ|チーム|センター|"
    r"Division|Department|Dept\.?|Team|Office|Group|Lab)$"
)
_SEGMENT = re.compile(r"\s?[|｜/／,、]\s?")
_POSTAL = re.compile(r"^\s?〒\s?\d{3}[-ー−]?\d{4}\s?")
_READING = re.compile(r"\([ぁ-ゖァ-ヺー・\s]{1,30}\)|\([A-Za-z\s.]{1,30}\)(?=\s|$)")
_TITLE_JOINERS = frozenset({"of", "and", "&", "for"})
_NAME_ADDRESS = re.compile(r"^([^<>@\n]{2,40})<[^<>\s]{3,80}@[^<>\s]{3,80}>\s?$")


def _is_department(token: str) -> bool:
    """「事業開発部」 is a department, 「阿部」 and 「服部」 are people."""
    if not _DEPARTMENT.search(token):
        return False
    return len(token) >= 3 and token != "長谷部" or not token.endswith("部")


def _labelled(line: str, slots: dict[str, str]) -> bool:
    """Read "氏名：高橋 誠", "TEL 045-…", "E-mail: …"; True when the line had a label."""
    match = LABELLED.match(line)
    if not match:
        return False
    label, value = match.group(1), line[match.end() :].strip()
    field = next((f for pattern, f in _LABEL_FIELD if pattern.search(label)), None)
    if field is None or not value:
        return False
    if field == "organisation.name" and label.startswith("所属"):
        _block_line(value, slots)
        return True
    cleaned = clean_value(field, value)
    if cleaned:
        slots.setdefault(field, cleaned)
    return True


def _block_line(line: str, slots: dict[str, str]) -> None:
    """An unlabelled line of a signature block: organisation, department, title, name, and
    the address after 〒."""
    postal = _POSTAL.match(line)
    if postal:
        address = line[postal.end() :].strip()
        if address and not PHONE_IN_TEXT.search(address):
            slots.setdefault("organisation.location", address[:100])
        return
    angle = _NAME_ADDRESS.match(line)
    if angle and looks_like_name(angle.group(1).strip()):  # "Sam Taylor <sam@…>"
        slots.setdefault("contact.name", tidy_name(angle.group(1).strip()))
        return
    if EMAIL_IN_TEXT.search(line) or PHONE_IN_TEXT.search(line) or URL_IN_TEXT.search(line):
        return
    line = _READING.sub(" ", line)  # 「高橋 誠（たかはし まこと）」: the reading is no name
    for segment in _SEGMENT.split(line):
        found = organisation(segment)
        if found:
            slots.setdefault("organisation.name", found[0])
            segment = segment.replace(found[0], " ")
        name_parts: list[str] = []
        titles: list[str] = []
        for token in segment.split():
            if _is_department(token):
                slots.setdefault("contact.department", token)
            elif TITLE_WORD.search(token) or (titles and token.lower() in _TITLE_JOINERS):
                titles.append(token)
            else:
                name_parts.append(token)
        if titles and not name_parts:
            slots.setdefault("contact.title", " ".join(titles))
        if name_parts:
            joined = " ".join(p for p in name_parts if p)
            if looks_like_name(joined):
                slots.setdefault("contact.name", tidy_name(joined))


def read_signature(text: str) -> dict[str, str]:
    """Contact details from a signature block, labelled contact lines and a self-introduction.

    Keys: organisation.name, contact.name, contact.department, contact.phone (E.164) and
    contact.email — only those the text states.
    """
    lines = lines_of(text)
    start = signature_start(lines)
    slots: dict[str, str] = {}
    for line in lines:
        if line.strip():
            _labelled(line.strip(), slots)
    for line in lines[start:]:
        line = line.strip()
        if line and not SEPARATOR.fullmatch(line) and not LABELLED.match(line):
            _block_line(line, slots)
    tel_lines = [ln for ln in lines if re.search(r"TEL|電話|携帯|Phone|Mobile", ln, re.I)]
    phone = next((p for ln in tel_lines if (p := phone_in(ln))), None) or phone_in(base(text))
    if phone:
        slots.setdefault("contact.phone", phone)
    email = email_in(base(text))
    if email:
        slots.setdefault("contact.email", email)
    for line in lines[:start]:
        for sentence in split_sentences(line):
            if not is_introduction(sentence) and "担当" not in sentence:
                continue
            found = organisation(sentence)
            if found:
                slots.setdefault("organisation.name", found[0])
            name = person_name(sentence)
            if name:
                slots.setdefault("contact.name", name)
    return slots
