"""Reading a whole message for every field, and the eligibility rules by meaning (issue 9).

The wrong readings the issue lists are cases here: "propose" is no publicity request,
"Slack" is no problem, 「株式会社よこはまテック」 and 「NPO法人みどりのまち」 are not cut at は
or の, the contact is never 「提案をしたい」, the summary is not the raw message, a
food-loss proposal that sells at a discount is not a sales pitch.
"""

from __future__ import annotations

from typing import Any

import pytest

from workflows.eligibility import sales_score
from workflows.extraction import ROLE_PATTERNS, contact_name, cost_model, extract, organisation
from workflows.understanding import Intent, eligibility_hits, recognise

ORGANISATIONS: list[tuple[str, tuple[str, str] | None]] = [
    ("株式会社よこはまテックです", ("株式会社よこはまテック", "company")),
    ("株式会社よこはまテックの佐藤です", ("株式会社よこはまテック", "company")),
    ("NPO法人みどりのまち", ("NPO法人みどりのまち", "npo")),
    ("NPO法人みどりのまちの佐藤です", ("NPO法人みどりのまち", "npo")),
    ("株式会社よこはまの森の山本です", ("株式会社よこはまの森", "company")),
    ("株式会社ミナトセンシングの森です", ("株式会社ミナトセンシング", "company")),
    ("株式会社ミナトリサイクルの山田です", ("株式会社ミナトリサイクル", "company")),
    ("株式会社ミナトリサイクルは市内で回収を行います", ("株式会社ミナトリサイクル", "company")),
    (
        "株式会社ヨコハマデータラボです。担当は高橋と申します",
        ("株式会社ヨコハマデータラボ", "company"),
    ),
    ("私はミナトリサイクル株式会社の山田です", ("ミナトリサイクル株式会社", "company")),
    ("有限会社さがみ工務店の岡田でございます", ("有限会社さがみ工務店", "company")),
    ("一般社団法人あおばまちづくりの木村です", ("一般社団法人あおばまちづくり", "association")),
    ("社会福祉法人ひまわりの家です", ("社会福祉法人ひまわりの家", "association")),
    ("横浜市立大学の研究室です", ("横浜市立大学", "university")),
    ("はまかぜ信用金庫です", ("はまかぜ信用金庫", "financial")),
    ("I am John Smith from Harbour Mobility Inc.", ("Harbour Mobility Inc.", "company")),
    ("We are Harbor Data Inc. based in Yokohama", ("Harbor Data Inc.", "company")),
    ("株式会社", None),
    ("株式会社です", None),
    ("こんにちは", None),
]


@pytest.mark.parametrize(("text", "expected"), ORGANISATIONS)
def test_organisation_names_are_whole(text: str, expected: tuple[str, str] | None) -> None:
    found = organisation(text)
    assert ((found[0], found[1].value) if found else None) == expected


CONTACTS: list[tuple[str, str | None]] = [
    ("私は提案をしたいです", None),
    ("相談があります", None),
    ("地域の課題です", None),
    ("株式会社ミナトリサイクルの山田です", "山田"),
    ("担当は高橋と申します", "高橋"),
    ("Hello, I am John Smith from Harbour Mobility Inc.", "John Smith"),
    ("This is Harbour Mobility Inc.", None),
]


@pytest.mark.parametrize(("text", "expected"), CONTACTS)
def test_contact_name_is_a_person(text: str, expected: str | None) -> None:
    assert contact_name(text) == expected


ROLES: list[tuple[str, set[str]]] = [
    ("We propose a shared e-bike pilot.", set()),
    ("We will propose it to residents.", set()),
    ("市のPRにご協力いただきたいです", {"publicity"}),
    ("We would like help with publicity.", {"publicity"}),
    ("We use Slack to coordinate our volunteers.", set()),
    ("会場として公園を使わせていただきたいです", {"venue"}),
    ("オープンデータの提供をお願いします", {"data"}),
    ("We need data on bus stops.", {"data"}),
    ("保育園の紹介をお願いしたいです", {"introductions"}),
    ("弊社製品をご紹介します", set()),
    ("We would like introductions to the neighbourhood associations.", {"introductions"}),
    ("道路使用の許可についてご協力ください", {"permits"}),
    ("From the city we would need a test field and help with permits.", {"venue", "permits"}),
    ("市との共催でイベントを開きたい", {"co_hosting"}),
]


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_roles_are_read_as_words(text: str, expected: set[str]) -> None:
    assert {r.value for r, pattern in ROLE_PATTERNS.items() if pattern.search(text)} == expected


