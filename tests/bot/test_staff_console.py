"""The staff console: sign-in, permissions across platforms, lifecycle, replies, export."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.server import create_app
from bot.settings import Settings
from bot.staff.auth import hash_password
from knowledge import KnowledgeBase
from storage import accounts, messaging, repository, staff
from storage.store import SqlStore
from tests.bot.channels_helpers import LINE_SECRET, LINE_TOKEN
from tests.bot.test_terminal_chat import RICH
from workflows import Incoming

PASSWORD = "correct-horse-battery"
SENT = {"sentMessages": [{"id": "1", "quoteToken": "q"}]}


def file_proposal(app: Any, platform: str, user: str, text: str = RICH) -> str:
    """Run a real intake over LINE and return the reference."""
    desk = app.state.parts.inbox.desk
    replies = desk.handle(Incoming(platform, "line", user, text), route={})
    for _ in range(6):  # answer whatever is asked: the title, then choices (tier, consents, submit)
        last = replies[-1]
        found = re.search(r"[A-Z]{2}-\d{4}-\d{5}", last.text)
        if found:
            return found.group(0)
        answer = "公園でのペットボトル回収実証" if "タイトル" in last.text else "1"
        replies = desk.handle(Incoming(platform, "line", user, answer), route={})
    raise AssertionError(replies[-1].text)


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> AsyncIterator[Any]:
    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(
        channels={"kyoso-front": {"line": line}, "zerocarbon": {"line": line}},
        line_api_base=httpserver.url_for("").rstrip("/"),
        background_workers=False,
    )
    application = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
    with Session(engine) as session, session.begin():
        for username, role, platforms in (
            ("kf-staff", "staff", ["kyoso-front"]),
            ("kf-colleague", "staff", ["kyoso-front"]),
            ("zc-staff", "staff", ["zerocarbon"]),
            ("admin", "admin", ["kyoso-front", "zerocarbon"]),
        ):
            accounts.add_staff(
                session,
                username=username,
                display_name=username,
                password_hash=hash_password(PASSWORD),
                role=role,
                platforms=platforms,
            )
    application.state.kf = file_proposal(application, "kyoso-front", "Ukf")
    application.state.zc = file_proposal(
        application,
        "zerocarbon",
        "Uzc",
        RICH.replace("株式会社ミナトリサイクル", "株式会社ハダノ循環"),
    )
    yield application


@asynccontextmanager
async def signed_in(app: Any, username: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        form = {"username": username, "password": PASSWORD, "csrf": csrf}
        response = await client.post("/staff/login", data=form)
        assert response.status_code == 303 and response.headers["location"] == "/staff/queue"
        yield client


async def csrf_of(client: httpx.AsyncClient) -> str:
    page = await client.get("/staff/queue")
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]


async def test_every_page_needs_sign_in(app: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as anonymous:
        for path in (
            "/staff/queue",
            "/staff/queue.csv",
            "/staff/queue.json",
            f"/staff/proposals/{app.state.kf}",
            "/staff/inquiries",
            "/staff/dashboard",
        ):
            response = await anonymous.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/staff/login", (
                path
            )
        for action in ("status", "assign", "department", "note", "reply"):
            response = await anonymous.post(
                f"/staff/proposals/{app.state.kf}/{action}", data={"csrf": "x"}
            )
            assert response.status_code == 303, action


async def test_staff_never_see_or_change_another_platforms_data(app: Any) -> None:
    kf, zc = app.state.kf, app.state.zc
    async with signed_in(app, "kf-staff") as client:
        queue = (await client.get("/staff/queue")).text
        assert kf in queue and zc not in queue
        assert zc not in (await client.get("/staff/queue?platform=zerocarbon")).text
        assert zc not in (await client.get("/staff/queue.csv")).text
        assert all(row["reference"] != zc for row in (await client.get("/staff/queue.json")).json())
        assert (await client.get(f"/staff/proposals/{zc}")).status_code == 404
        assert "ハダノ" not in (await client.get("/staff/dashboard")).text
        csrf = await csrf_of(client)
        for action, form in (
            ("status", {"to": "screening"}),
            ("assign", {"assignee": "kf-staff"}),
            ("department", {"department": "secretariat"}),
            ("note", {"note": "x"}),
            ("reply", {"text": "x"}),
        ):
            response = await client.post(
                f"/staff/proposals/{zc}/{action}", data={**form, "csrf": csrf}
            )
            assert response.status_code == 303 and "error=" in response.headers["location"], action
    with Session(app.state.parts.hub.store.engine) as session:
        proposal = repository.find_proposal(session, reference=zc)
        assert proposal is not None and proposal.status == "received" and proposal.assignee is None
        assert [h.actor for h in repository.proposal_history(session, proposal_id=proposal.id)] == [
            "proposer"
        ]
    async with signed_in(app, "admin") as admin:
        text = (await admin.get("/staff/queue")).text
        assert kf in text and zc in text  # an admin bound to both desks sees both


async def test_lifecycle_with_audit_and_proposer_notified(app: Any, httpserver: HTTPServer) -> None:
    kf = app.state.kf
    async with signed_in(app, "kf-staff") as client:
        csrf = await csrf_of(client)
        illegal = await client.post(
            f"/staff/proposals/{kf}/status", data={"to": "agreed", "csrf": csrf}
        )
        assert "error=" in illegal.headers["location"]
        no_reason = await client.post(
            f"/staff/proposals/{kf}/status", data={"to": "declined", "reason": " ", "csrf": csrf}
        )
        assert "error=" in no_reason.headers["location"]
        for to in ("screening", "in_dialogue"):
            ok = await client.post(f"/staff/proposals/{kf}/status", data={"to": to, "csrf": csrf})
            assert "done=status" in ok.headers["location"]
        await client.post(
            f"/staff/proposals/{kf}/assign", data={"assignee": "kf-colleague", "csrf": csrf}
        )
        bad_assignee = await client.post(
            f"/staff/proposals/{kf}/assign", data={"assignee": "zc-staff", "csrf": csrf}
        )
        assert "error=" in bad_assignee.headers["location"]
        await client.post(
            f"/staff/proposals/{kf}/department", data={"department": "resources", "csrf": csrf}
        )
        await client.post(
            f"/staff/proposals/{kf}/note", data={"note": "現地確認が必要", "csrf": csrf}
        )
        await client.post(
            f"/staff/proposals/{kf}/reply", data={"text": "来週お電話します。", "csrf": csrf}
        )
        await client.post(
            f"/staff/proposals/{kf}/status",
            data={"to": "declined", "reason": "予算措置が必要なため", "csrf": csrf},
        )
        page = (await client.get(f"/staff/proposals/{kf}")).text
        assert (
            "現地確認が必要" in page and "kf-colleague" in page and "予算措置が必要なため" in page
        )
        assert "来週お電話します。" in page  # the reply landed in the transcript
    await app.state.parts.sender.drain()
    pushes = [json.loads(r.data) for r, _ in httpserver.log if r.path == "/v2/bot/message/push"]
    texts = [p["messages"][0]["text"] for p in pushes if p["to"] == "Ukf"]
    assert any("確認中" in t for t in texts) and any("対話中" in t for t in texts)
    assert any("来週お電話します。" in t for t in texts)
    assert any("見送り" in t and "予算措置が必要なため" in t for t in texts)
    assert not any("現地確認" in t for t in texts)  # internal notes stay internal
    with Session(app.state.parts.hub.store.engine) as session:
        proposal = repository.find_proposal(session, reference=kf)
        history = repository.proposal_history(session, proposal_id=proposal.id)  # type: ignore[union-attr]
    assert [(h.from_status, h.to_status) for h in history if h.to_status] == [
        (None, "received"),
        ("received", "screening"),
        ("screening", "in_dialogue"),
        ("in_dialogue", "declined"),
    ]
    assert {h.actor for h in history[1:]} == {"kf-staff"}


async def test_csv_export_opens_with_the_right_characters(app: Any) -> None:
    async with signed_in(app, "admin") as client:
        response = await client.get("/staff/queue.csv?q=ミナト")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["団体名"] for r in rows] == ["株式会社ミナトリサイクル"]
    assert rows[0]["タイトル"] == "公園でのペットボトル回収実証"


async def test_queue_filters_search_and_overdue(app: Any) -> None:
    async with signed_in(app, "admin") as client:
        assert app.state.zc in (await client.get("/staff/queue?q=ハダノ")).text
        assert app.state.kf not in (await client.get("/staff/queue?q=ハダノ")).text
        assert (
            app.state.kf in (await client.get("/staff/queue?q=ﾐﾅﾄ")).text
        )  # half-width kana match too
        assert "該当する提案はありません" in (await client.get("/staff/queue?status=agreed")).text
        assert app.state.kf in (await client.get("/staff/queue?theme=circular-economy")).text
        assert "該当する提案はありません" in (await client.get("/staff/queue?overdue=1")).text
        assert app.state.kf in (await client.get("/staff/queue?channel=line&sort=due")).text


async def test_sign_in_is_throttled_and_login_needs_csrf(app: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        page = await client.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        for _ in range(5):
            wrong = await client.post(
                "/staff/login", data={"username": "kf-staff", "password": "nope", "csrf": csrf}
            )
            assert "error=" in wrong.headers["location"]
        right = await client.post(
            "/staff/login", data={"username": "kf-staff", "password": PASSWORD, "csrf": csrf}
        )
        assert "error=" in right.headers["location"] and right.headers.get("retry-after") == "900"
        forged = await client.post(
            "/staff/login", data={"username": "admin", "password": PASSWORD, "csrf": "0" * 64}
        )
        assert forged.status_code == 403


async def test_forms_need_the_sessions_csrf_token(app: Any) -> None:
    async with signed_in(app, "kf-staff") as client:
        response = await client.post(
            f"/staff/proposals/{app.state.kf}/note", data={"note": "x", "csrf": "bad"}
        )
        assert response.status_code == 403
        logout = await client.post("/staff/logout", data={"csrf": await csrf_of(client)})
        assert logout.headers["location"] == "/staff/login"
        assert (await client.get("/staff/queue")).status_code == 303


async def test_inquiries_are_answered_on_the_members_channel(
    app: Any, httpserver: HTTPServer
) -> None:
    desk = app.state.parts.inbox.desk
    # A question the documents do not answer is handed over by asking for a person.
    desk.handle(Incoming("zerocarbon", "line", "Umember", "担当者と話したい"), route={})
    desk.handle(
        Incoming("zerocarbon", "line", "Umember", "説明会の会場に駐車場はありますか"), route={}
    )
    async with signed_in(app, "kf-staff") as other:
        assert "駐車場" not in (await other.get("/staff/inquiries")).text
    async with signed_in(app, "zc-staff") as client:
        page = (await client.get("/staff/inquiries")).text
        number = re.search(r"Q-(\d+)", page).group(1)  # type: ignore[union-attr]
        csrf = await csrf_of(client)
        forbidden = await other_answer(app, number)
        assert "error=" in forbidden
        done = await client.post(
            f"/staff/inquiries/{number}/answer",
            data={"text": "市役所の駐車場をご利用ください。", "csrf": csrf},
        )
        assert "done=answer" in done.headers["location"]
    await app.state.parts.sender.drain()
    texts = [
        json.loads(r.data)["messages"][0]["text"]
        for r, _ in httpserver.log
        if r.path == "/v2/bot/message/push"
    ]
    assert any("市役所の駐車場をご利用ください。" in t for t in texts)
    with Session(app.state.parts.hub.store.engine) as session:
        assert {r.status for r in messaging.outbox_rows(session)} == {"sent"}
        [inquiry] = staff.inquiries(session, platforms=("zerocarbon",))
    assert (inquiry.status, inquiry.answered_by) == ("answered", "zc-staff")
    assert inquiry.answer == "市役所の駐車場をご利用ください。" and inquiry.answered_at is not None


async def other_answer(app: Any, number: str) -> str:
    async with signed_in(app, "kf-staff") as client:
        csrf = await csrf_of(client)
        response = await client.post(
            f"/staff/inquiries/{number}/answer", data={"text": "x", "csrf": csrf}
        )
        return response.headers["location"]
