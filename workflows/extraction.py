"""What a free text states outright: contact details, organisation, roles, costs, period."""

from __future__ import annotations

import re
from typing import Any

from workflows.clauses import clauses
from workflows.contacts import URL_IN_TEXT, email_in, phone_in
from workflows.courtesy import proposal_sentences
from workflows.names import legal_form_only, named_by_suffix, organisation, stated_type
from workflows.people import person_name
from workflows.plain import first_sentence, normalise
from workflows.questions import is_question
from workflows.record import CostModel, Role, corporate_number_is_valid
from workflows.signature import read_signature
from workflows.values import clean_value

__all__ = [
    "MAX_TEXT",
    "ROLE_PATTERNS",
    "contact_name",
    "corporate_number",
    "extract",
    "organisation",
]

# What a turn reads of one message (the proposal summary included); the rest stays in the
# transcript only. Every pattern here is linear, so this bounds the work, not the correctness.
MAX_TEXT = 4000


def contact_name(text: str) -> str | None:
    """The writer's name, when they introduce themselves (never 「提案をしたい」 or 「相談」)."""
    return person_name(text)


# Roles are what the proposer asks of the city. English words are matched as whole words
# ("propose" is not "PR", "Slack" is not "lack"); 「ご紹介します」 is the proposer introducing.
_W = r"(?<![A-Za-z])"
_E = r"(?![A-Za-z])"
ROLE_PATTERNS: dict[Role, re.Pattern[str]] = {
    Role.VENUE: re.compile(
        r"会場|場所の提供|場所を(?:提供|お借り|貸)|設置場所|実証の?場|フィールド|"
        r"(?:公園|施設|空き地|空き部屋|スペース|バス停|花壇|広場|集会所|公民館|庁舎|校庭|体育館|"
        r"駐車場|屋上|壁面|センター)を?(?:使|つか|利用|お借り|提供|貸)|(?:使|つか)わせて(?:いただ|もら|ほし|欲し)|"
        rf"{_W}(?:venues?|test fields?|sites?|premises|space to|spaces? for|a place|places? (?:for|to)|"
        rf"rooms? (?:in|at|for)|meeting rooms?|"
        rf"locations? (?:for|to)|to test (?:on|in|at)|(?:use|borrow) (?:your|the city's|city) "
        rf"(?:\w+ ){{0,2}}(?:centres?|centers?|parks?|buildings?|halls?|facilities|spaces?)){_E}",
        re.I,
    ),
    Role.PUBLICITY: re.compile(
        rf"広報|周知|宣伝|{_W}PR{_E}|告知|{_W}(?:publicity|promot(?:e|ion|ing)|advertis\w{{0,4}}|"
        rf"spread(?:ing)? the word){_E}",
        re.I,
    ),
    Role.DATA: re.compile(
        r"データの?提供|データを(?:提供|お借り|共有|いただ)|オープンデータ|情報(?:の|を)(?:ご)?提供|"
        r"(?:記録|統計|実績|数値|台帳|利用状況|点検結果)(?:を|の)(?:ご)?(?:提供|いただ|頂|共有|お借り|開示|"
        r"見せて|お貸し)|"
        rf"{_W}(?:data|statistics|records){_E}",
        re.I,
    ),
    Role.INTRODUCTIONS: re.compile(
        rf"紹介(?!し(?:ます|たい)|させ|いたし)|つないで|つなげて|橋渡し|"
        rf"{_W}(?:introduc(?:e us|tions?|ing us)|connect us){_E}",
        re.I,
    ),
    Role.PERMITS: re.compile(
        r"許可|許認可|(?:関係|各)?(?:部署|機関|団体|住民|地域)?との調整|調整(?:を|に|いただ|して)|"
        r"手続き?(?:の|を|に|について)|申請(?:の|を|に|について)|"
        rf"{_W}(?:permits?|permission|coordination with|help(?: us)? (?:to )?coordinate){_E}",
        re.I,
    ),
    Role.CO_HOSTING: re.compile(rf"共催|{_W}co-?host(?:ing|ed)?{_E}", re.I),
}