COSTS: list[tuple[str, str | None]] = [
    ("費用は当社が負担し、市の費用負担はありません。", "no_cost"),
    ("市の費用負担はございません。", "no_cost"),
    ("No cost to the city.", "no_cost"),
    ("市の予算は不要です。", "no_cost"),
    ("We cover all the costs ourselves.", "proposer_bears"),
    ("費用は弊社にて負担いたします。", "proposer_bears"),
    ("じゃあ、うちで持ちます", "proposer_bears"),
    ("自社負担で行います", "proposer_bears"),
    ("実施には市の予算で委託していただく必要があります。", "needs_budget"),
    ("The city would pay for the sensors.", "needs_budget"),
    ("We do this without city budget.", None),
    ("公園で回収ボックスを置きます。", None),
]


@pytest.mark.parametrize(("text", "expected"), COSTS)
def test_cost_model(text: str, expected: str | None) -> None:
    found = cost_model(text)
    assert (found.value if found else None) == expected


RICH = (
    "株式会社ミナトリサイクルの山田です。市内の公園に回収ボックスを置いて、使用済みペットボトルを"
    "回収・再生する実証を提案します。ごみの分別が進まないことが地域の課題です。会場として公園を"
    "使わせていただき、広報にもご協力いただきたいです。費用は当社が負担し、市の費用負担はありません。"
    "連絡先 yamada@minato-recycle.co.jp 045-123-4567"
)
KEIGO = """横浜市 共創推進課 ご担当者様

いつもお世話になっております。株式会社ヨコハマデータラボの高橋と申します。
市内の保育所の情報をオープンデータとして地図にまとめるサービスの実証をご提案いたします。
施設の情報が分散しており、保護者が施設を探すのに時間がかかることが地域の課題と考えております。
市には施設データの提供と、広報へのご協力をお願いできればと存じます。市の費用負担はございません。
何卒よろしくお願いいたします。

――――――――――
株式会社ヨコハマデータラボ
事業開発部 部長
高橋 健一
TEL：045-222-3333
Mail：takahashi@yokohama-datalab.example.jp
――――――――――"""
SLACK = (
    "Hi, this is Kenji Ota from Bayside Apps Inc. We propose a Slack workspace where "
    "neighbourhood associations can share notices. Many associations still circulate paper "
    "notices, so young residents rarely see them. We will build and run the workspace. We would "
    "like introductions to the neighbourhood associations. No cost to the city. "
    "kenji@bayside-apps.example.com"
)

