"""The web chat in headless Chromium (Playwright for Python, Debian's chromium)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage import repository
from storage.store import SqlStore
from tests.bot.conftest import CHROMIUM, NO_BROWSER, OUTPUT, free_port
from tests.bot.test_terminal_chat import RICH

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER)


@pytest.fixture
def server(engine: Engine, sample_kb: KnowledgeBase) -> Iterator[str]:
    app = create_app(Settings(), knowledge=sample_kb, store=SqlStore(engine))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def say(page: object, text: str) -> None:
    page.fill("#text", text)  # type: ignore[attr-defined]
    page.press("#text", "Enter")  # type: ignore[attr-defined]


def test_full_japanese_proposal_in_the_browser(
    server: str, browser: object, engine: Engine
) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ja-JP")  # type: ignore[attr-defined]
    page.goto(f"{server}/chat/kyoso-front")
    assert page.get_attribute("html", "lang") == "ja"
    assert page.get_attribute("#log", "role") == "log"
    assert page.get_attribute("#log", "aria-live") == "polite"
    say(page, RICH)
    page.get_by_text("提案のタイトルを一行で").wait_for()
    say(page, "公園でのペットボトル回収実証")
    page.get_by_text("3点に同意しますか").wait_for()
    page.get_by_role("button", name="はい").last.click()
    page.get_by_text("この内容で提出しますか").wait_for()
    assert page.get_by_text("似ている過去の事例").count() == 1
    page.get_by_role("button", name="提出する").click()
    reference = page.locator(".reference").first
    reference.wait_for()
    number = reference.get_attribute("data-reference")
    assert number and number.startswith("KF-")
    page.screenshot(path=str(OUTPUT / "web-chat-proposal-phone.png"), full_page=True)
    with Session(engine) as session:
        [filed] = repository.list_proposals(session)
    assert filed.reference == number and filed.channel == "web"
    # Reloading keeps the conversation (session cookie).
    page.reload()
    page.locator(".reference").first.wait_for()
    assert page.locator(".reference").first.get_attribute("data-reference") == number


def test_network_drop_loses_nothing_and_text_is_escaped(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/chat/zerocarbon?lang=en")
    assert page.get_attribute("html", "lang") == "en"
    context.set_offline(True)
    say(page, "How do I join?")
    page.locator("#status").wait_for(state="visible")
    context.set_offline(False)
    page.get_by_text("Source: FAQ: joining the consortium").wait_for(timeout=15000)
    page.locator("#status").wait_for(state="hidden")
    assert page.locator(".msg.in").count() == 1  # sent once, not twice
    say(page, "<img src=x onerror=\"document.title='pwned'\">")
    page.get_by_text("<img src=x onerror=\"document.title='pwned'\">").wait_for()
    assert page.locator("#log img").count() == 0 and page.title() != "pwned"
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "web-chat-english-desktop.png"))


def test_keyboard_only_use(server: str, browser: object) -> None:
    page = browser.new_page(locale="ja-JP")  # type: ignore[attr-defined]
    page.goto(f"{server}/chat/zerocarbon")
    order = []
    for _ in range(8):  # language link, the log, the welcome's privacy link and menu, the box
        page.keyboard.press("Tab")
        order.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
    assert order == [
        "English",
        "log",
        "個人情報の取扱い",
        "連携の提案をする",
        "会員制度・支援について質問する",
        "提案の状況を確認する",
        "担当者と話す",
        "text",
    ]
    page.keyboard.type("こんにちは")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="会員制度・支援について質問する").nth(1).wait_for()
    page.keyboard.press("Shift+Tab")  # back from the input to the latest choices
    assert page.evaluate("document.activeElement.textContent") == "担当者と話す"
    page.keyboard.press("Enter")
    page.get_by_text("ご用件を一言で教えてください").wait_for()
