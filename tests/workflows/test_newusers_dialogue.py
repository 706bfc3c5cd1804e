"""New users in their own words (issue 9 follow-up): menus, first messages, status, control words.

Through `Desk.handle` on SQLite and PostgreSQL (the `desk` fixture), plus the menu tables.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from knowledge import KnowledgeBase
from storage import repository
from tests.workflows.test_dialogue import filed, talk
from workflows import Desk
from workflows.answers import reference_in
from workflows.choices import RuleChooser, match_rules
from workflows.desk import cancels
from workflows.fields import COST_MODELS, ORGANISATION_TYPES

RICH_NO_COST = (
    "株式会社ミナトリサイクルの山田太郎です。公園でのペットボトル回収の実証を提案します。"
    "課題は公園のごみの散乱です。回収ボックスを設置し、回収量を計測します。"
    "連絡先は yamada@minato.example.jp です。"
)


def slots(desk: Desk, user: str, platform: str = "kyoso-front") -> dict:  # type: ignore[type-arg]
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        conversation = repository.open_conversation(
            session, platform_id=platform, channel="web", user_key=user, initial_state="idle"
        )
    return dict(conversation.slots)


# --- a number answers the menu on screen ------------------------------------------------------

SHOWN = [
    # (menu shown, answer, value)
    (("needs_budget", "no_cost"), "1", "needs_budget"),
    (("needs_budget", "no_cost"), "２番で", "no_cost"),
    (("proposer_bears", "needs_budget"), "1", "proposer_bears"),
    (("no_cost", "proposer_bears"), "3", None),  # not on the screen: nothing
]


@pytest.mark.parametrize(("shown", "answer", "expected"), SHOWN)
def test_a_number_counts_in_the_menu_shown(
    shown: tuple[str, ...], answer: str, expected: str | None
) -> None:
    menu = [o for v in shown for o in COST_MODELS if o.value == v]
    assert match_rules(answer, COST_MODELS, shown=menu).value == expected


NON_ANSWERS = [
    ("同意しません", COST_MODELS),
    ("同意します", COST_MODELS),
    ("はい", COST_MODELS),
    ("わかりません", COST_MODELS),
    ("やっぱりやめます", COST_MODELS),
    ("嫌です", COST_MODELS),
    ("I don't agree", COST_MODELS),
    ("同意しません", ORGANISATION_TYPES),
    ("今日はいい天気ですね", COST_MODELS),
]


@pytest.mark.parametrize(("answer", "menu"), NON_ANSWERS)
def test_the_meaning_fallback_takes_no_non_answer(
    sample_kb: KnowledgeBase,
    answer: str,
    menu: tuple,  # type: ignore[type-arg]
) -> None:
    found = RuleChooser().choose(answer, menu, similarities=sample_kb.similarities)
    assert found.value is None and not found.close


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("うちで出します", "proposer_bears"),
        ("負担はゼロ", "no_cost"),
        ("お金は市からもらいたい", "needs_budget"),
    ],
)
def test_the_meaning_fallback_still_reads_real_answers(
    sample_kb: KnowledgeBase, answer: str, expected: str
) -> None:
    found = RuleChooser().choose(answer, COST_MODELS, similarities=sample_kb.similarities)
    assert found.value == expected or expected in found.close


ANSWERS = {
    "organisation.name": "株式会社テスト",
    "organisation.type": "企業",
    "contact.name": "山田太郎",
    "contact.email": "yamada@test.example.jp",
    "content.title": "公園の清掃ロボット実証",
    "content.summary": "公園に清掃ロボットを置いて、ごみの量を計測します。",
    "content.problem": "公園のごみの散乱",
    "content.activities": "清掃ロボットの設置と計測",
    "content.municipality_roles": "会場",
}


def reach(desk: Desk, user: str, field: str) -> None:
    """Answer the intake until `field` is asked."""
    talk(desk, user, ["提案したいです"])
    for _ in range(15):
        asking = slots(desk, user)["_progress"].get("asking")
        if asking == field:
            return
        talk(desk, user, [ANSWERS.get(asking, "はい")])
    raise AssertionError(f"{field} never asked")


@pytest.mark.parametrize("pick", ["1", "2"])
def test_the_pair_offered_back_is_answered_by_its_own_numbers(desk: Desk, pick: str) -> None:
    reach(desk, "pair", "content.cost_model")
    [pair] = talk(desk, "pair", ["市の予算が必要か、市の費用負担なしか迷っています"])
    assert "3." not in pair
    shown = [line.split(". ", 1)[1] for line in pair.splitlines() if line[:2] in ("1.", "2.")]
    values = {"市の費用負担なし": "no_cost", "市の予算が必要": "needs_budget"}
    talk(desk, "pair", [pick])
    stored = slots(desk, "pair").get("content.cost_model")
    if values[shown[int(pick) - 1]] == "needs_budget":
        assert stored in (None, "needs_budget")  # the needs-budget rule fires
    else:
        assert stored == "no_cost"


def test_no_at_the_cost_menu_stores_nothing(desk: Desk) -> None:
    reach(desk, "no", "content.cost_model")
    talk(desk, "no", ["同意しません"])
    assert slots(desk, "no").get("content.cost_model") in (None, "")


# --- the first message is kept --------------------------------------------------------------

OPENINGS = [
    "すいません うちパン屋やってるんですけど 売れ残りのパンを子ども食堂にあげたいとおもってて "
    "市の方でどっか紹介してもらえたりしますか",
    "市内の小学校にプログラミング教室の講師を派遣する事業を、市から委託していただきたいと"
    "考えています。",
    "NPO法人みどりと未来の鈴木です。団地の空き部屋を使って、高齢者と子どもが一緒にごはんを"
    "食べる居場所をつくりたいです。",
    "商店街の空き店舗でシェアサイクルの拠点をやりたいと思ってて",
]


@pytest.mark.parametrize("opening", OPENINGS)
def test_a_wish_as_the_first_message_starts_a_proposal(desk: Desk, opening: str) -> None:
    [reply] = talk(desk, "wish", [opening])
    assert "担当者に質問をおつなぎ" not in reply and "ご用件をお選び" not in reply
    assert slots(desk, "wish")["_progress"].get("first") == opening


def test_an_english_wish_starts_a_proposal(desk: Desk) -> None:
    [reply] = talk(
        desk,
        "gg",
        [
            "Hello, we are GreenGrid KK, a solar startup. We want to offer members a free "
            "rooftop solar assessment and then PPA contracts."
        ],
        platform="zerocarbon",
    )
    assert "Choose what you need" not in reply and "?" in reply


def test_a_link_alone_starts_a_proposal_with_the_link_attached(desk: Desk) -> None:
    url = "https://drive.google.com/file/d/1AbCdEf/view?usp=sharing"
    [reply] = talk(desk, "url", [url])
    assert "担当者に質問をおつなぎ" not in reply
    assert url in slots(desk, "url").get("content.attachments", [])


@pytest.mark.parametrize(
    "text", ["いえ、提案ではなく質問です", "提案じゃなくて質問です", "質問だけです"]
)
def test_not_a_proposal_means_a_question(desk: Desk, text: str) -> None:
    [reply] = talk(desk, "q", [text])
    assert "ご質問をどうぞ" in reply and "団体名" not in reply


def test_unsure_asks_proposal_or_question_and_keeps_the_text(desk: Desk) -> None:
    text = "会員になって地域の防災訓練を一緒にやりたいと思っているのですが、どうすればいいですか"
    [reply] = talk(desk, "which", [text])
    assert "ご提案ですか、それともご質問ですか" in reply
    [started] = talk(desk, "which", ["連携の提案をする"])  # by its label: the order is the menu's
    assert "団体名" in started or "教えてください" in started
    assert slots(desk, "which")["_progress"].get("first") == text


def test_as_written_takes_the_summary_from_the_first_message(desk: Desk) -> None:
    opening = "提案したいです"
    talk(desk, "aw", [opening])
    progress = slots(desk, "aw")["_progress"]
    assert progress["first"] == opening


# --- status without a number ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｋｆー２０２６ー００００２", "KF-2026-00002"),
        ("kf-2026-5の状況", "KF-2026-00005"),
        ("KF－2026－00012", "KF-2026-00012"),
        ("番号わすれました パンのやつです", None),
    ],
)
def test_references_however_typed(text: str, expected: str | None) -> None:
    assert reference_in(text) == expected


def test_status_without_a_number_answers_the_users_own_proposal(desk: Desk) -> None:
    from tests.bot.test_terminal_chat import RICH

    talk(desk, "mine", [RICH, "公園でのペットボトル回収実証", "はい、同意いたします", "提出する"])
    [reference] = [p.reference for p in filed(desk)]
    for ask in ("先日出した提案どうなりました？", "提案の状況を確認したい"):
        [reply] = talk(desk, "mine", [ask])
        assert reference in reply and "受付番号を教えてください" not in reply


def test_status_without_proposals_says_so_and_never_loops(desk: Desk) -> None:
    turns = talk(
        desk,
        "none",
        ["提案の状況を確認したい", "番号わすれました パンのやつです", "わからないです"],
    )
    assert sum("受付番号を教えてください" in t for t in turns) <= 1
    [english] = talk(desk, "none-en", ["any news on the proposal I sent earlier?"])
    assert "cannot find a proposal" in english


# --- control words mid-intake -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["今の内容を確認したい", "ここまでの内容を見せて", "show me what you have so far"]
)
def test_what_so_far_is_shown_then_asked_again(desk: Desk, text: str) -> None:
    talk(desk, "sofar", ["提案したいです", "株式会社テスト", "山田"])
    [reply] = talk(desk, "sofar", [text])
    assert "株式会社テスト" in reply and ("メール" in reply or "e-mail" in reply.lower())


@pytest.mark.parametrize(
    "text", ["やっぱりやめます", "いや、提案するのやめときます", "だから、やめます", "やめときます"]
)
def test_cancel_in_a_sentence(text: str) -> None:
    assert cancels(text)


@pytest.mark.parametrize("text", ["やめる理由はありません", "辞めた社員の紹介"])
def test_not_a_cancel(text: str) -> None:
    assert not cancels(text)


@pytest.mark.parametrize(
    "back", ["さっきの続きから", "やっぱり出します。さっきの続きからできますか？"]
)
def test_a_cancelled_proposal_is_taken_up_again(desk: Desk, back: str) -> None:
    talk(desk, "again", ["提案したいです", "株式会社テスト", "山田", "やっぱりやめます"])
    [reply] = talk(desk, "again", [back])
    assert "続きから再開" in reply
    assert slots(desk, "again")["organisation.name"] == "株式会社テスト"


@pytest.mark.parametrize(
    "text",
    ["はい", "同意します", "わかりません", "うーん、課題って言われても…", "PDFを見てください"],
)
def test_a_non_answer_to_a_free_text_field_is_not_stored(desk: Desk, text: str) -> None:
    reach(desk, "nv", "content.problem")
    talk(desk, "nv", [text])
    assert slots(desk, "nv").get("content.problem") in (None, "", [])
