"""Organisation names, with their legal form and the type it implies.

In 「株式会社ヨコハマデータラボの高橋です」 the organisation ends at its legal form and the
sentence after it (the person is `workflows.people`). 「個人でやってます」 states a type without a
name. Every pattern is linear, and each run of name characters is examined once.
"""

from __future__ import annotations

import re

from workflows.plain import base, normalise, strip_fillers
from workflows.record import OrganisationType

# Legal forms before or after the name; the type they imply.
LEGAL_FORMS: list[tuple[str, OrganisationType]] = [
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
_FORM = re.compile("|".join(re.escape(f) for f, _ in LEGAL_FORMS))
ANCHOR = re.compile("|".join(re.escape(f) for f in [*(f for f, _ in LEGAL_FORMS), *_SUFFIXES]))
_SPACE = re.compile(r"\s")
# English: a chain of capitalised words; the name ends with the chain's last legal form.
_CAPITALISED_CHAIN = re.compile(r"\b[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*")
_WORD_GAP = re.compile(r"\s+")
_EN_FORM = re.compile(
    r"Inc\.|Co\.,?\s?Ltd\.?|K\.K\.|KK(?![A-Za-z])|LLC|Ltd\.?|Corporation|Corp\.|GmbH|University|"
    r"Institute|College|Bank"
)
# "Shonan University of Technology", "Kanagawa Institute of Design": the name goes on after "of".
_OF_TAIL = re.compile(
    r"(?<!\s)\s{1,3}of\s{1,3}(?:the\s{1,3})?[A-Z][\w&\-]{0,40}"
    r"(?:\s{1,3}(?:and\s{1,3}|&\s{1,3})?[A-Z][\w&\-]{0,40}){0,5}"
)
_ACADEMIC_FORMS = ("University", "Institute", "College")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_KANJI = re.compile(r"[一-龥々〆ヵヶ]")
_KANJI_ONLY = re.compile(r"[一-龥々〆ヵヶ ]{1,8}")
# Particles that end a name in a sentence ("株式会社ミナトは…"); one inside a hiragana word
# (よこはま, さくらでんき) is not a particle, so a boundary needs a non-hiragana neighbour.
_PARTICLE_BOUNDARY = tuple("から より では は が で と を に も".split())
# Every position where の or a particle starts (zero-width, so overlapping ones are all seen).
_PARTICLE_AT = re.compile("(?=(の|" + "|".join(_PARTICLE_BOUNDARY) + "))")
_ROLE_AFTER_NO = re.compile(
    r"代表|担当|者|社長|理事長|理事|事務局|職員|スタッフ|社員|会員|メンバー|一員|研究室|研究員|教員|学生"
)
# Single kanji that end an organisation's name (「ひまわりの家」), not a one-kanji surname (「森」).
_PLACE_NOUNS = frozenset(
    "家 会 園 舎 里 郷 輪 庭 館 塾 店 屋 室 場 所 街 村 町 丘 "
    "海 空 風 光 花 実 種 芽 子 縁 和 環".split()
)
# A kanji surname and a kana given name (吉田あゆみ), after の and before 「と申します」.
_SURNAME_GIVEN = re.compile(r"[一-龥々〆ヵヶ]{1,4}[一-龥々〆ヵヶぁ-ゖァ-ヺー]{1,4}")
_STRONG_END = frozenset(("と申します", "と言います", "といいます", "っていいます", "と申す者です"))
# Words that end a company's name after の (「有限会社はだの冷機」), never a person's name.
_BUSINESS_WORDS = tuple(
    (
        "冷機 冷熱 電工 電機 電気 電設 工業 工務店 工務 商事 商店 産業 建設 建築 設計 技研 "
        "物産 興業 製作所 製作 運輸 運送 食品 薬品 不動産 住宅 設備 機械 印刷 写真 農園 牧場 "
        "酒造 製菓 製パン 企画 開発 研究所 事務所 システム"
    ).split()
)
_NAME_END = tuple(
    (
        "っていいます って言います っていう会社です という会社です っていう団体です "
        "という団体です っす "
        "です でございます と申します と言います といいます になります と申す者です "
        "が担当です が担当いたします が担当します でした"
    ).split()
)


def _form_then_name(text: str, form_end: int) -> int | None:
    """End of `FORM \\s? NAME+` once the form ends at `form_end`, if a name follows."""
    if _SPACE.match(text, form_end):
        form_end += 1
    run = _NAME_RUN.match(text, form_end)
    return run.end() if run else None


_LABEL_END = frozenset("はがのを")


def _run_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name a run of name characters `text[start:end]` begins, if any."""
    form = _FORM.match(text, start)
    if form:
        found = _form_then_name(text, form.end())
        if found is not None:
            return start, found
        return start, form.end()
    later = _FORM.search(text, start + 1, end)
    if later and text[later.start() - 1] in _LABEL_END:
        # 「弊社名は株式会社ミナトソーラー」: a label, then the name with its form first.
        found = _form_then_name(text, later.end())
        return later.start(), found if found is not None else later.end()
    if later:
        return start, _trailing_name_end(text, later.end(), end)
    if text.startswith(_KABU, end):
        return start, end + len(_KABU)
    # Greedy: the last 大学/銀行/… of the run (suffixes never overlap, so the last ends last).
    ends = [
        at + len(suffix) for suffix in _SUFFIXES if (at := text.rfind(suffix, start + 1, end)) != -1
    ]
    return (start, max(ends)) if ends else None


def _trailing_name_end(text: str, form_end: int, run_end: int) -> int:
    """`ミナトリサイクル株式会社` ends at its form; what follows is read by `_tail`."""
    return min(form_end, run_end) if form_end <= run_end else form_end


def _japanese_span(text: str) -> str | None:
    """The first run holding a Japanese organisation name (legal form or 大学/銀行/…).

    A name can start only where a run of name characters (or "(株)") starts, and each run is
    examined once, so this is linear in the text.
    """
    anchor = ANCHOR.search(text)
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


# After と, words that make it a particle even inside hiragana (「さくらと一緒に」).
_TO_PARTICLE_NEXT = tuple("一緒 共同 協力 連携 協働 申 言 いい いう 考え 思".split())


_MO_PARTICLE_NEXT = tuple("参加 賛同 協力 同じ 一緒 また 対象 含め".split())


def _is_boundary(text: str, at: int, particle: str) -> bool:
    before = text[at - 1] if at > 0 else ""
    after = text[at + len(particle)] if at + len(particle) < len(text) else ""
    if particle in ("と", "も") and _HIRAGANA.match(before):
        # 「みなと電工」, 「ひとと森」, 「こどもテーブル」: と/も after hiragana is part of the
        # name, unless a verb or 一緒/協力 follows (「さくらと協力して」, 「さくらも参加」);
        # 「…と申します」 is cut earlier.
        return text.startswith((*_TO_PARTICLE_NEXT, *_MO_PARTICLE_NEXT), at + 1)
    return at > 0 and (
        not _HIRAGANA.match(before)
        or (after != "" and not _HIRAGANA.match(after) and after != "ー")
    )


def _tail(tail: str) -> str:
    """The part of the name after its legal form, without the sentence that follows it.

    "ミナトリサイクルの山田です" → "ミナトリサイクル"; "みどりのまち" and "よこはまテック" stay
    whole (an の or は inside a name is not where it ends).
    """
    introduced = strong = False
    for end in _NAME_END:
        if tail.endswith(end):
            tail, introduced = tail[: -len(end)], True
            strong = end in _STRONG_END  # 「…の吉田あゆみと申します」: a person follows の
            break
    cut = len(tail)
    for candidate in _PARTICLE_AT.finditer(tail, 1):  # each position once, no slicing
        at, particle = candidate.start(), candidate.group(1)
        if particle == "の":
            # 「…の山田です」, 「…の森です」: a person after の, said as an introduction.
            left = len(tail) - at - 1
            rest = tail[at + 1 :] if left <= 8 else ""
            if (
                _ROLE_AFTER_NO.match(tail, at + 1)
                or (
                    introduced
                    and 1 <= left <= 6
                    and _KANJI_ONLY.fullmatch(rest)
                    and rest not in _PLACE_NOUNS
                    and not rest.endswith(_BUSINESS_WORDS)
                )
                or (strong and 1 <= left <= 8 and _SURNAME_GIVEN.fullmatch(rest))
            ):
                cut = at
                break
            continue
        if _is_boundary(tail, at, particle):
            cut = at
            break
    return tail[:cut]


def _head(head: str) -> str:
    """The part of the name before its legal form, without "私は" or "弊社は" before it."""
    for at in range(len(head) - 1, 0, -1):
        particle = next((p for p in ("は", "が", "の", "、") if head.startswith(p, at)), None)
        if particle and at + 1 < len(head) and not _HIRAGANA.match(head[at - 1]):
            return head[at + 1 :]
    return head


def english_name(text: str) -> str | None:
    """A name like "Minato Recycling Co., Ltd.": capitalised words up to the last legal form."""
    for chain in _CAPITALISED_CHAIN.finditer(text):
        starts = [gap.end() for gap in _WORD_GAP.finditer(text, chain.start(), chain.end())]
        for start in reversed(starts):
            form = _EN_FORM.match(text, start)
            if form:
                end = form.end()
                tail = _OF_TAIL.match(text, end) if form.group(0) in _ACADEMIC_FORMS else None
                return text[chain.start() : tail.end() if tail else end]
    return None


_EN_LEAD = re.compile(r"^(?:I am from|We are|We're|From|At|Hello|Hi|Dear)\s+")
_EN_PERSON_LEAD = re.compile(
    r"^(?:(?:I am|I'm|This is|My name is)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s+(?:from|of|at)\s+)"
)


def organisation(text: str) -> tuple[str, OrganisationType] | None:
    """An organisation name with its legal form, and the type that form implies.

    None when the text names no organisation (a legal form alone, 「株式会社」, is none).
    """
    text = normalise(text)
    span = _japanese_span(text)
    if span:
        for form, kind in LEGAL_FORMS:
            if form in span:
                head, _, tail = span.partition(form)
                head, tail = _head(head), _tail(tail)
                if not head and not tail:
                    return None
                return f"{head}{form}{tail}".strip(), kind
        name = _tail(_head(span))
        for suffix in _SUFFIXES:
            if suffix in span and not name.endswith(suffix):
                name = span[: span.rfind(suffix) + len(suffix)]
        if name in _SUFFIXES:
            return None
        kind = OrganisationType.UNIVERSITY if name.endswith("大学") else OrganisationType.FINANCIAL
        return name, kind
    english = english_name(text)
    if english:
        name = _EN_PERSON_LEAD.sub("", _EN_LEAD.sub("", english)).strip()
        kind = OrganisationType.COMPANY
        if any(form in name for form in _ACADEMIC_FORMS):
            kind = OrganisationType.UNIVERSITY
        elif name.endswith("Bank"):
            kind = OrganisationType.FINANCIAL
        return (name, kind) if name not in (*_ACADEMIC_FORMS, "Bank") else None
    return None


def legal_form_only(text: str) -> OrganisationType | None:
    """The type a bare legal form states (「NPO法人です」), when that is all the text says."""
    core = strip_fillers(base(text))
    return next((kind for form, kind in LEGAL_FORMS if core == form), None)
