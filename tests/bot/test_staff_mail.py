"""The e-mail copy of a staff reply, sent to a local SMTP server (aiosmtpd) the app is pointed
at; the reply itself still goes to the proposer's LINE, and a dead SMTP server loses nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.server import create_app
from bot.settings import Settings
from bot.staff.auth import hash_password
from knowledge import KnowledgeBase
from storage import accounts
from storage.store import SqlStore
from tests.bot.channels_helpers import LINE_SECRET, LINE_TOKEN
from tests.bot.conftest import free_port
from tests.bot.test_staff_console import PASSWORD, SENT, file_proposal, signed_in
from tests.bot.test_staff_week import form_of, save


class Inbox:
    """An aiosmtpd handler keeping what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def app_with(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer, smtp_port: int
) -> Any:
    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(
        channels={"kyoso-front": {"line": line}},
        line_api_base=httpserver.url_for("").rstrip("/"),
        background_workers=False,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_from="madoguchi@kyoso-front.example.jp",
    )
    app = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
    with Session(engine) as session, session.begin():
        accounts.add_staff(
            session,
            username="hanako",
            display_name="山田花子",
            password_hash=hash_password(PASSWORD),
            role="staff",
            platforms=["kyoso-front"],
        )
    app.state.first = file_proposal(app, "kyoso-front", "Umail")
    return app


@pytest.fixture
async def app(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer, smtp: tuple[Inbox, int]
) -> AsyncIterator[Any]:
    yield await app_with(engine, sample_kb, httpserver, smtp[1])


async def test_a_staff_reply_is_also_e_mailed_to_the_proposer(
    app: Any, smtp: tuple[Inbox, int], httpserver: HTTPServer
) -> None:
    inbox, _ = smtp
    reference = app.state.first
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{reference}")
        response = await save(client, form, reply="来週火曜14時にお電話いたします。")
        assert response.status_code == 303
        form = await form_of(client, f"/staff/proposals/{reference}")
        await save(client, form, note="内部メモだけ")  # no reply: no e-mail
    [(recipients, message)] = inbox.received
    assert recipients == ["yamada@minato-recycle.co.jp"]
    assert message["Subject"] == f"【{reference}】担当者からの返信"
    assert message["From"] == "madoguchi@kyoso-front.example.jp"
    assert "来週火曜14時にお電話いたします。" in message.get_content()
    await app.state.parts.sender.drain()
    texts = [json.loads(r.data)["messages"][0]["text"] for r, _ in httpserver.log]
    assert sum("来週火曜14時にお電話いたします。" in t for t in texts) == 1  # and on LINE, once


async def test_a_dead_smtp_server_loses_nothing(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> None:
    app = await app_with(engine, sample_kb, httpserver, free_port())  # nobody listens there
    reference = app.state.first
    async with signed_in(app, "hanako") as client:
        form = await form_of(client, f"/staff/proposals/{reference}")
        response = await save(client, form, reply="資料を拝見しました。")
        assert response.status_code == 303 and "done=triage" in response.headers["location"]
        page = (await client.get(response.headers["location"])).text
        assert "返信: 資料を拝見しました。" in page
    await app.state.parts.sender.drain()
    texts = [json.loads(r.data)["messages"][0]["text"] for r, _ in httpserver.log]
    assert any("資料を拝見しました。" in t for t in texts)
