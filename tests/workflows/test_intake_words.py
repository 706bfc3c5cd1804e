"""How the intake reads answers that carry more than one thing (issue 9, hand replay).

Casual copulas (「ベーカリーこむぎっていいます」), a type said without a name
(「個人でやってます」), a name with a phone and a question (「佐藤です 電話でいいですか
090-1234-5678」), titles and departments written into the name (「営業部長田中一郎」),
mistyped mail domains (gmial.com), phones typed with full-width digits and katakana long
marks, signature blocks in keigo and English.
"""

from __future__ import annotations

import pytest

from workflows.changes import change_request
from workflows.choices import match_rules
from workflows.clauses import clauses, questions_in, value_clauses
from workflows.contacts import email_in, phone_in, suspect_domain
from workflows.courtesy import proposal_sentences
from workflows.extraction import ROLE_PATTERNS, cost_model, extract
from workflows.facts import CONTACT_MEANS, typo_answer
from workflows.fields import CONFIRM, ORGANISATION_TYPES, ROLES, YES_NO, tier_options
from workflows.orgtypes import named_by_suffix, stated_type
from workflows.people import looks_like_name, split_role
from workflows.plain import strip_fillers
from workflows.questions import asks_for_suggestion
from workflows.record import OrganisationType
from workflows.signature import read_signature
from workflows.titles import suggest_title
from workflows.values import clean_value, read_person

CASUAL_ORGANISATIONS = [
    ("ベーカリーこむぎっていいます", "ベーカリーこむぎ"),
    ("ベーカリーこむぎって言います", "ベーカリーこむぎ"),
    ("ベーカリーこむぎっていうお店です", "ベーカリーこむぎ"),
    ("こむぎ食堂っす", "こむぎ食堂"),
    ("株式会社ミナトっていいます", "株式会社ミナト"),
    ("ひだまり工房といいます", "ひだまり工房"),
    ("Harbour Mobility Inc. です", "Harbour Mobility Inc."),
]


@pytest.mark.parametrize(("answer", "expected"), CASUAL_ORGANISATIONS)
def test_a_casual_copula_is_not_part_of_the_organisation(answer: str, expected: str) -> None:
    assert clean_value("organisation.name", answer) == expected


def test_fillers_strip_casual_endings_but_not_a_verb() -> None:
    assert strip_fillers("佐藤っす") == "佐藤"
    assert strip_fillers("山田って言います") == "山田"
    assert strip_fillers("個人でやって") == "個人でやって"


STATED_TYPES = [
    ("個人でやってます", OrganisationType.SOLE_PROPRIETOR),
    ("個人でお店をやっています", OrganisationType.SOLE_PROPRIETOR),
    ("個人事業です", OrganisationType.SOLE_PROPRIETOR),
    ("個人事業主になります", OrganisationType.SOLE_PROPRIETOR),
    ("フリーランスです", OrganisationType.SOLE_PROPRIETOR),
    ("フリーランスで活動しています", OrganisationType.SOLE_PROPRIETOR),
    ("自営業です", OrganisationType.SOLE_PROPRIETOR),
    ("I'm a freelancer", OrganisationType.SOLE_PROPRIETOR),
    ("I am self-employed", OrganisationType.SOLE_PROPRIETOR),
    ("任意団体です", OrganisationType.ASSOCIATION),
    ("個人のお客様向けのサービスです", None),
    ("個人情報の扱いについて", None),
    ("株式会社です", None),
]


@pytest.mark.parametrize(("clause", "expected"), STATED_TYPES)
def test_a_type_said_without_a_name(clause: str, expected: OrganisationType | None) -> None:
    assert stated_type(clause) == expected


