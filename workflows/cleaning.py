"""The value, not the sentence around it: what people type, cleaned into what a record holds.

Pure functions over one message. Salutations, greetings, closing lines, signature blocks,
emoji, copulas and fillers are taken away; a self-introduction is split into organisation and
contact. Every pattern is linear (bounded repetitions, no nested unbounded ones), so a long
message costs linear time like the rest of the desk.

Emoji are removed by Unicode ranges rather than the `emoji` package: measured, the package
costs 33 ms to import, 8 MB and 20 ms per 20,000 characters, while the ranges below hold every
emoji the package knows (all of them sit in these blocks) in one linear regex.
"""

from __future__ import annotations

import re

from workflows.record import OrganisationType, normalise_email, normalise_phone
from workflows.understanding import (
    EMAIL_IN_TEXT,
    PHONE_IN_TEXT,
    URL_IN_TEXT,
    is_question,
    is_undecided,
    normalise,
)

__all__ = [
    "change_request",
    "clean_value",
    "is_question",
    "is_undecided",
    "proposal_sentences",
    "read_signature",
]

# Emoji blocks, geometric shapes used as emoji or bullets (▶ ◼ ■), ‼ ⁉ ™ ℹ Ⓜ, variation
# selectors, ZWJ, keycap and tag characters. Arrows (→) stay: people write 「4月→6月」.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u25a0-\u25ff"
    "\u203c\u2049\u2122\u2139\u24c2\ufe00-\ufe0f\u20e3"
    "\u3030\u303d\u3297\u3299\U000e0020-\U000e007f\u200d]"
)
KAOMOJI = re.compile(r"\((?:笑|汗|泣|涙|爆|喜)\)|m\(_ _\)m|\([\^;´`・ω_\-oO°▽∀><ﾟ ]{1,8}\)")
SEPARATOR = re.compile(r"[-‐―─━_=*~〜・]{3,}|--")
_LINE_SALUTATION = re.compile(
    r"(?:ご担当者?様?|ご担当者各位|御中|各位|様)[、,。:]?$|"
    r"^(?:dear|to whom it may concern)(?![a-z])",
    re.I,
)
_GREETING_LEAD = re.compile(
    r"^(?:いつもお世話になっております|お世話になっております|お世話になります|はじめまして|初めまして|"
    r"こんにちは|こんばんは|おはようございます|お疲れ様です|お疲れさまです|突然のご連絡失礼いたします|"
    r"突然のご連絡失礼します|突然のご連絡申し訳ございません|初めてご連絡いたします|初めてご連絡差し上げます|"
    r"拝啓|前略|hello|hi|hey|good (?:morning|afternoon|evening)|greetings|"
    r"i hope (?:this|you are|you're|all is)[a-z ]{0,30}well)[、,!！。.\s]*",
    re.I,
)
_CLOSING = re.compile(
    r"よろしくお願い|宜しくお願い|ご検討(?:の程|のほど)|何卒|以上です|以上、|敬具|草々|"
    r"^(?:best|kind|warm|warmest)?\s?regards|^sincerely|^thank you|^thanks|^cheers|^yours",
    re.I,
)
_META = re.compile(
    r"(?:ご)?提案(?:を|が)?(?:したい|させていただきたい|させてください|があります|がございます|したく)"
    r"(?:です|と思います|と考えています|と思っています)?(?:[、,]?(?:ご連絡|連絡)(?:いたしました|しました|差し上げました))?|"
    r"(?:hello,? |hi,? )?(?:i|we)(?:'d| would) like to (?:make|submit|send) (?:a|our) proposal"
    r"(?: to [a-z ]{1,40})?|(?:i|we)(?:'d| would) like to propose something(?: to [a-z ]{1,40})?|"
    r"(?:i|we) have a proposal",
    re.I,
)
_INTRO_EN = re.compile(r"(?:my name is|i am|i'm|this is|we are|we're)(?![A-Za-z])", re.I)
_ACTION_EN = re.compile(
    r"(?<![A-Za-z])(?:propose|plan|planning|would|will|want|like|install|provide|run|offer|hope)(?![A-Za-z])",
    re.I,
)
_INTRO_JA_END = tuple(
    (
        "と申します と言います といいます でございます です が担当です が担当いたします "
        "が担当します と申す者です"
    ).split()
)
_INTRO_STRONG = tuple(
    (
        "と申します と言います といいます でございます が担当です が担当いたします "
        "が担当します と申す者です"
    ).split()
)
_CONTACT_LABEL = re.compile(
    r"連絡先|TEL|電話|携帯|メール|E-?mail|Mail|FAX|Phone|Mobile|Contact|URL|〒|住所", re.I
)
_FAX = re.compile(r"(?:FAX|Fax|fax|ファックス|ファクス)\s?[:：]?\s?[+\d][\d\-\s()]{8,16}")
_LABELLED = re.compile(
    r"[\s【\[(]{0,3}(会社名|社名|団体名|法人名|組織名|事業者名|所属|部署名?|所属部署|氏名|お名前|名前|"
    r"担当者名?|担当|電話番号|電話|携帯|TEL|E-?mail|Mail|メールアドレス|メール|Company|"
    r"Organi[sz]ation|Department|Dept\.?|Division|Name|Contact person|Contact|Phone|Mobile|Tel)"
    r"[\s】\])]{0,3}(?:[:：]|\s)\s{0,3}",
    re.I,
)
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
_TITLE_WORD = re.compile(
    r"代表取締役|取締役|代表理事|理事長|理事|代表|社長|会長|部長|課長|係長|室長|主任|主査|担当|"
    r"マネージャー|リーダー|ディレクター|(?<![A-Za-z])(?:CEO|CTO|COO|Manager|Director|Officer|Head|Lead|"
    r"Coordinator|Engineer|President|Founder|Representative|Partnerships|Sales|Chief)(?![A-Za-z])",
    re.I,
)
_SEGMENT = re.compile(r"\s?[|｜/／,、]\s?")
_TIGHT = re.compile(r"\s+")


