"""「重複として統合」 in the console: POST /staff/proposals/{reference}/merge."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.staff.views import refusal_code
from storage.store import SqlStore
from workflows.duplicates import merge_duplicate
from workflows.triage import Refused

if TYPE_CHECKING:
    from bot.staff.console import Console


def register_duplicates(routes: APIRouter, console: Console) -> None:
    """Add the merge action (the proposal page's duplicates section posts to it)."""

    @routes.post("/proposals/{reference}/merge")
    async def merge(
        reference: str, request: Request, into: str = Form(""), csrf: str = Form("")
    ) -> Response:
        member = await console.require(request)
        console.check_csrf(request, csrf)
        target = f"/staff/proposals/{reference}"
        try:
            await asyncio.to_thread(merge_duplicate, console.triage, member, reference, into)
        except Refused as exc:
            return RedirectResponse(f"{target}?error={refusal_code(exc)}", status_code=303)
        console.on_send()
        return RedirectResponse(f"{target}?done=merge", status_code=303)


def duplicate_counts(store: SqlStore, ids: list[int]) -> dict[int, int]:
    """Proposal id → possible duplicates not yet merged (the queue's 重複候補 badge)."""
    with store.begin() as tx:
        return dict(tx.open_duplicate_counts(ids=ids))
