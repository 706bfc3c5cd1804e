"""The new users' own words (issue 9 follow-up), each fix pinned by a table of cases."""

from __future__ import annotations

import pytest

from workflows.changes import change_request, correction
from workflows.courtesy import proposal_sentences
from workflows.extraction import cost_model, extract
from workflows.people import without_role
from workflows.record import CostModel, Proposer, normalise_phone
from workflows.understanding import Intent, detect_language, find_reference, recognise
from workflows.values import clean_value

NAMES = [
    ("organisation.name", "有限会社みなと電工", "有限会社みなと電工"),
    ("organisation.name", "NPO法人ひとと森", "NPO法人ひとと森"),
    ("organisation.name", "NPO法人みどりと未来です", "NPO法人みどりと未来"),
    ("organisation.name", "さくらと花", "さくらと花"),
    ("organisation.name", "株式会社ミナトの山田です", "株式会社ミナト"),
    ("organisation.name", "株式会社ミナトと申します", "株式会社ミナト"),
    ("organisation.name", "株式会社さくらと申します", "株式会社さくら"),
    ("organisation.name", "一般社団法人ひとと街です", "一般社団法人ひとと街"),
    ("organisation.name", "Hitachi Systems Ltd", "Hitachi Systems Ltd"),
    ("organisation.name", "Hilton Yokohama", "Hilton Yokohama"),
    (
        "organisation.name",
        "I just told you, GreenGrid KK. I'm Kenji Sato, CEO, kenji@greengrid.example",
        "GreenGrid KK",
    ),
    ("contact.name", "Hiroshi Tanaka", "Hiroshi Tanaka"),
    ("contact.name", "Hitomi", "Hitomi"),
    ("contact.name", "Hideki Sato", "Hideki Sato"),
    ("contact.name", "Hi, I'm Hideki Sato", "Hideki Sato"),
    ("contact.name", "営業部長 田中一郎", "田中一郎"),
    ("contact.name", "営業の田中です", "田中"),
    ("contact.name", "広報の佐藤です", "佐藤"),
    ("contact.name", "教授を務めております山之内と申します", "山之内"),
    ("contact.name", "阿部 太郎", "阿部太郎"),
    (
        "contact.name",
        "I just told you, GreenGrid KK. I'm Kenji Sato, CEO, kenji@greengrid.example",
        "Kenji Sato",
    ),
]


@pytest.mark.parametrize(("field", "text", "expected"), NAMES)
def test_names_stay_whole(field: str, text: str, expected: str) -> None:
    assert clean_value(field, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("営業部長 田中一郎", ("田中一郎", "営業部")), ("営業の田中", ("田中", "営業"))],
)
def test_department_is_not_the_name(text: str, expected: tuple[str, str]) -> None:
    assert without_role(text) == expected


CHANGES = [
    ("団体名は有限会社みなと電工に訂正", ("organisation.name", "有限会社みなと電工")),
    ("団体名はNPO法人ひとと森に訂正", ("organisation.name", "NPO法人ひとと森")),
    (
        "The organisation name is wrong, it should just be GreenGrid KK",
        ("organisation.name", "GreenGrid KK"),
    ),
    (
        "The organisation name is wrong, it should just be GreenGrid Energy",
        ("organisation.name", "GreenGrid Energy"),
    ),
    ("My name is wrong, it should be Hitomi Sato", ("contact.name", "Hitomi Sato")),
    ("担当者名はHiroshi Tanakaに訂正", ("contact.name", "Hiroshi Tanaka")),
    ("タイトルが変です。「地域の森づくり」にしてください", ("content.title", "地域の森づくり")),
    ("タイトルが変です。地域の森づくりにしてください", ("content.title", "地域の森づくり")),
    ("電話番号は0466-12-3456 内線234に訂正", ("contact.phone", "+81466123456;ext=234")),
]


@pytest.mark.parametrize(("text", "expected"), CHANGES)
def test_corrections_keep_the_value_as_written(text: str, expected: tuple[str, str]) -> None:
    assert change_request(text) == expected


