"""Names: an organisation with its legal form and the type it implies, and a person's name.

「株式会社ヨコハマデータラボの高橋です」 holds both: the organisation ends at its legal form and
the sentence after it, the person is read from the introduction. Every pattern is linear, and
each run of name characters is examined once.
"""

from __future__ import annotations

import re

from workflows.plain import base, normalise, strip_fillers
from workflows.record import OrganisationType

# Job titles and roles around a name in a signature (「事業開発部 部長」, "Head of Sales").
TITLE_WORD = re.compile(
    r"代表取締役|取締役|代表理事|理事長|理事|代表|社長|会長|部長|課長|係長|室長|主任|主査|担当|"
    r"マネージャー|リーダー|ディレクター|(?<![A-Za-z])(?:CEO|CTO|COO|Manager|Director|Officer|Head|Lead|"
    r"Coordinator|Engineer|President|Founder|Representative|Partnerships|Sales|Chief)(?![A-Za-z])",
    re.I,
)

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
_ANCHOR = re.compile("|".join(re.escape(f) for f in [*(f for f, _ in LEGAL_FORMS), *_SUFFIXES]))
_SPACE = re.compile(r"\s")
# English: a chain of capitalised words; the name ends with the chain's last legal form.
_CAPITALISED_CHAIN = re.compile(r"\b[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*")
_WORD_GAP = re.compile(r"\s+")
_EN_FORM = re.compile(
    r"Inc\.|Co\.,?\s?Ltd\.?|K\.K\.|KK(?![A-Za-z])|LLC|Ltd\.?|Corporation|Corp\.|GmbH|University|Bank"
)
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_KANJI = re.compile(r"[一-龥々〆ヵヶ]")
_KANJI_ONLY = re.compile(r"[一-龥々〆ヵヶ ]{1,8}")
# Particles that end a name in a sentence ("株式会社ミナトは…"); one inside a hiragana word
# (よこはま, さくらでんき) is not a particle, so a boundary needs a non-hiragana neighbour.
_PARTICLE_BOUNDARY = tuple("から より では は が で と を に も".split())
_ROLE_AFTER_NO = re.compile(
    r"代表|担当|者|社長|理事長|理事|事務局|職員|スタッフ|社員|会員|メンバー|一員|研究室|研究員|教員|学生"
)
# Single kanji that end an organisation's name (「ひまわりの家」), not a one-kanji surname (「森」).
_PLACE_NOUNS = frozenset(
    "家 会 園 舎 里 郷 輪 庭 館 塾 店 屋 室 場 所 街 村 町 丘 "
    "海 空 風 光 花 実 種 芽 子 縁 和 環".split()
)
_NAME_END = tuple(
    (
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


def _run_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name a run of name characters `text[start:end]` begins, if any."""
    form = _FORM.match(text, start)
    if form:
        found = _form_then_name(text, form.end())
        if found is not None:
            return start, found
        return start, form.end()
    later = _FORM.search(text, start + 1, end)
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


# After と, words that make it a particle even inside hiragana (「さくらと一緒に」).
_TO_PARTICLE_NEXT = tuple("一緒 共同 協力 連携 協働 申 言 いい いう 考え 思".split())


def _is_boundary(text: str, at: int, particle: str) -> bool:
    before = text[at - 1] if at > 0 else ""
    after = text[at + len(particle)] if at + len(particle) < len(text) else ""
    if particle == "と" and _HIRAGANA.match(before):
        # 「みなと電工」, 「ひとと森」, 「みどりと未来」: と after hiragana is part of the name,
        # unless a verb or 一緒/協力 follows (「さくらと協力して」); 「…と申します」 is cut earlier.
        return text.startswith(_TO_PARTICLE_NEXT, at + 1)
    return at > 0 and (
        not _HIRAGANA.match(before)
        or (after != "" and not _HIRAGANA.match(after) and after != "ー")
    )


def _tail(tail: str) -> str:
    """The part of the name after its legal form, without the sentence that follows it.

    "ミナトリサイクルの山田です" → "ミナトリサイクル"; "みどりのまち" and "よこはまテック" stay
    whole (an の or は inside a name is not where it ends).
    """
    introduced = False
    for end in _NAME_END:
        if tail.endswith(end):
            tail, introduced = tail[: -len(end)], True
            break
    cut = len(tail)
    for at in range(1, len(tail)):
        if tail.startswith("の", at):
            rest = tail[at + 1 :]
            # 「…の山田です」, 「…の森です」: a person after の, said as an introduction.
            if _ROLE_AFTER_NO.match(rest) or (
                introduced
                and 1 <= len(rest) <= 6
                and _KANJI_ONLY.fullmatch(rest)
                and rest not in _PLACE_NOUNS
            ):
                cut = at
                break
            continue
        particle = next((p for p in _PARTICLE_BOUNDARY if tail.startswith(p, at)), None)
        if particle and _is_boundary(tail, at, particle):
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


def _english_name(text: str) -> str | None:
    """A name like "Minato Recycling Co., Ltd.": capitalised words up to the last legal form."""
    for chain in _CAPITALISED_CHAIN.finditer(text):
        starts = [gap.end() for gap in _WORD_GAP.finditer(text, chain.start(), chain.end())]
        for start in reversed(starts):
            form = _EN_FORM.match(text, start)
            if form:
                return text[chain.start() : form.end()]
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
    english = _english_name(text)
    if english:
        name = _EN_PERSON_LEAD.sub("", _EN_LEAD.sub("", english)).strip()
        kind = OrganisationType.COMPANY
        if name.endswith("University"):
            kind = OrganisationType.UNIVERSITY
        elif name.endswith("Bank"):
            kind = OrganisationType.FINANCIAL
        return (name, kind) if name not in ("University", "Bank") else None
    return None


def legal_form_only(text: str) -> OrganisationType | None:
    """The type a bare legal form states (「NPO法人です」), when that is all the text says."""
    core = strip_fillers(base(text))
    return next((kind for form, kind in LEGAL_FORMS if core == form), None)


NOT_A_NAME = frozenset(
    "相談 提案 質問 問い合わせ 問合せ お問い合わせ 担当 担当者 未定 不明 なし "
    "無し 特になし はい いいえ 了解 個人 会社 企業 団体 法人 代表 営業 広報 "
    "事務局 市役所 市 私 わたし 僕 自分 本人 同上 匿名 "
    "テスト メール 電話 タイトル 件名 連絡先 住所 大学 株式会社 提出 キャンセル 戻る ヘルプ お願い "
    "よろしく 大丈夫 結構 わかりました 分かりました 承知しました 同意 同意します".split()
)
_NOT_A_NAME_EN = frozenset(
    "i a an the to of and or for in on at is are am be want would like make submit proposal "
    "question questions not sure yes no ok okay hello hi hey thanks thank you please help "
    "cancel back later undecided unknown none nothing company university npo staff person "
    "we our my me it this that what how when where why can could idea".split()
)
_JA_NAME = re.compile(r"[一-龥々〆ヵヶぁ-んァ-ヶー]{1,10}(?: [一-龥々〆ヵヶぁ-んァ-ヶー]{1,10})?")
_EN_NAME = re.compile(r"[A-Za-z][A-Za-z'\-.]{0,30}(?: [A-Za-z][A-Za-z'\-.]{0,30}){0,3}")
VERB_ENDINGS = tuple(
    ("たい ます です ください する した して ない ません たく です ました でしょう").split()
)


def looks_like_name(text: str) -> bool:
    """Whether `text` can be a person's name (「高橋」, 「佐藤 花子」, "John Smith").

    Not a word that people answer instead of a name (「相談」), not a phrase with particles or
    a verb (「提案をしたい」), not an organisation.
    """
    text = text.strip()
    if not text or text in NOT_A_NAME or _ANCHOR.search(text):
        return False
    if _JA_NAME.fullmatch(text):
        if text.endswith(VERB_ENDINGS) or any(w in text for w in ("提案", "相談", "質問")):
            return False
        has_kanji = _KANJI.search(text) is not None
        # 「提案をしたい」: kanji then a particle then more; names rarely hold を/に/へ.
        return not (has_kanji and re.search(r"[一-龥][をにへ]", text))
    if _EN_NAME.fullmatch(text):
        return not any(w.lower().strip(".") in _NOT_A_NAME_EN for w in text.split())
    return False


_PERSON_JA = re.compile(
    r"(?:担当(?:者)?(?:は|の|:|：)?\s?|私は|わたしは|私、|わたくし、?)"
    r"([一-龥ァ-ヶー][一-龥ぁ-んァ-ヶー ]{0,9}?)\s?(?:です|と申します|と言います|といいます|が担当)"
)
_PERSON_JA_TAIL = re.compile(
    r"(?:の|、|\s)\s?([一-龥]{1,4}(?: ?[一-龥]{1,4}| [ぁ-ん]{2,4})?)"
    r"(?:です|と申します|と言います|でございます)"
)
_PERSON_JA_SUBJECT = re.compile(r"([一-龥]{1,4}(?: ?[一-龥]{1,4})?)が担当")
# 「教授を務めております山之内と申します」: a kanji name right before 「と申します」.
_PERSON_JA_MOUSU = re.compile(
    r"(?<![一-龥々〆ヵヶ])([一-龥々〆ヵヶ]{1,4}(?: ?[一-龥々〆ヵヶ]{1,4})?)"
    r"(?:と申します|と申す者です)"
)
# Departments people name before themselves (「営業の田中です」, 「営業部長 田中一郎」).
DEPARTMENT_WORDS = tuple(
    "営業 広報 総務 企画 経理 人事 開発 技術 事務 製造 販売 設計 経営企画 事業開発 研究開発 "
    "広報室 秘書".split()
)
# Two characters at least before 部/課: 「阿部」, 「服部」 are people (and 「長谷部」, below).
DEPARTMENT = re.compile(
    r"(?!長谷部)[一-龥ァ-ヶー]{2,8}(?:部|課|室|局|係)|[一-龥ァ-ヶー]{1,8}(?:グループ|チーム|センター)|"
    + "|".join(DEPARTMENT_WORDS)
)
_AFFILIATION = (
    tuple(
        (
            "部 課 室 局 会社 社 法人 大学 団体 センター 事務局 研究室 ラボ 代表 担当 チーム 協会 "
            "組合 Inc. Ltd."
        ).split()
    )
    + DEPARTMENT_WORDS
)
_PERSON_EN = re.compile(
    r"(?<![A-Za-z])(?i:my name is|i am|i'm|this is|it's)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})"
)


def tidy_name(name: str) -> str:
    """「高橋 健一」 → 「高橋健一」 (Japanese names without a space); "Jane Doe" stays."""
    return name if name.isascii() else name.replace(" ", "")


def person_name(text: str) -> str | None:
    """The writer's name, when they introduce themselves (「担当は高橋と申します」)."""
    text = normalise(text)
    for pattern in (_PERSON_JA, _PERSON_JA_TAIL, _PERSON_JA_SUBJECT, _PERSON_JA_MOUSU, _PERSON_EN):
        for match in pattern.finditer(text):
            name = TITLE_WORD.sub("", match.group(1)).strip()
            for honorific in ("さん", "様", "氏"):
                name = name.removesuffix(honorific)
            before = text[: match.start()]
            if pattern is _PERSON_JA_TAIL and not (
                before.endswith(_AFFILIATION) or organisation(before)
            ):
                continue  # 「地域の課題です」 is no introduction
            company = _english_name(text[match.start(1) :])
            if pattern is _PERSON_EN and company and company.startswith(name):
                continue  # "This is Harbour Mobility Inc." names a company
            if looks_like_name(name):
                return tidy_name(name)
    return None


def without_role(name: str) -> tuple[str, str | None]:
    """(name, department) without the job title or department said before it.

    「営業部長 田中一郎」 → (田中一郎, 営業部); 「営業の田中」 → (田中, 営業);
    「教授 山之内」 → (山之内, None).
    """
    name = name.strip()
    department: str | None = None
    words = name.split(" ")
    while len(words) > 1:
        first = words[0]
        role = TITLE_WORD.search(first)
        bare = TITLE_WORD.sub("", first)
        if first in _ACADEMIC_TITLES or role or DEPARTMENT.fullmatch(first):
            if bare and bare not in _ACADEMIC_TITLES:
                unit = next((u for u in "部課室" if f"{u}長" in first), "")
                department = department or (bare if bare.endswith(unit) else bare + unit)
            words = words[1:]
            continue
        break
    name = " ".join(words)
    head, sep, rest = name.partition("の")
    if sep and rest and (head in DEPARTMENT_WORDS or DEPARTMENT.fullmatch(head)):
        department, name = department or head, rest
    return name, department


_ACADEMIC_TITLES = frozenset("教授 准教授 助教 講師 研究員 博士 Dr. Prof.".split())
