"""Choice answers the way people write them: number, label, sentence, keigo, emoji, synonyms."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from workflows.choices import Match, RuleChooser, core, match_rules
from workflows.fields import (
    BUDGET,
    CONFIRM,
    COST_MODELS,
    ORGANISATION_TYPES,
    RESUME,
    ROLES,
    YES_NO,
    tier_options,
)

TIERS = tier_options(
    [
        ("A", "A（会議に参加）", "A: attends meetings"),
        ("B", "B（WEB視聴のみ）", "B: web viewing only"),
        ("C", "C（メール配信のみ）", "C: mail only"),
    ]
)
MENUS = {
    "type": ORGANISATION_TYPES,
    "cost": COST_MODELS,
    "tier": TIERS,
    "yes_no": YES_NO,
    "confirm": CONFIRM,
    "budget": BUDGET,
    "resume": RESUME,
}

CASES: list[tuple[str, str, str | None]] = [
    # (menu, answer, value picked; None: nothing picked by the rules)
    ("tier", "Bでお願いします🙏", "B"),
    ("tier", "B", "B"),
    ("tier", "ｂ", "B"),
    ("tier", "2", "B"),
    ("tier", "２番でお願いします", "B"),
    ("tier", "Cにします", "C"),
    ("tier", "I'd like tier A, please", "A"),
    ("tier", "A（会議に参加）", "A"),
    ("tier", "WEB視聴のみで", "B"),
    ("tier", "メール配信のみでお願いします", "C"),
    ("tier", "B: web viewing only", "B"),
    ("yes_no", "はい、同意いたします", "yes"),
    ("yes_no", "はい、同意します", "yes"),
    ("yes_no", "はい", "yes"),
    ("yes_no", "同意します。", "yes"),
    ("yes_no", "はい！同意します😊", "yes"),
    ("yes_no", "Yes, I agree to all three", "yes"),
    ("yes_no", "yes", "yes"),
    ("yes_no", "I agree.", "yes"),
    ("yes_no", "OK", "yes"),
    ("yes_no", "1", "yes"),
    ("yes_no", "いいえ、同意しません", "no"),
    ("yes_no", "同意できません", "no"),
    ("yes_no", "No, I don't agree", "no"),
    ("yes_no", "2", "no"),
    ("confirm", "提出する", "submit"),
    ("confirm", "提出をお願いします", "submit"),
    ("confirm", "提出をお願いいたします", "submit"),
    ("confirm", "提出します🙏", "submit"),
    ("confirm", "File it", "submit"),
    ("confirm", "file it please", "submit"),
    ("confirm", "この内容でお願いします", "submit"),
    ("confirm", "1", "submit"),
    ("confirm", "submit", "submit"),
    ("confirm", "はい", "submit"),
    ("confirm", "修正する", "edit"),
    ("confirm", "Change something", "edit"),
    ("confirm", "やめる", "cancel"),
    ("confirm", "3", "cancel"),
    ("type", "NPO法人です", "npo"),
    ("type", "ＮＰＯ法人です", "npo"),
    ("type", "A university", "university"),
    ("type", "大学です", "university"),
    ("type", "大学・研究機関", "university"),
    ("type", "株式会社です", "company"),
    ("type", "企業", "company"),
    ("type", "We are a company", "company"),
    ("type", "一般社団法人です", "association"),
    ("type", "信用金庫です", "financial"),
    ("type", "個人事業主でお願いします", "sole_proprietor"),
    ("type", "フリーランスです", "sole_proprietor"),
    ("type", "ﾌﾘｰﾗﾝｽです", "sole_proprietor"),
    ("type", "an NPO", "npo"),
    ("type", "3", "university"),
    ("type", "company", "company"),
    ("cost", "じゃあ、うちで持ちます", "proposer_bears"),
    ("cost", "うちで持ちます", "proposer_bears"),
    ("cost", "自社負担です", "proposer_bears"),
    ("cost", "We cover all the costs ourselves", "proposer_bears"),
    ("cost", "実費は提案者が負担", "proposer_bears"),
    ("cost", "市の費用負担なし", "no_cost"),
    ("cost", "費用はかかりません", "no_cost"),
    ("cost", "No cost to the city", "no_cost"),
    ("cost", "市の予算が必要です", "needs_budget"),
    ("cost", "1", "no_cost"),
    ("cost", "2でお願いします", "proposer_bears"),
    ("budget", "続けます", "rework"),
    ("budget", "1", "rework"),
    ("budget", "提案をやめる", "stop"),
    ("budget", "Continue without public money", "rework"),
    ("resume", "続きからお願いします", "continue"),
    ("resume", "最初からやり直します", "restart"),
    ("resume", "Start over", "restart"),
    # Not a choice: the rules must not pick one.
    ("type", "よくわかりません", None),
    ("yes_no", "個人情報はどう扱われますか", None),
    ("confirm", "うーん", None),
    ("tier", "I'll think about it", None),
    ("cost", "9", None),
]


@pytest.mark.parametrize(("menu", "answer", "expected"), CASES)
def test_choice_answers_by_the_rules(menu: str, answer: str, expected: str | None) -> None:
    assert match_rules(answer, MENUS[menu]).value == expected


def test_two_choices_named_are_offered_back_by_name() -> None:
    found = match_rules("AかBで迷っています", TIERS)
    assert found.value is None and set(found.close) == {"A", "B"}


def test_several_roles_by_numbers_and_by_words() -> None:
    assert match_rules("2,3", ROLES, multiple=True).values == ("publicity", "data")
    assert match_rules("２と３", ROLES, multiple=True).values == ("publicity", "data")
    assert set(match_rules("会場と広報をお願いします", ROLES, multiple=True).values) == {
        "venue",
        "publicity",
    }


def test_polite_endings_and_emoji_are_peeled() -> None:
    assert core("Bでお願いします🙏") == "b"
    assert core("提出します🙏") == "提出"
    assert core("ＮＰＯ法人です") == "npo法人"


def test_meaning_decides_when_no_rule_does(sample_kb: KnowledgeBase) -> None:
    chooser = RuleChooser()

    def similarities(text: str, others: list[str]) -> list[float]:
        return sample_kb.similarities(text, others)

    found: Match = chooser.choose(
        "私たちは市民活動をしている非営利の法人です", ORGANISATION_TYPES, similarities=similarities
    )
    assert found.value in ("npo", "association") or set(found.close) <= {"npo", "association"}
    paid = chooser.choose("お金は市からもらいたい", COST_MODELS, similarities=similarities)
    assert paid.value == "needs_budget"
    for chat in ("今日はいい天気ですね", "提案内容を変えたい"):
        nothing = chooser.choose(chat, COST_MODELS, similarities=similarities)
        assert nothing.value is None and not nothing.close