def test_old_correction_form_keeps_the_extension() -> None:
    found = correction("電話番号は0466-12-3456 内線234に訂正")
    assert found is not None
    assert normalise_phone(found[1]) == "+81466123456;ext=234"


NON_ANSWERS = [
    ("content.title", "はい"),
    ("content.problem", "同意します"),
    ("content.problem", "同意しません"),
    ("content.problem", "わかりません"),
    ("content.problem", "うーん、課題って言われても…"),
    ("content.title", "PDFの表紙に書いてあります"),
    ("content.summary", "添付のPDFをご覧ください"),
    ("content.summary", "PDFを見てください"),
    ("content.summary", "PDFを見て"),
    ("content.activities", "やっぱりやめます"),
    ("content.title", "件名に書いたとおりでお願いします"),
    ("content.summary", "最初に書いた通りです"),
    ("content.summary", "前に書いたとおり"),
    ("content.summary", "see the attached PDF"),
    ("contact.name", "はい"),
    ("organisation.name", "もういいです"),
]


@pytest.mark.parametrize(("field", "text"), NON_ANSWERS)
def test_non_answers_are_no_value(field: str, text: str) -> None:
    assert clean_value(field, text) is None


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("content.title", "駅前の通りに花を植える"),
        ("content.title", "資料を見て学ぶ講座"),
        ("content.title", "空き家の活用"),
    ],
)
def test_real_answers_stay(field: str, text: str) -> None:
    assert clean_value(field, text) == text


INTENTS = [
    ("やっぱりやめます", Intent.CANCEL),
    ("いや、提案するのやめときます", Intent.CANCEL),
    ("だから、やめます", Intent.CANCEL),
    ("もういいです", Intent.CANCEL),
    ("never mind, I'll stop", Intent.CANCEL),
    ("この提案を取り消したい", Intent.CANCEL),
    ("中止", Intent.CANCEL),
    ("タバコをやめたい", Intent.OTHER),
    ("やめたい習慣を変えるアプリ", Intent.OTHER),
    ("先日出した提案どうなりました？", Intent.STATUS),
    ("any news on the proposal I sent earlier?", Intent.STATUS),
    ("ｋｆー２０２６ー００００２", Intent.STATUS),
    ("kf-2026-5の状況", Intent.STATUS),
    ("Hiroshi Tanaka", Intent.OTHER),
    ("Hi", Intent.GREETING),
]


@pytest.mark.parametrize(("text", "expected"), INTENTS)
def test_control_words(text: str, expected: Intent) -> None:
    assert recognise(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｋｆー２０２６ー００００２", "KF-2026-00002"),
        ("kf-2026-5", "KF-2026-00005"),
        ("KF-2026-00012の状況", "KF-2026-00012"),
        ("zc‐2026‐12", "ZC-2026-00012"),
        ("2026年5月", None),
    ],
)
def test_references_typed_loosely(text: str, expected: str | None) -> None:
    assert find_reference(text) == expected


