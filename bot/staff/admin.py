"""Account management for the admin role: /staff/admin/accounts.

List, create, disable and enable, reset passwords (a one-time password shown once, every
session of the account ended), set desks, role, display name and language. Only the admin
role reaches these routes (403 for anyone else); an admin manages the accounts whose desks
are all among their own, and cannot disable themselves or take away their own admin role.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError

from bot.staff.auth import hash_password
from storage import accounts
from storage.models import StaffAccount
from workflows.triage import StaffMember

if TYPE_CHECKING:
    from bot.staff.console import Console

ROLES = {"staff": "スタッフ", "admin": "管理者"}
LANGUAGES = {"ja": "日本語", "en": "English"}
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")
NOTICES = {
    "saved": "アカウントを更新しました。",
    "disabled": "アカウントを無効にしました。ログイン中のセッションはすべて終了しました。",
    "enabled": "アカウントを有効にしました。",
    "self": "自分自身を無効にしたり、自分の管理者権限を外したりすることはできません。",
    "username": "ユーザー名は英小文字・数字・「-」「_」「.」で64文字までにしてください。",
    "exists": "そのユーザー名はすでに使われています。",
    "name": "表示名を入力してください（100文字まで）。",
    "desks": "担当する窓口を1つ以上選んでください（自分が担当する窓口の中から）。",
    "not_found": "対象のアカウントが見つかりません（または管理できる範囲外です）。",
}
NOTICES_EN = {
    "saved": "Account updated.",
    "disabled": "Account disabled. All its signed-in sessions ended.",
    "enabled": "Account enabled.",
    "self": "You cannot disable yourself or take away your own admin role.",
    "username": "Usernames use lower-case letters, digits, '-', '_' and '.', up to 64.",
    "exists": "That username is taken.",
    "name": "Enter a display name (up to 100 characters).",
    "desks": "Choose at least one desk (among your own).",
    "not_found": "No such account (or not one you manage).",
}


def _manageable(admin: StaffMember, account: StaffAccount) -> bool:
    return set(account.platforms) <= set(admin.platforms)


def _checked(form: dict[str, Any], admin: StaffMember) -> tuple[str, str, list[str], str] | str:
    """(display name, role, desks, language) from a form, or the notice code of a mistake."""
    name = str(form.get("display_name") or "").strip()
    if not name or len(name) > 100:
        return "name"
    desks = [str(p) for p in form.get("platforms", []) if str(p) in admin.platforms]
    if not desks:
        return "desks"
    role = str(form.get("role") or "staff")
    language = str(form.get("language") or "ja")
    return (
        name,
        role if role in ROLES else "staff",
        desks,
        language if language in LANGUAGES else "ja",
    )


def register_admin(routes: APIRouter, console: Console) -> None:
    """Add the account pages (admin role only)."""

    async def require_admin(request: Request) -> StaffMember:
        member = await console.require(request)
        if not member.is_admin:
            raise HTTPException(403, "only the admin role manages accounts")
        return member

    async def form_of(request: Request) -> dict[str, Any]:
        raw = await request.form()
        console.check_csrf(request, str(raw.get("csrf", "")))
        form: dict[str, Any] = {k: str(v)[:200] for k, v in raw.items()}
        form["platforms"] = [str(p)[:64] for p in raw.getlist("platforms")]
        return form

    def page(request: Request, admin: StaffMember, **extra: Any) -> HTMLResponse:
        def read() -> tuple[list[StaffAccount], dict[int, int]]:
            with console.store.begin() as tx:
                rows = [a for a in accounts.all_accounts(tx.session) if _manageable(admin, a)]
                signed_in = accounts.live_sessions(tx.session, staff_ids=[a.id or 0 for a in rows])
                return rows, signed_in

        rows, signed_in = read()
        notices = NOTICES_EN if getattr(admin, "language", "ja") == "en" else NOTICES
        notice = notices.get(request.query_params.get("notice", ""))
        return console.render(
            "admin.html",
            request,
            admin,
            accounts=rows,
            signed_in=signed_in,
            roles=ROLES,
            languages=LANGUAGES,
            notice=notice,
            **extra,
        )

    def back(code: str) -> RedirectResponse:
        return RedirectResponse(f"/staff/admin/accounts?notice={code}", status_code=303)

    @routes.get("/admin/accounts", response_class=HTMLResponse)
    async def accounts_page(request: Request) -> Response:
        admin = await require_admin(request)
        return await asyncio.to_thread(page, request, admin)

    @routes.post("/admin/accounts", response_class=HTMLResponse)
    async def create(request: Request) -> Response:
        admin = await require_admin(request)
        form = await form_of(request)
        username = str(form.get("username") or "").strip().lower()
        if not username or len(username) > 64 or not set(username) <= USERNAME_CHARS:
            return back("username")
        checked = _checked(form, admin)
        if isinstance(checked, str):
            return back(checked)
        name, role, desks, language = checked
        password = secrets.token_urlsafe(12)
        hashed = await asyncio.to_thread(hash_password, password)  # slow: outside any lock

        def run() -> bool:
            try:
                with console.store.begin() as tx:
                    created = accounts.add_staff(
                        tx.session,
                        username=username,
                        display_name=name,
                        password_hash=hashed,
                        role=role,
                        platforms=desks,
                    )
                    accounts.update_account(tx.session, account=created, language=language)
                return True
            except IntegrityError:
                return False

        if not await asyncio.to_thread(run):
            return back("exists")
        shown = {"username": username, "password": password, "created": True}
        return await asyncio.to_thread(page, request, admin, one_time=shown)

    @routes.post("/admin/accounts/{staff_id}/{action}", response_class=HTMLResponse)
    async def act(staff_id: int, action: str, request: Request) -> Response:
        admin = await require_admin(request)
        form = await form_of(request)
        if action not in ("save", "disable", "enable", "password"):
            raise HTTPException(404, "no such action")
        checked = _checked(form, admin) if action == "save" else None
        if isinstance(checked, str):
            return back(checked)
        password = secrets.token_urlsafe(12) if action == "password" else ""
        hashed = await asyncio.to_thread(hash_password, password) if password else ""

        def run() -> tuple[str, str]:
            with console.store.begin() as tx:
                account = accounts.account_by_id(tx.session, staff_id=staff_id)
                if account is None or not _manageable(admin, account):
                    return "not_found", ""
                itself = account.id == admin.id
                if action == "disable":
                    if itself:
                        return "self", ""
                    accounts.set_active(tx.session, account=account, active=False)
                    return "disabled", ""
                if action == "enable":
                    accounts.set_active(tx.session, account=account, active=True)
                    return "enabled", ""
                if action == "password":
                    accounts.set_password(tx.session, account=account, password_hash=hashed)
                    return "password", account.username
                assert checked is not None
                name, role, desks, language = checked
                if itself and role != "admin":
                    return "self", ""
                accounts.update_account(
                    tx.session,
                    account=account,
                    display_name=name,
                    role=role,
                    platforms=desks,
                    language=language,
                )
                return "saved", ""

        outcome, username = await asyncio.to_thread(run)
        if outcome != "password":
            return back(outcome)
        shown = {"username": username, "password": password, "created": False}
        return await asyncio.to_thread(page, request, admin, one_time=shown)

    @routes.get("/admin", include_in_schema=False)
    async def admin_home() -> Response:
        return RedirectResponse("/staff/admin/accounts", status_code=303)
