"""Account management (issue 13): only the admin role manages accounts, on the admin page and
with `madoguchi staff list|set`; disabling and password resets end the account's sessions."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.cli import main as madoguchi
from bot.staff.auth import hash_password
from storage import accounts
from tests.bot.test_staff_console import PASSWORD, app, signed_in

__all__ = ["app"]


def csrf_in(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]


def account_id(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        account = accounts.staff_named(session, username=username)
        assert account is not None and account.id is not None
        return account.id


async def sign_in(app: Any, username: str, password: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    page = await client.get("/staff/login")
    form = {"username": username, "password": password, "csrf": csrf_in(page.text)}
    await client.post("/staff/login", data=form)
    return client


async def signed_in_still(client: httpx.AsyncClient) -> bool:
    return (await client.get("/staff/queue")).status_code == 200


async def test_only_the_admin_role_reaches_account_management(app: Any) -> None:
    async with signed_in(app, "kf-staff") as staff_member:
        assert "アカウント管理" not in (await staff_member.get("/staff/queue")).text
        assert (await staff_member.get("/staff/admin/accounts")).status_code == 403
        csrf = csrf_in((await staff_member.get("/staff/queue")).text)
        target = account_id(app.state.parts.hub.store.engine, "kf-colleague")
        for path in (f"/staff/admin/accounts/{target}/disable", "/staff/admin/accounts"):
            response = await staff_member.post(path, data={"csrf": csrf, "username": "x"})
            assert response.status_code == 403
    async with signed_in(app, "admin") as admin:
        page = (await admin.get("/staff/admin/accounts")).text
        assert "アカウント管理（4件）" in page
        for username in ("kf-staff", "kf-colleague", "zc-staff", "admin"):
            assert username in page


async def test_disable_reset_and_desks_take_effect_at_once(app: Any) -> None:
    engine = app.state.parts.hub.store.engine
    colleague = await sign_in(app, "kf-colleague", PASSWORD)
    worker = await sign_in(app, "kf-staff", PASSWORD)
    assert await signed_in_still(colleague) and await signed_in_still(worker)
    async with signed_in(app, "admin") as admin:
        csrf = csrf_in((await admin.get("/staff/admin/accounts")).text)
        done = await admin.post(
            f"/staff/admin/accounts/{account_id(engine, 'kf-colleague')}/disable",
            data={"csrf": csrf},
        )
        assert done.headers["location"] == "/staff/admin/accounts?notice=disabled"
        assert not await signed_in_still(colleague)
        assert not await signed_in_still(await sign_in(app, "kf-colleague", PASSWORD))

        reset = await admin.post(
            f"/staff/admin/accounts/{account_id(engine, 'kf-staff')}/password",
            data={"csrf": csrf},
        )
        temporary = re.search(r'id="one-time-password">([^<]+)<', reset.text).group(1)  # type: ignore[union-attr]
        assert len(temporary) >= 16 and "kf-staff" in reset.text
        assert not await signed_in_still(worker)  # the reset ended their session
        worker = await sign_in(app, "kf-staff", temporary)
        assert app.state.kf in (await worker.get("/staff/queue")).text

        moved = await admin.post(
            f"/staff/admin/accounts/{account_id(engine, 'kf-staff')}/save",
            data={
                "csrf": csrf,
                "display_name": "山田 花子",
                "role": "staff",
                "language": "ja",
                "platforms": ["zerocarbon"],
            },
        )
        assert moved.headers["location"] == "/staff/admin/accounts?notice=saved"
        queue = (await worker.get("/staff/queue")).text
        assert app.state.kf not in queue and app.state.zc in queue  # desks changed at once
        assert "山田 花子" in queue
        enabled = await admin.post(
            f"/staff/admin/accounts/{account_id(engine, 'kf-colleague')}/enable",
            data={"csrf": csrf},
        )
        assert enabled.headers["location"].endswith("notice=enabled")
        assert await signed_in_still(await sign_in(app, "kf-colleague", PASSWORD))


async def test_admins_cannot_lock_themselves_out_and_create_accounts(app: Any) -> None:
    engine = app.state.parts.hub.store.engine
    me = account_id(engine, "admin")
    async with signed_in(app, "admin") as admin:
        csrf = csrf_in((await admin.get("/staff/admin/accounts")).text)
        refused = await admin.post(f"/staff/admin/accounts/{me}/disable", data={"csrf": csrf})
        assert refused.headers["location"].endswith("notice=self")
        demoted = await admin.post(
            f"/staff/admin/accounts/{me}/save",
            data={
                "csrf": csrf,
                "display_name": "admin",
                "role": "staff",
                "platforms": ["kyoso-front"],
            },
        )
        assert demoted.headers["location"].endswith("notice=self")
        shown = (await admin.get(demoted.headers["location"])).text
        assert "自分自身を無効にしたり" in shown
        for bad, notice in (
            ({"username": "Hanako Yamada"}, "username"),
            ({"username": "kf-staff"}, "exists"),
            ({"username": "suzuki", "platforms": []}, "desks"),
        ):
            form = {
                "csrf": csrf,
                "display_name": "鈴木",
                "role": "staff",
                "platforms": ["kyoso-front"],
                **bad,
            }
            response = await admin.post("/staff/admin/accounts", data=form)
            assert response.headers["location"].endswith(f"notice={notice}"), bad
        created = await admin.post(
            "/staff/admin/accounts",
            data={
                "csrf": csrf,
                "username": "suzuki",
                "display_name": "鈴木 一郎",
                "role": "staff",
                "platforms": ["kyoso-front"],
            },
        )
        temporary = re.search(r'id="one-time-password">([^<]+)<', created.text).group(1)  # type: ignore[union-attr]
        assert "アカウント suzuki を作成しました。" in created.text
    newcomer = await sign_in(app, "suzuki", temporary)
    queue = (await newcomer.get("/staff/queue")).text
    assert "鈴木 一郎" in queue and app.state.kf in queue and app.state.zc not in queue


async def test_a_desk_admin_manages_only_accounts_of_their_desks(app: Any) -> None:
    engine = app.state.parts.hub.store.engine
    with Session(engine) as session, session.begin():
        accounts.add_staff(
            session,
            username="kf-admin",
            display_name="kf-admin",
            password_hash=hash_password(PASSWORD),
            role="admin",
            platforms=["kyoso-front"],
        )
    async with signed_in(app, "kf-admin") as admin:
        page = (await admin.get("/staff/admin/accounts")).text
        assert "kf-colleague" in page and "zc-staff" not in page
        assert 'value="zerocarbon"' not in page  # cannot hand out a desk they do not have
        csrf = csrf_in(page)
        other = account_id(engine, "zc-staff")
        refused = await admin.post(f"/staff/admin/accounts/{other}/disable", data={"csrf": csrf})
        assert refused.headers["location"].endswith("notice=not_found")
    with Session(engine) as session:
        assert accounts.staff_by_username(session, username="zc-staff") is not None


async def test_cli_lists_and_sets_accounts(
    app: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    async with signed_in(app, "kf-staff"):
        assert madoguchi(["staff", "list"]) == 0
    listed = capsys.readouterr().out
    line = next(x for x in listed.splitlines() if x.startswith("kf-staff "))
    assert "staff" in line and "yes" in line and "kyoso-front" in line
    assert madoguchi(["staff", "set", "kf-staff", "--name", "山田 花子", "--role", "admin"]) == 0
    assert madoguchi(["staff", "set", "kf-staff", "--platform", "nowhere"]) == 2
    assert madoguchi(["staff", "set", "nobody", "--role", "staff"]) == 1
    with Session(engine) as session:
        account = accounts.staff_named(session, username="kf-staff")
    assert account is not None and (account.display_name, account.role) == ("山田 花子", "admin")
    monkeypatch.setattr("sys.stdin", io.StringIO("another-long-password\n"))
    assert madoguchi(["staff", "password", "kf-staff"]) == 0


async def test_an_english_account_reads_the_tools_in_english(app: Any) -> None:
    engine = app.state.parts.hub.store.engine
    with Session(engine) as session, session.begin():
        account = accounts.staff_named(session, username="admin")
        assert account is not None
        accounts.update_account(session, account=account, language="en")
    async with signed_in(app, "admin") as admin:
        page = (await admin.get("/staff/admin/accounts")).text
        assert "Accounts (4)" in page and "Reset the password of kf-staff" in page
        assert "アカウント" not in page
        csrf = csrf_in(page)
        me = account_id(engine, "admin")
        refused = await admin.post(f"/staff/admin/accounts/{me}/disable", data={"csrf": csrf})
        shown = (await admin.get(refused.headers["location"])).text
        assert "You cannot disable yourself" in shown
        assert "Inquiries (0)" in (await admin.get("/staff/inquiries")).text
        proposal = (await admin.get(f"/staff/proposals/{app.state.kf}")).text
        assert "Possible duplicates" in proposal and "Merge as duplicate" in proposal