_COST_PATTERNS: list[tuple[CostModel, re.Pattern[str]]] = [
    (
        CostModel.NEEDS_BUDGET,
        re.compile(
            r"(?:市|貴市|自治体|事務局|コンソーシアム)の予算(?:で|を|により|から|に)|予算(?:化|措置)|"
            r"予算(?:が必要|をお願い|をいただ|を確保して)|委託(?:して|していただ|契約|料)|"
            r"購入していただ|ご購入(?:いただ|を|の)|有償で|費用を(?:ご)?負担(?:して|いただ)|"
            r"(?:市|貴市|自治体)に(?:費用|経費)を?(?:ご)?負担|"
            r"(?:料|費|代|お金|費用)を(?:市|貴市|自治体)に(?:出し|払っ|支払っ|負担し)て(?:もら|いただ|ほし|欲し)|"
            r"(?:市|貴市|自治体)に(?:出し|払っ|支払っ)て(?:もら|いただ|ほし|欲し)|"
            rf"{_W}(?:the )?city (?:would |will |should |to )?(?:pay|fund|cover){_E}|"
            rf"{_W}(?:paid|funded) by the city|(?:city|municipal|city's) budget|purchase our{_E}",
            re.I,
        ),
    ),
    (
        CostModel.NO_COST,
        re.compile(
            r"(?:費用|(?:市|自治体|事務局|コンソーシアム)の(?:費用)?)負担(?:は|も)?"
            r"(?:なし|ありません|ございません|発生しません|かかりません|ゼロ|一切)|無償|無料で|"
            r"予算は(?:不要|いりません|必要ありません)|費用はかかりません|"
            r"負担(?:は|も)(?:ゼロ|0円|一切(?:ありません|なし))|"
            r"(?:市|貴市|自治体)(?:に|へ|から)は?(?:お金|費用|予算|料金|対価)(?:は|を|も)?"
            r"(?:求めません|いただきません|請求しません|頂きません|必要ありません|いりません)|"
            rf"{_W}(?:no cost|free of charge|no budget (?:is )?needed|costs? the city nothing){_E}",
            re.I,
        ),
    ),
    (
        CostModel.PROPOSER_BEARS,
        re.compile(
            r"実費(?:は|を)(?:当社|弊社|私ども|自社|提案者)|実費負担|自社負担|自己負担|"
            r"(?:当社|弊社|自社|私ども|うち|当団体|弊団体|当法人|弊法人|当方|私たち|我々|こちら|"
            r"自分|自分たち|わたしたち|僕ら|僕たち|当金庫|当行|当大学|本学|当校|当組合|当会|当協会|"
            r"当財団|当店|当院|当事務所|当研究室)"
            r"(?:で|が|にて|の方で|のほうで)(?:全て|すべて|全額|全部)?(?:負担|持ち|持つ|賄|出し|出す|払)|"
            r"(?:当社|弊社|自社|うち|当団体|当法人|弊法人|自分|自腹|自前)(?:持ち|もち)|自腹|手弁当|持ち出し|"
            r"費用は(?!市|貴市|自治体|行政|事務局|コンソーシアム)[^。、!！]{0,12}?(?:で|が)"
            r"(?:全て|すべて|全額|全部)?(?:負担し|持ち|もち|賄い|出し)ます|"
            r"(?:当町|本町|当村|本村|町|村)の(?:予算|財源|費用)で(?:手当|負担|賄|確保|措置|対応)|"
            r"費用は(?:すべて|全て|全額)?(?:当社|弊社|自社|当法人|弊法人|当団体)|"
            r"(?:当社|弊社|自社|当法人|弊法人|当団体)負担|"
            rf"{_W}(?:bear the (?:actual )?costs?|we(?: will|'ll)? (?:cover|pay|bear|fund)|"
            rf"(?:i|we)(?: will|'ll)? pay for (?:it|them|everything)(?: ourselves| myself)?|"
            rf"(?:at|on) (?:our|my) own (?:cost|expense|dime)|self-funded|"
            rf"(?:members?|association|we|ourselves|themselves) (?:\w+ ){{0,3}}pay for|"
            rf"(?:it'?s|it is|all|costs? (?:are|is)|that'?s) on us|"
            rf"cover (?:all )?(?:the )?costs? ourselves|at our own (?:cost|expense)){_E}",
            re.I,
        ),
    ),
]
# A budget phrase that says no budget is needed ("市の予算に頼らず", "without city budget").
_NEGATED = re.compile(
    r"頼らず|不要|必要(?:は)?ありません|いりません|求めません|使わず|(?<![A-Za-z])(?:no|without|not)(?![A-Za-z])",
    re.I,
)

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


def cost_model(text: str) -> CostModel | None:
    """The cost model a text states; a budget phrase said in the negative is not a need."""
    for model, pattern in _COST_PATTERNS:
        for match in pattern.finditer(text):
            if model is CostModel.NEEDS_BUDGET and (
                _NEGATED.search(text, match.end(), match.end() + 12)
                or _NEGATED.search(text, max(0, match.start() - 12), match.start())
            ):
                continue
            return model
    return None


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
    text; the desk passes at most `MAX_TEXT` characters of a message.
    """
    text = normalise(text)
    slots: dict[str, Any] = {}
    _contact(text, slots)
    _organisation(text, slots)
    _content(text, slots)
    return slots