def base(text: str) -> str:
    """NFKC, no invisible characters, no emoji or kaomoji, runs of spaces as one."""
    text = KAOMOJI.sub("", normalise(EMOJI.sub("", text)))  # before NFKC turns ‼ into !!
    return "\n".join(_TIGHT.sub(" ", line).strip() for line in text.split("\n")).strip()


_LEAD_FILLERS = tuple(
    (
        "えっと えーと えー あのー あの うーん そうですね じゃあ じゃ では それでは はい ええ "
        "一応 ちなみに あ、 えと なら やっぱり やはり"
    ).split()
)
_LEAD_EN = re.compile(
    r"(?:(?:well|so|ok|okay|sure|yes|yeah|um+|uh+|oh|ah)[,!.]?\s+)?"
    r"(?:(?:it'?s|we'?re) called|it'?s|it is|that'?s|that is|this is|we are|we're|i am|i'm|"
    r"i'd say|my name is|"
    r"our (?:organi[sz]ation|company|name|title) is|the (?:title|name) is|"
    r"call it)\s+",
    re.I,
)
_TRAIL = tuple(
    (
        "でございます と申します と言います といいます になります となります "
        "でお願いいたします でお願い致します でお願い申し上げます でお願いします でお願い "
        "をお願いいたします をお願いします でいいです で大丈夫です で結構です だと思います "
        "と思います が担当いたします が担当します が担当です にしたいと思います にしたいです "
        "にしたい にします としたいです とします でした ですね ですよ です だよ だ で"
    ).split()
)
_TRAIL_EN = (" please", " thanks", " thank you", " pls")
_PUNCT = " 。.!！、,~〜…♪w"


def strip_fillers(text: str) -> str:
    """Without leading fillers (「えっと、」, "It's") and trailing copulas (「です」)."""
    text = text.strip(_PUNCT + "\n")
    changed = True
    while changed and text:
        changed = False
        for lead in _LEAD_FILLERS:
            if text.startswith(lead) and len(text) > len(lead):
                text, changed = text[len(lead) :].lstrip(" 、,"), True
        lead_en = _LEAD_EN.match(text)
        if lead_en and lead_en.end() < len(text):
            text, changed = text[lead_en.end() :], True
        for trail in _TRAIL:
            if text.endswith(trail) and len(text) > len(trail):
                text, changed = text[: -len(trail)].rstrip(_PUNCT), True
                break
        lower = text.lower()
        for trail in _TRAIL_EN:
            if lower.endswith(trail) and len(text) > len(trail):
                text, changed = text[: -len(trail)].rstrip(_PUNCT), True
                break
    return text.strip(_PUNCT)


