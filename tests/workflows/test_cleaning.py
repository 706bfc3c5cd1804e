"""The value, not the sentence around it: cleaning what people actually type (issue 9).

Table-driven, with the wording proposers used in the issue's trial and the ways people write
(keigo e-mails with a signature, emoji, fillers, English); a case that fails names its text.
"""

from __future__ import annotations

import pytest

from workflows import plain
from workflows.cleaning import (
    change_request,
    clean_value,
    is_question,
    is_undecided,
    proposal_sentences,
    read_signature,
)

KEIGO_MAIL = """横浜市 共創推進課 ご担当者様

いつもお世話になっております。
株式会社ヨコハマデータラボの高橋と申します。

このたび、市内のバス停に人流センサーを設置し、混雑状況をオープンデータとして公開する実証実験をご提案させていただきたく、ご連絡いたしました。
高齢者の方がバスの待ち時間を把握できず、猛暑の中で長時間待つことが課題となっております。
センサーの設置場所として市のバス停をお借りできればと存じます。費用は弊社にて負担いたします。

ご検討のほど、よろしくお願いいたします。

--------------------------------
株式会社ヨコハマデータラボ
事業開発部 部長
高橋 誠
TEL: 045-123-4567 / FAX: 045-123-4568
E-mail: takahashi@yokohama-datalab.example.jp
--------------------------------
"""

ENGLISH_MAIL = """Dear Sir or Madam,

I hope this email finds you well. My name is Emily Clark from Bayside Energy Ltd.
We would like to propose installing solar-powered charging benches in three city parks.
Residents lack places to charge phones during disasters.
We cover all the costs ourselves.

Best regards,
Emily Clark
Partnerships Manager
Bayside Energy Ltd.
Tel: +81 45-987-6543
Email: emily.clark@bayside.example.com
"""

LABELLED = """提案の概要は添付のとおりです。
＿＿＿＿＿＿＿＿＿＿＿＿
会社名：合同会社はまかぜ
部署：地域連携室
氏名：佐々木 恵
電話：090-1234-5678
メール：sasaki@hamakaze.example.jp
"""

