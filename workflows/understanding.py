"""Rule-based understanding (no LLM): language, intent, yes/no, references, corrections,
questions by meaning, "not decided yet", and the eligibility rules by what a proposal asks for."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from workflows.textsafety import strip_invisible

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
REFERENCE = re.compile(r"\b([A-Z]{2,6})-(\d{4})-(\d{5})\b")
# The lookbehind starts an address only where a run of address characters starts: without it
# every character of a long run without "@" scanned the rest of the run (quadratic).
EMAIL_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
PHONE_IN_TEXT = re.compile(r"(?:\+81[\s\-]?|0)\d{1,4}[\s\-]?\d{1,4}[\s\-]?\d{3,4}")
URL_IN_TEXT = re.compile(r"https?://[^\s)）」、。]+")


class Intent(StrEnum):
    PROPOSAL = "proposal"
    QUESTION = "question"
    STATUS = "status"
    HUMAN = "human"
    CANCEL = "cancel"
    HELP = "help"
    BACK = "back"
    GREETING = "greeting"
    OTHER = "other"


_INTENT_PATTERNS: list[tuple[Intent, re.Pattern[str]]] = [
    (
        Intent.CANCEL,
        re.compile(
            r"^(キャンセル|やめ(る|ます|たい)|中止|取り?消し|cancel|stop|quit)[。.!！]?$", re.I
        ),
    ),
    (Intent.HELP, re.compile(r"^(ヘルプ|使い方|help|\?|？)$", re.I)),
    (Intent.BACK, re.compile(r"^(戻る|もどる|前に戻る|back)$", re.I)),
    (
        Intent.HUMAN,
        # 「ご担当者様」 is a salutation and "our staff will" a proposal, not a request for a person.
        re.compile(
            r"(?<!ご)担当者(?!様|各位|名|の方へ)|担当の方と|人と話|職員と話|オペレーター|"
            r"(?<![A-Za-z])(?:(?:talk|speak|chat) (?:to|with) (?:a |an |your )?(?:human|person|staff|"
            r"operator|someone)|human|operator)(?![A-Za-z])|^(?:staff|a person|person)[.!]?$",
            re.I,
        ),
    ),
    (
        Intent.STATUS,
        re.compile(
            r"^状況|(?:提案|申請|受付)の?(?:状況|進捗)|状況を(?:確認|知り|教え)|進捗|ステータス|どうなって|"
            r"審査(?:状況|結果)|\bstatus\b|\bprogress\b",
            re.I,
        ),
    ),
    (
        Intent.PROPOSAL,
        re.compile(
            r"提案|企画|連携したい|協業|共創したい|実証|一緒に取り組|\bpropos|\bpartnership\b|\bpilot\b|\bcollaborat",
            re.I,
        ),
    ),
    (
        Intent.QUESTION,
        re.compile(
            r"[?？]|ですか|ますか|教えて|知りたい|どうやって|どうすれば|できる|方法|"
            r"\b(how|what|when|where|who|which|can i|is there|do i)\b",
            re.I,
        ),
    ),
    (
        Intent.GREETING,
        re.compile(r"^(こんにちは|こんばんは|おはよう|はじめまして|hello|hi|hey)", re.I),
    ),
]


_PROPOSAL_WORDS = next(p for i, p in _INTENT_PATTERNS if i is Intent.PROPOSAL)


def normalise(text: str) -> str:
    """NFKC, trimmed, without bidi controls and zero-width characters.

    NFKC turns full-width letters and digits half-width; the invisible characters would
    reverse a stored name's display and defeat search.
    """
    return strip_invisible(unicodedata.normalize("NFKC", text)).strip()


_LATIN_WORD = re.compile(r"[A-Za-z]{2}")


def detect_language(text: str, *, current: str = "ja") -> str:
    """`ja` when the text has Japanese script, `en` when it has Latin words only."""
    if JAPANESE.search(text):
        return "ja"
    # Two neighbouring tokens with Latin letters ("two words, not one token"). Token by token,
    # because the regex `[A-Za-z]{2,}\S*\s+\S*[A-Za-z]{2,}` was cubic on one long word.
    worded = [_LATIN_WORD.search(token) is not None for token in text.split()]
    if any(a and b for a, b in zip(worded, worded[1:], strict=False)):
        return "en"
    return current


def recognise(text: str) -> Intent:
    """The user's intent, by priority: control words, status, hand-off, proposal, question."""
    text = normalise(text)
    if REFERENCE.search(text):
        return Intent.STATUS
    if len(text) >= 80 and _PROPOSAL_WORDS.search(text) and not is_question(text):
        return Intent.PROPOSAL  # a proposal e-mail mentions 状況 or 担当者 in passing
    for intent, pattern in _INTENT_PATTERNS:
        if pattern.search(text):
            if intent is Intent.PROPOSAL and re.search(r"[?？]$", text) and len(text) < 40:
                return Intent.QUESTION  # "how do I make a proposal?" is a question
            return intent
    return Intent.PROPOSAL if len(text) >= 80 else Intent.OTHER


