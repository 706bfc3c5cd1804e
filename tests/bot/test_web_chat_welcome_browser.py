"""The web chat's welcome and its length limit, in headless Chromium (Debian's chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.store import SqlStore
from tests.bot.conftest import CHROMIUM, NO_BROWSER, OUTPUT

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER)


@pytest.fixture
def app(engine: Engine, sample_kb: KnowledgeBase) -> Any:
    return create_app(Settings(), knowledge=sample_kb, store=SqlStore(engine))


def url(server: tuple[str, int], path: str) -> str:
    return f"http://{server[0]}:{server[1]}{path}"


@pytest.mark.parametrize(
    ("locale", "lang", "name", "promise", "privacy", "menu"),
    [
        (
            "ja-JP",
            "ja",
            "地域脱炭素経営コンソーシアム（サンプル）",
            "5営業日以内にお返事します",
            "個人情報の取扱い",
            [
                "連携の提案をする",
                "会員制度・支援について質問する",
                "提案の状況を確認する",
                "担当者と話す",
            ],
        ),
        (
            "en-US",
            "en",
            "Regional Decarbonisation Management Consortium (sample)",
            "within 5 business days",
            "How we handle personal information",
            [
                "Make a proposal",
                "Ask about membership or support",
                "Check a proposal's status",
                "Talk to staff",
            ],
        ),
    ],
)
def test_the_page_opens_on_a_welcome_with_the_menu(
    server: tuple[str, int],
    browser: Any,
    locale: str,
    lang: str,
    name: str,
    promise: str,
    privacy: str,
    menu: list[str],
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale=locale)
    page.goto(url(server, "/chat/zerocarbon"))
    assert page.get_attribute("html", "lang") == lang
    assert name in page.title()
    welcome = page.locator("#welcome")
    assert name in welcome.inner_text() and promise in welcome.inner_text()
    link = welcome.get_by_role("link", name=privacy)
    assert link.get_attribute("href") == "https://sample.madoguchi.invalid/zerocarbon/privacy"
    buttons = welcome.get_by_role("button")
    assert buttons.all_inner_texts() == menu
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"web-chat-welcome-{lang}.png"), full_page=True)
    buttons.first.click()  # the menu works as the desk's own buttons do
    page.locator(".msg.in").first.wait_for()
    assert page.locator(".msg.in").first.inner_text().endswith(menu[0])
    page.locator(".msg.out:not(#welcome)").first.wait_for(timeout=20_000)


def test_a_paste_over_the_limit_is_not_cut_and_says_why(
    server: tuple[str, int], browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page.goto(url(server, "/chat/zerocarbon"))
    assert page.get_attribute("#text", "maxlength") is None  # no silent cut
    assert page.inner_text("#count") == "0 / 2,000文字"
    long_text = (
        "地域の子ども食堂を公民館で開く提案です。🍙" * 100
    )  # 2,100 characters (the emoji is one)
    page.fill("#text", long_text)
    assert page.input_value("#text") == long_text  # every character is still there
    assert page.inner_text("#count") == "2,100 / 2,000文字"
    alert = page.locator("#limit")
    assert alert.is_visible() and "2,000文字まで" in alert.inner_text()
    assert "2,100文字" in alert.inner_text()
    assert page.is_disabled("#send")
    page.press("#text", "Enter")  # refused at the box: nothing sent, nothing lost
    assert page.input_value("#text") == long_text
    assert page.locator(".msg.in").count() == 0
    page.fill("#text", long_text[:2000])  # trimmed to the limit: sendable again
    assert page.inner_text("#count") == "2,000 / 2,000文字"
    assert alert.is_hidden() and not page.is_disabled("#send")
    page.press("#text", "Enter")
    page.locator(".msg.in").first.wait_for()
    assert page.input_value("#text") == ""
