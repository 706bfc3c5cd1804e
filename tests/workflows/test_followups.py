"""Follow-ups belong to the case: a proposer's later message reaches the open proposal's staff.

Real desk, real database (SQLite, and PostgreSQL when DATABASE_URL is set); the messages are
what proposers write after a staff reply, in keigo, casually, with emoji and typos.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, col, select

from storage.models import Message, Proposal, ProposalEvent
from workflows import Desk, Incoming
from workflows.calendar import add_business_days, local_today

RICH = (
    "株式会社ミナトリサイクルの山田です。市内の公園に回収ボックスを置いて、使用済みペットボトルを"
    "回収・再生する実証を提案します。ごみの分別が進まないことが地域の課題です。会場として公園を"
    "使わせていただき、広報にもご協力いただきたいです。費用は当社が負担し、市の費用負担はありません。"
    "連絡先 yamada@minato-recycle.co.jp 045-123-4567"
)
SECOND = RICH.replace("ペットボトル", "古着").replace("ミナトリサイクル", "ミナト古着")


def say(desk: Desk, user: str, text: str) -> str:
    replies = desk.handle(Incoming("kyoso-front", "terminal", user, text))
    return "\n".join(r.fallback_text() for r in replies)


def file(
    desk: Desk, user: str, text: str = RICH, title: str = "公園でのペットボトル回収実証"
) -> str:
    reply = say(desk, user, text)
    for _ in range(6):
        found = re.search(r"KF-\d{4}-\d{5}", reply)
        if found:
            return found.group(0)
        asks_title = "タイトル" in reply and "提出" not in reply and "訂正" not in reply
        reply = say(desk, user, title if asks_title else "1")
    raise AssertionError(reply)


def proposal(desk: Desk, reference: str) -> Proposal:
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        return session.exec(select(Proposal).where(Proposal.reference == reference)).one()


def replied_by_staff(desk: Desk, reference: str) -> None:
    with Session(desk.store.engine) as session, session.begin():  # type: ignore[attr-defined]
        row = session.exec(select(Proposal).where(Proposal.reference == reference)).one()
        from storage.staff import update_proposal

        update_proposal(
            session,
            proposal=row,
            actor="hanako",
            note="reply: 来週ご都合いかがですか",
            staff_response=True,
        )


@pytest.mark.parametrize(
    "followup",
    [
        "来週火曜14時はいかがでしょうか",
        "承知しました。資料を追加で送ります",
        "日程の件、水曜午後でも大丈夫です🙏",
        "りょうかいです！あした資料おくりますね",
        "提案書の修正版をお送りしてもよろしいでしょうか？",
        "Tuesday 2pm next week works for us",
        "ありがとうございます！よろしくお願いします",
        "すみません、でんわばんごう変わりました 090-1234-5678 です",
        "資料はどこに送ればいいですか？",
    ],
)
def test_a_followup_after_a_staff_reply_reaches_the_proposal(desk: Desk, followup: str) -> None:
    reference = file(desk, "Ufollow")
    replied_by_staff(desk, reference)
    before = proposal(desk, reference)
    assert before.awaiting_staff_since is None
    reply = say(desk, "Ufollow", followup)
    assert "担当者にお伝えしました" in reply or "passed this on to the staff" in reply
    assert reference in reply
    after = proposal(desk, reference)
    assert after.awaiting_staff_since is not None and after.version > before.version
    platform = desk.platforms["kyoso-front"]
    today = local_today(after.awaiting_staff_since, platform.timezone)
    assert after.next_action_due == add_business_days(today, platform.followup_days)
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        attached = session.exec(select(Message).where(Message.proposal_id == after.id)).all()
        assert [m.text for m in attached] == [followup]
        notes = session.exec(
            select(ProposalEvent.note).where(ProposalEvent.proposal_id == after.id)
        ).all()
        assert f"followup: {followup}" in notes


@pytest.mark.parametrize(
    "message",
    [
        "新しい提案をしたいです",  # a new request
        "会費はいくらですか",  # a desk question
        "担当者と話したい",  # a hand-off
        "こんにちは",  # a greeting gets the menu
        "status",  # the menu's own button
        "別件ですが、会員になるにはどうすればいいですか",  # another matter
        "もう一件、提案があります",  # one more proposal
        "先日出した提案の結果を教えてください",  # a status check
    ],
)
def test_new_requests_are_not_taken_for_followups(desk: Desk, message: str) -> None:
    reference = file(desk, "Unew")
    replied_by_staff(desk, reference)
    reply = say(desk, "Unew", message)
    assert "担当者にお伝えしました" not in reply
    assert proposal(desk, reference).awaiting_staff_since is None


def test_a_reference_is_still_a_status_check(desk: Desk) -> None:
    reference = file(desk, "Ustatus")
    replied_by_staff(desk, reference)
    reply = say(desk, "Ustatus", f"{reference.lower()}の状況は？")
    assert "担当者にお伝えしました" not in reply and "受付済み" in reply
    assert proposal(desk, reference).awaiting_staff_since is None


def test_several_open_proposals_ask_which_and_keep_the_message(desk: Desk) -> None:
    first = file(desk, "Useveral")
    second = file(desk, "Useveral", SECOND, "古着の回収実証")
    replied_by_staff(desk, first)
    asked = say(desk, "Useveral", "来週火曜14時はいかがでしょうか")
    assert "どの提案" in asked and first in asked and second in asked
    listed = [line for line in asked.splitlines() if first in line][0]
    number = listed.split(".")[0].strip()[-1]
    done = say(desk, "Useveral", number)
    assert "担当者にお伝えしました" in done and first in done
    row = proposal(desk, first)
    assert row.awaiting_staff_since is not None
    assert proposal(desk, second).awaiting_staff_since is None
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        attached = session.exec(
            select(Message.text).where(Message.proposal_id == row.id).order_by(col(Message.id))
        ).all()
    assert attached == ["来週火曜14時はいかがでしょうか"]  # the held message, not the "1"


def test_closed_proposals_take_no_followups(desk: Desk) -> None:
    reference = file(desk, "Uclosed")
    with Session(desk.store.engine) as session, session.begin():  # type: ignore[attr-defined]
        row = session.exec(select(Proposal).where(Proposal.reference == reference)).one()
        row.status = "declined"
        session.add(row)
    reply = say(desk, "Uclosed", "来週火曜14時はいかがでしょうか")
    assert "担当者にお伝えしました" not in reply
    assert proposal(desk, reference).awaiting_staff_since is None


@pytest.mark.parametrize("answer", ["followup-2", "古着の回収実証です"])
def test_the_proposal_is_picked_by_button_or_title(desk: Desk, answer: str) -> None:
    first = file(desk, "Upick")
    second = file(desk, "Upick", SECOND, "古着の回収実証")
    asked = say(desk, "Upick", "資料を追加でお送りしますね〜")
    assert asked.splitlines()[1].startswith("1. ")  # newest activity first: the second proposal
    picked = second if answer.startswith("古着") else None
    done = say(desk, "Upick", answer)
    target = picked or [p for p in (first, second) if p in asked.splitlines()[2]][0]
    assert "担当者にお伝えしました" in done and target in done
    assert proposal(desk, target).awaiting_staff_since is not None


@pytest.mark.parametrize(
    "message",
    [
        "先ほどの提案ですが、期間は来年4月からに変更したいです",
        "先日お送りした提案の件で、資料を追加したいと思っています",
        "About my proposal: we would like to add a partner company.",
    ],
)
def test_a_message_about_the_filed_proposal_reaches_it_before_any_staff_reply(
    desk: Desk, message: str
) -> None:
    reference = file(desk, "Uearlier")
    reply = say(desk, "Uearlier", message)
    assert "担当者にお伝えしました" in reply or "passed this on" in reply
    assert proposal(desk, reference).awaiting_staff_since is not None
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        assert len(session.exec(select(Proposal)).all()) == 1  # no second proposal started
