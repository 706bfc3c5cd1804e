"""A change of mind in plain words: which field it names, and the new value if it gives one.

「タイトルはやっぱり「X」に変えたい」, "change the title to X", 「さっきのメールは間違いで、正しくは
a@b.jp です」 (`change_request`); the older, stricter 「メールは x@y.jp に訂正」 (`correction`),
which the desk tries when `change_request` finds nothing.
"""

from __future__ import annotations

import re

from workflows.contacts import EMAIL_IN_TEXT, FAX, PHONE_IN_TEXT, email_in, with_extension
from workflows.courtesy import split_sentences
from workflows.plain import base, first_sentence, normalise
from workflows.questions import is_question
from workflows.values import clean_value

_CHANGE = re.compile(
    r"変え|変更|変わ|訂正|修正|直し|直して|間違|違い|違って|違います|やっぱり|やはり|正しくは|正しいのは|"
    r"じゃなくて|ではなく|でした|にして(?:ください|下さい|ほしい|欲しい)|"
    r"(?<![A-Za-z])(?:change|changed|changing|update|updated|correct|correction|fix|actually|"
    r"wrong|instead|should be|new one is|"
    r"mistake|typo|replace)(?![A-Za-z])",
    re.I,
)
CHANGE_FIELDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "contact.email",
        re.compile(r"メールアドレス|メアド|メール|(?<![A-Za-z])e-?mail|mail address", re.I),
    ),
    (
        "contact.phone",
        re.compile(
            r"電話番号|電話|携帯|(?<![A-Za-z])(?:tel|phone|telephone|mobile)(?![A-Za-z])", re.I
        ),
    ),
    ("organisation.corporate_number", re.compile(r"法人番号|corporate number", re.I)),
    (
        "contact.department",
        re.compile(r"所属部署|部署名|部署|(?<![A-Za-z])(?:department|dept)(?![A-Za-z])", re.I),
    ),
    ("contact.title", re.compile(r"役職|肩書き?|(?<![A-Za-z])job title(?![A-Za-z])", re.I)),
    (
        "organisation.type",
        re.compile(
            r"団体の種類|団体種別|法人格|組織の種類|organi[sz]ation type|type of organi[sz]ation",
            re.I,
        ),
    ),
    (
        "organisation.name",
        re.compile(
            r"団体名|会社名|社名|法人名|組織名|"
            r"(?<![A-Za-z])(?:organi[sz]ation|company)(?:'s)?(?: name)?(?![A-Za-z])",
            re.I,
        ),
    ),
    (
        "contact.name",
        re.compile(
            r"担当者名|担当者の名前|担当者|担当(?!部署|部門|課)|氏名|お名前|名前|"
            r"(?<![A-Za-z])(?:contact name|contact person|the contact|my name|name(?! of))"
            r"(?![A-Za-z])",
            re.I,
        ),
    ),
    (
        "content.title",
        re.compile(r"タイトル|件名|題名|提案名|(?<![A-Za-z])title(?![A-Za-z])", re.I),
    ),
    ("content.summary", re.compile(r"概要|要約|(?<![A-Za-z])summary(?![A-Za-z])", re.I)),
    ("content.problem", re.compile(r"課題|(?<![A-Za-z])problem(?![A-Za-z])", re.I)),
    (
        "content.activities",
        re.compile(r"活動内容|取り組み内容|活動|(?<![A-Za-z])activities(?![A-Za-z])", re.I),
    ),
    (
        "content.municipality_roles",
        re.compile(
            r"市の役割|市にお願いしたいこと|お願いしたいこと|役割|(?<![A-Za-z])roles?(?![A-Za-z])",
            re.I,
        ),
    ),
    (
        "content.cost_model",
        re.compile(r"費用負担|費用|コスト|(?<![A-Za-z])costs?(?![A-Za-z])", re.I),
    ),
    ("content.period", re.compile(r"実施期間|期間|(?<![A-Za-z])period(?![A-Za-z])", re.I)),
    ("proposer.membership_tier", re.compile(r"階層|ティア|(?<![A-Za-z])tier(?![A-Za-z])", re.I)),
    ("organisation.location", re.compile(r"所在地|住所|(?<![A-Za-z])location(?![A-Za-z])", re.I)),
]
_QUOTED = re.compile(
    r"「[^「」\n]{0,200}」|『[^『』\n]{0,200}』|\"[^\"\n]{0,200}\"|“[^“”\n]{0,200}”"
)
# Where the new value ends or starts; the value itself is sliced out, never matched lazily.
_TO_VERB = re.compile(r"(?:に|へ|と)\s?(?:変え|変更|変わ|訂正|修正|直|し(?:て|たい|ます))")
_WAS = re.compile(r"でした|の間違い|の誤り|が正しい|が正解")
_AFTER_MARK = re.compile(
    r"(?:正しくは|正しいのは|正しいものは|ではなく(?:て)?|じゃなくて|->|→)[、,:：]?\s?"
)
_TO_EN = re.compile(r"(?<![A-Za-z])(?:to|should be|is actually|actually is|is now|is)\s+", re.I)
# "The name is wrong, it should just be X": the value follows "should be", not the first "is".
_SHOULD_EN = re.compile(
    r"(?<![A-Za-z])(?:should (?:just |simply |actually )?be|is actually|actually is|is now|"
    r"change (?:it |this )?to|instead,? (?:use|write|put))\s+",
    re.I,
)
# 「タイトルが変です。地域の森づくりにしてください」: the value in a later sentence.
_MAKE_IT = re.compile(
    r"(?:に|で)(?:して(?:ください|下さい|ほしい|欲しい|もらえますか)|お願いします)$"
)
# 「メールアドレスを変えたい」, "change the title": the field itself is what changes.
_INTENT_AFTER = re.compile(
    r"\s?(?:は|を|も|が)?\s?(?:やっぱり|やはり)?[、,]?\s?(?:変え|変更|訂正|修正|直|間違|違)"
)
_INTENT_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:change|update|correct|fix|edit|replace)\s(?:the |my |our )?$", re.I
)
_VALUE_LEAD = re.compile(r"\s?(?:は|を|が|も)?\s?(?:やっぱり|やはり|やっぱ)?[、,]?\s?")
INTENT_CHARS = 60  # 「メールアドレスを変えたい」 without the new value is short
CHANGE_CHARS = 300  # a change of mind is a sentence or two, not a proposal


