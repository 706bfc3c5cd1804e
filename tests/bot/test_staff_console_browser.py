"""The staff console in headless Chromium: sign in, filter, open, change status, reply."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
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
from tests.bot.conftest import CHROMIUM, OUTPUT, free_port
from tests.bot.test_staff_console import PASSWORD, SENT, file_proposal

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="BROWSER TESTS SKIPPED: no Debian chromium"
)


@pytest.fixture
def console_url(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> Iterator[tuple[str, Any]]:
    import threading
    import time

    import uvicorn

    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(
        channels={"kyoso-front": {"line": line}}, line_api_base=httpserver.url_for("").rstrip("/")
    )
    app = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
    with Session(engine) as session, session.begin():
        accounts.add_staff(
            session,
            username="hanako",
            display_name="花子",
            password_hash=hash_password(PASSWORD),
            role="staff",
            platforms=["kyoso-front"],
        )
    app.state.reference = file_proposal(app, "kyoso-front", "Uproposer")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(timeout=10)


def test_sign_in_filter_open_decline_and_reply(
    console_url: tuple[str, Any], browser: Any, httpserver: HTTPServer
) -> None:
    url, app = console_url
    reference = app.state.reference
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page.goto(f"{url}/staff/queue")
    page.get_by_label("ユーザー名").fill("hanako")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="提案一覧（1件）").wait_for()
    page.get_by_label("状態", exact=True).select_option("received")
    page.get_by_label("検索", exact=True).fill("ミナト")
    page.get_by_role("button", name="絞り込む").click()
    page.get_by_role("link", name=reference).wait_for()
    page.screenshot(path=str(OUTPUT / "staff-queue.png"), full_page=True)
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name=f"{reference}「公園でのペットボトル回収実証」").wait_for()
    page.get_by_label("状態を変更").select_option("declined")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("alert").wait_for()  # declining without a reason is refused
    assert "理由" in page.get_by_role("alert").inner_text()
    page.get_by_label("状態を変更").select_option("declined")
    page.get_by_label("理由（見送りの場合は必須）").fill("市の予算措置が前提のため")
    page.get_by_label("提案者への返信（line で届きます）").fill(
        "別の形でのご提案をお待ちしています。"
    )
    page.get_by_role("button", name="保存", exact=True).click()  # status and reply: one save
    page.get_by_role("status").wait_for()
    page.get_by_text("返信: 別の形でのご提案をお待ちしています。").wait_for()
    page.screenshot(path=str(OUTPUT / "staff-proposal.png"), full_page=True)

    def proposer_got_both() -> bool:
        texts = [
            json.loads(r.data)["messages"][0]["text"]
            for r, _ in httpserver.log
            if r.path == "/v2/bot/message/push"
        ]
        return any("市の予算措置が前提のため" in t for t in texts) and any(
            "別の形でのご提案" in t for t in texts
        )

    deadline = time.monotonic() + 15  # the server's outbox worker delivers in the background
    while not proposer_got_both():
        assert time.monotonic() < deadline, "the proposer's LINE never received both messages"
        page.wait_for_timeout(100)
