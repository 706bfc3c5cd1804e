"""Staff tools in headless Chromium (issue 13): merging a duplicate (the proposer's LINE gets
the merge notice, never a decline), an inquiry's page, and the admin's account page.

Real server (uvicorn on a socket), real database, real intakes; LINE's API is a local fake."""

from __future__ import annotations

import json
import re
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
from workflows import Incoming

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="BROWSER TESTS SKIPPED: no chromium")


@pytest.fixture
def desk_url(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer
) -> Iterator[tuple[str, Any]]:
    import threading

    import uvicorn

    httpserver.expect_request("/v2/bot/message/push").respond_with_json(SENT)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(
        channels={"kyoso-front": {"line": line}}, line_api_base=httpserver.url_for("").rstrip("/")
    )
    app = create_app(settings, knowledge=sample_kb, store=SqlStore(engine))
    with Session(engine) as session, session.begin():
        for username, name, role in (
            ("hanako", "山田 花子", "staff"),
            ("boss", "鈴木 部長", "admin"),
        ):
            accounts.add_staff(
                session,
                username=username,
                display_name=name,
                password_hash=hash_password(PASSWORD),
                role=role,
                platforms=["kyoso-front"],
            )
    app.state.first = file_proposal(app, "kyoso-front", "Ufirst")
    app.state.again = file_proposal(app, "kyoso-front", "Uagain")  # the same company again
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(timeout=10)


def sign_in(browser: Any, url: str, username: str, password: str = PASSWORD) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page.goto(f"{url}/staff/login")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r".*/staff/queue.*"))
    return page


def pushed_to(server: HTTPServer, user: str) -> list[str]:
    return [
        m["text"]
        for r, _ in server.log
        if r.path == "/v2/bot/message/push" and (body := json.loads(r.data))["to"] == user
        for m in body["messages"]
    ]


def test_merging_a_duplicate_tells_the_proposer_the_other_reference(
    desk_url: tuple[str, Any], browser: Any, httpserver: HTTPServer
) -> None:
    url, app = desk_url
    first, again = app.state.first, app.state.again
    page = sign_in(browser, url, "hanako")
    page.get_by_text("重複候補 1").first.wait_for()
    assert page.get_by_text("重複候補 1").count() == 2  # both directions
    page.get_by_role("link", name=again).click()
    section = page.get_by_role("region", name="重複の可能性がある提案")
    section.get_by_role("link", name=first).wait_for()
    assert "同じ団体" in section.inner_text()
    assert page.get_by_label("統合先の受付番号").input_value() == first
    page.get_by_role("button", name="重複として統合").click()
    page.get_by_role("status").wait_for()
    assert "統合先の受付番号をお知らせしました" in page.get_by_role("status").inner_text()
    assert f"この提案は {first} に統合済みです" in page.content()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "staff-merged.png"), full_page=True)
    deadline = time.monotonic() + 15  # the server's outbox worker delivers in the background
    while not any(first in t for t in pushed_to(httpserver, "Uagain")):
        assert time.monotonic() < deadline, "the proposer never heard about the merge"
        page.wait_for_timeout(100)
    told = pushed_to(httpserver, "Uagain")
    [notice] = [t for t in told if first in t]
    assert again in notice and "引き続き検討" in notice
    assert not any("見送り" in t for t in told)
    page.goto(f"{url}/staff/queue")
    page.get_by_role("link", name=first).wait_for()
    assert page.get_by_text("重複候補").count() == 0


def test_an_inquiry_page_shows_how_it_came_to_staff(
    desk_url: tuple[str, Any], browser: Any
) -> None:
    url, app = desk_url
    desk = app.state.parts.inbox.desk
    for line in ("担当者と話したい", "会場の下見をしたいので日程を相談させてください"):
        desk.handle(Incoming("kyoso-front", "line", "Umember", line), route={})
    page = sign_in(browser, url, "hanako")
    page.get_by_role("navigation").get_by_role("link", name="問い合わせ").click()
    page.get_by_role("heading", name="問い合わせ（1件）").wait_for()
    page.get_by_role("link", name=re.compile(r"^Q-\d+$")).click()
    page.get_by_role("heading", name="担当者に引き継ぐまでの会話").wait_for()
    transcript = page.get_by_role("list").filter(has_text="担当者と話したい").inner_text()
    assert "会場の下見" in transcript and "窓口" in transcript
    page.get_by_label(re.compile("^回答")).fill("来週水曜の午後はいかがでしょうか。")
    page.get_by_role("button", name="回答を送る").click()
    page.get_by_role("status").wait_for()
    assert "回答済み" in page.content()
    page.get_by_role("button", name="対応中に戻す").click()
    page.get_by_text("問い合わせを対応中に戻しました。").wait_for()
    page.screenshot(path=str(OUTPUT / "staff-inquiry.png"), full_page=True)


def test_the_admin_disables_an_account_and_resets_a_password(
    desk_url: tuple[str, Any], browser: Any
) -> None:
    url, _ = desk_url
    colleague = sign_in(browser, url, "hanako")
    assert colleague.get_by_role("link", name="アカウント管理").count() == 0
    admin = sign_in(browser, url, "boss")
    admin.get_by_role("link", name="アカウント管理").click()
    admin.get_by_role("heading", name="アカウント管理（2件）").wait_for()
    admin.get_by_role("button", name="hanako のパスワードを再設定").click()
    temporary = admin.locator("#one-time-password").inner_text()
    assert len(temporary) >= 16
    colleague.reload()
    colleague.get_by_role("button", name="ログイン").wait_for()  # signed out by the reset
    colleague = sign_in(browser, url, "hanako", temporary)
    admin.goto(f"{url}/staff/admin/accounts")
    admin.get_by_role("button", name="hanako を無効にする").click()
    admin.get_by_text("アカウントを無効にしました。").wait_for()
    colleague.reload()
    colleague.get_by_role("button", name="ログイン").wait_for()  # disabled: signed out at once
    admin.get_by_role("form", name="hanako の設定").get_by_label("表示名").fill("山田 はなこ")
    admin.get_by_role("form", name="hanako の設定").get_by_role("button", name="保存").click()
    admin.get_by_text("アカウントを更新しました。").wait_for()
    assert (
        admin.get_by_role("form", name="hanako の設定").get_by_label("表示名").input_value()
        == "山田 はなこ"
    )
    admin.screenshot(path=str(OUTPUT / "staff-admin.png"), full_page=True)


def test_the_new_pages_fit_a_phone(desk_url: tuple[str, Any], browser: Any) -> None:
    url, app = desk_url
    desk = app.state.parts.inbox.desk
    for line in ("担当者と話したい", "会場の下見をしたいので日程を相談させてください"):
        desk.handle(Incoming("kyoso-front", "line", "Umember", line), route={})
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="ja-JP")
    phone.goto(f"{url}/staff/login")
    phone.get_by_label("ユーザー名").fill("boss")
    phone.get_by_label("パスワード").fill(PASSWORD)
    phone.get_by_role("button", name="ログイン").click()
    phone.wait_for_url(re.compile(r".*/staff/queue.*"))
    for path in ("/staff/inquiries", "/staff/inquiries/1", "/staff/admin/accounts"):
        phone.goto(f"{url}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)  # nothing to pan sideways
    phone.screenshot(path=str(OUTPUT / "staff-admin-phone.png"), full_page=True)
