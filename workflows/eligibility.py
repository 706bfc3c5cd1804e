"""Eligibility by meaning: the platform's rules fire on what a proposal asks of the city.

A sales pitch asks the city to buy or advertise (selling as the proposal's own activity is no
pitch), a political or religious proposal campaigns or proselytises, an endorsement asks for the
city's name or logo for advertising, and a budget need asks the city to pay.
"""

from __future__ import annotations

import re

from workflows.plain import normalise
from workflows.questions import sentences_of

# The first word lists (issue 8), kept for `sales_signals` and `endorsement`.
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
    rf"{_W}our (?:new )?(?:products?|services?|software|solutions?|devices?|system|app|"
    rf"platform){_E}",
    re.I,
)
_PRICE_OFFER = re.compile(
    r"特別価格|特別割引|ご優待|優待価格|割引価格でご提供|お値引|定価|価格表|キャンペーン価格|今なら|"
    rf"{_W}(?:special (?:price|offer|discount)|discount(?:ed)? (?:price|rate)|pricing|a quote|"
    rf"per licen[cs]e){_E}",
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
    own product 1, a price offer 1, offering it free -1. Selling as part of the proposal's own
    activity (「規格外野菜を割引して販売」) asks the city for nothing and scores 0.
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
    for sentence in sentences_of(text):
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
