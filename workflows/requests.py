"""What a proposal asks of the city and who pays: the roles and the cost model it states.

English words are matched as whole words ("propose" is no PR, "Slack" no lack); a budget phrase
said in the negative (「市の予算は不要」, "without city budget") is no need of the city's money.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workflows.record import CostModel, Role

__all__ = ["ROLE_PATTERNS", "cost_model"]

# Roles are what the proposer asks of the city. English words are matched as whole words
# ("propose" is not "PR", "Slack" is not "lack"); 「ご紹介します」 is the proposer introducing.
_W = r"(?<![A-Za-z])"
_E = r"(?![A-Za-z])"
ROLE_PATTERNS: dict[Role, re.Pattern[str]] = {
    Role.VENUE: re.compile(
        r"会場|場所の提供|場所を(?:提供|お借り|貸)|設置場所|実証の?場|フィールド|"
        r"(?:公園|施設|空き地|空き部屋|スペース|バス停|花壇|広場|集会所|公民館|庁舎|校庭|体育館|"
        r"駐車場|屋上|壁面|センター)を?(?:使|つか|利用|お借り|提供|貸)|"
        r"(?:使|つか)わせて(?:いただ|もら|ほし|欲し)|"
        rf"{_W}(?:venues?|test fields?|sites?|premises|space to|spaces? for|a place|"
        rf"places? (?:for|to)|"
        rf"rooms? (?:in|at|for)|meeting rooms?|space (?:at|in)|"
        rf"locations? (?:for|to)|to test (?:on|in|at)|(?:use|borrow) (?:your|the city's|city) "
        rf"(?:\w+ ){{0,2}}(?:centres?|centers?|parks?|buildings?|halls?|facilities|spaces?)){_E}",
        re.I,
    ),
    Role.PUBLICITY: re.compile(
        rf"広報|周知|宣伝|{_W}PR{_E}|告知|{_W}(?:publicity|promot(?:e|ion|ing)|advertis\w{{0,4}}|"
        rf"spread(?:ing)? the word|newsletters?|a mention in){_E}",
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
            rf"(?:i|we)(?: will|'ll)? pay for (?:the |our |my )?[a-z ]{{1,30}} "
            rf"(?:myself|ourselves)|"
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


@lru_cache(maxsize=64)  # the proposal and its sentences are asked about more than once a turn
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
