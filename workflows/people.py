"""People's names: who writes, without the job title or department around the name.

「担当は高橋と申します」, 「営業部長田中一郎」 (営業部, 部長, 田中一郎), 「企画部の鈴木です」,
"My name is John Smith". Organisations are `workflows.names`; every pattern is linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflows.names import ANCHOR, english_name, organisation
from workflows.plain import normalise

_KANJI = re.compile(r"[一-龥々〆ヵヶ]")

# Job titles and roles around a name in a signature (「事業開発部 部長」, "Head of Sales").
TITLE_WORD = re.compile(
    r"代表取締役|取締役|代表理事|理事長|理事|代表|社長|会長|部長|課長|係長|室長|主任|主査|担当|"
    r"マネージャー|リーダー|ディレクター|(?<![A-Za-z])(?:CEO|CTO|COO|Manager|Director|Officer|Head|Lead|"
    r"Coordinator|Engineer|President|Founder|Representative|Partnerships|Sales|Chief|Professor|"
    r"Lecturer|Researcher|Dean)(?![A-Za-z])",
    re.I,
)

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
# Function words of a sentence followed by more kanji or katakana: 「メールはないので電話」 is
# no name (a kana given name, 「佐藤ますみ」, or a name all in hiragana may hold them).
_SENTENCE_WORDS = re.compile(
    r"(?:ので|ない|けど|から|ます|です|たい|って|だけ|でも|とか|なら|には|では)[ぁ-ゖ]{0,10}[一-龥々ァ-ヶ]"
)
_HIRAGANA_ONLY = re.compile(r"[ぁ-ゖー ]+")
VERB_ENDINGS = tuple(
    ("たい ます です ください する した して ない ません たく です ました でしょう").split()
)


def looks_like_name(text: str) -> bool:
    """Whether `text` can be a person's name (「高橋」, 「佐藤 花子」, "John Smith").

    Not a word that people answer instead of a name (「相談」), not a phrase with particles or
    a verb (「提案をしたい」), not an organisation.
    """
    text = text.strip()
    if not text or text in NOT_A_NAME or ANCHOR.search(text):
        return False
    if _JA_NAME.fullmatch(text):
        if text.endswith(VERB_ENDINGS) or any(w in text for w in ("提案", "相談", "質問")):
            return False
        if _SENTENCE_WORDS.search(text) and not _HIRAGANA_ONLY.fullmatch(text):
            return False  # 「メールはないので電話」: a sentence, not a name
        has_kanji = _KANJI.search(text) is not None
        # 「提案をしたい」: kanji then a particle then more; names rarely hold を/に/へ.
        return not (has_kanji and re.search(r"[一-龥][をにへ]", text))
    if _EN_NAME.fullmatch(text):
        return not any(w.lower().strip(".") in _NOT_A_NAME_EN for w in text.split())
    return False


# 「担当は山口と佐野の二名ですが、窓口は山口です」: the person named as the contact point.
_PERSON_WINDOW = re.compile(
    r"(?:窓口|連絡窓口|主担当|連絡先の担当)(?:は|:|：)\s?([一-龥々]{1,4}(?: ?[一-龥々]{1,4})?)"
    r"\s?(?:です|になります|が務め|が担当|と申します|$)"
)
_PERSON_JA = re.compile(
    r"(?:担当(?!部署|部門|窓口|課)(?:者)?(?:は|の|:|：)?\s?|私は|わたしは|私、|わたくし、?)"
    r"([一-龥ァ-ヶー][一-龥ぁ-んァ-ヶー ]{0,9}?)\s?(?:です|と申します|と言います|といいます|が担当|"
    r"が務め|がつとめ|が対応|が窓口)"
)
_PERSON_JA_TAIL = re.compile(
    r"(?:の|、|\s)\s?([一-龥]{1,4}(?: ?[一-龥]{1,4}| [ぁ-ん]{2,4})?)"
    r"(?:です|と申します|と言います|でございます)"
)
_PERSON_JA_SUBJECT = re.compile(r"([一-龥]{1,4}(?: ?[一-龥]{1,4})?)が担当")
# 「教授を務めております山之内と申します」: a kanji name right before 「と申します」.
_PERSON_JA_MOUSU = re.compile(
    r"(?<![一-龥々〆ヵヶ])([一-龥々〆ヵヶ]{1,4}(?: ?[一-龥々〆ヵヶ]{1,4}| ?[ぁ-ゖ]{2,4})?)"
    r"(?:と申します|と申す者です|と言います|といいます)"
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


_PERSON_PATTERNS = (
    _PERSON_WINDOW,
    _PERSON_JA,
    _PERSON_JA_TAIL,
    _PERSON_JA_SUBJECT,
    _PERSON_JA_MOUSU,
    _PERSON_EN,
)


def person_name(text: str) -> str | None:
    """The writer's name, when they introduce themselves (「担当は高橋と申します」)."""
    text = normalise(text)
    for pattern in _PERSON_PATTERNS:
        for match in pattern.finditer(text):
            name = TITLE_WORD.sub("", match.group(1)).strip()
            for honorific in ("さん", "様", "氏"):
                name = name.removesuffix(honorific)
            before = text[: match.start()]
            if pattern is _PERSON_JA_TAIL and not (
                before.endswith(_AFFILIATION) or organisation(before)
            ):
                continue  # 「地域の課題です」 is no introduction
            whole = organisation(text)
            if whole and match.group(1) in whole[0]:
                continue  # 「有限会社はだの冷機です」: 冷機 is part of the company's name
            company = english_name(text[match.start(1) :])
            if pattern is _PERSON_EN and company and company.startswith(name):
                continue  # "This is Harbour Mobility Inc." names a company
            name = split_role(name).name  # 「営業部 田中」 → 田中
            if looks_like_name(name):
                return tidy_name(name)
    return None