CLEAN_VALUE: list[tuple[str, str, str | None]] = [
    # organisation.name: the name, not the sentence; a legal form alone is no name
    (
        "organisation.name",
        "株式会社ヨコハマデータラボです。担当は高橋と申します",
        "株式会社ヨコハマデータラボ",
    ),
    ("organisation.name", "株式会社Xです。担当は高橋と申します", "株式会社X"),
    ("organisation.name", "株式会社", None),
    ("organisation.name", "株式会社です", None),
    ("organisation.name", "NPO法人です", None),
    ("organisation.name", "NPO法人みどりのまち", "NPO法人みどりのまち"),
    ("organisation.name", "NPO法人みどりのまちです。", "NPO法人みどりのまち"),
    ("organisation.name", "株式会社よこはまテックです", "株式会社よこはまテック"),
    ("organisation.name", "株式会社よこはまの高橋です", "株式会社よこはま"),
    ("organisation.name", "ミナトリサイクル株式会社と申します", "ミナトリサイクル株式会社"),
    ("organisation.name", "弊社はミナトリサイクル株式会社です", "ミナトリサイクル株式会社"),
    (
        "organisation.name",
        "一般社団法人あおばまちづくりでございます🙏",
        "一般社団法人あおばまちづくり",
    ),
    ("organisation.name", "（株）ハマテックです", "(株)ハマテック"),
    ("organisation.name", "みどりのまちです", "みどりのまち"),
    ("organisation.name", "えっと、横浜こども食堂ネットワークです", "横浜こども食堂ネットワーク"),
    ("organisation.name", "横浜市立大学の研究室です", "横浜市立大学"),
    (
        "organisation.name",
        "湘南工科大学 環境システム研究室でございます。",
        "湘南工科大学 環境システム研究室",
    ),
    ("organisation.name", "株式会社ミナト 横浜支店です", "株式会社ミナト 横浜支店"),
    ("organisation.name", "We are Harbor Data Inc.", "Harbor Data Inc."),
    ("organisation.name", "It's Bayside Apps Inc.", "Bayside Apps Inc."),
    ("organisation.name", "A university", None),
    ("organisation.name", "相談です", None),
    ("organisation.name", "提案をしたいのですが", None),
    ("organisation.name", "会社名は何を書けばいいですか", None),
    ("organisation.name", "未定です", None),
    # contact.name: a person's name, never 「相談」 or 「提案をしたい」
    ("contact.name", "相談", None),
    ("contact.name", "提案をしたい", None),
    ("contact.name", "質問です", None),
    ("contact.name", "高橋と申します", "高橋"),
    ("contact.name", "担当は高橋です", "高橋"),
    ("contact.name", "佐藤花子です", "佐藤花子"),
    ("contact.name", "佐藤 花子です😊", "佐藤花子"),
    ("contact.name", "私、山田が担当いたします", "山田"),
    ("contact.name", "株式会社ミナトリサイクルの山田です", "山田"),
    ("contact.name", "代表取締役 田中一郎", "田中一郎"),
    ("contact.name", "担当者は木村さんです", "木村"),
    ("contact.name", "John Smith", "John Smith"),
    ("contact.name", "My name is John Smith", "John Smith"),
    ("contact.name", "It's Emily Carter.", "Emily Carter"),
    ("contact.name", "I want to make a proposal", None),
    ("contact.name", "not sure", None),
    # e-mail and phone: the address or number inside the sentence, a second fact ignored here
    ("contact.email", "メールは sato@example.jp でお願いします", "sato@example.jp"),
    ("contact.email", "sato@Example.JP です。電話は090-1234-5678", "sato@example.jp"),
    ("contact.email", "メールアドレスはまだありません", None),
    ("contact.phone", "電話は 090-1234-5678 です", "+819012345678"),
    ("contact.phone", "０４５－１２３－４５６７でお願いします", "+81451234567"),
    ("contact.phone", "TEL 045-123-4567 / FAX 045-123-4568", "+81451234567"),
    ("contact.phone", "FAX 045-123-4568", None),
    # content.title: quoted titles kept whole, fillers and the sentence around them gone
    ("content.title", "タイトルは「団地の子どもの居場所」です", "団地の子どもの居場所"),
    (
        "content.title",
        "「公園でのペットボトル回収実証」でお願いします🙏",
        "公園でのペットボトル回収実証",
    ),
    ("content.title", "「ごみゼロ」プロジェクト", "「ごみゼロ」プロジェクト"),
    ("content.title", "「「ごみゼロ」プロジェクト」でお願いします", "「ごみゼロ」プロジェクト"),
    (
        "content.title",
        "件名は「子育て施設オープンデータマップの実証」でお願いいたします。",
        "子育て施設オープンデータマップの実証",
    ),
    (
        "content.title",
        "件名：「商店街の空き店舗で高齢者の居場所づくり」のご提案",
        "商店街の空き店舗で高齢者の居場所づくり",
    ),
    ("content.title", "「みんなの公園。みんなの広場」で", "みんなの公園。みんなの広場"),
    (
        "content.title",
        "The title is: Heat-stress sensors in school playgrounds",
        "Heat-stress sensors in school playgrounds",
    ),
    (
        "content.title",
        "It's called Green loans for small factories",
        "Green loans for small factories",
    ),
    ("content.title", "未定です", None),
    ("content.title", "まだ決めていません。おまかせします", None),
    ("content.title", "タイトルって後から変えられますか？", None),
    # content.summary: the proposal sentences, a question is not a summary
    ("content.summary", "提案するのに費用はかかりますか？", None),
    ("content.summary", "提案するのに費用はかかりますか", None),
    ("content.summary", "Can I submit at night", None),
    ("content.summary", "わかりません", None),
    # choices: the words that answer, without the politeness
    ("proposer.membership_tier", "Bでお願いします🙏", "B"),
    ("proposer.membership_tier", "B please.", "B"),
    ("organisation.name", "We are NPO法人みどりのまち.", "NPO法人みどりのまち"),
    # a direct answer to the organisation question is kept whole, the copula stripped
    ("organisation.name", "湘南工科大学 環境システム研究室です", "湘南工科大学 環境システム研究室"),
    (
        "organisation.name",
        "湘南工科大学の環境システム研究室です",
        "湘南工科大学の環境システム研究室",
    ),
    ("organisation.name", "横浜市立大学です", "横浜市立大学"),
    ("contact.name", "My name is 佐藤 花子.", "佐藤花子"),
    ("contact.name", "高橋健一です〜", "高橋健一"),
    ("contact.phone", "My phone number is 045-222-3333.", "+81452223333"),
    ("contact.email", "It's a.b@example.jp", "a.b@example.jp"),
    ("organisation.type", "NPO法人です", "NPO法人"),
    ("content.cost_model", "じゃあ、うちで持ちます", "うちで持ちます"),
    ("organisation.location", "所在地は横浜市中区です", "横浜市中区"),
    ("organisation.corporate_number", "法人番号は 7000-0120-50002 です", "7000012050002"),
]


