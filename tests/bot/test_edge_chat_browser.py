"""The chat page in headless Chromium against refusals, rate limits and forged cookies."""

from __future__ import annotations

import pytest

from bot.channels.web import COOKIE
from tests.bot import test_web_chat_browser
from tests.bot.conftest import CHROMIUM, NO_BROWSER
from tests.bot.test_web_chat_browser import say

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER), pytest.mark.fault]
server = test_web_chat_browser.server  # a real uvicorn serving the app, as a fixture here too


def test_a_refused_message_stays_in_the_box_and_is_not_resent(server: str, browser: object) -> None:
    page = browser.new_page(locale="ja-JP")  # type: ignore[attr-defined]
    posts: list[str] = []

    def refuse(route: object) -> None:
        posts.append(route.request.post_data)  # type: ignore[attr-defined]
        route.fulfill(status=422, json={"detail": [{"loc": ["text"], "msg": "no"}]})  # type: ignore[attr-defined]

    page.route(
        "**/api/messages",
        lambda route: refuse(route) if route.request.method == "POST" else route.continue_(),
    )
    page.goto(f"{server}/chat/zerocarbon")
    say(page, "直してから送る文")
    page.locator("#notice").wait_for(state="visible")
    assert "送信できませんでした" in page.locator("#notice").text_content()
    assert page.input_value("#text") == "直してから送る文"
    page.wait_for_timeout(2500)  # longer than the page's retry pause: nothing is resent
    assert len(posts) == 1
    assert page.locator(".msg.in").count() == 0


def test_429_shows_please_wait_and_the_message_goes_through_once(
    server: str, browser: object
) -> None:
    page = browser.new_page(locale="ja-JP")  # type: ignore[attr-defined]
    ids: list[str] = []

    def limited(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if request.method != "POST":
            route.continue_()  # type: ignore[attr-defined]
            return
        ids.append(request.post_data_json["id"])
        if len(ids) == 1:
            route.fulfill(  # type: ignore[attr-defined]
                status=429, headers={"Retry-After": "1"}, json={"detail": "wait"}
            )
        else:
            route.continue_()  # type: ignore[attr-defined]

    page.route("**/api/messages", limited)
    page.goto(f"{server}/chat/zerocarbon")
    say(page, "参加の階層は変更できますか")
    page.get_by_text("少しお待ちください…").wait_for()
    page.get_by_text("出典").first.wait_for(timeout=15000)
    assert len(ids) == 2 and ids[0] == ids[1]  # the same message id, sent again
    assert page.locator(".msg.in").count() == 1
    page.locator("#status").wait_for(state="hidden")


def test_a_forged_4000_character_cookie_is_replaced(server: str, browser: object) -> None:
    context = browser.new_context(locale="ja-JP")  # type: ignore[attr-defined]
    context.add_cookies([{"name": COOKIE, "value": "A" * 4000, "url": server}])
    page = context.new_page()
    page.goto(f"{server}/chat/zerocarbon")
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    assert cookie["value"] != "A" * 4000 and len(cookie["value"]) <= 80
    say(page, "こんにちは")
    page.get_by_role("button", name="担当者と話す").wait_for(timeout=15000)
