"""Inquiries in the console: a filtered, paged list linking to a page per inquiry, with the
conversation that led to it, its age and due date, the asker, channel and language; answer
and reopen."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.staff.views import refusal_code
from storage.inquiries import InquiryFilter, inquiry_detail, inquiry_list, reopen_inquiry
from workflows.calendar import DEFAULT_TIMEZONE, local_today, reply_due
from workflows.triage import Refused, StaffMember

if TYPE_CHECKING:
    from bot.staff.console import Console

LANGUAGES = {"ja": "日本語", "en": "English"}


def inquiry_filter(params: Any, member: StaffMember) -> InquiryFilter:
    """The list's filters from the query string (only the member's desks, ever)."""
    platform = params.get("platform") or None
    platforms = (platform,) if platform in member.platforms else member.platforms
    if platform and platform not in member.platforms:
        platforms = ()
    page = params.get("page") or "1"
    status = params.get("status", "open")
    return InquiryFilter(
        platforms=platforms,
        status=status if status in ("open", "answered") else None,
        channel=params.get("channel") or None,
        language=params.get("language") or None,
        query=(params.get("q") or "").strip()[:100] or None,
        page=max(int(page), 1) if page.isdigit() and len(page) < 6 else 1,
    )


def age(since: dt.datetime, now: dt.datetime) -> str:
    """How long an inquiry has waited, the way staff say it: 12日, 5時間, 20分."""
    since = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes >= 24 * 60:
        return f"{minutes // (24 * 60)}日"
    if minutes >= 60:
        return f"{minutes // 60}時間"
    return f"{minutes}分"


def register_inquiries(routes: APIRouter, console: Console) -> None:
    """Add the inquiry list, the inquiry page, answer and reopen."""

    def clocks(row: dict[str, Any]) -> dict[str, Any]:
        platform = console.platforms.get(row["platform_id"])
        zone = platform.timezone if platform else DEFAULT_TIMEZONE
        created = row["created_at"]
        created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
        due = reply_due(created, days=platform.reply_days if platform else 3, timezone=zone)
        now = console.clock()
        late = row["status"] == "open" and due < local_today(now, zone)
        return {**row, "age": age(created, now), "due": due, "late": late}

    @routes.get("/inquiries", response_class=HTMLResponse)
    async def inquiries_page(request: Request) -> Response:
        member = await console.require(request)
        where = inquiry_filter(request.query_params, member)

        def read() -> tuple[list[dict[str, Any]], int]:
            with console.store.begin() as tx:
                return inquiry_list(tx.session, where=where)

        rows, total = await asyncio.to_thread(read)
        query = {k: v for k, v in request.query_params.items() if k != "page"}
        return console.render(
            "inquiries.html",
            request,
            member,
            inquiries=[clocks(r) for r in rows],
            total=total,
            where=where,
            languages=LANGUAGES,
            query=urlencode(query),
            pages=(total + where.per_page - 1) // where.per_page,
            status_param=request.query_params.get("status", "open"),
        )

    @routes.get("/inquiries/{inquiry_id}", response_class=HTMLResponse)
    async def inquiry_page(inquiry_id: int, request: Request) -> Response:
        member = await console.require(request)

        def read() -> dict[str, Any] | None:
            with console.store.begin() as tx:
                return inquiry_detail(tx.session, inquiry_id=inquiry_id, platforms=member.platforms)

        found = await asyncio.to_thread(read)
        if found is None:
            raise HTTPException(404, "no such inquiry")
        return console.render("inquiry.html", request, member, q=clocks(found), languages=LANGUAGES)

    @routes.post("/inquiries/{inquiry_id}/answer")
    async def answer(
        inquiry_id: int, request: Request, text: str = Form(""), csrf: str = Form("")
    ) -> Response:
        member = await console.require(request)
        console.check_csrf(request, csrf)
        target = f"/staff/inquiries/{inquiry_id}"
        try:
            await asyncio.to_thread(console.triage.answer_inquiry, member, inquiry_id, text)
        except Refused as exc:
            return RedirectResponse(f"{target}?error={refusal_code(exc)}", status_code=303)
        console.on_send()
        return RedirectResponse(f"{target}?done=answer", status_code=303)

    @routes.post("/inquiries/{inquiry_id}/reopen")
    async def reopen(inquiry_id: int, request: Request, csrf: str = Form("")) -> Response:
        member = await console.require(request)
        console.check_csrf(request, csrf)

        def run() -> bool:
            with console.store.begin() as tx:
                return reopen_inquiry(tx.session, inquiry_id=inquiry_id, platforms=member.platforms)

        target = f"/staff/inquiries/{inquiry_id}"
        if not await asyncio.to_thread(run):
            return RedirectResponse(f"{target}?error=not_found", status_code=303)
        return RedirectResponse(f"{target}?done=reopen", status_code=303)
