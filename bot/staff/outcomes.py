"""/staff/intakes: intakes refused by a rule or abandoned, for the desks the account works on."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bot.staff.views import OUTCOME_LABELS
from storage import intakes
from workflows.triage import StaffMember

if TYPE_CHECKING:
    from bot.staff.console import Console


def register_outcomes(routes: APIRouter, console: Console) -> None:
    """Add the page listing refused and abandoned intakes."""
    # Sign-in as a dependency: the route cannot run for an anonymous visitor. (A default
    # rather than `Annotated`: annotations here are strings, resolved in module scope.)
    signed_in = Depends(console.require)

    @routes.get("/intakes", response_class=HTMLResponse)
    async def intakes_page(request: Request, member: StaffMember = signed_in) -> Response:
        wanted = request.query_params.get("platform") or None
        # Another desk's id (or an unknown one) shows nothing rather than falling back.
        platforms = (
            member.platforms
            if wanted is None
            else ((wanted,) if wanted in member.platforms else ())
        )
        outcome = request.query_params.get("outcome") or None
        if outcome not in (None, *intakes.OUTCOMES):
            outcome = None

        def read() -> list[dict[str, Any]]:
            with console.store.begin() as tx:
                rows = intakes.intake_outcomes(tx.session, platforms=platforms, outcome=outcome)
                return [_row(console, r) for r in rows]

        return console.render(
            "intakes.html",
            request,
            member,
            rows=await asyncio.to_thread(read),
            outcome=outcome,
            chosen=wanted,
            outcomes=OUTCOME_LABELS,
        )


def _row(console: Console, row: Any) -> dict[str, Any]:
    """What the page shows of an outcome: desk, kind, the rule and its wording, text, when."""
    platform = console.platforms.get(row.platform_id)
    rule = None
    if row.rule_id and platform is not None:
        rule = next((r for r in platform.eligibility_rules if r.id == row.rule_id), None)
    return {
        "id": row.id,
        "platform_id": row.platform_id,
        "desk": platform.name.ja if platform is not None else row.platform_id,
        "outcome": row.outcome,
        "rule_id": row.rule_id,
        "rule": rule.excludes.ja if rule is not None else None,
        "text": row.text,
        "at": row.created_at,
    }