def find_reference(text: str) -> str | None:
    """A reference number like KF-2026-00012, if the text has one."""
    match = REFERENCE.search(normalise(text).upper())
    return match.group(0) if match else None


YES = re.compile(
    r"^(はい|同意|同意します|ok|okay|yes|y|agree|i agree|了解|大丈夫|お願いします)[。.!！]?$", re.I
)
NO = re.compile(r"^(いいえ|いや|同意しない|no|n|disagree|結構です)[。.!！]?$", re.I)


def yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when neither."""
    text = normalise(text)
    if YES.match(text):
        return True
    if NO.match(text):
        return False
    return None


SALES = re.compile(
    r"ご購入|購入をご検討|導入をご検討|導入していただ|お見積|割引|特別価格|価格で|販売|売り込|営業|製品をご紹介|"
    r"buy our|purchase our|our product|discount|special price|pricing",
    re.I,
)
POLITICAL = re.compile(r"選挙|政党|後援会|布教|宗教活動|election|political party|religious", re.I)
_ENDORSEMENT_ASK = re.compile(r"(市|自治体)の(名義|ロゴ)を|ロゴを使(って|わせ)")
_ENDORSEMENT_USE = re.compile(r"宣伝|広告")
_CITY_LOGO = re.compile(r"city'?s logo", re.I)


def endorsement(text: str) -> bool:
    """Whether the text asks to use the city's name or logo for advertising.

    Line by line, the first request then any advertising word after it: the same answer as
    `(市|自治体)の(名義|ロゴ)を.*(宣伝|広告)|…` in linear time (that regex rescanned the rest of
    the line from every request).
    """
    if _CITY_LOGO.search(text):
        return True
    for line in text.split("\n"):
        ask = _ENDORSEMENT_ASK.search(line)
        if ask and _ENDORSEMENT_USE.search(line, ask.end()):
            return True
    return False


def sales_signals(text: str) -> int:
    """How many distinct sales-pitch phrases the text uses."""
    return len({m.group(0) for m in SALES.finditer(normalise(text))})


_CORRECTION = re.compile(r"訂正|修正|変更|間違|直して|correct|change|update|fix", re.I)
_FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("contact.email", re.compile(r"メール|e-?mail|アドレス", re.I)),
    ("contact.phone", re.compile(r"電話|phone", re.I)),
    ("organisation.corporate_number", re.compile(r"法人番号|corporate number", re.I)),
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
            return (field, phone.group(0)) if phone else None
        if field == "organisation.corporate_number":
            digits = re.search(r"\d[\d\-\s]{11,16}\d", text)
            return (field, re.sub(r"\D", "", digits.group(0))) if digits else None
        value = re.search(r"(?:は|を)\s*「?(.+?)」?\s*(?:に|へ)(?:訂正|修正|変更)", text)
        if value is None:
            value = re.search(r"\bto\s+['\"]?(.+?)['\"]?[.!]?$", text, re.I)
        if value:
            return field, value.group(1).strip()
    return None


# --- questions and "not decided yet" ------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])|(?<=\.)\s+")
# Said to the desk as a question, whatever the punctuation. Endings are tested on the
# sentence without its final punctuation.
_ASK_ENDINGS = (
    "ますか",
    "ですか",
    "でしょうか",
    "ませんか",
    "ましたか",
    "でしたか",
    "のか",
    "んか",
    "るか",
    "いか",
    "かな",
    "かしら",
    "ますかね",
    "ですかね",
    "の?",
    "る?",
    "い?",
)
_ASK_ANYWHERE = re.compile(
    r"教えて(?:ください|下さい|いただけ|頂け)|"
    r"(?<![A-Za-z])(?:i wonder|i was wondering|tell me|let me know|i'?d like to know|"
    r"i want to know|any idea)(?![A-Za-z])",
    re.I,
)
# Asking only at the end of a short sentence: 「住民が知りたい情報を届けます」 asks nothing.
_ASK_SHORT = re.compile(
    r"(?:知りたい|伺いたい|お聞きしたい|お尋ねしたい|教えてほしい|教えて欲しい)(?:です|のですが|んですが)?$|"
    r"^.{0,12}(?:どうすれば|どうしたら|どうやって).{0,12}$"
)
_HOW_TO = re.compile(r"(?:how|what|when|where|why) to(?![A-Za-z])|do-", re.I)
_ASK_OPENING = re.compile(
    r"(?:(?:so|and|also|sorry|hi|hello|excuse me|quick question|one question)[,:!]?\s+){0,2}"
    r"(?:can|could|may|do|does|did|is|are|was|were|will|would|should|shall|how|what|when|"
    r"where|who|whom|which|why|am|have|has)(?![A-Za-z])",
    re.I,
)
# A proposal's own phrasing that only looks like a question: rhetorical, an invitation, a
# request to consider the proposal.
_NOT_ASKING = re.compile(
    r"ではないでしょうか|のではないか|じゃないでしょうか|ではないかと|いかがでしょうか|"
    r"(?:ご検討|ご協力|ご支援|ご確認|お力添え|ご高配)(?:の程|のほど)?(?:を)?(?:いただけ|頂け|願え|くださ)|"
    r"(?:一緒に|共に|ともに|協働|連携)[^。]{0,30}ませんか|"
    # Requests about the conversation itself, which the desk does rather than answers.
    r"英語で|日本語で|前の(?:質問|項目)に戻|(?:continue|speak|talk|write|reply) in (?:english|japanese)",
    re.I,
)
_PROPOSING = re.compile(
    r"提案します|提案いたします|ご提案させて|実施します|実施いたします|行います|設置します|開催します|"
    r"(?<![A-Za-z])(?:we propose|we will|we would like to|we plan|we'?d like to)(?![A-Za-z])",
    re.I,
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _asks(sentence: str) -> bool:
    """Whether one sentence asks something (by its form, not only by its question mark)."""
    if _NOT_ASKING.search(sentence):
        return False
    bare = sentence.rstrip(" 。.!！…")
    if bare.endswith(("?", "？")):
        return True
    if bare.endswith(_ASK_ENDINGS) or _ASK_ANYWHERE.search(bare) or _ASK_SHORT.search(bare):
        return True
    # "How to reduce food waste" is a title; "How do I…" asks.
    return _ASK_OPENING.match(bare) is not None and not _HOW_TO.match(bare)


def is_question(text: str) -> bool:
    """A question by meaning, with or without ？ — not a proposal that contains one.

    A text asks when one of its sentences asks and the asking is not a small part of a
    proposal (a long proposal with one "お借りできますか" in it is still a proposal).
    """
    text = normalise(text)
    if text[:1] in "「『" and text.rstrip("。.")[-1:] in "」』":
        return False  # a quoted title: 「なぜ公園にごみが増えるのか」
    sentences = _sentences(text)
    asking = [s for s in sentences if _asks(s)]
    if not asking:
        return False
    if len(sentences) <= 2:
        return True
    proposing = [s for s in sentences if s not in asking and _PROPOSING.search(s)]
    return not proposing or 2 * len(asking) >= len(sentences)


_UNDECIDED = re.compile(
    r"未定|未決定|まだ決(?:め|まっ)て(?:い)?(?:ない|ません)|決(?:め|まっ)て(?:い)?(?:ない|ません)|"
    r"決められ(?:ない|ません)|わから(?:ない|ん)|分から(?:ない|ん)|わかりません|分かりません|不明|"
    r"(?:あと|後)(?:で|から|ほど)決め|後ほど|検討中|考え中|調整中|思案中|まだ(?:です|考えて)|"
    r"(?<![A-Za-z])(?:not sure|unsure|undecided|tbd|tbc|to be (?:decided|determined|confirmed)|"
    r"don'?t know|do not know|not decided|haven'?t decided|have not decided|no idea|not yet|"
    r"(?:decide|confirm|tell you|let you know|answer|fill (?:it|this) in) later|"
    r"later,? please|maybe later)(?![A-Za-z])",
    re.I,
)
_LATER_ALONE = re.compile(r"later[.!]?", re.I)
UNDECIDED_CHARS = 40  # "undecided" is a short answer; longer texts say something else


def is_undecided(text: str) -> bool:
    """未定 / まだ決めていません / わからない / あとで決めます / not sure / later."""
    text = normalise(text)
    if not text or len(text) > UNDECIDED_CHARS or is_question(text):
        return False
    return bool(_UNDECIDED.search(text) or _LATER_ALONE.fullmatch(text))


# --- eligibility by meaning ----------------------------------------------------------------

_W, _E = r"(?<![A-Za-z])", r"(?![A-Za-z])"
# Asking the city (or the members) to buy, adopt or contract for something.
_ASK_TO_BUY = re.compile(
    r"ご購入|購入をご検討|購入(?:して|いただ)|買っていただ|買ってほしい|導入をご検討|導入(?:して|いただ)|"
    r"ご導入|ご採用|採用(?:して|いただ)|ご契約|契約(?:して|いただ)|お見積|見積(?:もり)?を(?:ご|お)?(?:提示|送|出)|"
    rf"{_W}(?:buy our|purchase our|adopt our|procure our|subscribe to our|order our|"
    rf"the city (?:to )?(?:buy|purchase|adopt)){_E}",
    re.I,
)
# Asking the city to advertise or sell the proposer's product: a sales pitch on its own.
_ASK_TO_ADVERTISE = re.compile(
    r"(?:製品|商品|サービス|自社|弊社|当社)[^。\n]{0,20}(?:宣伝|広告|販促)(?:して|を(?:して|お願い)|に(?:ご)?協力)|"
    r"(?:会員|会員企業|会員の皆様)(?:の皆様)?(?:に|へ)[^。\n]{0,30}(?:販売|営業|売り込|ご紹介し|購入)|"
    r"(?:広報誌|市報|ホームページ|庁舎)[^。\n]{0,20}(?:製品|商品|サービス)[^。\n]{0,10}(?:宣伝|広告|掲載)|"
    rf"{_W}(?:advertise our|promote our (?:product|service|brand)|market our (?:product|service)|"
    rf"sell (?:it |them |our \w+ )?to (?:your |the )?members){_E}",
    re.I,
)
_OWN_PRODUCT = re.compile(
    r"(?:弊社|当社|自社|私ども)の?[^。\n、]{0,10}(?:製品|商品|サービス|システム|ソフト|アプリ|機器|ソリューション)|"
    r"新製品|新商品|"
    rf"{_W}our (?:new )?(?:products?|services?|software|solutions?|devices?|system|app|platform){_E}",
    re.I,
)
_PRICE_OFFER = re.compile(
    r"特別価格|特別割引|ご優待|優待価格|割引価格でご提供|お値引|定価|価格表|キャンペーン価格|今なら|"
    rf"{_W}(?:special (?:price|offer|discount)|discount(?:ed)? (?:price|rate)|pricing|a quote|per licen[cs]e){_E}",
    re.I,
)
# Offering it free is no sale: 「無償で導入していただき」 is a proposal, not a pitch.
_FREE_OFFER = re.compile(
    rf"無償|無料で|無料提供|費用はかかりません|{_W}(?:free of charge|for free|at no cost){_E}", re.I
)
SALES_THRESHOLD = 3
_SALES_WEIGHTS = (
    (_ASK_TO_BUY, 2),
    (_ASK_TO_ADVERTISE, 3),
    (_OWN_PRODUCT, 1),
    (_PRICE_OFFER, 1),
    (_FREE_OFFER, -1),
)

_POLITICAL_STRONG = re.compile(
    r"選挙運動|選挙活動|(?:候補者|議員|政党)(?:の)?(?:応援|支援|宣伝|PR|集会|後援会)|後援会|布教|宗教活動|"
    r"宗教の勧誘|入信|信者(?:を|の)(?:増や|獲得|勧誘)|教えを広め|"
    rf"{_W}(?:election campaign|campaign for (?:a|the|our) (?:candidate|party)|political party|"
    rf"proselyti\w{{0,6}}|religious (?:activit\w{{0,4}}|mission|teaching)|spread (?:the|our) faith|"
    rf"missionary work|recruit (?:believers|followers)){_E}",
    re.I,
)
_POLITICAL_WEAK = re.compile(
    r"選挙|政党|候補者|宗教|教団|信者|信仰|"
    rf"{_W}(?:election|candidate|religion|faith|believers){_E}",
    re.I,
)
_ENDORSE_ASK = re.compile(
    r"(?:市|自治体|事務局|コンソーシアム)の(?:名義|名前|ロゴ|お墨付き|推薦|後援名義)|市公認|市推奨|"
    rf"{_W}(?:the city'?s (?:name|logo|endorsement)|endorsed by the city|city logo){_E}",
    re.I,
)
_ENDORSE_USE = re.compile(
    r"宣伝|広告|販促|PR|営業|売上|商品|製品|パッケージ|"
    rf"{_W}(?:advertis\w{{0,5}}|marketing|promot\w{{0,5}}|packaging|sales|products?){_E}",
    re.I,
)
_CITY_PAYS = re.compile(
    r"(?:市|貴市|自治体|事務局|コンソーシアム)の予算(?:で|を|により|から)|予算(?:化|措置)|委託(?:して|していただ|契約|料)|"
    r"(?:市|貴市|自治体)に(?:費用|経費)を?(?:ご)?負担|費用を(?:ご)?負担(?:して|いただ)|補助金を(?:いただ|交付)|"
    rf"{_W}(?:the city (?:would |will |should |to )?(?:pay|fund|cover)|paid by the city|"
    rf"funded by the city|(?:city|municipal|city's) budget){_E}",
    re.I,
)
_NO_NEED = re.compile(
    rf"頼らず|不要|必要(?:は)?ありません|いりません|求めません|使わず|{_W}(?:no|without|not){_E}",
    re.I,
)


def sales_score(text: str) -> int:
    """How strongly the text pitches a product to the city: 0 unless it asks to buy or advertise.

    Weights: an ask to buy/adopt/contract 2, an ask to advertise the product 3, the proposer's
    own product 1, a price offer 1, offering it free -1. Selling as part of the proposal's own activity (「規格外野菜を
    割引して販売」) asks the city for nothing and scores 0.
    """
    text = normalise(text)
    score = sum(weight for pattern, weight in _SALES_WEIGHTS if pattern.search(text))
    asks = _ASK_TO_BUY.search(text) or _ASK_TO_ADVERTISE.search(text)
    return score if asks else 0


def asks_city_to_pay(text: str) -> bool:
    """Whether the text asks the city to pay (a budget phrase said in the negative is not)."""
    text = normalise(text)
    for match in _CITY_PAYS.finditer(text):
        near = text[max(0, match.start() - 12) : match.end() + 12]
        if not _NO_NEED.search(near):
            return True
    return False


def _endorsement_by_meaning(text: str) -> bool:
    if endorsement(text):
        return True
    for sentence in _sentences(text):
        if _ENDORSE_ASK.search(sentence) and _ENDORSE_USE.search(sentence):
            return True
    return False


def eligibility_hits(text: str, *, cost_model: str | None) -> list[str]:
    """Rule ids (platform.yaml `eligibility_rules`) the proposal runs into, by what it asks for.

    - sales-pitch: `sales_score` ≥ 3, i.e. it asks the city or the members to buy, adopt or
      advertise something, with its own product or a price offer (or an ask to advertise);
    - political-religious: campaigning or proselytising (one strong phrase, or two different
      political/religious words);
    - endorsement: the city's name, logo or endorsement asked for advertising or sales;
    - needs-budget: the cost model is needs_budget, or the text asks the city to pay while no
      other cost model was chosen (an explicit no_cost/proposer_bears answer wins).
    """
    text = normalise(text)
    hits: list[str] = []
    if sales_score(text) >= SALES_THRESHOLD:
        hits.append("sales-pitch")
    weak = {m.group(0).lower() for m in _POLITICAL_WEAK.finditer(text)}
    if _POLITICAL_STRONG.search(text) or len(weak) >= 2:
        hits.append("political-religious")
    if _endorsement_by_meaning(text):
        hits.append("endorsement")
    if cost_model == "needs_budget" or (cost_model is None and asks_city_to_pay(text)):
        hits.append("needs-budget")
    return hits
