"""The console's working pages: queue, export, proposal and its actions, inquiries, dashboard."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.staff.attachments import for_export
from bot.staff.casework import show_proposal
from bot.staff.duplicates import duplicate_counts
from bot.staff.views import clock, platform_options, queue_filter, refusal_code, staff_names
from storage import staff
from storage.staff import VIEWS, QueueFilter
from workflows.record import Status
from workflows.triage import Refused, StaffMember

if TYPE_CHECKING:
    from bot.staff.console import Console


def _filters(request: Request, member: StaffMember) -> QueueFilter:
    return queue_filter(request.query_params, member)


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
        names = await asyncio.to_thread(staff_names, console.store, member.platforms)
        duplicates = await asyncio.to_thread(duplicate_counts, console.store, [r.id for r in rows])
        query = {k: v for k, v in request.query_params.items() if k != "page"}
        themes, departments = platform_options(console.platforms, member, member.language)
        return console.render(
            "queue.html",
            request,
            member,
            rows=rows,
            clocks={r.reference: clock(r, today) for r in rows},
            total=total,
            where=where,
            today=today,
            statuses=[s.value for s in Status],
            query=urlencode(query),
            # The proposal page's `back`: this exact list (filters and page) to step through.
            back=urlencode(dict(request.query_params)),
            pages=(total + where.per_page - 1) // where.per_page,
            names=names,
            themes=themes,
            departments=departments,
            views=VIEWS,
            duplicates=duplicates,
        )

    @routes.get("/queue.json")
    async def export_json(request: Request) -> Response:
        member = await console.require(request)
        rows = await asyncio.to_thread(_all_rows, console, _filters(request, member))
        listed = await asyncio.to_thread(for_export, console, rows)  # rows + their files
        return JSONResponse(listed, headers={"Cache-Control": "no-store"})

    @routes.get("/proposals/{reference}", response_class=HTMLResponse)
    async def proposal_page(reference: str, request: Request) -> Response:
        member = await console.require(request)
        whole = request.query_params.get("whole") == "1"
        return await show_proposal(console, request, member, reference, whole=whole)

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


def _departments(console: Console, member: StaffMember, reference: str) -> set[str]:
    with console.store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=member.platforms)
        if proposal is None:
            raise Refused(f"no proposal {reference}", code="not_found")
        return {d.id for d in console.platforms[proposal.platform_id].departments}
