"""Scripted conversations through the terminal front end, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

from sqlmodel import Session

from bot.channels import terminal
from storage import repository
from workflows import Desk
from workflows.calendar import format_date

RICH = (
    "株式会社ミナトリサイクルの山田です。市内の公園に回収ボックスを置いて、使用済みペットボトルを"
    "回収・再生する実証を提案します。ごみの分別が進まないことが地域の課題です。会場として公園を"
    "使わせていただき、広報にもご協力いただきたいです。費用は当社が負担し、市の費用負担はありません。"
    "連絡先 yamada@minato-recycle.co.jp 045-123-4567"
)
REFERENCE = re.compile(r"KF-\d{4}-\d{5}|ZC-\d{4}-\d{5}")


def chat(
    desk: Desk, lines: list[str], *, user: str = "taro", platform: str = "kyoso-front"
) -> list[str]:
    """Run a script; returns the printed output of each turn."""
    out = io.StringIO()
    terminal.run(
        desk, platform=platform, user=user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out
    )
    turns = out.getvalue().split("\n\n")
    return [t for t in turns if t.strip()]


def proposals(desk: Desk) -> list[repository.ProposalPublic]:  # type: ignore[name-defined]
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        return repository.list_proposals(session)


def test_complete_intake_from_one_rich_message(desk: Desk) -> None:
    turns = chat(desk, [RICH, "公園でのペットボトル回収実証", "はい", "1"])
    # Only the title and the consents were missing: two questions, then the read-back.
    assert "タイトル" in turns[0] and "メールアドレス" not in turns[0].split("タイトル")[0][-30:]
    assert "3点に同意しますか" in turns[1]
    assert "似ている過去の事例" in turns[2] and "ペットボトル" in turns[2]
    reference = REFERENCE.search(turns[3]).group(0)  # type: ignore[union-attr]
    [filed] = proposals(desk)
    assert filed.reference == reference and filed.status == "received"
    record = filed.record
    assert record["proposer"]["organisation_name"] == "株式会社ミナトリサイクル"
    assert record["proposer"]["organisation_type"] == "company"
    assert record["proposer"]["phone"] == "+81451234567"
    assert record["content"]["municipality_roles"] == ["venue", "publicity"]
    assert record["content"]["cost_model"] == "no_cost"
    assert "circular-economy" in record["content"]["themes"]
    assert record["triage"]["suggested_department"] == "resources"
    assert any(c["doc_id"] == "case-petbottle" for c in record["triage"]["similar_cases"])
    assert format_date(filed.due_date, "ja") in turns[3]  # read the Japanese way


def test_intake_from_a_vague_message_asks_one_thing_at_a_time(desk: Desk) -> None:
    script = [
        "提案したいです",
        "NPO法人みどりのまち",
        "佐藤花子",
        "hanako@midori.example.org",
        "団地の空き部屋を使った子どもの居場所づくり",
        "団地の空き部屋で放課後の子どもの居場所を週3回開きます。",
        "共働き家庭の子どもが放課後に過ごす場所が足りません。",
        "学生ボランティアと一緒に学習支援と食事を提供します。",
        "2,3",
        "1",
        "はい",
        "1",
    ]
    turns = chat(desk, script)
    assert "団体名" in turns[0]
    assert "団体の種類を選んでください" not in "".join(turns)  # NPO法人 answered it
    assert "担当者のお名前" in turns[1]
    assert "1. 企業" not in turns[2]
    assert REFERENCE.search(turns[-1])
    [filed] = proposals(desk)
    assert filed.record["proposer"]["organisation_type"] == "npo"
    assert filed.record["content"]["municipality_roles"] == ["publicity", "data"]
    assert filed.record["proposer"]["contact_name"] == "佐藤花子"
    assert filed.organisation == "NPO法人みどりのまち"


def test_corrections_bad_input_back_and_help(desk: Desk) -> None:
    turns = chat(
        desk,
        [
            RICH.replace("yamada@minato-recycle.co.jp", "yamada-at-minato"),
            "メールアドレス",
            "not-an-address",
            "yamada@minato.example.jp",
            "戻る",
            "yamada@minato-recycle.co.jp",
            "ヘルプ",
            "公園でのペットボトル回収実証",
            "はい",
            "タイトルは「公園での資源回収実証」に訂正",
            "1",
        ],
    )
    assert "メールアドレスを教えてください" in turns[0]
    assert "形が正しくない" in turns[1]
    assert "たとえば「taro@example.jp」" in turns[2]  # the second miss shows an example instead
    assert "タイトル" in turns[3]  # e-mail accepted, next question
    assert "メールアドレスを教えてください" in turns[4]  # back re-asks the e-mail
    assert "「戻る」「キャンセル」" in turns[6] and "タイトル" in turns[6]
    assert "訂正しました" in turns[9] and "公園での資源回収実証" in turns[9]
    [filed] = proposals(desk)
    assert filed.title == "公園での資源回収実証"
    assert filed.record["proposer"]["email"] == "yamada@minato-recycle.co.jp"


def test_cancel_mid_intake_files_nothing(desk: Desk) -> None:
    turns = chat(desk, [RICH, "キャンセル", "こんにちは"])
    assert "取り消しました" in turns[1]
    assert "1. 連携の提案をする" in turns[2]
    assert proposals(desk) == []


def test_restart_mid_intake_continues(desk: Desk, sample_kb: object) -> None:
    chat(desk, [RICH])
    again = Desk(store=desk.store, library=desk.library, platforms=desk.platforms)  # a new process
    turns = chat(again, ["公園でのペットボトル回収実証", "はい", "1"])
    assert "3点に同意しますか" in turns[0]
    assert REFERENCE.search(turns[2])


def test_sales_pitch_is_refused_with_the_rule(desk: Desk) -> None:
    pitch = (
        "株式会社クリーンエアの田中です。弊社の新製品の空気清浄機を市の全施設に導入していただきたく、"
        "ご提案します。特別価格でのご購入をご検討ください。費用は市の予算でお願いします。"
        "tanaka@cleanair.example.jp"
    )
    turns = chat(desk, [pitch, "空気清浄機の導入"])
    # Refused at once, before any question is asked; the next message starts afresh.
    assert "お受けできません" in turns[0] and "タイトル" not in turns[0]
    assert "1. 連携の提案をする" in turns[1]
    assert "受け付けできない提案" in turns[0]
    assert "https://sample.madoguchi.invalid/kyoso-front/not-accepted" in turns[0]
    assert proposals(desk) == []


def test_needs_budget_explains_procurement_and_can_be_reworked(desk: Desk) -> None:
    text = RICH.replace(
        "費用は当社が負担し、市の費用負担はありません。",
        "実施には市の予算で委託していただく必要があります。",
    )
    restated = (
        "公園に回収ボックスを置き、回収と再生は当社の費用で行います。"
        "市には場所と広報だけをお願いします。"
    )
    turns = chat(desk, [text, "1", "1", "公園でのペットボトル回収実証", restated, "はい", "1"])
    assert "調達手続" in turns[0] and "費用負担の考え方" in turns[0]
    assert "費用の考え方を選んでください" in turns[1]
    assert "タイトル" in turns[2]
    assert "改めて教えてください" in turns[3]  # restated, so the record does not contradict
    assert REFERENCE.search(turns[-1])
    record = proposals(desk)[0].record
    assert record["content"]["cost_model"] == "no_cost"
    summary = record["content"]["summary"]
    assert "委託" not in summary and "当社の費用" in summary


def test_duplicate_of_an_earlier_proposal_is_flagged(desk: Desk) -> None:
    first = chat(desk, [RICH, "公園でのペットボトル回収実証", "はい", "1"])
    reference = REFERENCE.search(first[-1]).group(0)  # type: ignore[union-attr]
    second = chat(desk, [RICH, "公園でのペットボトル回収実証", "はい", "1"], user="hanako")
    # The proposer hears only that a like proposal exists; staff see which one it is.
    assert "よく似ています" in second[-2] and "担当者が確認" in second[-2]
    assert reference not in "".join(second)
    latest = max(proposals(desk), key=lambda p: p.reference)
    assert [d["reference"] for d in latest.record["triage"]["possible_duplicates"]] == [reference]


def test_member_question_is_answered_with_citation(desk: Desk) -> None:
    [turn] = chat(desk, ["参加の階層は変更できますか"], platform="zerocarbon")
    assert "いつでも自由に変更できます" in turn
    assert "出典：参加の階層（A・B・C） https://sample.madoguchi.invalid/zerocarbon/tiers" in turn


def test_weak_evidence_offers_a_hand_off_that_files_an_inquiry(desk: Desk) -> None:
    question = "コンソーシアムの会合の会場に駐車場はありますか"  # about the desk; no document says
    turns = chat(desk, [question, "はい"], platform="zerocarbon")
    assert "確かな答えを見つけられませんでした" in turns[0]
    assert "担当者に引き継ぎました" in turns[1]
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        [inquiry] = repository.list_inquiries(session, platform_id="zerocarbon")
    assert inquiry.question == question


def test_a_bare_question_off_the_desks_topics_says_so_and_still_offers_a_person(
    desk: Desk,
) -> None:
    # The intent model reads 「駐車場はありますか」 alone as off-topic (issue 10): the desk says
    # what it handles instead of quoting an unrelated passage, and a person is one choice away.
    [reply] = chat(desk, ["駐車場はありますか"], platform="zerocarbon")
    assert "お答えできません" in reply and "担当者と話す" in reply


def test_status_by_owner_and_by_stranger(desk: Desk) -> None:
    filed = chat(desk, [RICH, "公園でのペットボトル回収実証", "はい", "1"])
    reference = REFERENCE.search(filed[-1]).group(0)  # type: ignore[union-attr]
    [mine] = chat(desk, [f"{reference} の状況は？"])
    assert "受付済み" in mine and "公園でのペットボトル回収実証" in mine
    [theirs] = chat(desk, [f"{reference} の状況は？"], user="eve")
    assert "確認できません" in theirs and "ペットボトル" not in theirs


def test_english_proposal(desk: Desk) -> None:
    message = (
        "Hello, I am John Smith from Harbour Mobility Inc. We propose a pilot of shared e-bikes at "
        "city parks to reduce car trips; the problem is congestion near stations. We would need "
        "a test field and publicity. No cost to the city. Contact: john@harbour.example.com"
    )
    turns = chat(desk, [message, "Shared e-bike pilot in city parks", "yes", "1"])
    assert "one-line title" in turns[0]
    assert "Do you agree to all three?" in turns[1]
    assert "Shall I file it?" in turns[2]
    assert "Your reference number is KF-" in turns[3]
    [filed] = proposals(desk)
    assert filed.language == "en" and filed.record["proposer"]["contact_name"] == "John Smith"


def test_consents_and_confirmation_by_number(desk: Desk) -> None:
    turns = chat(desk, [RICH, "公園でのペットボトル回収実証", "1", "1"])
    assert "この内容で提出しますか" in turns[2]
    assert REFERENCE.search(turns[3])


def test_menu_choices_by_number(desk: Desk) -> None:
    turns = chat(desk, ["こんにちは", "3", "KF-2026-99999"])
    assert "1. 連携の提案をする" in turns[0]
    assert "受付番号を教えてください" in turns[1]
    assert "確認できません" in turns[2]


def test_corporate_number_and_location_are_read_and_checked(desk: Desk) -> None:
    wrong = RICH + " 法人番号 8000012050002、所在地は横浜市中区です。"
    turns = chat(
        desk,
        [wrong, "法人番号は 7000012050002 に訂正", "公園でのペットボトル回収実証", "はい", "1"],
    )
    assert "確認用の数字が合いません" in turns[0]
    assert REFERENCE.search(turns[-1])
    [filed] = proposals(desk)
    assert filed.record["proposer"]["corporate_number"] == "7000012050002"
    assert filed.record["proposer"]["location"] == "横浜市中区"