EXTRACTS: list[tuple[str, str, dict[str, Any], list[str]]] = [
    (
        "one rich message",
        RICH,
        {
            "organisation.name": "株式会社ミナトリサイクル",
            "contact.name": "山田",
            "contact.email": "yamada@minato-recycle.co.jp",
            "contact.phone": "+81451234567",
            "content.municipality_roles": ["venue", "publicity"],
            "content.cost_model": "no_cost",
            "content.problem": "ごみの分別が進まないことが地域の課題です。",
        },
        ["山田です", "連絡先", "@"],
    ),
    (
        "keigo e-mail with a signature",
        KEIGO,
        {
            "organisation.name": "株式会社ヨコハマデータラボ",
            "organisation.type": "company",
            "contact.name": "高橋健一",
            "contact.phone": "+81452223333",
            "contact.email": "takahashi@yokohama-datalab.example.jp",
            "content.municipality_roles": ["publicity", "data"],
            "content.cost_model": "no_cost",
        },
        ["ご担当者様", "お世話", "何卒", "TEL", "Mail", "事業開発部"],
    ),
    (
        "English: propose and Slack",
        SLACK,
        {
            "organisation.name": "Bayside Apps Inc.",
            "contact.name": "Kenji Ota",
            "content.municipality_roles": ["introductions"],
            "content.cost_model": "no_cost",
        },
        ["Hi,", "this is Kenji", "kenji@"],
    ),
    (
        "title in brackets with a full stop inside",
        "タイトルは「みんなの公園。みんなの広場」です。公園で月1回、地域の人が集まる広場を開きます。",
        {"content.title": "みんなの公園。みんなの広場"},
        [],
    ),
    (
        "a second fact in the same answer",
        "メールは sato@example.jp、電話は 090-1234-5678 です",
        {"contact.email": "sato@example.jp", "contact.phone": "+819012345678"},
        [],
    ),
    (
        "a question gives no summary",
        "提案するのに費用はかかりますか？市外の会社でも提案できるのか、締め切りはいつなのかも知りたいです。",
        {"content.summary": None},
        [],
    ),
    (
        "a bare legal form gives the type, not a name",
        "NPO法人です",
        {"organisation.type": "npo", "organisation.name": None},
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected", "not_in_summary"),
    [case[1:] for case in EXTRACTS],
    ids=[case[0] for case in EXTRACTS],
)
def test_extract_reads_every_field_cleanly(
    text: str, expected: dict[str, Any], not_in_summary: list[str]
) -> None:
    slots = extract(text)
    assert {key: slots.get(key) for key in expected} == expected
    summary = slots.get("content.summary", "")
    assert not [part for part in not_in_summary if part in summary], summary
    assert "publicity" not in slots.get("content.municipality_roles", []) or "広報" in text


ELIGIBILITY: list[tuple[str, str | None, list[str]]] = [
    (
        "株式会社クリーンエアの田中です。弊社の新製品の空気清浄機を市の全施設に導入していただきたく、"
        "ご提案します。特別価格でのご購入をご検討ください。",
        None,
        ["sales-pitch"],
    ),
    (
        "弊社の新製品の空気清浄機を市の全施設に導入していただきたく、ご案内いたします。今なら特別価格で"
        "ご購入いただけます。お見積もりをお送りしますので、ぜひご検討ください。",
        None,
        ["sales-pitch"],
    ),
    (
        "規格外野菜を割引価格で販売する直売会を市内で月1回開き、売れ残りは子ども食堂に寄付して"
        "フードロスを減らします。市には広報をお願いしたいです。",
        None,
        [],
    ),
    (
        "商店街の飲食店の売れ残りを閉店前に割引で販売するアプリを運営し、フードロスを減らします。",
        "no_cost",
        [],
    ),
    (
        "会員企業の皆様に弊社の省エネ機器をご紹介し、ご購入いただく機会をいただきたいです。",
        None,
        ["sales-pitch"],
    ),
    ("市の広報誌で弊社の商品を宣伝していただきたいです。", None, ["sales-pitch"]),
    (
        "We would like the city to purchase our new air purifiers at a special price.",
        None,
        ["sales-pitch"],
    ),
    (
        "We sell surplus bread at a discount in our shop and donate the rest to food banks.",
        None,
        [],
    ),
    ("We would like to sell our software to your members.", None, ["sales-pitch"]),
    ("市のロゴを使って自社製品を宣伝したい", None, ["endorsement"]),
    ("市の名義をいただき、商品のパッケージに載せたいです。", None, ["endorsement"]),
    ("We would like to use the city's logo on our product packaging.", None, ["endorsement"]),
    ("市の後援をいただき、公園で防災イベントを開きたいです。", None, []),
    ("次の選挙に向けて候補者の応援集会を開きたい", None, ["political-religious"]),
    ("布教のための集会を公民館で開きたいです", None, ["political-religious"]),
    ("We want to campaign for our candidate in the park.", None, ["political-religious"]),
    ("選挙の投票率を上げるため、若者向けの啓発イベントを行います。", None, []),
    ("お寺と神社で地域の防災訓練を行います。", None, []),
    ("実施には市の予算で委託していただく必要があります。", None, ["needs-budget"]),
    ("公園で回収ボックスを置きます。", "needs_budget", ["needs-budget"]),
    ("市の予算は不要です。公園で回収ボックスを置きます。", None, []),
    ("The city would pay for the sensors.", None, ["needs-budget"]),
    ("実施には市の予算で委託していただく必要があります。", "no_cost", []),
    ("市内の公園で子ども向けの外遊びプレーパークを開きます。", None, []),
    ("We would like the city to adopt our app for free.", None, []),
    ("弊社のプログラミング教材を市内の小学校に無償で導入していただきたいです。", None, []),
    ("無料トライアルの後、弊社システムを特別価格でご購入いただけます。", None, ["sales-pitch"]),
    ("弊社のアプリを市の広報で紹介していただきたいです。", None, []),
]


@pytest.mark.parametrize(("text", "cost", "expected"), ELIGIBILITY)
def test_eligibility_by_what_the_proposal_asks_for(
    text: str, cost: str | None, expected: list[str]
) -> None:
    assert eligibility_hits(text, cost_model=cost) == expected


def test_selling_as_part_of_the_activity_scores_nothing() -> None:
    assert sales_score("規格外野菜を割引して販売し、売れ残りを寄付します。") == 0
    assert sales_score("特別価格でのご購入をご検討ください。弊社の新製品です。") >= 3


INTENTS: list[tuple[str, Intent]] = [
    (KEIGO, Intent.PROPOSAL),  # 「ご担当者様」 is no request for a person, 「状況」 no status check
    ("担当者と話したい", Intent.HUMAN),
    ("担当者", Intent.HUMAN),
    ("I'd like to talk to a person", Intent.HUMAN),
    (
        "Our staff will run the workshop and our volunteers will clean the park every week in May.",
        Intent.PROPOSAL,
    ),
    ("KF-2026-00001 の状況は？", Intent.STATUS),
    ("提案の状況を確認したい", Intent.STATUS),
    ("参加の階層は変更できますか", Intent.QUESTION),
]


@pytest.mark.parametrize(("text", "expected"), INTENTS)
def test_intent_of_a_whole_message(text: str, expected: Intent) -> None:
    assert recognise(text) is expected