PHONES = [
    ("0466-12-3456 内線234", "+81466123456;ext=234"),
    ("0466-12-3456 ext. 234", "+81466123456;ext=234"),
    ("0466-12-3456(内線)234", "+81466123456;ext=234"),
    ("TEL 0466-12-3456 x234", "+81466123456;ext=234"),
    ("+81466123456;ext=234", "+81466123456;ext=234"),
    ("0466-12-3456", "+81466123456"),
    ("電話でいいですか 090-1234-5678", "+819012345678"),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phone_extension_is_kept(text: str, expected: str) -> None:
    assert clean_value("contact.phone", text) == expected


def test_record_accepts_an_extension() -> None:
    proposer = Proposer(
        organisation_name="株式会社ミナト",
        organisation_type="company",
        contact_name="田中",
        email="a@example.jp",
        phone="0466-12-3456 内線234",
    )
    assert proposer.phone == "+81466123456;ext=234"


def test_contact_in_a_question_is_kept() -> None:
    slots = extract("え、なんで英語？ メールは h.tanaka@example.jp です")
    assert slots["contact.email"] == "h.tanaka@example.jp"


COSTS = [
    ("【費用】当社負担", CostModel.PROPOSER_BEARS),
    ("費用はすべて当法人で負担します", CostModel.PROPOSER_BEARS),
    ("うちで出します", CostModel.PROPOSER_BEARS),
    ("費用はうちで全部持ちます", CostModel.PROPOSER_BEARS),
    ("市にはお金は求めません", CostModel.NO_COST),
    ("負担はゼロです", CostModel.NO_COST),
    ("講師料を市に出してもらいたい", CostModel.NEEDS_BUDGET),
    ("市に払ってほしいです", CostModel.NEEDS_BUDGET),
]


@pytest.mark.parametrize(("text", "expected"), COSTS)
def test_cost_sentences(text: str, expected: CostModel) -> None:
    assert cost_model(text) is expected


DOCUMENT = """ご担当者様
いつもお世話になっております。以下の提案をお送りします。
【件名】空き家を活用した子ども食堂
【背景】地域で子どもの孤食が増えています。
【内容】空き家を改修し、週2回子ども食堂を開きます。
【市に期待すること】広報をお願いしたいです。
【期待する効果】孤食の減少。
【費用】当社負担
よろしくお願いいたします。
株式会社ミナト 山田太郎"""


def test_labelled_sections_map_to_fields() -> None:
    slots = extract(DOCUMENT)
    assert slots["content.title"] == "空き家を活用した子ども食堂"
    assert slots["content.problem"] == "地域で子どもの孤食が増えています"
    assert slots["content.activities"] == "空き家を改修し、週2回子ども食堂を開きます"
    assert slots["content.benefit"] == "孤食の減少"
    assert slots["content.cost_model"] == CostModel.PROPOSER_BEARS.value
    assert "publicity" in slots["content.municipality_roles"]
    assert "【" not in slots["content.summary"]
    assert "以下の提案をお送りします" not in slots["content.summary"]


LANGUAGES = [
    ("Hiroshi Tanaka", "ja", "ja"),
    ("GreenGrid KK", "ja", "ja"),
    ("Kenji Sato, CEO", "ja", "ja"),
    ("Hello, we are 株式会社ミナト and we would like to propose a bike sharing pilot.", "ja", "en"),
    ("I work at 株式会社ミナト in the sustainability team.", "ja", "en"),
    ("え、なんで英語？ メールは h.tanaka@example.jp です", "en", "ja"),
    ("提案したいです", "en", "ja"),
    ("How do I become a member?", "ja", "en"),
    ("OK", "en", "en"),
]


@pytest.mark.parametrize(("text", "current", "expected"), LANGUAGES)
def test_reply_language_from_the_words(text: str, current: str, expected: str) -> None:
    assert detect_language(text, current=current) == expected


FILLER = [
    "以下の提案をお送りします。空き家で子ども食堂を開きます。",
    "つきましては、空き家で子ども食堂を開きます。ご多用のところ恐縮ですが、ご検討いただけましたら幸甚に存じます。",
]


@pytest.mark.parametrize("text", FILLER)
def test_keigo_filler_left_out(text: str) -> None:
    assert proposal_sentences(text) == "空き家で子ども食堂を開きます。"


def test_english_work_intro_left_out() -> None:
    text = "I work at Minato Inc. in the sustainability team. We will install solar benches."
    assert proposal_sentences(text) == "We will install solar benches."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("さっき書いたけど パン屋で食育教室をやりたい", "パン屋で食育教室をやりたい"),
        ("最初に書いた通りです。空き家で子ども食堂を開きます。", "空き家で子ども食堂を開きます。"),
        ("先ほどお伝えしたとおり、駅前に花壇を作ります。", "駅前に花壇を作ります。"),
        (
            "【背景】駅前が暗いです。\n【内容】街灯を増やします。",
            "駅前が暗いです。街灯を増やします。",
        ),
    ],
)
def test_pointers_and_labels_left_out(text: str, expected: str) -> None:
    assert proposal_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [("not-an-address", "ja", "ja"), ("yamada@minato.example.jp", "ja", "ja")],
)
def test_one_token_keeps_the_language(text: str, current: str, expected: str) -> None:
    assert detect_language(text, current=current) == expected
