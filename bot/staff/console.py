"""The staff console at /staff: server-rendered pages, forms with CSRF, no build step."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.staff import auth
from bot.staff.admin import register_admin
from bot.staff.attachments import register_attachments
from bot.staff.casework import register_casework
from bot.staff.duplicates import register_duplicates
from bot.staff.export import register_export
from bot.staff.inquiries import register_inquiries
from bot.staff.mail import Mailer
from bot.staff.outcomes import register_outcomes
from bot.staff.pages import register_pages
from bot.staff.views import DONE, ERRORS
from bot.staff.words import DONE_EN, ERRORS_EN, department_name, theme_name, words
from knowledge import Platform
from storage import accounts
from storage.models import utcnow
from storage.store import SqlStore
from workflows.calendar import DEFAULT_TIMEZONE, format_date, format_time, local_today
from workflows.texts import label
from workflows.textsafety import reveal_invisible
from workflows.triage import StaffMember, Triage

PRE_LOGIN = "madoguchi_staff_pre"
CSRF_REFUSED = (
    "フォームの有効期限が切れました。ページを読み込み直してから、もう一度お試しください。"
    " (The form expired: reload the page and try again.)"
)
TEMPLATES = Path(__file__).parent.parent / "templates" / "staff"
# `finalize` runs on every {{ value }}: proposer text with bidi controls shows them as ⟦U+202E⟧.
_templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    finalize=reveal_invisible,
)
_templates.globals["label"] = lambda value: label(value, "ja")
_templates.globals["tr"] = words("ja")  # pages rendered for an account get its language's
# Every timestamp on a page goes through `localtime` (2026/11/09 08:45 on the desk's clock),
# every date through `day` (2026年12月7日（月）): stored values are UTC.
_templates.filters["localtime"] = lambda at, zone=DEFAULT_TIMEZONE: (
    format_time(at, zone or DEFAULT_TIMEZONE) if at else "—"
)
_templates.filters["day"] = lambda day: format_date(day, "ja") if day else "—"
# Served from our own origin, so the strict CSP (style-src 'self') allows it.
STYLESHEET = (TEMPLATES / "console.css").read_text(encoding="utf-8")


class Console:
    """Routes and their shared pieces."""

    def __init__(
        self,
        *,
        store: SqlStore,
        platforms: dict[str, Platform],
        secret: str,
        on_send: Callable[[], None],
        clock: Callable[[], dt.datetime] = utcnow,
        mailer: Mailer | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.platforms = platforms
        self.secret = secret
        self.triage = Triage(store=store)
        self.on_send = on_send
        self.clock = clock
        self.mailer = mailer  # an e-mail copy of staff replies, when SMTP is configured
        self.data_dir = data_dir  # proposers' files (bot/staff/attachments.py); None: none served
        # More for the proposal page from other console modules (duplicates, …): each is
        # called in a worker thread with the proposal and returns template values.
        self.proposal_extras: list[Callable[[Any], dict[str, Any]]] = []

    def timezone(self, platform_id: str) -> str:
        """The desk's time zone (the default for a platform no longer configured)."""
        platform = self.platforms.get(platform_id)
        return platform.timezone if platform is not None else DEFAULT_TIMEZONE

    def today(self, platforms: tuple[str, ...]) -> dict[str, dt.date]:
        """Today on each desk's own clock: what "overdue" is measured against."""
        now = self.clock()
        return {p: local_today(now, self.timezone(p)) for p in platforms}

    def render(
        self,
        name: str,
        request: Request,
        staff_member: StaffMember | None,
        *,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        cookie = request.cookies.get(auth.COOKIE, "")
        lang = staff_member.language if staff_member is not None else "ja"
        errors, done = (ERRORS_EN, DONE_EN) if lang == "en" else (ERRORS, DONE)
        error_code = context.pop("error_code", None) or request.query_params.get("error", "")
        html = _templates.get_template(name).render(
            me=staff_member,
            csrf=auth.csrf_for(self.secret, cookie) if cookie else "",
            platforms=self.platforms,
            zones={p: self.timezone(p) for p in self.platforms},
            error=errors.get(error_code),
            done=done.get(request.query_params.get("done", "")),
            lang=lang,
            tr=words(lang),
            label=lambda value: label(value, lang) if value else "—",
            theme=lambda pid, value: theme_name(self.platforms.get(pid), value, lang),
            department=lambda pid, value: department_name(self.platforms.get(pid), value, lang),
            any_theme=lambda value: next(
                (
                    theme_name(p, value, lang)
                    for p in self.platforms.values()
                    if any(x.id == value for x in p.themes)
                ),
                value,
            ),
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        response.headers["Cache-Control"] = "no-store"  # proposal content is confidential
        return response

    def current(self, request: Request) -> StaffMember | None:
        """The signed-in staff member: a live session of an active account, or None."""
        token = request.cookies.get(auth.COOKIE)
        if not token:
            return None
        with self.store.begin() as tx:
            account = accounts.session_account(tx.session, token_hash=auth.token_hash(token))
            if account is None:
                return None
            return StaffMember(
                account.id or 0,
                account.username,
                account.display_name,
                account.role,
                tuple(account.platforms),
                getattr(account, "language", None) or "ja",
            )

    async def require(self, request: Request) -> StaffMember:
        """The signed-in staff member, or a redirect to the sign-in page."""
        member = await asyncio.to_thread(self.current, request)
        if member is None:
            raise HTTPException(303, headers={"Location": "/staff/login"})
        return member

    def check_csrf(self, request: Request, token: str) -> None:
        if not auth.csrf_ok(self.secret, request.cookies.get(auth.COOKIE), token):
            raise HTTPException(403, CSRF_REFUSED)

    def sign_in(self, *, username: str, password: str, address: str, previous: str | None) -> str:
        """A new session token, or "throttled" / "credentials".

        The attempt is counted (and committed) before the password is looked at, so
        concurrent guesses cannot slip past the limit; the slow hash runs outside any
        transaction, so it holds no database lock.
        """
        user_key = auth.user_key(username, address)
        with self.store.begin() as tx:
            tries = accounts.throttle_hit(tx.session, key=user_key, window=auth.THROTTLE_WINDOW)
            from_address = accounts.throttle_hit(
                tx.session, key=auth.address_key(address), window=auth.THROTTLE_WINDOW
            )
        if tries > auth.USER_LIMIT or from_address > auth.ADDRESS_LIMIT:
            return "throttled"
        with self.store.begin() as tx:
            account = accounts.staff_by_username(tx.session, username=username)
            password_hash = account.password_hash if account is not None else None
            staff_id = account.id if account is not None else None
        # Always verified (against a dummy hash for an unknown name), so the time taken
        # does not tell which usernames exist.
        if not auth.verify_password(password_hash, password) or staff_id is None:
            return "credentials"
        token = auth.new_session_token()
        with self.store.begin() as tx:
            accounts.throttle_clear(tx.session, key=user_key, window=auth.THROTTLE_WINDOW)
            if previous:  # whoever was signed in on this browser before is signed out
                accounts.end_session(tx.session, token_hash=auth.token_hash(previous))
            accounts.start_session(
                tx.session,
                token_hash=auth.token_hash(token),
                staff_id=staff_id,
                expires_at=utcnow() + dt.timedelta(seconds=auth.SESSION_SECONDS),
                address=address,
            )
        return token


def router(console: Console) -> APIRouter:
    """Every /staff route."""
    routes = APIRouter(prefix="/staff")

    @routes.get("/console.css")
    async def stylesheet() -> Response:
        return Response(
            STYLESHEET, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
        )

    @routes.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        pre = request.cookies.get(PRE_LOGIN) or secrets.token_urlsafe(24)
        html = _templates.get_template("login.html").render(
            csrf=auth.csrf_for(console.secret, pre),
            error=ERRORS.get(request.query_params.get("error", "")),
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
            raise HTTPException(403, CSRF_REFUSED)
        result = await asyncio.to_thread(
            console.sign_in,
            username=username,
            password=password,
            address=request.client.host if request.client else "unknown",
            previous=request.cookies.get(auth.COOKIE),
        )
        if result in ("throttled", "credentials"):
            headers = {"Retry-After": str(int(auth.THROTTLE_WINDOW.total_seconds()))}
            return RedirectResponse(
                f"/staff/login?error={result}",
                status_code=303,
                headers=headers if result == "throttled" else None,
            )
        response = RedirectResponse("/staff/queue", status_code=303)
        response.set_cookie(
            auth.COOKIE,
            result,
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

        def end() -> None:
            with console.store.begin() as tx:
                token = request.cookies.get(auth.COOKIE, "")
                accounts.end_session(tx.session, token_hash=auth.token_hash(token))

        await asyncio.to_thread(end)
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(auth.COOKIE, path="/staff")
        return response

    @routes.get("")
    async def home() -> Response:
        return RedirectResponse("/staff/queue", status_code=303)

    register_pages(routes, console)
    register_duplicates(routes, console)
    register_export(routes, console)
    register_inquiries(routes, console)
    register_admin(routes, console)
    register_casework(routes, console)
    register_outcomes(routes, console)
    register_attachments(routes, console)
    return routes


__all__ = ["Console", "router"]
