"""The staff week in headless Chromium (issue 13): a follow-up reaches the queue, a stale page is
refused with what changed, one-step triage, and the phone layout (390×844) without panning.

A real server on a real socket, SQLite and PostgreSQL; the proposer is on LINE, whose API is a
local fake (pytest-httpserver) the SDK is pointed at.
"""

from __future__ import annotations

import json
import re
import threading
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
from tests.bot.test_terminal_chat import RICH
from workflows import Incoming

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="BROWSER TESTS SKIPPED: no Debian chromium"
)
SECOND = RICH.replace("ペットボトル", "古着").replace("ミナトリサイクル", "ミナト古着")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def console(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> Iterator[tuple[str, Any]]:
    import uvicorn

    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(
        channels={"kyoso-front": {"line": line}}, line_api_base=httpserver.url_for("").rstrip("/")
    )
    app = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
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
    app.state.first = file_proposal(app, "kyoso-front", "Uweek")
    app.state.second = file_proposal(app, "kyoso-front", "Uother", SECOND)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(timeout=10)


def sign_in(browser: Any, url: str, username: str, viewport: dict[str, int] | None = None) -> Any:
    page = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, locale="ja-JP"
    ).new_page()
    page.goto(f"{url}/staff/login")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name=re.compile("提案一覧")).wait_for()
    return page


def pushed(httpserver: HTTPServer, user: str) -> list[str]:
    return [
        json.loads(r.data)["messages"][0]["text"]
        for r, _ in httpserver.log
        if r.path == "/v2/bot/message/push" and json.loads(r.data)["to"] == user
    ]


def wait_for(check: Any, message: str, page: Any) -> None:
    deadline = time.monotonic() + 15  # the server's outbox worker delivers in the background
    while not check():
        assert time.monotonic() < deadline, message
        page.wait_for_timeout(100)


def test_a_followup_arrives_and_the_queue_shows_it(
    console: tuple[str, Any], browser: Any, httpserver: HTTPServer
) -> None:
    url, app = console
    reference = app.state.first
    page = sign_in(browser, url, "hanako")
    page.get_by_role("link", name=reference).click()
    page.get_by_label("提案者への返信（line で届きます）").fill(
        "来週ご都合のよい日時はありますか？"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("status").filter(has_text="保存しました").wait_for()
    # The proposer answers on LINE, after the staff reply.
    app.state.parts.inbox.desk.handle(
        Incoming("kyoso-front", "line", "Uweek", "来週火曜14時はいかがでしょうか"), route={}
    )
    page.goto(f"{url}/staff/queue")
    row = page.get_by_role("row").filter(has_text=reference)
    row.get_by_text("提案者から新着").wait_for()
    page.get_by_role("link", name="返信待ち").click()
    page.get_by_role("link", name=reference).wait_for()
    assert app.state.second not in page.content()
    page.screenshot(path=str(OUTPUT / "staff-week-awaiting.png"), full_page=True)
    page.get_by_role("link", name=reference).click()
    page.get_by_text("来週火曜14時はいかがでしょうか", exact=True).wait_for()
    transcript = page.locator("ol.transcript").inner_text()
    assert "提案者" in transcript and re.search(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", transcript)
    assert "返信待ち" in page.locator("p.awaiting").inner_text()
    wait_for(
        lambda: any("担当者にお伝えしました" in t for t in pushed(httpserver, "Uweek")),
        "the proposer never got the acknowledgement",
        page,
    )
    page.get_by_label("提案者への返信（line で届きます）").fill("火曜14時で承知しました。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("status").filter(has_text="保存しました").wait_for()
    page.goto(f"{url}/staff/queue?view=awaiting")
    page.get_by_text("該当する提案はありません。").wait_for()


def test_a_stale_page_is_refused_with_what_changed(
    console: tuple[str, Any], browser: Any, httpserver: HTTPServer
) -> None:
    url, app = console
    reference = app.state.first
    hanako = sign_in(browser, url, "hanako")
    jiro = sign_in(browser, url, "jiro")
    for page in (hanako, jiro):
        page.goto(f"{url}/staff/proposals/{reference}")
    jiro.get_by_label("担当者", exact=True).select_option(label="佐藤次郎")
    jiro.get_by_label("提案者への返信（line で届きます）").fill("佐藤が担当いたします。")
    jiro.get_by_role("button", name="保存", exact=True).click()
    jiro.get_by_role("status").filter(has_text="保存しました").wait_for()
    hanako.get_by_label("担当者", exact=True).select_option(label="山田花子")
    hanako.get_by_label("提案者への返信（line で届きます）").fill("山田が担当いたします。")
    hanako.get_by_role("button", name="保存", exact=True).click()
    alert = hanako.get_by_role("alert")
    alert.wait_for()
    assert "ほかの人が変更しました" in alert.inner_text()
    changes = hanako.locator("section.changes").inner_text()
    assert "佐藤次郎" in changes and "担当: 佐藤次郎" in changes
    assert hanako.get_by_label("提案者への返信（line で届きます）").input_value() == (
        "山田が担当いたします。"
    )
    hanako.screenshot(path=str(OUTPUT / "staff-week-stale.png"), full_page=True)
    wait_for(
        lambda: any("佐藤が担当いたします。" in t for t in pushed(httpserver, "Uweek")),
        "the first reply was never delivered",
        hanako,
    )
    assert not any("山田が担当いたします。" in t for t in pushed(httpserver, "Uweek"))


def test_one_step_triage_keeps_typing_on_errors(console: tuple[str, Any], browser: Any) -> None:
    url, app = console
    reference = app.state.first
    page = sign_in(browser, url, "hanako")
    page.get_by_role("link", name=reference).click()
    status = page.get_by_label("状態を変更")
    assert status.input_value() == ""  # nothing chosen until staff choose
    page.get_by_label("担当者", exact=True).select_option(label="山田花子")
    page.get_by_label("部署", exact=True).select_option(label="政策局 共創推進課")
    status.select_option(label="見送り")
    page.get_by_label("内部メモ").fill("予算の裏付けを確認したい")
    page.get_by_role("button", name="保存", exact=True).click()
    assert "見送りには理由の記入が必要です。" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("内部メモ").input_value() == "予算の裏付けを確認したい"
    page.get_by_label("状態を変更").select_option(label="確認中")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("status").filter(has_text="保存しました").wait_for()
    history = page.get_by_role("table", name="履歴").inner_text()
    for line in (
        "受付済み → 確認中",
        "担当: 山田花子",
        "部署: 政策局 共創推進課",
        "内部メモ: 予算の裏付け",
    ):
        assert line in history, line
    assert "+00:00" not in history and "assignee" not in history
    page.get_by_role("link", name="次の提案").or_(
        page.get_by_role("link", name="前の提案")
    ).first.wait_for()


@pytest.mark.parametrize(
    "path",
    [
        "/staff/queue",
        "/staff/proposals/{first}",
        "/staff/dashboard",
        "/staff/intakes",
        "/staff/inquiries",
    ],
)
def test_phone_width_has_no_horizontal_overflow(
    console: tuple[str, Any], browser: Any, path: str
) -> None:
    url, app = console
    page = sign_in(browser, url, "hanako", viewport=PHONE)
    page.goto(url + path.format(first=app.state.first))
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == PHONE["width"], widths
    for name in ("保存", "まとめて適用", "ログアウト"):
        button = page.get_by_role("button", name=name, exact=True)
        if button.count():
            box = button.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(OUTPUT / f"staff-week-phone-{path.split('/')[2]}.png"), full_page=True)
