"""Conversations through `Desk.handle` as people hold them, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlmodel import Session

from storage import intakes, repository
from tests.bot.test_terminal_chat import RICH
from workflows import Desk, Incoming
from workflows.calendar import format_date, reply_due
from workflows.choices import Match

START = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def talk(desk: Desk, user: str, lines: list[str], *, platform: str = "kyoso-front") -> list[str]:
    """Each line's replies, joined into one text per turn."""
    return [
        "\n".join(r.fallback_text() for r in desk.handle(Incoming(platform, "web", user, line)))
        for line in lines
    ]


def filed(desk: Desk) -> list[repository.ProposalPublic]:  # type: ignore[name-defined]
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        return repository.list_proposals(session)


def test_submitting_by_the_buttons_own_words_files(desk: Desk) -> None:
    ja = talk(
        desk, "ja", [RICH, "公園でのペットボトル回収実証", "はい、同意いたします", "提出する"]
    )
    assert "受付番号" in ja[-1]
    english = (
        "Hello, I am John Smith from Harbour Mobility Inc. We propose a pilot of shared e-bikes "
        "at city parks to reduce car trips; the problem is congestion near stations. We would "
        "need a test field and publicity. No cost to the city. Contact: john@harbour.example.com"
    )
    en = talk(desk, "en", [english, "yes", "Yes, I agree to all three", "File it"])
    assert "Your reference number is KF-" in en[-1]
    titles = sorted(p.title for p in filed(desk))
    assert titles[0].startswith("a pilot of shared e-bikes") or "e-bike" in titles[0].lower()


def test_the_same_question_is_never_sent_a_third_time(desk: Desk) -> None:
    replies = talk(desk, "lost", ["提案したいです", "NPO法人みどりのまち", "佐藤花子"])
    misses = talk(desk, "lost", ["えっと", "うーん", "どれかな", "あれ"])
    sent = Counter([*replies, *misses])
    assert max(sent.values()) <= 2
    assert "たとえば「taro@example.jp」" in misses[1]
    assert "担当者" in misses[2]  # then a person is offered
    [handoff] = talk(desk, "lost", ["担当者と話す"])
    assert "担当者に引き継ぎました" in handoff
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        [inquiry] = repository.list_inquiries(session, platform_id="kyoso-front")
    assert "メールアドレス" in inquiry.question


def test_a_question_mid_intake_is_answered_then_the_question_asked_again(desk: Desk) -> None:
    turns = talk(
        desk,
        "curious",
        ["提案したいです", "NPO法人みどりのまち", "参加の階層は変更できますか"],
        platform="zerocarbon",
    )
    assert "出典" in turns[-1] and "いつでも自由に変更できます" in turns[-1]
    assert turns[-1].rstrip().endswith("ご担当者のお名前を教えてください。")
    assert "提案の続き" in turns[-1]


def test_a_change_of_mind_changes_the_field_it_names(desk: Desk) -> None:
    talk(desk, "mind", [RICH, "公園でのペットボトル回収実証", "はい"])
    turns = talk(
        desk, "mind", ["タイトルはやっぱり「公園の資源回収ステーション」に変えたいです", "1"]
    )
    assert "公園の資源回収ステーション" in turns[0]
    [proposal] = filed(desk)
    assert proposal.title == "公園の資源回収ステーション"


def test_an_answer_that_also_gives_the_phone_keeps_the_phone(desk: Desk) -> None:
    talk(desk, "phone", ["提案したいです", "株式会社ヨコハマデータラボ", "高橋一郎"])
    talk(desk, "phone", ["メールは takahashi@yokohama-data.example.jp、電話は 045-222-3333 です"])
    script = [
        "公園の混雑データを使った見守り",
        "公園の混雑データを使って子どもの見守りを行う実証を提案します。",
        "公園での見守りの担い手が足りません。",
        "センサーの設置と分析を当社が行います。",
        "3",
        "自社負担です",
        "はい、同意します",
        "提出します🙏",
    ]
    turns = talk(desk, "phone", script)
    assert "受付番号" in turns[-1]
    [proposal] = filed(desk)
    assert proposal.record["proposer"]["phone"] == "+81452223333"
    assert proposal.record["proposer"]["email"] == "takahashi@yokohama-data.example.jp"
    assert proposal.record["content"]["cost_model"] == "proposer_bears"


def test_a_different_fact_later_is_confirmed_before_it_changes(desk: Desk) -> None:
    talk(desk, "fact", [RICH])  # yamada@minato-recycle.co.jp
    turns = talk(
        desk,
        "fact",
        ["公園でのペットボトル回収実証、連絡は yamada2@minato.example.jp にお願いします"],
    )
    assert "変更しますか" in turns[0] and "yamada2@minato.example.jp" in turns[0]
    turns = talk(desk, "fact", ["はい", "はい", "1"])
    assert filed(desk)[0].record["proposer"]["email"] == "yamada2@minato.example.jp"


def test_undecided_tier_is_noted_with_what_the_documents_say(desk: Desk) -> None:
    script = [
        "提案したいです",
        "株式会社グリーンテック",
        "企業です",
        "鈴木次郎",
        "suzuki@greentech.example.jp",
        "工場の省エネ診断の勉強会",
        "会員企業向けに工場の省エネ診断の勉強会を開きます。",
        "講師の派遣と資料作成を当社が行います。",
        "うちで持ちます",
    ]
    turns = talk(desk, "tier", script, platform="zerocarbon")
    assert "参加の階層" in turns[-1]
    [undecided] = talk(desk, "tier", ["未定です"], platform="zerocarbon")
    assert "未定" in undecided and "出典" in undecided and "変更" in undecided
    assert "3点に同意しますか" in undecided