# --- names: organisations and people -------------------------------------------------------

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
    r"Inc\.|Co\.,?\s?Ltd\.?|K\.K\.|LLC|Ltd\.?|Corporation|Corp\.|GmbH|University|Bank"
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


def _is_boundary(text: str, at: int, particle: str) -> bool:
    before = text[at - 1] if at > 0 else ""
    after = text[at + len(particle)] if at + len(particle) < len(text) else ""
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


_NOT_A_NAME = frozenset(
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
_VERB_ENDINGS = tuple(
    ("たい ます です ください する した して ない ません たく です ました でしょう").split()
)


def looks_like_name(text: str) -> bool:
    """Whether `text` can be a person's name (「高橋」, 「佐藤 花子」, "John Smith").

    Not a word that people answer instead of a name (「相談」), not a phrase with particles or
    a verb (「提案をしたい」), not an organisation.
    """
    text = text.strip()
    if not text or text in _NOT_A_NAME or _ANCHOR.search(text):
        return False
    if _JA_NAME.fullmatch(text):
        if text.endswith(_VERB_ENDINGS) or any(w in text for w in ("提案", "相談", "質問")):
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
_AFFILIATION = tuple(
    (
        "部 課 室 局 会社 社 法人 大学 団体 センター 事務局 研究室 ラボ 代表 担当 チーム 協会 "
        "組合 Inc. Ltd."
    ).split()
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
    for pattern in (_PERSON_JA, _PERSON_JA_TAIL, _PERSON_JA_SUBJECT, _PERSON_EN):
        for match in pattern.finditer(text):
            name = _TITLE_WORD.sub("", match.group(1)).strip()
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


def _lines(text: str) -> list[str]:
    return base(text).split("\n")


def _signature_start(lines: list[str]) -> int:
    """Index of the first line of the signature block (len(lines) when there is none)."""
    body_seen = False
    for i, line in enumerate(lines):
        if SEPARATOR.fullmatch(line.strip()) and body_seen:
            return i
        if line.strip():
            body_seen = True
    for i in range(len(lines) - 1, -1, -1):
        closing = _CLOSING.search(lines[i])
        if closing and len(lines[i]) <= 60 and i < len(lines) - 1:
            return i + 1  # a closing line, then lines that are not body: the signature
    return len(lines)


_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+")
_TITLE_LINE = re.compile(r"(?:件名|タイトル|題名|提案名|subject|title|re)\s?[:：]", re.I)


def _split_sentences(line: str) -> list[str]:
    parts = _SENTENCE_SPLIT.split(line)
    return [p.strip() for p in parts if p and p.strip()]


def _is_contact_line(sentence: str) -> bool:
    if EMAIL_IN_TEXT.search(sentence) or PHONE_IN_TEXT.search(sentence):
        rest = PHONE_IN_TEXT.sub("", EMAIL_IN_TEXT.sub("", sentence))
        return bool(_CONTACT_LABEL.search(sentence)) or len(rest.strip(" :：、,。.")) <= 12
    return bool(_LABELLED.match(sentence)) and len(sentence) <= 60


def _is_introduction(sentence: str) -> bool:
    """ "株式会社Xの山田です", "担当は高橋と申します", "I am John Smith from X Inc."."""
    bare = sentence.rstrip(" 。.!！")
    if len(bare) > 60 or re.search(r"提案|実施|行い|設置|開催|考えて|propose|plan", bare, re.I):
        return False
    if bare.endswith(_INTRO_JA_END):
        if bare.endswith(_INTRO_STRONG) or person_name(bare):
            return True  # "…と申します", or a name after an affiliation
        org = organisation(bare)
        if org:  # "株式会社Xです", not "株式会社Xの製品は安全です"
            return len(strip_fillers(bare.replace(org[0], ""))) <= 6
        return re.search(r"担当(?:は|者は|の)", bare) is not None
    if _INTRO_EN.match(bare) and not _ACTION_EN.search(bare):
        return True
    return False


def _keep(sentence: str) -> str | None:
    """The sentence as part of the proposal, or None when it is not proposal text."""
    if _LINE_SALUTATION.search(sentence) and len(sentence) <= 40:
        return None
    lead = _GREETING_LEAD.match(sentence)
    if lead:
        sentence = sentence[lead.end() :]
    sentence = sentence.strip()
    if not sentence:
        return None
    if _CLOSING.search(sentence) and len(sentence) <= 60:
        return None
    if _is_contact_line(sentence) or _is_introduction(sentence):
        return None
    if _META.fullmatch(sentence.rstrip(" 。.!！")):
        return None
    return sentence


def proposal_sentences(text: str) -> str:
    """The proposal sentences only: no salutation, greeting, self-introduction, closing,
    signature or contact lines. "" when nothing of the proposal is left."""
    lines = _lines(text)
    kept: list[str] = []
    for line in lines[: _signature_start(lines)]:
        if _TITLE_LINE.match(line):
            continue  # 「件名：…」 is the title, not the proposal
        for sentence in _split_sentences(line):
            found = _keep(sentence)
            if found:
                kept.append(found)
    out = ""
    for sentence in kept:
        if out and not out.endswith(("。", "！", "？")) and not _JAPANESE_START.match(sentence):
            out += " "
        elif out and not out.endswith(("。", "！", "？")):
            out += " " if out[-1].isascii() else ""
        out += sentence
    return out


_JAPANESE_START = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


# --- signature blocks and contact lines --------------------------------------------------


def phone_in(text: str) -> str | None:
    """The first phone number in `text` as E.164, FAX numbers, e-mail and URLs left out."""
    stripped = _FAX.sub(" ", EMAIL_IN_TEXT.sub(" ", URL_IN_TEXT.sub(" ", text)))
    for match in PHONE_IN_TEXT.finditer(stripped):
        try:
            return normalise_phone(match.group(0))
        except ValueError:
            continue
    return None


def email_in(text: str, *, last: bool = False) -> str | None:
    """The first (or last) e-mail address in `text`, normalised."""
    found = [m.group(0) for m in EMAIL_IN_TEXT.finditer(text)]
    for address in reversed(found) if last else found:
        try:
            return normalise_email(address)
        except ValueError:
            continue
    return None


def _is_department(token: str) -> bool:
    """「事業開発部」 is a department, 「阿部」 and 「服部」 are people."""
    if not _DEPARTMENT.search(token):
        return False
    return len(token) >= 3 and token != "長谷部" or not token.endswith("部")


_SHORT_DEPARTMENTS = frozenset(
    "営業部 総務部 企画部 広報部 開発部 技術部 経理部 人事部 法務部 事業部".split()
)


def _labelled(line: str, slots: dict[str, str]) -> bool:
    """Read "氏名：高橋 誠", "TEL 045-…", "E-mail: …"; True when the line had a label."""
    match = _LABELLED.match(line)
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
    """An unlabelled line of a signature block: organisation, department, name."""
    if EMAIL_IN_TEXT.search(line) or PHONE_IN_TEXT.search(line) or URL_IN_TEXT.search(line):
        return
    for segment in _SEGMENT.split(line):
        found = organisation(segment)
        if found:
            slots.setdefault("organisation.name", found[0])
            segment = segment.replace(found[0], " ")
        name_parts: list[str] = []
        for token in segment.split():
            if _is_department(token):
                slots.setdefault("contact.department", token)
            elif _TITLE_WORD.search(token):
                continue
            else:
                name_parts.append(re.sub(r"\(.{0,20}\)$", "", token))
        if name_parts:
            joined = " ".join(p for p in name_parts if p)
            if looks_like_name(joined):
                slots.setdefault("contact.name", tidy_name(joined))


def read_signature(text: str) -> dict[str, str]:
    """Contact details from a signature block, labelled contact lines and a self-introduction.

    Keys: organisation.name, contact.name, contact.department, contact.phone (E.164) and
    contact.email — only those the text states.
    """
    lines = _lines(text)
    start = _signature_start(lines)
    slots: dict[str, str] = {}
    for line in lines:
        if line.strip():
            _labelled(line.strip(), slots)
    for line in lines[start:]:
        line = line.strip()
        if line and not SEPARATOR.fullmatch(line) and not _LABELLED.match(line):
            _block_line(line, slots)
    tel_lines = [ln for ln in lines if re.search(r"TEL|電話|携帯|Phone|Mobile", ln, re.I)]
    phone = next((p for ln in tel_lines if (p := phone_in(ln))), None) or phone_in(base(text))
    if phone:
        slots.setdefault("contact.phone", phone)
    email = email_in(base(text))
    if email:
        slots.setdefault("contact.email", email)
    for line in lines[:start]:
        for sentence in _split_sentences(line):
            if not _is_introduction(sentence) and "担当" not in sentence:
                continue
            found = organisation(sentence)
            if found:
                slots.setdefault("organisation.name", found[0])
            name = person_name(sentence)
            if name:
                slots.setdefault("contact.name", name)
    return slots


# --- a change of mind ----------------------------------------------------------------------

_CHANGE = re.compile(
    r"変え|変更|訂正|修正|直し|直して|間違|違い|違って|違います|やっぱり|やはり|正しくは|正しいのは|"
    r"じゃなくて|ではなく|でした|にして(?:ください|下さい|ほしい|欲しい)|"
    r"(?<![A-Za-z])(?:change|update|correct|correction|fix|actually|wrong|instead|should be|"
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
            r"担当者名|担当者の名前|担当者|氏名|お名前|名前|"
            r"(?<![A-Za-z])(?:contact name|contact person|my name|name(?! of))(?![A-Za-z])",
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
_TO_VERB = re.compile(r"(?:に|へ|と)\s?(?:変え|変更|訂正|修正|直|し(?:て|たい|ます))")
_WAS = re.compile(r"でした|の間違い|の誤り|が正しい|が正解")
_AFTER_MARK = re.compile(
    r"(?:正しくは|正しいのは|正しいものは|ではなく(?:て)?|じゃなくて|->|→)[、,:：]?\s?"
)
_TO_EN = re.compile(r"(?<![A-Za-z])(?:to|should be|is actually|actually is|is now|is)\s+", re.I)
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
        stripped = _FAX.sub(" ", text)
        found = [m.group(0) for m in PHONE_IN_TEXT.finditer(stripped)]
        return clean_value(field, found[-1]) if found else None
    if field == "organisation.corporate_number":
        return clean_value(field, text)
    quoted = _QUOTED.findall(rest)
    sentence = first_sentence(rest)
    raw: str | None = None
    mark = _AFTER_MARK.search(sentence)
    verb = _TO_VERB.search(sentence)
    was = _WAS.search(sentence)
    english = _TO_EN.search(sentence)
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
    return clean_value(field, raw) if raw else None


def change_request(text: str) -> tuple[str, str | None] | None:
    """(field, new value or None) when the text changes a field in plain words.

    「タイトルはやっぱり「X」に変えたい」, "change the title to X", 「さっきのメールは間違いで、
    正しくは a@b.jp です」. The value is cleaned like an answer (`clean_value`); for a choice
    field it is the words as said (the dialogue matches them to its choices). None when the
    text is not a change (no change word, no field, a question, or a long text).
    """
    text = base(text)
    if len(text) > CHANGE_CHARS or not _CHANGE.search(_masked(text)) or is_question(text):
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
        if len(text) > INTENT_CHARS or not (
            _INTENT_AFTER.match(rest) or _INTENT_BEFORE.search(masked[: found.start()])
        ):
            return None  # 「課題を解決し、意識を変えたい」 names a field but changes nothing
        later = [s for s in _split_sentences(rest)[1:] if not _CHANGE.search(s)]
        return field, clean_value(field, later[0]) if later else None
    return None


# --- the value of one field ------------------------------------------------------------------

_EMPTY_ORG = frozenset(
    "会社 企業 団体 法人 個人 大学 npo npo法人 任意団体 自治会 町内会 company npo university "
    "business organisation organization".split()
) | {"a company", "an npo", "a university", "a business", "an organisation", "an organization"}
_ORG_LEAD = re.compile(
    r"(?:うちは|弊社は|当社は|私たちは|わたしたちは|私どもは|団体名は|会社名は|社名は|法人名は|組織名は|"
    r"所属は|(?:we are|we're|i'm from|i am from|from|our (?:organi[sz]ation|company) is|"
    r"the (?:organi[sz]ation|company) is)\s+)",
    re.I,
)
_PERSON_LEAD = re.compile(
    r"(?:私は|わたしは|私、|わたくし、?|担当者名は|担当者は|担当は|担当の|名前は|お名前は|氏名は|"
    r"(?:my name is|i am|i'm|this is|it's|the contact (?:person )?is|name:)\s+)",
    re.I,
)
_UNIT = re.compile(
    r"[の ]?(?!の)[\w・ー]{1,20}"
    r"(?:研究室|研究所|学部|学科|研究科|センター|ラボ|支店|支社|事業部|営業所|本部)"
)
_AFTER_ORG = re.compile(r"^[のでです、, ]{0,4}")
_READING = re.compile(r"\(.{0,20}\)$")
_HONORIFIC = ("さん", "様", "氏", "です")
_TITLE_LEAD = re.compile(
    r"(?:(?:やっぱり|やはり)[、,]?\s?)?(?:(?:提案の)?(?:タイトル|件名|題名|提案名)(?:は|を)?\s?[:：]?\s?|"
    r"(?:the |my |our )?(?:proposal )?title(?: is)?\s?[:：]?\s?|"
    r"(?:it'?s|it is) called\s|call it\s)",
    re.I,
)
_TITLE_TRAIL = tuple(
    (
        "についてのご提案 に関するご提案 に関する提案 のご提案 の提案 "
        "というタイトルでお願いします というタイトルにします というタイトルです "
        "というタイトルで というタイトル という名前で という件名で でいきます で行きます "
        "でいきたいです に変えたいです に変えたい に変更します に変更してください "
        "にしてください"
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


def first_sentence(text: str) -> str:
    """The first sentence, a quoted part (「…。…」) never cut."""
    depth = 0
    for at, char in enumerate(text):
        if char in "「『“【":
            depth += 1
        elif char in "」』”】":
            depth = max(0, depth - 1)
        elif depth == 0 and char in "。!?！？\n":
            return text[:at].strip()
    return text.strip()


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


def _without_courtesies(text: str) -> str:
    """The text without salutation, greeting, closing and signature lines."""
    lines = _lines(text)
    kept = []
    for line in lines[: _signature_start(lines)]:
        sentences = []
        for sentence in _split_sentences(line):
            if _LINE_SALUTATION.search(sentence) and len(sentence) <= 40:
                continue
            lead = _GREETING_LEAD.match(sentence)
            sentence = sentence[lead.end() :] if lead else sentence
            if sentence and not (_CLOSING.search(sentence) and len(sentence) <= 60):
                sentences.append(sentence)
        if sentences:
            kept.append("".join(sentences) if not line.isascii() else " ".join(sentences))
    return "\n".join(kept).strip()


def _organisation_value(text: str) -> str | None:
    found = organisation(text)
    core = strip_fillers(_ORG_LEAD.sub("", strip_fillers(first_sentence(text)), count=1))
    if found:
        # 「湘南工科大学 環境システム研究室」: a named unit after the name belongs to it.
        unit = core.split(found[0], 1)[1] if core.startswith(found[0]) else ""
        return core if unit and _UNIT.fullmatch(unit) else found[0]
    if (
        not core
        or len(core) > 200
        or core.lower() in _EMPTY_ORG
        or core in _NOT_A_NAME
        or legal_form_only(core)
        or core.endswith(_VERB_ENDINGS)
        or re.search(r"提案|相談|質問", core)
    ):
        return None
    return core


def _person_value(text: str) -> str | None:
    name = person_name(text)
    if name:
        return name
    core = strip_fillers(first_sentence(text))
    lead = _PERSON_LEAD.match(core)
    core = strip_fillers(core[lead.end() :]) if lead else core
    found = organisation(core)
    if found:
        core = _AFTER_ORG.sub("", core.split(found[0], 1)[1])
    core = _READING.sub("", _TITLE_WORD.sub("", core)).strip(" 、,")
    core = core.removeprefix("の")
    for honorific in _HONORIFIC:
        if core.endswith(honorific) and len(core) > len(honorific):
            core = core[: -len(honorific)]
    core = _TIGHT.sub(" ", core).strip()
    return tidy_name(core) if looks_like_name(core) else None


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
    body = _without_courtesies(text)
    if not body:
        return None
    if field == "organisation.name":
        return _organisation_value(body)
    if field == "contact.name":
        return _person_value(body)
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