@pytest.mark.parametrize(("field", "text", "expected"), CLEAN_VALUE)
def test_clean_value_keeps_the_value_not_the_sentence(
    field: str, text: str, expected: str | None
) -> None:
    assert clean_value(field, text) == expected


SUMMARY_CASES: list[tuple[str, str, list[str], list[str]]] = [
    (
        "keigo e-mail with a signature",
        KEIGO_MAIL,
        ["人流センサー", "課題となっております", "費用は弊社にて負担いたします"],
        [
            "ご担当者様",
            "お世話になって",
            "高橋と申します",
            "よろしく",
            "TEL",
            "E-mail",
            "事業開発部",
            "----",
        ],
    ),
    (
        "English e-mail",
        ENGLISH_MAIL,
        ["charging benches", "Residents lack"],
        ["Dear", "hope this email", "My name is", "Best regards", "Partnerships", "Tel", "@"],
    ),
    (
        "introduction, proposal, contact line",
        "株式会社ミナトリサイクルの山田です。公園でペットボトルを回収する実証を提案します。"
        "連絡先 yamada@minato-recycle.co.jp 045-123-4567",
        ["公園でペットボトルを回収する実証を提案します。"],
        ["山田です", "連絡先", "@", "045"],
    ),
    (
        "a greeting in front of the proposal",
        "こんにちは、商店街の空き店舗でマルシェを月1回開きます。",
        ["商店街の空き店舗でマルシェを月1回開きます。"],
        ["こんにちは"],
    ),
    (
        "emoji and a closing line",
        "駅前の駐輪場にAIカメラを置き、空き状況を配信します✨\nよろしくお願いします🙇",
        ["駅前の駐輪場にAIカメラを置き、空き状況を配信します"],
        ["よろしく", "✨", "🙇"],
    ),
    (
        "the title line of an e-mail",
        "件名：「商店街の空き店舗で高齢者の居場所づくり」のご提案\n商店街の空き店舗を改装します。",
        ["商店街の空き店舗を改装します。"],
        ["件名"],
    ),
    (
        "English greeting, meta sentence and address",
        "Hello, I'd like to make a proposal. We propose a Slack workspace for neighbourhood "
        "associations. No cost to the city. kenji@bayside-apps.example.com",
        ["Slack workspace", "No cost to the city."],
        ["Hello", "make a proposal", "kenji@"],
    ),
    ("only a greeting", "お世話になっております。", [], ["お世話"]),
]


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [case[1:] for case in SUMMARY_CASES],
    ids=[case[0] for case in SUMMARY_CASES],
)
def test_proposal_sentences_leave_out_greeting_signature_and_contact(
    text: str, kept: list[str], dropped: list[str]
) -> None:
    summary = proposal_sentences(text)
    assert all(part in summary for part in kept), summary
    assert not [part for part in dropped if part in summary], summary


