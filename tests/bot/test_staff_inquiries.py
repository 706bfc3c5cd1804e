"""Inquiries (issue 13): a page per inquiry with the conversation that led to it, its age and
due date, asker, channel and language; filters, paging and reopen. Real desk turns over
LINE, the real app and database."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from storage.models import Inquiry
from tests.bot.test_staff_console import app, csrf_of, signed_in
from workflows import Incoming

__all__ = ["app"]


def ask(app: Any, user: str, *lines: str, platform: str = "zerocarbon") -> None:
    desk = app.state.parts.inbox.desk
    for line in lines:
        desk.handle(Incoming(platform, "line", user, line), route={})


def numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/staff/inquiries/(\d+)"', page)][::2]


async def test_inquiry_page_shows_the_conversation_before_the_hand_off(app: Any) -> None:
    # No document answers this, so the desk offers a person; the member accepts.
    ask(app, "Umember", "会員になるにはどうすればいいですか？", "はい")
    ask(app, "Umember", "ありがとうございました")  # after the hand-off: not part of it
    async with signed_in(app, "zc-staff") as client:
        listing = (await client.get("/staff/inquiries")).text
        [number] = numbers(listing)
        page = (await client.get(f"/staff/inquiries/{number}")).text
    assert f"問い合わせ Q-{number}" in page
    lead_up = page.split("担当者に引き継ぐまでの会話")[1].split("</ol>")[0]
    said = re.findall(r"<strong>(相手|窓口)</strong> <small>[^<]+</small><br>([^<]+)</li>", lead_up)
    assert [who for who, _ in said] == ["相手", "窓口", "相手", "窓口"]
    assert said[0][1] == "会員になるにはどうすればいいですか？" and said[2][1] == "はい"
    assert f"Q-{number}" in said[3][1]  # the desk's hand-off message closes it
    assert "ありがとうございました" not in lead_up
    assert "LINE" in page and "日本語" in page
    assert re.search(r"受付 \d{4}/\d{2}/\d{2} \d{2}:\d{2}", page)  # the desk's clock


async def test_a_second_inquiry_shows_only_its_own_lead_up(app: Any) -> None:
    ask(app, "Umember", "担当者と話したいです", "駐車場の件でご相談があります")
    ask(app, "Umember", "担当者と話したいです。会費の請求書を再発行してほしいです")
    async with signed_in(app, "zc-staff") as client:
        newest, oldest = numbers((await client.get("/staff/inquiries")).text)
        page = (await client.get(f"/staff/inquiries/{newest}")).text
        first = (await client.get(f"/staff/inquiries/{oldest}")).text
    lead_up = page.split("担当者に引き継ぐまでの会話")[1].split("</ol>")[0]
    assert "請求書" in lead_up and "駐車場" not in lead_up
    assert "請求書" not in first.split("担当者に引き継ぐまでの会話")[1]
    assert newest > oldest


async def test_age_due_date_filters_paging_and_reopen(app: Any) -> None:
    ask(app, "Uwaited", "担当者と話したいです", "補助金の申請書類について相談したいです")
    for n in range(26):
        ask(app, f"Umany{n}", "担当者と話したい", f"イベント{n}の件で相談です")
    engine = app.state.parts.hub.store.engine
    twelve_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=12, hours=1)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Inquiry)
            .where(col(Inquiry.question).contains("補助金"))
            .values(created_at=twelve_days_ago)
        )
    async with signed_in(app, "zc-staff") as client:
        first = (await client.get("/staff/inquiries")).text
        assert "問い合わせ（27件）" in first and len(numbers(first)) == 25
        second = (await client.get("/staff/inquiries?page=2")).text
        assert len(numbers(second)) == 2
        found = (await client.get("/staff/inquiries?q=ほじょきん")).text  # kana, folded
        assert "問い合わせ（0件）" in found  # 補助金 is kanji: no reading is guessed
        found = (await client.get("/staff/inquiries?q=申請書類")).text
        [waited] = numbers(found)
        assert "12日" in found and "期限超過" in found
        assert "問い合わせ（0件）" in (await client.get("/staff/inquiries?channel=web")).text
        assert "問い合わせ（0件）" in (await client.get("/staff/inquiries?language=en")).text
        csrf = await csrf_of(client)
        answered = await client.post(
            f"/staff/inquiries/{waited}/answer",
            data={"csrf": csrf, "text": "申請書類は窓口でもお渡しできます。"},
        )
        assert answered.headers["location"] == f"/staff/inquiries/{waited}?done=answer"
        assert "問い合わせ（26件）" in (await client.get("/staff/inquiries")).text
        done = (await client.get("/staff/inquiries?status=answered")).text
        assert numbers(done) == [waited]
        reopened = await client.post(f"/staff/inquiries/{waited}/reopen", data={"csrf": csrf})
        assert reopened.headers["location"] == f"/staff/inquiries/{waited}?done=reopen"
        page = (await client.get(reopened.headers["location"])).text
        assert "対応中に戻しました" in page and "前回の回答" in page
        assert "問い合わせ（27件）" in (await client.get("/staff/inquiries")).text
    async with signed_in(app, "kf-staff") as other:
        assert (await other.get(f"/staff/inquiries/{waited}")).status_code == 404
        csrf = await csrf_of(other)
        refused = await other.post(f"/staff/inquiries/{waited}/reopen", data={"csrf": csrf})
        assert refused.headers["location"].endswith("error=not_found")