CLAUSES = [
    (
        "佐藤です 電話でいいですか 090-1234-5678",
        ["佐藤です", "電話でいいですか", "090-1234-5678"],
    ),
    (
        "ベーカリーこむぎっていいます 個人でやってます",
        ["ベーカリーこむぎっていいます", "個人でやってます"],
    ),
    ("高橋 健一です", ["高橋 健一です"]),  # a space inside a name is no clause end
    ("株式会社Xです。担当は高橋と申します", ["株式会社Xです。", "担当は高橋と申します"]),
    (
        "佐藤です、メールは sato@example.jp です",
        ["佐藤です", "メールは", "sato@example.jp", "です"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES)
def test_a_short_answer_splits_into_what_it_says(text: str, expected: list[str]) -> None:
    assert clauses(text) == expected


def test_questions_and_values_inside_one_answer() -> None:
    text = "佐藤です 電話でいいですか 090-1234-5678"
    assert questions_in(text) == ["電話でいいですか"]
    assert value_clauses(text) == ["佐藤です"]
    assert CONTACT_MEANS.search("電話でいいですか")
    assert CONTACT_MEANS.search("メールアドレスがないんですが")
    assert CONTACT_MEANS.search("Can I give a phone number instead?")
    assert CONTACT_MEANS.search("I don't have an email")
    assert CONTACT_MEANS.search("公園でのイベントを提案します") is None


ROLES_IN_NAMES = [
    # (what is typed, name, department, job title)
    ("営業部長田中一郎", "田中一郎", "営業部", "部長"),
    ("営業部長 田中一郎", "田中一郎", "営業部", "部長"),
    ("企画部の鈴木", "鈴木", "企画部", None),
    ("代表取締役 山本", "山本", None, "代表取締役"),
    ("代表取締役社長山本", "山本", None, "代表取締役社長"),
    ("総務課長佐々木", "佐々木", "総務課", "課長"),
    ("事業開発部 部長 高橋 誠", "高橋 誠", "事業開発部", "部長"),
    ("教授 山之内", "山之内", None, "教授"),
    ("日下部太郎", "日下部太郎", None, None),  # 日下部 is a surname, not a department
    ("阿部", "阿部", None, None),
    ("長谷部", "長谷部", None, None),
]


@pytest.mark.parametrize(("typed", "name", "department", "title"), ROLES_IN_NAMES)
def test_title_and_department_are_split_from_the_name(
    typed: str, name: str, department: str | None, title: str | None
) -> None:
    person = split_role(typed)
    assert (person.name, person.department, person.title) == (name, department, title)


PEOPLE = [
    ("営業部長田中一郎です", "田中一郎", "営業部"),
    ("企画部の鈴木です", "鈴木", "企画部"),
    ("代表取締役 山本", "山本", None),
    ("担当：高橋（たかはし）", "高橋", None),
    ("高橋（たかはし）です", "高橋", None),
    ("担当は営業部長の田中と申します", "田中", "営業部"),
    ("佐藤っす", "佐藤", None),
    ("John Smith", "John Smith", None),
    ("Kenji Mori (Professor, Mechanical Engineering)", "Kenji Mori", "Mechanical Engineering"),
]


@pytest.mark.parametrize(("answer", "name", "department"), PEOPLE)
def test_the_contact_is_read_with_the_department_said_with_it(
    answer: str, name: str, department: str | None
) -> None:
    person = read_person(answer)
    assert person is not None
    assert (person.name, person.department) == (name, department)
    assert clean_value("contact.name", answer) == name


DOMAINS = [
    ("gmial.com", "gmail.com"),
    ("gmai.com", "gmail.com"),
    ("gamil.com", "gmail.com"),
    ("gmail.co", "gmail.com"),
    ("yahoo.co.jpp", "yahoo.co.jp"),
    ("yahoo.co.jo", "yahoo.co.jp"),
    ("hotmial.com", "hotmail.com"),
    ("example.con", "example.com"),
    ("docomo.ne.jo", "docomo.ne.jp"),
    ("icloud.con", "icloud.com"),
    # right as typed: never questioned
    ("gmail.com", None),
    ("yokohama-datalab.co.jp", None),
    ("minato.example.jp", None),
    ("ezweb.ne.jp", None),
    ("acme.com", None),
    ("kk.com", None),
]


@pytest.mark.parametrize(("domain", "likely"), DOMAINS)
def test_a_mistyped_mail_domain_is_suspected(domain: str, likely: str | None) -> None:
    assert suspect_domain(domain) == likely


TYPO_ANSWERS = [
    ("はい", True),
    ("そうです、すみません", True),
    ("あ、間違えました", True),
    ("gmail.comです", True),
    ("お願いします", True),
    ("いいえ", False),
    ("いいえ、合ってます", False),
    ("違います、そのままで大丈夫です", False),
    ("Yes, sorry", True),
    ("oops, my mistake", True),
    ("No, it's correct as typed", False),
    ("No", False),
    ("今日はいい天気ですね", None),
]


@pytest.mark.parametrize(("answer", "meant"), TYPO_ANSWERS)
def test_the_answer_about_a_mistyped_domain_is_read_in_words(
    answer: str, meant: bool | None
) -> None:
    assert typo_answer(answer, likely="gmail.com") is meant


PHONES = [
    ("０９０ー１２３４ー５６７８", "+819012345678"),
    ("０９０－１２３４－５６７８", "+819012345678"),
    ("045(123)4567", "+81451234567"),
    ("(03)1234-5678", "+81312345678"),
    ("+81-3-1234-5678", "+81312345678"),
    ("+81 (0)3 1234 5678", "+81312345678"),
    ("+81 90 1234 5678", "+819012345678"),
    ("090‐1234‐5678", "+819012345678"),
    ("TEL：045−123−4567", "+81451234567"),
    ("FAX：045-671-2223 TEL：045-671-2222", "+81456712222"),
    ("電話 0466-12-3456 内線234", "+81466123456;ext=234"),
    ("2026.11.22", None),
    ("〒231-0001", None),
]


@pytest.mark.parametrize(("text", "phone"), PHONES)
def test_phones_as_people_type_them(text: str, phone: str | None) -> None:
    assert phone_in(text) == phone


KEIGO_MAIL = """横浜市 共創フロント ご担当者様

いつもお世話になっております。
株式会社ヨコハマデータラボ 事業開発部の高橋と申します。

公園のベンチにセンサーを設置し、利用状況を可視化する実証実験をご提案いたします。
費用は弊社が全額負担いたします。

ご検討のほど、よろしくお願いいたします。

――――――――――――――
株式会社ヨコハマデータラボ
事業開発部 部長
高橋 誠（たかはし まこと）
〒231-0001 神奈川県横浜市中区新港1-2-3
TEL：045(123)4567　FAX：045-123-4568
E-mail：takahashi@yokohama-datalab.co.jp
URL：https://yokohama-datalab.co.jp
――――――――――――――"""

ENGLISH_MAIL = """Dear Kyoso Front team,

We would like to propose a pilot of shared e-bikes at three city parks.

Best regards,
John Smith
Partnerships Manager
Acme KK
+81-3-1234-5678
john.smith@acme.example.com"""


def test_a_keigo_signature_block_gives_every_contact_detail() -> None:
    assert read_signature(KEIGO_MAIL) == {
        "organisation.name": "株式会社ヨコハマデータラボ",
        "contact.department": "事業開発部",
        "contact.title": "部長",
        "contact.name": "高橋誠",  # the signature's full name, the reading in brackets dropped
        "organisation.location": "神奈川県横浜市中区新港1-2-3",
        "contact.phone": "+81451234567",  # TEL, not FAX
        "contact.email": "takahashi@yokohama-datalab.co.jp",
    }


def test_an_english_signature_gives_name_title_company_phone_and_mail() -> None:
    assert read_signature(ENGLISH_MAIL) == {
        "contact.name": "John Smith",
        "contact.title": "Partnerships Manager",
        "organisation.name": "Acme KK",
        "contact.phone": "+81312345678",
        "contact.email": "john.smith@acme.example.com",
    }


# --- what the independent (blind) personas found (/tmp/persona-findings.md, B1-B16) ---------

BLIND_VALUES = [
    # (field, what the persona typed, value kept)
    ("organisation.name", "みなとフードシェアって団体っす", "みなとフードシェア"),  # B2
    ("contact.name", "山本でーす", "山本"),  # B2
    ("content.title", "商店街フードシェアでおねがいします🙏", "商店街フードシェア"),  # B2
    ("organisation.name", "屋号は「やまもと写真工房」です", "やまもと写真工房"),  # B3
    (
        "organisation.name",
        "We're the Kanagawa Institute of Design.",
        "Kanagawa Institute of Design",
    ),
    (
        "content.title",
        'Let\'s call it "Cool roofs for community centres"',
        "Cool roofs for community centres",
    ),
    (
        "organisation.name",
        "Hadano Green Offices - we're an association of small offices",
        "Hadano Green Offices",
    ),
    ("organisation.name", "有限会社はだの冷機です", "有限会社はだの冷機"),  # B12
    ("organisation.name", "大井町役場です。担当部署は企画政策課です。", "大井町役場"),  # B13
    ("organisation.name", "Shonan University of Technology", "Shonan University of Technology"),
    ("organisation.name", "エコ診断オフィス前田でやってます", "エコ診断オフィス前田"),  # B16
    ("organisation.name", "株式会社みらい見守りの吉田あゆみと申します。", "株式会社みらい見守り"),
    ("contact.name", "株式会社みらい見守りの吉田あゆみと申します。", "吉田あゆみ"),  # B18
    # kept as before: a person after の in an introduction
    ("organisation.name", "株式会社みなとの山田です", "株式会社みなと"),
]


@pytest.mark.parametrize(("field", "typed", "expected"), BLIND_VALUES)
def test_what_the_blind_personas_typed_is_read_as_the_value(
    field: str, typed: str, expected: str
) -> None:
    assert clean_value(field, typed) == expected


BLIND_COSTS = [
    ("撮影や印刷の費用は自分で出します", "proposer_bears"),  # B3
    ("開発費も運用費も弊社持ちです", "proposer_bears"),  # B9
    ("会場代とか資料代は自分で出します", "proposer_bears"),  # B16
    ("相談会の運営費用は当金庫にて負担いたします。", "proposer_bears"),  # B11
    ("We will pay for it ourselves", "proposer_bears"),
    ("市の予算で委託していただきたいです", "needs_budget"),
    ("市にはお金は求めません", "no_cost"),
]


@pytest.mark.parametrize(("text", "model"), BLIND_COSTS)
def test_who_pays_in_the_proposers_own_words(text: str, model: str) -> None:
    assert cost_model(text) == model


BLIND_ROLES = [
    ("Two community centres to test on, and their past electricity data.", {"venue", "data"}),
    ("We need places for the stations and help with the road permits.", {"venue", "permits"}),
    ("花壇を使わせていただきたいです。", {"venue"}),
    ("公民館を使わせてほしい", {"venue"}),
    ("広報だけお願いします", {"publicity"}),
    ("公園を実証の場としてお借りしたいのと、過去の点検記録をいただきたいです。", {"venue", "data"}),
]


@pytest.mark.parametrize(("text", "roles"), BLIND_ROLES)
def test_what_is_asked_of_the_city_in_own_words(text: str, roles: set[str]) -> None:
    assert {r.value for r, pattern in ROLE_PATTERNS.items() if pattern.search(text)} == roles


def test_a_long_first_message_keeps_title_and_tier_out_of_the_summary() -> None:  # B6
    text = (
        "はじめまして。一般社団法人よこはま防災ラボの中村由美と申します。"
        "タイトルは「マンション防災井戸端会議」です。"
        "市内の大規模マンションでは住民同士のつながりが薄いことが課題です。"
        "そこで、マンションの集会所で月1回、住民向けの防災ワークショップを開き、"
        "在宅避難の備えを一緒に点検します。参加の階層はA（会議に参加）を希望します。"
    )
    summary = proposal_sentences(text)
    assert "タイトル" not in summary and "階層" not in summary
    assert summary.startswith("市内の大規模マンション")
    found = extract(text)
    assert found["content.title"] == "マンション防災井戸端会議"
    assert found["proposer.membership_tier"] == "A"
    assert "防災ワークショップを開き" in found["content.activities"]


GREETINGS_AND_ANNOUNCEMENTS = [
    "平素より大変お世話になっております。",  # B11
    "平素は格別のご高配を賜り、厚く御礼申し上げます。",
    "Hi, I'm from a university and we'd like to propose a joint project with your members.",
    "Hello, we want to propose a project about EV charging.",  # B15
]


@pytest.mark.parametrize("text", GREETINGS_AND_ANNOUNCEMENTS)
def test_a_greeting_or_an_announcement_is_no_summary(text: str) -> None:
    assert proposal_sentences(text) == ""


TITLES = [
    # (the summary's first sentence, the title suggested: a phrase, not a sentence)
    (
        "区内の古い商店の写真を撮って、まちの記憶として展示会を開きたいです。",
        "区内の古い商店の写真を撮って、まちの記憶として展示会を開く",
    ),
    ("商店街で売れ残ったパンを割引販売します。", "商店街で売れ残ったパンを割引販売する"),
    (
        "空き店舗を活用して子ども食堂を運営したいと考えています。",
        "空き店舗を活用して子ども食堂を運営する",
    ),
    ("子どもに本を届けたいです。", "子どもに本を届ける"),
    ("公園でのペットボトル回収の実証を提案します。", "公園でのペットボトル回収の実証"),
    (
        "市内の森で子どもたちに森の大切さを伝える取り組みです。",
        "市内の森で子どもたちに森の大切さを伝える取り組み",
    ),
    (
        "We want to install heat pumps in three small offices and share the savings data.",
        "Install heat pumps",
    ),
    (
        "We would like to propose a pilot of shared e-bikes at three city parks to cut car trips.",
        "Pilot of shared e-bikes",
    ),
]


@pytest.mark.parametrize(("summary", "title"), TITLES)
def test_a_suggested_title_is_a_phrase(summary: str, title: str) -> None:
    assert suggest_title(summary) == title


SUGGESTION_REQUESTS = [
    ("I haven't thought of one yet - could you suggest something?", True),  # B7
    ("No idea yet, you can pick one for me", True),  # B8
    ("おまかせします", True),
    ("タイトルを考えてもらえますか", True),
    ("いい案をください", True),
    ("公園の清掃ボランティア", False),
    ("未定です", False),
]


@pytest.mark.parametrize(("text", "asks"), SUGGESTION_REQUESTS)
def test_asking_the_desk_to_suggest(text: str, asks: bool) -> None:
    assert asks_for_suggestion(text) is asks


KANA_ANSWERS = [
    ("かいしゃです", ORGANISATION_TYPES, "company"),  # B10
    ("カイシャ", ORGANISATION_TYPES, "company"),
    ("じちたいです", ORGANISATION_TYPES, None),
    ("自治体です", ORGANISATION_TYPES, "other"),  # B13
    ("町役場です", ORGANISATION_TYPES, "other"),
    ("どういします", YES_NO, "yes"),
    ("どういうことですか", YES_NO, None),  # a question, not consent
    ("ていしゅつします", CONFIRM, "submit"),
]


@pytest.mark.parametrize(("answer", "menu", "value"), KANA_ANSWERS)
def test_menu_answers_in_kana(answer: str, menu: tuple, value: str | None) -> None:  # type: ignore[type-arg]
    assert match_rules(answer, menu).value == value


def test_a_department_said_in_a_sentence_is_not_a_person() -> None:  # B13
    found = extract("大井町役場です。担当部署は企画政策課です。")
    assert found.get("contact.department") == "企画政策課"
    assert "contact.name" not in found


CHANGES_OF_MIND = [
    # (what is said, field, new value)
    ("会社名を間違えました、正しくは株式会社ミナトです", "organisation.name", "株式会社ミナト"),
    ("電話番号が変わりました 080-1111-2222", "contact.phone", "+818011112222"),
    ("担当者は鈴木に変わりました", "contact.name", "鈴木"),
    ("部署は企画部に変わりました", "contact.department", "企画部"),
    ("名前の漢字が違いました、髙橋です", "contact.name", "髙橋"),
    (
        "さっきのメールは間違いで正しくは m.takahashi@example.jp です",
        "contact.email",
        "m.takahashi@example.jp",
    ),
    ("メール間違えてた、正しくは sato@example.jp", "contact.email", "sato@example.jp"),
    ("Can you change the contact to Jane Doe?", "contact.name", "Jane Doe"),
    ("担当が変わって、これからは山本が対応します", "contact.name", "山本"),
    ("My email changed: new one is a.b@example.org", "contact.email", "a.b@example.org"),
    ("ごめんなさい、電話番号打ち間違えました。090-2222-3333です", "contact.phone", "+819022223333"),
    (
        "団体名、正しくは「一般社団法人みどりの輪」です",
        "organisation.name",
        "一般社団法人みどりの輪",
    ),
    ("Could you update my email to jane@example.com?", "contact.email", "jane@example.com"),
    ("Sorry, the phone number should be 045-123-4567", "contact.phone", "+81451234567"),
    (
        "Actually, please change the title to Shared bikes in parks",
        "content.title",
        "Shared bikes in parks",
    ),
]


@pytest.mark.parametrize(("text", "field", "value"), CHANGES_OF_MIND)
def test_a_change_of_mind_in_plain_words(text: str, field: str, value: str) -> None:
    assert change_request(text) == (field, value)


NOT_CHANGES = [
    "分別ルールが変更されたことが課題です",
    "担当部署は企画政策課です",
    "地域の課題が変わってきています",
    "課題を解決し、意識を変えたい",
    "提案するのに費用はかかりますか？",
    "the contact details are below",
]


@pytest.mark.parametrize("text", NOT_CHANGES)
def test_a_field_word_and_a_change_word_are_no_change_of_mind(text: str) -> None:
    assert change_request(text) is None


# --- the second wave of blind personas (W1-W7) --------------------------------------------

WAVE2_VALUES = [
    ("organisation.name", "ゆるっと子育てネットっていうとこです", "ゆるっと子育てネット"),  # W2
    ("content.title", "「ゆるっとパパ会」って名前にしたい", "ゆるっとパパ会"),  # W2
    ("organisation.name", "Tanzawa Timber Co.", "Tanzawa Timber Co."),  # W7
    ("organisation.name", "Acme Inc.", "Acme Inc."),
    ("organisation.name", "We're Minato Works Ltd.", "Minato Works Ltd."),
]


@pytest.mark.parametrize(("field", "typed", "expected"), WAVE2_VALUES)
def test_wave_two_values(field: str, typed: str, expected: str) -> None:
    assert clean_value(field, typed) == expected


NOT_PROPOSAL_TEXT = [
    "拝啓　時下ますますご清栄のこととお慶び申し上げます。",  # W1
    "陽春の候、貴社ますますご隆盛のこととお喜び申し上げます。",
    "Hi, I want to propose something for the Minato Mirai area.",  # W3
    "Good morning, I'd like to put forward a joint project.",
    "I have an idea for a project with your members.",
]


@pytest.mark.parametrize("text", NOT_PROPOSAL_TEXT)
def test_letter_greetings_and_announcements_are_no_proposal_text(text: str) -> None:
    assert proposal_sentences(text) == ""


def test_a_letter_keeps_only_its_proposal() -> None:  # W1
    letter = (
        "横浜市 共創推進課 御中\n拝啓　時下ますますご清栄のこととお慶び申し上げます。\n"
        "さて、弊社は小学校の通学路でビーコンを使った見守りの実証を提案いたします。\n敬具"
    )
    assert (
        proposal_sentences(letter)
        == "弊社は小学校の通学路でビーコンを使った見守りの実証を提案いたします。"
    )


def _tiers() -> tuple:  # type: ignore[type-arg]
    labels = [
        ("A", "A（会議に参加）", "A: attends meetings"),
        ("B", "B（WEB視聴のみ）", "B: web viewing only"),
        ("C", "C（メール配信のみ）", "C: mail only"),
    ]
    descriptions = [
        "定例協議会やワークショップに対面で参加します。 Takes part in the meetings in person.",
        "会議やセミナーをWEBで視聴します。 Watches meetings and seminars online.",
        "情報のメール配信だけを受け取ります。 Receives only the newsletter by e-mail.",
    ]
    return tier_options(labels, descriptions)


TIER_WORDS_SAID = [
    ("Just the newsletter for us", "C"),  # W4
    ("会議には出られないので、オンラインで見るだけにします", "B"),  # W5
    ("メルマガだけで大丈夫です", "C"),
    ("対面で参加します", "A"),
    ("Bでお願いします", "B"),
    ("2", "B"),
]


@pytest.mark.parametrize(("answer", "tier"), TIER_WORDS_SAID)
def test_a_tier_said_by_what_it_means(answer: str, tier: str) -> None:
    assert match_rules(answer, _tiers()).value == tier


def test_wave_two_costs_and_roles() -> None:
    assert cost_model("道具や苗の費用は持ち出しでやります") == "proposer_bears"  # W5
    assert match_rules("場所と宣伝！", ROLES, multiple=True).values == ("venue", "publicity")  # W2
    said = "Rooms in the community centres and help spreading the word."  # W6
    assert {r.value for r, pattern in ROLE_PATTERNS.items() if pattern.search(said)} == {
        "venue",
        "publicity",
    }


OBFUSCATED_EMAILS = [
    ("aki at example dot com", "aki@example.com"),
    ("tanaka[at]minato.example.jp", "tanaka@minato.example.jp"),
    ("sato @ example . jp", "sato@example.jp"),
    ("sato(at)example(dot)co(dot)jp", "sato@example.co.jp"),
    ("ｓａｔｏ＠ｅｘａｍｐｌｅ．ｊｐ", "sato@example.jp"),
    ("we meet at noon dot", None),
]


@pytest.mark.parametrize(("text", "address"), OBFUSCATED_EMAILS)
def test_an_address_written_against_robots_is_read(text: str, address: str | None) -> None:
    assert email_in(text) == address


def test_a_sentence_is_no_name_but_kana_given_names_are() -> None:
    assert read_person("メールはないので電話でお願いします") is None
    for name in ("佐藤ますみ", "木下たいが", "ないとう", "大谷", "竹内"):
        assert looks_like_name(name), name
    person = read_person("田中です（株式会社みなと 営業部）")
    assert person is not None and (person.name, person.department) == ("田中", "営業部")


def test_a_freelancer_states_a_type_not_an_organisation() -> None:
    text = "hey, it's just me, I'm a freelance designer"
    assert stated_type(text) is OrganisationType.SOLE_PROPRIETOR
    assert clean_value("organisation.name", text) is None


# --- the third wave of blind personas (X1-X4) ---------------------------------------------

LINE_SIGNATURE = """件名：商店街の空き店舗で子ども食堂
共創フロント ご担当者様
お世話になります。NPO法人こどもテーブル横浜の理事長、大野と申します。
商店街の空き店舗で、週2回の子ども食堂を開きたいと考えています。調理と見守りは当法人のボランティアが担います。

大野 千尋
NPO法人こどもテーブル横浜
携帯：080-2222-3333
メール：ohno@kodomo-table.example.org"""


def test_a_closing_block_without_a_separator_is_a_signature() -> None:  # X1
    assert proposal_sentences(LINE_SIGNATURE).endswith("当法人のボランティアが担います。")
    found = extract(LINE_SIGNATURE)
    assert found["organisation.name"] == "NPO法人こどもテーブル横浜"  # こども: も is no particle
    assert found["contact.name"] == "大野千尋"
    assert found["contact.phone"] == "+818022223333"
    assert found["content.title"] == "商店街の空き店舗で子ども食堂"


ALL_IN_ONE = (
    "はだの温泉旅館組合です！担当の西村です🙏 旅館のお風呂のボイラーを薪ボイラーにして、"
    "裏山の間伐材を燃料にしたいです🔥 費用は組合でもちます！階層はBでいいです！"
    "メールは nishimura@hadano-onsen.example.jp です"
)


def test_one_line_message_with_everything() -> None:  # X2
    found = extract(ALL_IN_ONE)
    assert (found["organisation.name"], found["organisation.type"]) == (
        "はだの温泉旅館組合",
        "association",
    )
    assert found["contact.name"] == "西村"
    assert found["content.cost_model"] == "proposer_bears"
    assert found["proposer.membership_tier"] == "B"
    summary = found["content.summary"]
    assert summary.startswith("旅館のお風呂のボイラー") and "階層" not in summary
    assert "担当" not in summary and "組合です" not in summary
    assert (
        suggest_title(summary)
        == "旅館のお風呂のボイラーを薪ボイラーにして、裏山の間伐材を燃料にする"
    )


NAMED_BY_SUFFIX = [
    ("はだの温泉旅館組合です!", "はだの温泉旅館組合", "association"),
    ("横浜まちづくり協議会と申します", "横浜まちづくり協議会", "association"),
    ("みなと写真工房です", "みなと写真工房", None),
    ("弊社は商店街振興組合です", None, None),
    ("山田です", None, None),
]


@pytest.mark.parametrize(("sentence", "name", "kind"), NAMED_BY_SUFFIX)
def test_a_name_known_by_its_last_word(sentence: str, name: str | None, kind: str | None) -> None:
    found = named_by_suffix(sentence)
    assert (found[0], found[1]) == (name, kind) if found else name is None


def test_contact_by_role_and_information_as_data() -> None:  # X3, X4
    person = read_person("担当は営業推進部の小川が務めます")
    assert person is not None and (person.name, person.department) == ("小川", "営業推進部")
    said = "空き店舗の情報のご提供と、商店街の皆様へのご紹介をお願いいたします。"
    roles = {r.value for r, pattern in ROLE_PATTERNS.items() if pattern.search(said)}
    assert roles == {"data", "introductions"}
    assert cost_model("The association and its members pay for the installation.") == (
        "proposer_bears"
    )
    assert cost_model("The city will pay for the installation.") == "needs_budget"


# --- the fourth wave (a holdout run once before anyone saw it: Y1-Y6) ----------------------

HOLDOUT_NOT_PROPOSAL = [
    "共創推進課 ご担当者さま",  # Y1
    "はじめてご連絡いたします。",
    "Hi there, we'd like to join and propose a small project at the same time.",  # Y3
    "I would like to submit a proposal on behalf of our association.",  # Y5
]


@pytest.mark.parametrize("text", HOLDOUT_NOT_PROPOSAL)
def test_holdout_courtesies_and_announcements(text: str) -> None:
    assert proposal_sentences(text) == ""


def test_holdout_values_costs_and_roles() -> None:
    assert clean_value("organisation.name", "みなと手しごと市実行委員会ってとこでやってます") == (
        "みなと手しごと市実行委員会"
    )  # Y2
    said = "公園つかわせてほしいのと、公園の使用の手続きのこと相談したい"
    assert {r.value for r, p in ROLE_PATTERNS.items() if p.search(said)} == {"venue", "permits"}
    for text in (
        "テントとかの費用は出店料でまかなうので市にはお金かけません。実費はうちもちです",
        "It's on us.",  # Y3
        "all on us 👍",  # Y6
    ):
        assert cost_model(text) == "proposer_bears", text
    assert (
        clean_value("contact.name", "担当は山口と佐野の二名ですが、窓口は山口です") == "山口"
    )  # Y4


DEPARTMENT_BEFORE_NAME = [
    ("株式会社ABC 営業部の田中です 03-1234-5678", "田中", "営業部"),
    ("NPO法人みどり 事務局の佐藤です", "佐藤", "事務局"),
    ("株式会社ヨコハマデータラボの高橋です", "高橋", None),
]


@pytest.mark.parametrize(("text", "name", "department"), DEPARTMENT_BEFORE_NAME)
def test_the_department_said_before_the_name_is_kept(
    text: str, name: str, department: str | None
) -> None:
    found = extract(text)
    assert (found.get("contact.name"), found.get("contact.department")) == (name, department)


ENGLISH_ORGANISATIONS = [
    # (the answer, the organisation, the type it states)
    ("We're a small NPO called Green Steps", "Green Steps", "npo"),
    ("It's called Green Steps, a nonprofit", "Green Steps", "npo"),
    ("Green Steps (an NPO)", "Green Steps", "npo"),
    ("We are Green Steps, an NPO in Yokohama", "Green Steps", "npo"),
    ("The company is Harbour Mobility Inc.", "Harbour Mobility Inc.", None),
    ("Smith, Jones and Partners", "Smith, Jones and Partners", None),
]


@pytest.mark.parametrize(("answer", "name", "kind"), ENGLISH_ORGANISATIONS)
def test_an_english_organisation_with_what_it_is(answer: str, name: str, kind: str | None) -> None:
    assert clean_value("organisation.name", answer) == name
    assert stated_type(answer) == kind


# --- the last holdout (Z1-Z4) -----------------------------------------------------------------

ANGLE_MAIL = (
    "Hello Co-creation Front,\n\nWe run a bike-repair social enterprise and would like to "
    "propose free bike-repair days at three community centres.\n\nCheers,\n"
    "Sam Taylor <sam@fixitcycles.example.com>\nFix-It Cycles LLC"
)


def test_the_last_holdout() -> None:
    assert proposal_sentences(ANGLE_MAIL).startswith("We run a bike-repair")  # Z1
    signed = read_signature(ANGLE_MAIL)
    assert (signed["contact.name"], signed["organisation.name"]) == (
        "Sam Taylor",
        "Fix-It Cycles LLC",
    )
    said = "Space at the community centres and a mention in the ward newsletter."
    assert {r.value for r, p in ROLE_PATTERNS.items() if p.search(said)} == {"venue", "publicity"}
    assert change_request(
        "すみません、担当者名ですが、正しくは「内田 亮」でフルネームでお願いします"
    ) == ("contact.name", "内田亮")  # Z2
    assert proposal_sentences("Hi! Proposal for the consortium from a local design studio.") == ""
    assert cost_model("I pay for the samples myself.") == "proposer_bears"  # Z3
    assert match_rules("We only want the e-mail updates.", _tiers()).value == "C"
    assert clean_value("organisation.name", "弊社名は株式会社ミナトソーラーと申します") == (
        "株式会社ミナトソーラー"
    )  # Z4