SIGNATURES: list[tuple[str, str, dict[str, str]]] = [
    (
        "keigo signature block",
        KEIGO_MAIL,
        {
            "organisation.name": "株式会社ヨコハマデータラボ",
            "contact.name": "高橋誠",
            "contact.department": "事業開発部",
            "contact.phone": "+81451234567",
            "contact.email": "takahashi@yokohama-datalab.example.jp",
        },
    ),
    (
        "English signature",
        ENGLISH_MAIL,
        {
            "organisation.name": "Bayside Energy Ltd.",
            "contact.name": "Emily Clark",
            "contact.phone": "+81459876543",
            "contact.email": "emily.clark@bayside.example.com",
        },
    ),
    (
        "labelled contact lines after ＿＿＿",
        LABELLED,
        {
            "organisation.name": "合同会社はまかぜ",
            "contact.department": "地域連携室",
            "contact.name": "佐々木恵",
            "contact.phone": "+819012345678",
            "contact.email": "sasaki@hamakaze.example.jp",
        },
    ),
    (
        "self-introduction split into organisation and contact",
        "株式会社Xです。担当は高橋と申します",
        {"organisation.name": "株式会社X", "contact.name": "高橋"},
    ),
    (
        "English labels",
        "Name: Kenji Ota\nCompany: Bayside Apps Inc.\nPhone: 03-5555-1234\n"
        "E-mail: kenji@bayside.example.com",
        {
            "contact.name": "Kenji Ota",
            "organisation.name": "Bayside Apps Inc.",
            "contact.phone": "+81355551234",
            "contact.email": "kenji@bayside.example.com",
        },
    ),
    (
        "a surname that ends in 部 is a person",
        "よろしくお願いします。\n阿部\nabe@example.jp",
        {"contact.name": "阿部", "contact.email": "abe@example.jp"},
    ),
    ("no signature at all", "公園でマルシェを開きます。", {}),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in SIGNATURES],
    ids=[case[0] for case in SIGNATURES],
)
def test_read_signature(text: str, expected: dict[str, str]) -> None:
    found = read_signature(text)
    assert {key: found.get(key) for key in expected} == expected
    if not expected:
        assert found == {}


QUESTIONS: list[tuple[str, bool]] = [
    ("提案するのに費用はかかりますか？", True),
    ("提案するのに費用はかかりますか", True),
    ("市外の会社でも提案できますか", True),
    ("Can I submit at night", True),
    ("Can I submit at night?", True),
    ("提出方法について教えてください", True),
    ("締め切りはいつでしょうか", True),
    ("個人でも応募できるのでしょうか", True),
    ("審査にはどれくらいかかりますか", True),
    ("費用負担の考え方を知りたいです", True),
    ("どうすれば提案できる？", True),
    ("法人番号がなくても大丈夫ですか", True),
    ("How long does the review take", True),
    ("Is there a deadline", True),
    ("Do I need a corporate number?", True),
    ("What happens after I submit", True),
    ("Sorry, quick question: can we apply as an individual", True),
    ("I was wondering whether a university can propose", True),
    ("はじめまして。市内で活動しているNPOです。提案するのに費用はかかりますか", True),
    ("はい、同意します", False),
    ("はい、同意いたします。", False),
    ("Yes, I agree to all three", False),
    ("Bでお願いします🙏", False),
    ("NPO法人です", False),
    ("提出をお願いいたします。", False),
    ("We can provide the venue.", False),
    ("一緒に取り組みませんか", False),
    ("ご検討いただけますでしょうか", False),
    (
        "公園でペットボトルを回収する実証を提案します。ごみの分別が進まないことが課題です。"
        "回収ボックスは当社が設置します。会場として公園をお借りできますか。費用は当社が負担します。",
        False,
    ),
    (
        "空き店舗を居場所にします。地域の孤立を減らせるのではないでしょうか。運営は当法人が行います。",
        False,
    ),
    ("このような取り組みはいかがでしょうか", False),
    ("未定です", False),
    ("Sorry, can we continue in English?", False),
    ("前の質問に戻れますか", False),
    ("いえ、提案ではなく質問です", False),
    # Answers that only look like questions
    ("How to reduce food waste in school canteens", False),
    ("「なぜ公園にごみが増えるのか」", False),
    ("住民が知りたい情報をスマートフォンで届けます", False),
    ("どうやって分別するかを住民に伝えるワークショップを開きます", False),
    ("子どもたちに森の大切さを教える出前授業を行います", False),
    ("提出期限を知りたいです", True),
    ("どうすればいいですか", True),
]


@pytest.mark.parametrize(("text", "expected"), QUESTIONS)
def test_is_question_by_meaning(text: str, expected: bool) -> None:
    assert is_question(text) is expected


