"""The Slack staff channel: announcements, buttons that act like the console, the digest."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

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
    httpserver.expect_request("/api/chat.postMessage").respond_with_json(
        {"ok": True, "channel": STAFF_CHANNEL, "ts": "1.1"}
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
    elements = post["blocks"][1]["elements"]
    assert [e["action_id"] for e in elements] == ["staff-assign-me", "staff-status", "staff-open"]
    assert elements[2]["url"] == f"https://desk.example.jp/staff/proposals/{app.state.reference}"
    assert "declined" not in json.dumps(elements[1]["options"])  # declining needs a reason


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
