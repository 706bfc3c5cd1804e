"""The Slack staff channel: announcements, buttons that act like the console, the digest."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug import Request, Response

from bot.server import create_app
from bot.settings import Settings
from bot.staff.auth import hash_password
from knowledge import KnowledgeBase
from storage import accounts, repository
from storage.models import Proposal
from storage.store import SqlStore
from tests.bot.channels_helpers import (
    LINE_SECRET,
    LINE_TOKEN,
    SLACK_SECRET,
    SLACK_TOKEN,
    slack_headers,
)
from tests.bot.test_staff_console import SENT, file_proposal
from workflows import Incoming
from workflows.triage import StaffMember, Triage

STAFF_CHANNEL = "C0STAFF"


@pytest.fixture
def slack_api(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/api/auth.test").respond_with_json(
        {
            "ok": True,
            "user_id": "UBOT",
            "team_id": "T1",
            "bot_id": "B1",
            "user": "bot",
            "team": "t",
            "url": "https://t.slack.com/",
        }
    )
    posted = iter(range(1, 10_000))

    def post_message(request: Request) -> Response:
        # Slack answers every chat.postMessage with the message's own ts (Web API docs).
        return Response(
            json.dumps(
                {"ok": True, "channel": STAFF_CHANNEL, "ts": f"1700000000.{next(posted):06d}"}
            ),
            content_type="application/json",
        )

    httpserver.expect_request("/api/chat.postMessage").respond_with_handler(post_message)
    httpserver.expect_request("/api/chat.update").respond_with_handler(
        lambda request: Response(
            json.dumps(
                {
                    "ok": True,
                    "channel": STAFF_CHANNEL,
                    "ts": request.form.get("ts") or json.loads(request.data).get("ts"),
                }
            ),
            content_type="application/json",
        )
    )
    httpserver.expect_request("/respond").respond_with_json({"ok": True})
    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    return httpserver


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, slack_api: HTTPServer
) -> AsyncIterator[Any]:
    channels = {
        "kyoso-front": {
            "line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN},
            "slack": {"signing_secret": SLACK_SECRET, "bot_token": SLACK_TOKEN},
            "staff_channel": STAFF_CHANNEL,
        }
    }
    settings = Settings(
        channels=channels,
        line_api_base=slack_api.url_for("").rstrip("/"),
        slack_api_base=slack_api.url_for("/api/"),
        public_url="https://desk.example.jp",
        background_workers=False,
    )
    application = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
    with Session(engine) as session, session.begin():
        for username, platforms, slack_user in (
            ("hanako", ["kyoso-front"], "USTAFF1"),
            ("zc-only", ["zerocarbon"], "USTAFF2"),
        ):
            accounts.add_staff(
                session,
                username=username,
                display_name=username,
                password_hash=hash_password("x" * 12),
                role="staff",
                platforms=platforms,
                slack_user_id=slack_user,
            )
    application.state.reference = file_proposal(application, "kyoso-front", "Uproposer")
    yield application


def posts(server: HTTPServer) -> list[dict[str, Any]]:
    return [json.loads(r.data) for r, _ in server.log if r.path == "/api/chat.postMessage"]


async def press(app: Any, server: HTTPServer, user: str, action: dict[str, Any]) -> str:
    payload = {
        "type": "block_actions",
        "trigger_id": f"trig-{user}-{action['action_id']}",
        "user": {"id": user},
        "channel": {"id": STAFF_CHANNEL},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "response_url": server.url_for("/respond"),
        "actions": [action],
    }
    body = ("payload=" + urllib.parse.quote(json.dumps(payload))).encode()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            "/webhooks/slack/kyoso-front",
            content=body,
            headers=slack_headers(body, content_type="application/x-www-form-urlencoded"),
        )
    assert response.status_code == 200
    responses = [json.loads(r.data) for r, _ in server.log if r.path == "/respond"]
    return str(responses[-1]["text"])


async def test_new_proposals_are_posted_with_buttons(app: Any, slack_api: HTTPServer) -> None:
    assert await app.state.parts.announcer.drain() == 1
    assert await app.state.parts.announcer.drain() == 0  # announced once
    await app.state.parts.sender.drain()
    [post] = [p for p in posts(slack_api) if p["channel"] == STAFF_CHANNEL]
    assert app.state.reference in post["text"]
    [actions] = [b for b in post["blocks"] if b["type"] == "actions"]
    elements = actions["elements"]
    assert [e["action_id"] for e in elements] == ["staff-assign-me", "staff-status", "staff-open"]
    assert elements[2]["url"] == f"https://desk.example.jp/staff/proposals/{app.state.reference}"
    assert "declined" not in json.dumps(elements[1]["options"])  # declining needs a reason
    shown = json.dumps(post, ensure_ascii=False)
    assert "状態：*受付済み*" in shown and "担当：*未割当*" in shown
    for contact in ("yamada@minato-recycle.co.jp", "045-123-4567", "山田", "回収・再生する実証"):
        assert contact not in shown  # no contact data, no summary: the console has them


async def test_buttons_act_like_the_console_with_the_same_checks_and_audit(
    app: Any, slack_api: HTTPServer
) -> None:
    reference = app.state.reference
    said = await press(
        app,
        slack_api,
        "USTAFF1",
        {
            "type": "button",
            "action_id": "staff-assign-me",
            "value": reference,
            "block_id": "b",
            "action_ts": "1",
        },
    )
    assert "hanako" in said
    select = {
        "type": "static_select",
        "action_id": "staff-status",
        "block_id": "b",
        "action_ts": "2",
        "selected_option": {
            "value": f"{reference}|screening",
            "text": {"type": "plain_text", "text": "確認中"},
        },
    }
    assert "確認中" in await press(app, slack_api, "USTAFF1", select)
    stranger = await press(
        app,
        slack_api,
        "UNOBODY",
        {
            "type": "button",
            "action_id": "staff-assign-me",
            "value": reference,
            "block_id": "b",
            "action_ts": "3",
        },
    )
    assert "未登録" in stranger
    other_desk = await press(
        app,
        slack_api,
        "USTAFF2",
        {
            "type": "button",
            "action_id": "staff-assign-me",
            "value": reference,
            "block_id": "b",
            "action_ts": "4",
        },
    )
    assert "できませんでした" in other_desk
    illegal = dict(
        select,
        action_ts="5",
        selected_option={
            "value": f"{reference}|agreed",
            "text": {"type": "plain_text", "text": "合意"},
        },
    )
    assert "できませんでした" in await press(app, slack_api, "USTAFF1", illegal)
    with Session(app.state.parts.hub.store.engine) as session:
        proposal = repository.find_proposal(session, reference=reference)
        history = repository.proposal_history(session, proposal_id=proposal.id)  # type: ignore[union-attr]
    assert proposal is not None and proposal.assignee == "hanako" and proposal.status == "screening"
    assert [h.actor for h in history] == ["proposer", "hanako", "hanako"]
    await app.state.parts.sender.drain()
    pushed = [
        json.loads(r.data)["messages"][0]["text"]
        for r, _ in slack_api.log
        if r.path == "/v2/bot/message/push"
    ]
    assert any("確認中" in t for t in pushed)  # the proposer heard about it on LINE


async def test_daily_digest_lists_overdue_proposals(app: Any, slack_api: HTTPServer) -> None:
    engine = app.state.parts.hub.store.engine
    with Session(engine) as session, session.begin():
        session.execute(update(Proposal).values(due_date=dt.date(2026, 11, 1)))
    assert app.state.parts.announcer.digest(today=dt.date(2026, 11, 24)) == 1
    await app.state.parts.sender.drain()
    digest = [p for p in posts(slack_api) if "期限を過ぎた提案" in p["text"]]
    assert digest and app.state.reference in json.dumps(digest[-1]["blocks"], ensure_ascii=False)


def updates(server: HTTPServer) -> list[dict[str, Any]]:
    return [json.loads(r.data) for r, _ in server.log if r.path == "/api/chat.update"]


def member(engine: Any, username: str) -> StaffMember:
    with Session(engine) as session:
        account = accounts.staff_named(session, username=username)
        assert account is not None
        return StaffMember(
            account.id or 0,
            account.username,
            account.display_name,
            account.role,
            tuple(account.platforms),
        )


async def deliver(app: Any) -> None:
    await app.state.parts.announcer.drain()
    await app.state.parts.sender.drain()


async def test_the_post_is_updated_in_place_after_each_action(
    app: Any, slack_api: HTTPServer
) -> None:
    engine = app.state.parts.hub.store.engine
    reference = app.state.reference
    with Session(engine) as session, session.begin():
        account = accounts.staff_named(session, username="hanako")
        assert account is not None
        accounts.update_account(session, account=account, display_name="山田 花子")
    await deliver(app)
    [post] = [p for p in posts(slack_api) if p["channel"] == STAFF_CHANNEL]
    assert await app.state.parts.announcer.drain() == 0  # nothing changed, nothing queued
    press_assign = {
        "type": "button",
        "action_id": "staff-assign-me",
        "value": reference,
        "block_id": "b",
        "action_ts": "1",
    }
    assert "山田 花子" in await press(app, slack_api, "USTAFF1", press_assign)
    await deliver(app)
    [first] = updates(slack_api)
    assert (first["channel"], first["ts"]) == (STAFF_CHANNEL, "1700000000.000001")
    shown = json.dumps(first["blocks"], ensure_ascii=False)
    assert "担当：*山田 花子*" in shown and "状態：*受付済み*" in shown
    assert "最終更新：山田 花子（" in shown  # who took it, and when (the desk's clock)
    triage = Triage(store=app.state.parts.hub.store)
    triage.change_status(member(engine, "hanako"), reference, "screening")  # from the console
    await deliver(app)
    second = updates(slack_api)[-1]
    assert second["ts"] == "1700000000.000001" and len(updates(slack_api)) == 2
    shown = json.dumps(second["blocks"], ensure_ascii=False)
    assert "状態：*確認中*" in shown
    options = json.dumps(
        [b for b in second["blocks"] if b["type"] == "actions"], ensure_ascii=False
    )
    assert "in_dialogue" in options and "screening|" not in options  # the next steps only
    assert len([p for p in posts(slack_api) if p["channel"] == STAFF_CHANNEL]) == 1
    assert post["text"].startswith(f"提案 {reference}")


async def test_inquiry_posts_link_to_their_page_and_follow_the_answer(
    app: Any, slack_api: HTTPServer
) -> None:
    desk = app.state.parts.inbox.desk
    for line in ("担当者と話したい", "駐車場の件です。折り返しは taro@example.jp まで"):
        desk.handle(Incoming("kyoso-front", "line", "Umember", line), route={})
    await deliver(app)
    [asked] = [p for p in posts(slack_api) if p["text"].startswith("問い合わせ")]
    shown = json.dumps(asked, ensure_ascii=False)
    number = re.search(r"Q-(\d+)", asked["text"]).group(1)  # type: ignore[union-attr]
    assert f"https://desk.example.jp/staff/inquiries/{number}" in shown
    assert "taro@example.jp" not in shown and "［メールアドレス］" in shown
    triage = Triage(store=app.state.parts.hub.store)
    triage.answer_inquiry(
        member(app.state.parts.hub.store.engine, "hanako"), int(number), "あります"
    )
    await deliver(app)
    [update_] = [u for u in updates(slack_api) if "問い合わせ" in u["text"]]
    assert "回答済み" in json.dumps(update_["blocks"], ensure_ascii=False)


async def test_a_follow_up_mentions_the_assignee(app: Any, slack_api: HTTPServer) -> None:
    reference = app.state.reference
    await deliver(app)
    Triage(store=app.state.parts.hub.store).assign(
        member(app.state.parts.hub.store.engine, "hanako"), reference, "hanako"
    )
    await deliver(app)
    desk = app.state.parts.inbox.desk
    said = desk.handle(
        Incoming("kyoso-front", "line", "Uproposer", "来週火曜14時はいかがでしょうか"), route={}
    )
    assert "担当者にお伝えしました" in said[-1].text
    await deliver(app)
    [notice] = [p for p in posts(slack_api) if "追加の連絡" in p["text"]]
    assert notice["text"].startswith("<@USTAFF1> ") and reference in notice["text"]
    assert "火曜" not in json.dumps(notice, ensure_ascii=False)  # what was said stays inside
    assert "返信待ち" in json.dumps(updates(slack_api)[-1]["blocks"], ensure_ascii=False)
    await deliver(app)
    assert len([p for p in posts(slack_api) if "追加の連絡" in p["text"]]) == 1  # once


async def test_an_update_waits_until_slack_has_answered_the_post(
    app: Any, slack_api: HTTPServer
) -> None:
    from bot.channels.base import Delivery, RetryLater

    channel = app.state.parts.channels["slack"]
    item = {"kind": "proposal", "item_id": 1}
    update_ = {"text": "x", "blocks": [], "route": {"channel": STAFF_CHANNEL}, "update": item}
    delivery = Delivery(
        outbox_id=1, platform="kyoso-front", user_key=STAFF_CHANNEL, payload=update_, attempt=1
    )
    with pytest.raises(RetryLater):  # not posted yet: the outbox tries again later
        await channel.send(delivery)
    assert updates(slack_api) == []
    await deliver(app)  # the post goes out; Slack's answer gives its ts
    await channel.send(delivery)
    [sent] = updates(slack_api)
    assert (sent["channel"], sent["ts"]) == (STAFF_CHANNEL, "1700000000.000001")