def test_not_a_proposal_back_and_english_do_what_they_say(desk: Desk) -> None:
    turns = talk(desk, "asks", ["提案したいです", "いえ、提案ではなく質問です"])
    assert "ご質問をどうぞ" in turns[-1]
    turns = talk(desk, "back", ["提案したいです", "NPO法人みどりのまち", "前の質問に戻りたい"])
    assert "団体名" in turns[-1]
    turns = talk(desk, "lang", ["提案したいです", "Sorry, can we continue in English?"])
    assert "What is your organisation's name?" in turns[-1]


def test_a_stale_proposal_asks_to_continue_or_start_over(desk: Desk) -> None:
    clock = Clock()
    later = Desk(store=desk.store, library=desk.library, platforms=desk.platforms, clock=clock)
    talk(later, "stale", [RICH])
    clock.now += dt.timedelta(hours=30)
    [asked] = talk(later, "stale", ["こんにちは"])
    assert "途中" in asked and "ペットボトル" in asked
    [resumed] = talk(later, "stale", ["続きから"])
    assert "タイトル" in resumed
    # A stale hand-off offer does not swallow the next message.
    talk(later, "offer", ["駐車場はありますか"], platform="zerocarbon")
    clock.now += dt.timedelta(hours=30)
    [fresh] = talk(later, "offer", ["参加の階層は変更できますか"], platform="zerocarbon")
    assert "出典" in fresh and "引き継ぎました" not in fresh


def test_a_refused_intake_is_recorded_and_offers_a_person(desk: Desk) -> None:
    pitch = (
        "株式会社クリーンエアの田中です。弊社の新製品の空気清浄機を市の全施設に導入していただきたく、"
        "ご提案します。特別価格でのご購入をご検討ください。tanaka@cleanair.example.jp"
    )
    [refused] = talk(desk, "pitch", [pitch])
    assert "お受けできません" in refused and "担当者" in refused and "組み直して" in refused
    [handoff] = talk(desk, "pitch", ["はい、お願いします"])
    assert "担当者に引き継ぎました" in handoff
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        [outcome] = intakes.intake_outcomes(session, platforms=("kyoso-front",))
        [inquiry] = repository.list_inquiries(session, platform_id="kyoso-front")
    assert outcome.outcome == "refused" and outcome.rule_id == "sales-pitch"
    assert "空気清浄機" in outcome.text and "空気清浄機" in inquiry.question


def test_cancelling_mid_intake_is_recorded_as_abandoned(desk: Desk) -> None:
    talk(desk, "quit", [RICH, "キャンセル"])
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        [outcome] = intakes.intake_outcomes(session, platforms=("kyoso-front",))
    assert outcome.outcome == "abandoned" and "ミナトリサイクル" in outcome.text


def test_the_duplicate_check_never_shows_another_proposal(desk: Desk) -> None:
    first = talk(desk, "one", [RICH, "公園でのペットボトル回収実証", "はい", "1"])
    reference = first[-1].split("受付番号は ")[1].split(" ")[0]
    other = RICH.replace("ミナトリサイクル", "ハマエコ").replace("山田", "川口")
    second = talk(desk, "two", [other, "公園のペットボトル回収", "はい"])
    assert "よく似ています" in second[-1]
    assert reference not in second[-1] and "ミナトリサイクル" not in second[-1]
    assert "公園でのペットボトル回収実証" not in second[-1]


def test_intake_is_saved_with_its_bookkeeping_apart_from_the_data(desk: Desk) -> None:
    talk(desk, "slots", [RICH])
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        conversation = repository.open_conversation(
            session,
            platform_id="kyoso-front",
            channel="web",
            user_key="slots",
            initial_state="idle",
        )
    private = [k for k in conversation.slots if k.startswith("_")]
    assert private == ["_progress"]
    assert conversation.slots["_progress"]["asking"] == "content.title"


class AlwaysUniversity:
    """Another `Understanding`: reads every menu answer as the university option."""

    def choose(self, text: str, options: Any, **_: Any) -> Match:
        values = [o.value for o in options]
        return Match(values=("university",), by="test") if "university" in values else Match()


def test_another_understanding_is_one_argument_away(desk: Desk) -> None:
    other = Desk(
        store=desk.store,
        library=desk.library,
        platforms=desk.platforms,
        understanding=AlwaysUniversity(),
    )
    talk(
        other,
        "port",
        ["提案したいです", "みどり研究会", "ええと、どれだろう"],
        platform="zerocarbon",
    )
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        conversation = repository.open_conversation(
            session, platform_id="zerocarbon", channel="web", user_key="port", initial_state="idle"
        )
    assert conversation.slots["organisation.type"] == "university"


def test_filing_reads_the_date_and_the_year_on_the_platforms_clock(desk: Desk) -> None:
    clock = Clock()
    clock.now = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 1 January 08:30 in Tokyo
    local = Desk(store=desk.store, library=desk.library, platforms=desk.platforms, clock=clock)
    turns = talk(local, "newyear", [RICH, "公園でのペットボトル回収実証", "はい", "提出する"])
    [proposal] = filed(desk)
    assert proposal.reference.startswith("KF-2027-")
    due = reply_due(clock.now, days=10, timezone="Asia/Tokyo")
    assert proposal.due_date == due and format_date(due, "ja") in turns[-1]
    wednesday = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)  # Wednesday 08:30 in Tokyo
    assert reply_due(wednesday, days=1, timezone="Asia/Tokyo") == dt.date(2026, 12, 3)
