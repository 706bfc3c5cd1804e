"""The staff week (issue 13) over HTTP: one-step triage, a stale page refused with what changed,
typed text kept on errors, views, bulk changes, two clocks and Japanese (or English) labels.

Real app, real database (SQLite; PostgreSQL when DATABASE_URL is set), proposals filed by a real
LINE intake; the proposer's LINE is a local fake (pytest-httpserver).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.server import create_app
from bot.settings import Settings
from bot.staff.auth import hash_password
from knowledge import KnowledgeBase
from storage import accounts, staff
from storage.models import Proposal, StaffAccount
from storage.store import SqlStore
from tests.bot.channels_helpers import LINE_SECRET, LINE_TOKEN
from tests.bot.test_staff_console import PASSWORD, SENT, file_proposal, signed_in
from tests.bot.test_terminal_chat import RICH
from workflows import Incoming

SECOND = RICH.replace("ペットボトル", "古着").replace("ミナトリサイクル", "ミナト古着")
STAMP = re.compile(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}")


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> AsyncIterator[Any]:
    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(
        channels={"kyoso-front": {"line": line}},
        line_api_base=httpserver.url_for("").rstrip("/"),
        background_workers=False,
    )
    application = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
    with Session(engine) as session, session.begin():
        for username, name in (("hanako", "山田花子"), ("jiro", "佐藤次郎")):
            accounts.add_staff(
                session,
                username=username,
                display_name=name,
                password_hash=hash_password(PASSWORD),
                role="staff",
                platforms=["kyoso-front"],
            )
    application.state.first = file_proposal(application, "kyoso-front", "Uweek")
    application.state.second = file_proposal(application, "kyoso-front", "Uother", SECOND)
    yield application


async def form_of(client: httpx.AsyncClient, path: str) -> dict[str, str]:
    page = (await client.get(path)).text
    action = re.search(r'<form method="post" action="([^"]+/triage)"', page)
    assert action is not None, page[:400]
    hidden = {
        k: html.unescape(v)
        for k, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
    }
    return {**hidden, "action": action.group(1)}


def row(app: Any, reference: str) -> Proposal:
    with Session(app.state.parts.hub.store.engine) as session:
        return session.exec(select(Proposal).where(Proposal.reference == reference)).one()


async def save(client: httpx.AsyncClient, form: dict[str, str], **fields: str) -> httpx.Response:
    data = {k: v for k, v in form.items() if k != "action"}
    return await client.post(form["action"], data={**data, **fields})


async def test_one_save_assigns_sets_department_status_note_and_replies(
    app: Any, httpserver: HTTPServer
) -> None:
    reference = app.state.first
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{reference}")
        response = await save(
            client,
            form,
            assignee="hanako",
            department="resources",
            status="screening",
            note="現地確認が必要",
            reply="来週お電話してもよろしいでしょうか。",
        )
        assert response.status_code == 303 and "done=triage" in response.headers["location"]
        page = (await client.get(response.headers["location"])).text
    assert "保存しました。" in page
    for line in ("受付済み → 確認中", "担当: 山田花子", "内部メモ: 現地確認が必要", "返信: 来週"):
        assert line in page, line
    assert "assignee=" not in page and "+00:00" not in page and STAMP.search(page)
    saved = row(app, reference)
    assert (saved.assignee, saved.department, saved.status) == ("hanako", "resources", "screening")
    assert saved.first_response_at is not None
    await app.state.parts.sender.drain()
    texts = [
        json.loads(r.data)["messages"][0]["text"]
        for r, _ in httpserver.log
        if r.path == "/v2/bot/message/push"
    ]
    assert sum("来週お電話してもよろしいでしょうか。" in t for t in texts) == 1


async def test_a_stale_page_is_refused_with_what_changed_and_keeps_the_typing(
    app: Any, httpserver: HTTPServer
) -> None:
    reference = app.state.first
    async with signed_in(app, "hanako") as hanako, signed_in(app, "jiro") as jiro:
        hanakos = await form_of(hanako, f"/staff/proposals/{reference}")
        jiros = await form_of(jiro, f"/staff/proposals/{reference}")
        first = await save(jiro, jiros, assignee="jiro", reply="佐藤が担当します。")
        assert first.status_code == 303
        late = await save(hanako, hanakos, assignee="hanako", reply="山田が担当します。")
        assert late.status_code == 409
        page = late.text
        assert "ほかの人が変更しました" in page
        assert "担当: 佐藤次郎" in page and "返信: 佐藤が担当します。" in page
        assert ">山田が担当します。</textarea>" in page  # nothing typed is lost
        assert row(app, reference).assignee == "jiro"
        again = await form_of(hanako, f"/staff/proposals/{reference}")
        assert int(again["version"]) > int(hanakos["version"])
    await app.state.parts.sender.drain()
    texts = [json.loads(r.data)["messages"][0]["text"] for r, _ in httpserver.log]
    assert not any("山田が担当します。" in t for t in texts)  # the proposer got one reply


@pytest.mark.parametrize(
    ("fields", "error", "kept"),
    [
        (
            {"status": "declined", "note": "予算の確認待ち"},
            "見送りには理由の記入が必要です。",
            "予算の確認待ち",
        ),
        (
            {"status": "agreed", "reply": "ご提案ありがとうございます🙏"},
            "その状態には変更できません",
            "ご提案ありがとうございます🙏",
        ),
        ({"next_action_due": "来週", "note": "電話する"}, "日付を読み取れませんでした", "電話する"),
        (
            {"assignee": "nobody-here", "note": "引き継ぎ"},
            "その担当者はこの窓口を担当していません。",
            "引き継ぎ",
        ),
        ({}, "内容が空です", ""),
        ({"reply": "長文です。" * 1001}, "5,000字まで", "長文です。" * 1001),
    ],
)
async def test_refused_saves_say_why_in_japanese_and_keep_what_was_typed(
    app: Any, fields: dict[str, str], error: str, kept: str
) -> None:
    reference = app.state.first
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{reference}")
        response = await save(client, form, **{"assignee": "", **fields})
        assert response.status_code == 422
        assert error in response.text and kept in response.text
    assert row(app, reference).status == "received" and row(app, reference).version == 1


async def test_the_status_select_starts_empty(app: Any) -> None:
    async with signed_in(app, "hanako") as client:
        page = (await client.get(f"/staff/proposals/{app.state.first}")).text
    select_html = page[page.index('name="status"') :]
    first_option = re.search(r"<option value=\"([^\"]*)\"", select_html)
    assert first_option is not None and first_option.group(1) == ""
    assert "selected>見送り" not in select_html.split("</select>")[0]


async def test_next_and_previous_follow_the_filtered_queue(app: Any) -> None:
    first, second = app.state.first, app.state.second
    async with signed_in(app, "hanako") as client:
        queue = (await client.get("/staff/queue?view=unassigned&sort=received_asc")).text
        link = re.search(rf'href="(/staff/proposals/{first}\?back=[^"]+)"', queue)
        assert link is not None
        page = (await client.get(link.group(1).replace("&amp;", "&"))).text
        assert f"/staff/proposals/{second}?back=" in page and "次の提案" in page
        form = await form_of(client, link.group(1).replace("&amp;", "&"))
        moved = await save(client, form, assignee="hanako", go="next")
        # Saved, and on to the next one of the same list (filters kept in the URL).
        assert f"/staff/proposals/{second}?back=" in moved.headers["location"]
        assert "view%3Dunassigned" in moved.headers["location"]


async def test_bulk_assign_and_status_from_the_queue(app: Any) -> None:
    first, second = app.state.first, app.state.second
    async with signed_in(app, "jiro") as client:
        queue = (await client.get("/staff/queue")).text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', queue).group(1)  # type: ignore[union-attr]
        response = await client.post(
            "/staff/queue/bulk",
            data={"csrf": csrf, "ref": [first, second], "assignee": "jiro", "status": "screening"},
        )
        assert response.status_code == 303 and "done=bulk" in response.headers["location"]
        mine = (await client.get("/staff/queue?view=mine")).text
        assert first in mine and second in mine and "佐藤次郎" in mine
        nothing = await client.post("/staff/queue/bulk", data={"csrf": csrf, "status": "agreed"})
        assert "error=selection" in nothing.headers["location"]
    assert {row(app, r).status for r in (first, second)} == {"screening"}


async def test_views_and_japanese_drop_downs(app: Any) -> None:
    first, second = app.state.first, app.state.second
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{first}")
        await save(client, form, assignee="hanako", department="resources")
        other = await form_of(client, f"/staff/proposals/{second}")
        await save(client, other, assignee="", department="kyoso")
        queue = (await client.get("/staff/queue")).text
        assert '<option value="resources" >資源循環局</option>' in queue
        assert "データ活用・DX</option>" in queue
        assert "circular-economy</option>" not in queue  # themes by their Japanese labels
        mine = (await client.get("/staff/queue?view=mine")).text
        assert first in mine and second not in mine
        unassigned = (await client.get("/staff/queue?view=unassigned")).text
        assert second in unassigned and first not in unassigned
        by_assignee = (await client.get("/staff/queue?assignee=hanako")).text
        assert first in by_assignee and second not in by_assignee
        by_department = (await client.get("/staff/queue?department=resources")).text
        assert first in by_department and second not in by_department


async def test_overdue_follows_the_current_clock_everywhere(app: Any) -> None:
    """Past the first-response date until staff respond; answered proposals leave the list;
    a follow-up starts the next-action clock. Queue, dashboard and digest agree."""
    first, second = app.state.first, app.state.second
    engine = app.state.parts.hub.store.engine
    with Session(engine) as session, session.begin():
        session.execute(update(Proposal).values(due_date=dt.date(2026, 1, 5)))
    async with signed_in(app, "hanako") as client:

        def counts() -> tuple[int, int]:
            with Session(engine) as session:
                today = dt.date(2026, 11, 24)
                figures = staff.dashboard(session, platforms=("kyoso-front",), today=today)
                digest = staff.overdue(session, platform_id="kyoso-front", today=today)
                return figures["overdue"], len(digest)

        assert counts() == (2, 2)
        overdue = (await client.get("/staff/queue?view=overdue")).text
        assert first in overdue and second in overdue and "日超過" in overdue
        form = await form_of(client, f"/staff/proposals/{first}")
        await save(client, form, reply="ご連絡ありがとうございます。")
        assert counts() == (1, 1)  # answered: no longer overdue
        overdue = (await client.get("/staff/queue?view=overdue")).text
        assert first not in overdue and second in overdue
        with Session(engine) as session, session.begin():
            session.execute(
                update(Proposal)
                .where(Proposal.reference == first)
                .values(next_action_due=dt.date(2026, 11, 20))
            )
        assert counts() == (2, 2)  # a follow-up left unanswered past its own clock
        dashboard = (await client.get("/staff/dashboard")).text
        assert 'id="overdue-count">' in dashboard


async def test_a_followup_shows_in_the_queue_dashboard_and_page(app: Any) -> None:
    reference = app.state.first
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{reference}")
        await save(client, form, reply="来週ご都合いかがですか。")
        desk = app.state.parts.inbox.desk
        replies = desk.handle(
            Incoming("kyoso-front", "line", "Uweek", "来週火曜14時はいかがでしょうか"), route={}
        )
        assert "担当者にお伝えしました" in replies[-1].text
        awaiting = (await client.get("/staff/queue?view=awaiting")).text
        assert reference in awaiting and "提案者から新着" in awaiting
        assert app.state.second not in awaiting
        assert 'id="awaiting-count">1<' in (await client.get("/staff/dashboard")).text
        page = (await client.get(f"/staff/proposals/{reference}")).text
        assert "返信待ち" in page and "来週火曜14時はいかがでしょうか" in page
        assert "提案者から: 来週火曜14時" in page  # the history line
        form = await form_of(client, f"/staff/proposals/{reference}")
        await save(client, form, reply="火曜14時で承知しました。")
        assert reference not in (await client.get("/staff/queue?view=awaiting")).text
    assert row(app, reference).awaiting_staff_since is None


async def test_the_transcript_is_this_proposals_part_with_the_rest_one_click_away(
    app: Any,
) -> None:
    first = app.state.first
    desk = app.state.parts.inbox.desk
    third = file_proposal(app, "kyoso-front", "Uweek", SECOND)  # same proposer, later filing
    desk.handle(Incoming("kyoso-front", "line", "Uweek", "会費はいくらですか"), route={})
    async with signed_in(app, "hanako") as client:
        page = (await client.get(f"/staff/proposals/{first}")).text
        part = page[page.index("この提案の会話") : page.index("会話の全体を見る")]
        assert "ミナトリサイクル" in part and "ミナト古着" not in part and third not in part
        assert "会費はいくらですか" not in part
        assert part.count(">提案者</span>") >= 1 and part.count(">窓口</span>") >= 1
        assert STAMP.search(part)
        whole = (await client.get(f"/staff/proposals/{first}?whole=1")).text
        assert "ミナト古着" in whole and "会費はいくらですか" in whole


async def test_an_english_account_reads_english(app: Any) -> None:
    with Session(app.state.parts.hub.store.engine) as session, session.begin():
        session.execute(
            update(StaffAccount).where(col(StaffAccount.username) == "jiro").values(language="en")
        )
    async with signed_in(app, "jiro") as client:
        queue = (await client.get("/staff/queue")).text
        assert "Proposals" in queue and "Unassigned" in queue and "received" in queue
        form = await form_of(client, f"/staff/proposals/{app.state.first}")
        refused = await save(client, form, assignee="", status="declined")
        assert "Declining needs a reason." in refused.text
        dashboard = (await client.get("/staff/dashboard")).text
        assert "awaiting staff" in dashboard and "By theme" in dashboard
        assert "Circular economy" in dashboard and "circular-economy" not in dashboard


async def test_a_thank_you_follow_up_can_be_marked_read_without_a_reply(
    app: Any, httpserver: HTTPServer
) -> None:
    reference = app.state.first
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{reference}")
        await save(client, form, reply="資料を受け取りました。")
        desk = app.state.parts.inbox.desk
        desk.handle(Incoming("kyoso-front", "line", "Uweek", "ありがとうございます！"), route={})
        assert row(app, reference).next_action_due is not None
        form = await form_of(client, f"/staff/proposals/{reference}")
        response = await save(client, form, acknowledge="1")
        assert response.status_code == 303
        page = (await client.get(f"/staff/proposals/{reference}")).text
        assert "返信不要として既読" in page and "awaiting_staff_since" not in page
    saved = row(app, reference)
    assert saved.awaiting_staff_since is None and saved.next_action_due is None
    await app.state.parts.sender.drain()
    texts = [json.loads(r.data)["messages"][0]["text"] for r, _ in httpserver.log]
    assert sum("資料を受け取りました。" in t for t in texts) == 1  # nothing more was sent