def _masked(text: str) -> str:
    """`text` with quoted values blanked, so a field word inside a title is not a field."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def _changed_value(field: str, text: str, rest: str) -> str | None:
    if field == "contact.email":
        return email_in(text, last=True)
    if field == "contact.phone":
        stripped = FAX.sub(" ", text)
        found = [with_extension(stripped, m) for m in PHONE_IN_TEXT.finditer(stripped)]
        return clean_value(field, found[-1]) if found else None
    if field == "organisation.corporate_number":
        return clean_value(field, text)
    quoted = _QUOTED.findall(rest)
    sentence = first_sentence(rest)
    raw: str | None = None
    mark = _AFTER_MARK.search(sentence)
    verb = _TO_VERB.search(sentence)
    was = _WAS.search(sentence)
    english = _SHOULD_EN.search(rest) or _TO_EN.search(sentence)
    if english and english.re is _SHOULD_EN:
        sentence = rest
    if mark:
        raw = first_sentence(sentence[mark.end() :])
    elif verb or was:
        end = (verb or was).start()  # type: ignore[union-attr]
        lead = _VALUE_LEAD.match(sentence)
        raw = sentence[lead.end() if lead else 0 : end]
        if "から" in raw and field != "content.period":  # 「AからBに変えたい」: B is new
            raw = raw.rsplit("から", 1)[-1]
    elif english:
        raw = sentence[english.end() :]
    if quoted and (raw is None or not english or mark or verb or was):
        raw = quoted[-1]  # 「A」から「B」に変えたい: the last quoted value is the new one
    if raw is None:
        for later in split_sentences(rest)[1:]:
            make = _MAKE_IT.search(later.rstrip("。.!！"))
            if make:  # 「タイトルが変です。Xにしてください」
                raw = later.rstrip("。.!！")[: make.start()]
                break
    return clean_value(field, raw) if raw else None


# "Can you change the contact to Jane Doe?", 「担当者を変更できますか」: a request, not a question.
_ASKED_TO_CHANGE = re.compile(
    r"^(?:can|could|would|will) you (?:please )?(?:change|update|correct|fix)(?![A-Za-z])|"
    r"(?:変更|訂正|修正)して(?:もらえ|いただけ|頂け|くれ)|"
    r"(?:変えて|直して)(?:もらえ|いただけ|頂け|くれ)",
    re.I,
)
_WRONG = re.compile(r"違|間違|誤|まちが|変わ")
_CLAUSE_GAP = re.compile(r"[、,。]\s?")


def _after_wrong(field: str, rest: str) -> str | None:
    """The clause after 「…が違いました」 / 「…を間違えました」: the value as it should be."""
    parts = [p for p in _CLAUSE_GAP.split(rest) if p.strip()]
    for at, part in enumerate(parts[:-1]):
        if _WRONG.search(part) and not _CHANGE.search(parts[at + 1]):
            return clean_value(field, parts[at + 1])
    return None


def change_request(text: str) -> tuple[str, str | None] | None:
    """(field, new value or None) when the text changes a field in plain words.

    「タイトルはやっぱり「X」に変えたい」, "change the title to X", 「さっきのメールは間違いで、
    正しくは a@b.jp です」. The value is cleaned like an answer (`clean_value`); for a choice
    field it is the words as said (the dialogue matches them to its choices). None when the
    text is not a change (no change word, no field, a question, or a long text).
    """
    text = base(text)
    asks = is_question(text) and not _ASKED_TO_CHANGE.search(text)
    if len(text) > CHANGE_CHARS or not _CHANGE.search(_masked(text)) or asks:
        return None
    masked = _masked(text)
    for field, words in CHANGE_FIELDS:
        found = words.search(masked)
        if not found:
            continue
        rest = text[found.end() :]
        value = _changed_value(field, text, rest)
        if value is not None:
            return field, value
        after_wrong = _after_wrong(field, rest) if len(text) <= INTENT_CHARS else None
        if after_wrong is not None:  # 「名前の漢字が違いました、髙橋です」
            return field, after_wrong
        if len(text) > INTENT_CHARS or not (
            _INTENT_AFTER.match(rest) or _INTENT_BEFORE.search(masked[: found.start()])
        ):
            return None  # 「課題を解決し、意識を変えたい」 names a field but changes nothing
        later = [s for s in split_sentences(rest)[1:] if not _CHANGE.search(s)]
        return field, clean_value(field, later[0]) if later else None
    return None


# --- the older correction form --------------------------------------------------------------

_CORRECTION = re.compile(r"訂正|修正|変更|間違|直して|correct|change|update|fix", re.I)
_FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("contact.email", re.compile(r"メール|e-?mail|アドレス", re.I)),
    ("contact.phone", re.compile(r"電話|phone", re.I)),
    ("organisation.corporate_number", re.compile(r"法人番号|corporate number", re.I)),
    (
        "contact.department",
        re.compile(r"所属部署|部署名|部署|(?<![A-Za-z])(?:department|dept)(?![A-Za-z])", re.I),
    ),
    ("contact.title", re.compile(r"役職|肩書き?|(?<![A-Za-z])job title(?![A-Za-z])", re.I)),
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
            return (field, with_extension(text, phone)) if phone else None
        if field == "organisation.corporate_number":
            digits = re.search(r"\d[\d\-\s]{11,16}\d", text)
            return (field, re.sub(r"\D", "", digits.group(0))) if digits else None
        value = re.search(r"(?:は|を)\s*「?(.+?)」?\s*(?:に|へ)(?:訂正|修正|変更)", text)
        if value is None:
            value = re.search(r"\bto\s+['\"]?(.+?)['\"]?[.!]?$", text, re.I)
        if value:
            return field, value.group(1).strip()
    return None
