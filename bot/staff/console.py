"""The staff console at /staff: server-rendered pages, forms with CSRF, no build step."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.staff import auth
from bot.staff.pages import register_pages
from knowledge import Platform
from storage.models import utcnow
from storage.store import SqlStore
from workflows.texts import label
from workflows.triage import StaffMember, Triage

PRE_LOGIN = "madoguchi_staff_pre"
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates" / "staff"),
    autoescape=select_autoescape(["html"]),
)
_templates.globals["label"] = lambda value: label(value, "ja")


class Console:
    """Routes and their shared pieces."""

    def __init__(
        self,
        *,
        store: SqlStore,
        platforms: dict[str, Platform],
        secret: str,
        on_send: Callable[[], None],
    ) -> None:
        self.store = store
        self.platforms = platforms
        self.secret = secret
        self.triage = Triage(store=store)
        self.on_send = on_send

    def render(
        self, name: str, request: Request, staff_member: StaffMember | None, **context: Any
    ) -> HTMLResponse:
        cookie = request.cookies.get(auth.COOKIE, "")
        html = _templates.get_template(name).render(
            me=staff_member,
            csrf=auth.csrf_for(self.secret, cookie) if cookie else "",
            platforms=self.platforms,
            error=request.query_params.get("error"),
            done=request.query_params.get("done"),
            **context,
        )
        response = HTMLResponse(html)
        response.headers["Cache-Control"] = "no-store"  # proposal content is confidential
        return response

    def current(self, request: Request) -> StaffMember | None:
        staff_id = auth.session_staff_id(self.secret, request.cookies.get(auth.COOKIE))
        if staff_id is None:
            return None
        with self.store.begin() as tx:
            account = tx.staff_by_id(staff_id=staff_id)
            if account is None:
                return None
            return StaffMember(
                account.id or 0,
                account.username,
                account.display_name,
                account.role,
                tuple(account.platforms),
            )

    def require(self, request: Request) -> StaffMember:
        member = self.current(request)
        if member is None:
            raise HTTPException(303, headers={"Location": "/staff/login"})
        return member

    def check_csrf(self, request: Request, token: str) -> None:
        if not auth.csrf_ok(self.secret, request.cookies.get(auth.COOKIE), token):
            raise HTTPException(403, "bad CSRF token: reload the page")


def router(console: Console) -> APIRouter:
    """Every /staff route."""
    routes = APIRouter(prefix="/staff")

    @routes.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        pre = request.cookies.get(PRE_LOGIN) or secrets.token_urlsafe(24)
        html = _templates.get_template("login.html").render(
            csrf=auth.csrf_for(console.secret, pre),
            error=request.query_params.get("error"),
            me=None,
        )
        response = HTMLResponse(html)
        response.set_cookie(PRE_LOGIN, pre, httponly=True, samesite="strict", path="/staff")
        return response

    @routes.post("/login")
    async def login(
        request: Request, username: str = Form(...), password: str = Form(...), csrf: str = Form("")
    ) -> Response:
        if not auth.csrf_ok(console.secret, request.cookies.get(PRE_LOGIN), csrf):
            raise HTTPException(403, "bad CSRF token: reload the page")
        address = request.client.host if request.client else "unknown"

        def attempt() -> int | None | str:
            with console.store.begin() as tx:
                since = utcnow() - auth.FAILURE_WINDOW
                if (
                    tx.failed_logins(username=username, address=address, since=since)
                    >= auth.MAX_FAILURES
                ):
                    return "throttled"
                account = tx.staff_by_username(username=username)
                if account is not None and auth.verify_password(account.password_hash, password):
                    return account.id
                auth.verify_password(None, password) if account is None else None
                tx.record_failed_login(username=username, address=address)
                return None

        result = await asyncio.to_thread(attempt)
        if result == "throttled":
            return RedirectResponse(
                "/staff/login?"
                + urlencode({"error": "試行回数が多すぎます。15分後にお試しください。"}),
                status_code=303,
                headers={"Retry-After": "900"},
            )
        if not isinstance(result, int):
            return RedirectResponse(
                "/staff/login?" + urlencode({"error": "ユーザー名またはパスワードが違います。"}),
                status_code=303,
            )
        response = RedirectResponse("/staff/queue", status_code=303)
        response.set_cookie(
            auth.COOKIE,
            auth.session_cookie(console.secret, result),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/staff",
            max_age=auth.SESSION_SECONDS,
        )
        response.delete_cookie(PRE_LOGIN, path="/staff")
        return response

    @routes.post("/logout")
    async def logout(request: Request, csrf: str = Form("")) -> Response:
        console.check_csrf(request, csrf)
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(auth.COOKIE, path="/staff")
        return response

    @routes.get("")
    async def home() -> Response:
        return RedirectResponse("/staff/queue", status_code=303)

    register_pages(routes, console)
    return routes


__all__ = ["Console", "router"]
