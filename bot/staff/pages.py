"""The console's working pages: queue, export, proposal and its actions, inquiries, dashboard."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.staff.views import proposal_view, refusal_code
from storage import staff
from storage.staff import QueueFilter
from workflows.record import Status
from workflows.triage import TRANSITIONS, Refused, StaffMember

if TYPE_CHECKING:
    from bot.staff.console import Console

EXPORT_FIELDS = (
    "reference",
    "platform_id",
    "status",
    "received_at",
    "due_date",
    "organisation",
    "title",
    "channel",
    "department",
    "assignee",
)


# A spreadsheet runs a cell starting with one of these as a formula (defusedcsv's rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a would-be formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _filters(request: Request, member: StaffMember) -> QueueFilter:
    q = request.query_params
    platform = q.get("platform") or None
    platforms = (platform,) if platform in member.platforms else member.platforms
    if platform and platform not in member.platforms:
        platforms = ()
    return QueueFilter(
        platforms=platforms,
        status=q.get("status") or None,
        theme=q.get("theme") or None,
        department=q.get("department") or None,
        channel=q.get("channel") or None,
        overdue=q.get("overdue") == "1",
        query=(q.get("q") or "").strip() or None,
        sort=q.get("sort") or "received",
        page=max(int(q.get("page") or 1), 1) if (q.get("page") or "1").isdigit() else 1,
    )


def register_pages(routes: APIRouter, console: Console) -> None:
    """Add the pages staff work in."""

    @routes.get("/queue", response_class=HTMLResponse)
    async def queue_page(request: Request) -> Response:
        member = await console.require(request)
        where = _filters(request, member)
        today = console.today(member.platforms)

        def read() -> tuple[list[Any], int]:
            with console.store.begin() as tx:
                return tx.queue(where=where, today=today)

        rows, total = await asyncio.to_thread(read)
        query = {k: v for k, v in request.query_params.items() if k != "page"}
        return console.render(
            "queue.html",
            request,
            member,
            rows=rows,
            total=total,
            where=where,
            today=today,
            statuses=[s.value for s in Status],
            query=urlencode(query),
            pages=(total + where.per_page - 1) // where.per_page,
        )

    @routes.get("/queue.csv")
    async def export_csv(request: Request) -> Response:
        member = await console.require(request)
        rows = await asyncio.to_thread(_all_rows, console, _filters(request, member))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_FIELDS)
        for row in rows:
            writer.writerow([csv_cell(getattr(row, f)) for f in EXPORT_FIELDS])
        # UTF-8 with a BOM, so Excel opens Japanese text correctly.
        return Response(
            "\ufeff" + buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="proposals.csv"',
                "Cache-Control": "no-store",
            },
        )

    @routes.get("/queue.json")
    async def export_json(request: Request) -> Response:
        member = await console.require(request)
        rows = await asyncio.to_thread(_all_rows, console, _filters(request, member))
        return JSONResponse(
            [r.model_dump(mode="json") for r in rows], headers={"Cache-Control": "no-store"}
        )

    @routes.get("/proposals/{reference}", response_class=HTMLResponse)
    async def proposal_page(reference: str, request: Request) -> Response:
        member = await console.require(request)
        view = await asyncio.to_thread(proposal_view, console.store, member, reference)
        if view is None:
            raise HTTPException(404, "no such proposal")
        platform = console.platforms[view["proposal"].platform_id]
        allowed = sorted(_next_statuses(view["proposal"].status))
        return console.render(
            "proposal.html", request, member, platform=platform, next_statuses=allowed, **view
        )

    def action(name: str, run: Callable[[StaffMember, str, dict[str, str]], None]) -> None:
        @routes.post(f"/proposals/{{reference}}/{name}", name=f"proposal-{name}")
        async def act(reference: str, request: Request) -> Response:
            member = await console.require(request)
            form = {k: str(v) for k, v in (await request.form()).items()}
            console.check_csrf(request, form.get("csrf", ""))
            target = f"/staff/proposals/{reference}"
            try:
                await asyncio.to_thread(run, member, reference, form)
            except Refused as exc:
                return RedirectResponse(f"{target}?error={refusal_code(exc)}", status_code=303)
            console.on_send()
            return RedirectResponse(f"{target}?done={name}", status_code=303)

    action(
        "status",
        lambda m, ref, f: console.triage.change_status(
            m, ref, f.get("to", ""), reason=f.get("reason")
        ),
    )
    action("assign", lambda m, ref, f: console.triage.assign(m, ref, f.get("assignee") or None))
    action(
        "department",
        lambda m, ref, f: console.triage.set_department(
            m, ref, f.get("department", ""), known=_departments(console, m, ref)
        ),
    )
    action("note", lambda m, ref, f: console.triage.add_note(m, ref, f.get("note", "")))
    action("reply", lambda m, ref, f: console.triage.reply(m, ref, f.get("text", "")))

    @routes.get("/inquiries", response_class=HTMLResponse)
    async def inquiries_page(request: Request) -> Response:
        member = await console.require(request)

        def read() -> list[Any]:
            with console.store.begin() as tx:
                return [i.model_dump() for i in tx.inquiries(platforms=member.platforms)]

        return console.render(
            "inquiries.html", request, member, inquiries=await asyncio.to_thread(read)
        )

    @routes.post("/inquiries/{inquiry_id}/answer")
    async def answer(
        inquiry_id: int, request: Request, text: str = Form(""), csrf: str = Form("")
    ) -> Response:
        member = await console.require(request)
        console.check_csrf(request, csrf)
        try:
            await asyncio.to_thread(console.triage.answer_inquiry, member, inquiry_id, text)
        except Refused as exc:
            return RedirectResponse(f"/staff/inquiries?error={refusal_code(exc)}", status_code=303)
        console.on_send()
        return RedirectResponse("/staff/inquiries?done=answer", status_code=303)

    @routes.get("/dashboard", response_class=HTMLResponse)
    async def dashboard_page(request: Request) -> Response:
        member = await console.require(request)

        def read() -> tuple[dict[str, Any], dict[str, Any]]:
            with console.store.begin() as tx:
                figures = staff.dashboard(
                    tx.session,
                    platforms=member.platforms,
                    today=console.today(member.platforms),
                    now=console.clock(),
                )
                return figures, staff.stuck(tx.session, platforms=member.platforms)

        figures, stuck = await asyncio.to_thread(read)
        return console.render("dashboard.html", request, member, figures=figures, stuck=stuck)


def _all_rows(console: Console, where: QueueFilter) -> list[Any]:
    with console.store.begin() as tx:
        rows, _ = tx.queue(
            where=QueueFilter(**{**where.__dict__, "page": 1, "per_page": 100_000}),
            today=console.today(where.platforms),
        )
        return list(rows)


def _next_statuses(current: str) -> set[str]:
    return {str(s) for s in TRANSITIONS.get(current, set())}


def _departments(console: Console, member: StaffMember, reference: str) -> set[str]:
    with console.store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=member.platforms)
        if proposal is None:
            raise Refused(f"no proposal {reference}", code="not_found")
        return {d.id for d in console.platforms[proposal.platform_id].departments}