UNDECIDED: list[tuple[str, bool]] = [
    ("未定", True),
    ("未定です", True),
    ("未定です🙏", True),
    ("まだ決めていません", True),
    ("まだ決まっていません", True),
    ("わからない", True),
    ("分かりません", True),
    ("わかりません。", True),
    ("あとで決めます", True),
    ("後で決めます", True),
    ("検討中です", True),
    ("タイトルはまだ決めていません", True),
    ("not sure", True),
    ("I'm not sure yet", True),
    ("undecided", True),
    ("later", True),
    ("I'll decide later", True),
    ("not decided yet", True),
    # asking to decide later is deciding later; other questions stay questions
    ("Not sure yet, can I decide later?", True),
    ("Can I decide the tier later?", True),
    ("あとで決めてもいいですか", True),
    ("後から決めても大丈夫ですか？", True),
    ("How do I join?", False),
    ("TBD", True),
    ("NPO法人です", False),
    ("Bでお願いします", False),
    ("公園でペットボトルを回収する実証を提案します", False),
    ("We'll start later this year", False),
    ("まだ決めていませんが、大丈夫ですか", False),
    (
        "市と検討中の案件とは別に、商店街の空き店舗で高齢者の居場所を週3回開く取り組みを提案します。",
        False,
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNDECIDED)
def test_is_undecided(text: str, expected: bool) -> None:
    assert is_undecided(text) is expected


CHANGES: list[tuple[str, tuple[str, str | None] | None]] = [
    ("タイトルはやっぱり「みんなの公園」に変えたいです", ("content.title", "みんなの公園")),
    (
        "件名を 公園でのペットボトル回収 に変更してください",
        ("content.title", "公園でのペットボトル回収"),
    ),
    ("タイトルは「公園での資源回収実証」に訂正", ("content.title", "公園での資源回収実証")),
    ("タイトルを「A案」から「B案」に変えたい", ("content.title", "B案")),
    ("タイトルは「メールの未来」に変更", ("content.title", "メールの未来")),
    ("change the title to Shared bikes in parks", ("content.title", "Shared bikes in parks")),
    ('Please change the title to "Parks for all"', ("content.title", "Parks for all")),
    ("さっきのメールは間違いで、正しくは a@b.jp です", ("contact.email", "a@b.jp")),
    ("メールアドレスは x@old.jp ではなく y@new.jp です", ("contact.email", "y@new.jp")),
    ("Actually my email is x@y.com", ("contact.email", "x@y.com")),
    ("電話番号を訂正します 045-123-9999", ("contact.phone", "+81451239999")),
    ("Please update my phone to 090-1111-2222", ("contact.phone", "+819011112222")),
    ("団体名はNPO法人みどりのまちでした", ("organisation.name", "NPO法人みどりのまち")),
    (
        "Sorry, the organisation name should be Harbour Mobility Inc.",
        ("organisation.name", "Harbour Mobility Inc."),
    ),
    ("名前を間違えました。高橋です", ("contact.name", "高橋")),
    ("メールアドレスを変えたい", ("contact.email", None)),
    ("タイトルを変更したいです", ("content.title", None)),
    ("費用負担をやっぱり自社負担に変更します", ("content.cost_model", "自社負担")),
    ("メールは sato@example.jp でお願いします", None),
    ("ごみの分別が進まない課題を解決し、住民の意識を変えたい", None),
    ("タイトルは変更できますか？", None),
    ("はい、同意します", None),
    ("公園でのペットボトル回収実証", None),
    ("Change my name to Jane Doe", ("contact.name", "Jane Doe")),
    ("change the title of the proposal to Parks for all", ("content.title", "Parks for all")),
    ("期間を2026年4月から2027年3月に変更します", ("content.period", "2026年4月から2027年3月")),
    # Answers that mention a field and a change word are not changes.
    ("We will change the name of the event each year", None),
    ("ごみの分別ルールが変更されたのに周知が進まないことが課題です", None),
    ("費用は当社が負担しますが、内容によっては変更があるかもしれません", None),
    ("会場の場所は変更になる可能性があります", None),
    ("We will update the map every week and fix broken links.", None),
]


@pytest.mark.parametrize(("text", "expected"), CHANGES)
def test_change_request_names_the_field_and_the_new_value(
    text: str, expected: tuple[str, str | None] | None
) -> None:
    assert change_request(text) == expected


def test_emoji_are_removed_by_unicode_ranges_without_a_dependency() -> None:
    assert plain.base("提出します👍🏻✨🙇‍♂️") == "提出します"
    assert plain.base("OK (笑) m(_ _)m") == "OK"
    assert plain.base("2026年4月→2027年3月") == "2026年4月→2027年3月"  # arrows are text
    assert plain.base("▶ 提出します‼️") == "提出します"