@dataclass(frozen=True)
class Person:
    """A name with the department and job title said around it."""

    name: str
    department: str | None = None
    title: str | None = None


def _department_of(word: str, role: str | None) -> str | None:
    """「営業部長」 → 営業部 (the unit the title heads); 「事業開発部」 → itself."""
    bare = TITLE_WORD.sub("", word)
    if not bare or bare in _ACADEMIC_TITLES:
        return None
    unit = next((u for u in "部課室" if role and role.startswith(f"{u}長")), "")
    return bare if bare.endswith(unit) else bare + unit


def _title_inside(word: str) -> Person | None:
    """「営業部長田中一郎」, 「代表取締役社長山本」: the titles, then a name, in one word."""
    if word.isascii():
        return None
    found = [m for m in TITLE_WORD.finditer(word) if m.group(0) != "担当"]
    if not found or found[-1].end() >= len(word):
        return None
    name = word[found[-1].end() :].removeprefix("の")
    if not looks_like_name(name) or not KANJI_NAME.fullmatch(name):
        return None
    title = word[found[0].start() : found[-1].end()]
    department = _department_of(word[: found[0].start()] + found[0].group(0), found[0].group(0))
    return Person(name=name, department=department, title=title)


def split_role(text: str) -> Person:
    """The name without the department and job title said before it.

    「営業部長 田中一郎」 and 「営業部長田中一郎」 → 田中一郎 (営業部, 部長); 「企画部の鈴木」 →
    鈴木 (企画部); 「代表取締役 山本」 → 山本 (代表取締役); 「教授 山之内」 → 山之内 (教授).
    """
    department: str | None = None
    title: str | None = None
    words = text.strip().split(" ")
    while len(words) > 1:
        first = words[0]
        role = TITLE_WORD.search(first)
        if first in _ACADEMIC_TITLES or role or DEPARTMENT.fullmatch(first):
            department = department or _department_of(first, role.group(0) if role else None)
            if first in _ACADEMIC_TITLES or (role and role.group(0) != "担当"):
                title = title or (first[role.start() :] if role else first)
            words = words[1:]
            continue
        break
    name = " ".join(words)
    inside = _title_inside(name) if " " not in name else None
    if inside is not None:
        return Person(
            name=inside.name,
            department=department or inside.department,
            title=title or inside.title,
        )
    head, sep, rest = name.partition("の")
    if sep and rest and (head in DEPARTMENT_WORDS or DEPARTMENT.fullmatch(head)):
        department, name = department or head, rest
    return Person(name=name, department=department, title=title)


def without_role(name: str) -> tuple[str, str | None]:
    """(name, department) without the job title or department said before it."""
    person = split_role(name)
    return person.name, person.department


KANJI_NAME = re.compile(r"[一-龥々〆ヵヶ]{1,4}(?:[一-龥々〆ヵヶぁ-んァ-ヶー]{1,4})?")
_ACADEMIC_TITLES = frozenset("教授 准教授 助教 講師 研究員 博士 Dr. Prof.".split())
