"""The queue as a CSV file Excel opens as it is: GET /staff/queue.csv.

Japanese headers and labels, UTF-8 with a BOM, date-times on the desk's clock in the form
Excel reads as dates (2026/11/09 08:45), every cell that would run as a formula quoted, and
a file name with the desk and the day (kyoso-front-proposals-2026-11-22.csv; RFC 5987's
`filename*` alongside for names that are not ASCII).
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import col, select

from bot.staff.views import queue_filter
from knowledge import Platform
from storage.models import ProposalEvent
from storage.staff import QueueFilter
from workflows.calendar import DEFAULT_TIMEZONE, format_time
from workflows.texts import label

if TYPE_CHECKING:
    from bot.staff.console import Console

HEADERS = (
    "受付番号",
    "窓口",
    "状態",
    "受付日時",
    "回答期限",
    "初回回答日時",
    "団体名",
    "タイトル",
    "概要",
    "テーマ",
    "チャネル",
    "部署",
    "担当スタッフ",
    "提案者（担当者名）",
    "メールアドレス",
    "見送りの理由",
)
CHANNELS = {
    "web": "Webチャット",
    "line": "LINE",
    "slack": "Slack",
    "telegram": "Telegram",
    "terminal": "端末",
}
# A spreadsheet runs a cell starting with one of these as a formula (defusedcsv's rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a would-be formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def file_name(platforms: tuple[str, ...], day: str) -> str:
    """kyoso-front-proposals-2026-11-22.csv (all-desks-… when several desks are in it)."""
    desk = platforms[0] if len(platforms) == 1 else "all-desks"
    return f"{desk}-proposals-{day}.csv"


def disposition(name: str) -> str:
    """Content-Disposition with an ASCII `filename` and RFC 5987's UTF-8 `filename*`."""
    fallback = "".join(c if c.isascii() and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def rows_for_excel(
    rows: list[Any],
    *,
    platforms: Mapping[str, Platform],
    names: Mapping[str, str],
    reasons: Mapping[int, str],
) -> list[list[str]]:
    """One line per proposal under `HEADERS`, in Japanese, times on each desk's clock."""
    lines = []
    for row in rows:
        platform = platforms.get(row.platform_id)
        zone = platform.timezone if platform is not None else DEFAULT_TIMEZONE
        themes = {t.id: t.label.ja for t in platform.themes} if platform else {}
        departments = {d.id: d.name.ja for d in platform.departments} if platform else {}
        content = row.record.get("content") or {}
        proposer = row.record.get("proposer") or {}
        first = row.first_response_at
        lines.append(
            [
                row.reference,
                platform.name.ja if platform else row.platform_id,
                label(row.status, "ja"),
                format_time(row.received_at, zone),
                f"{row.due_date:%Y/%m/%d}",
                format_time(first, zone) if first else "",
                row.organisation,
                row.title,
                str(content.get("summary") or ""),
                "、".join(themes.get(t, t) for t in content.get("themes") or []),
                CHANNELS.get(row.channel, row.channel),
                departments.get(row.department or "", row.department or ""),
                names.get(row.assignee or "", row.assignee or ""),
                str(proposer.get("contact_name") or ""),
                str(proposer.get("email") or ""),
                reasons.get(row.id, ""),
            ]
        )
    return lines


def decline_reasons(session: Any, ids: list[int]) -> dict[int, str]:
    """The reason written when each declined proposal was declined (the latest)."""
    events = session.exec(
        select(ProposalEvent)
        .where(col(ProposalEvent.proposal_id).in_(ids), ProposalEvent.to_status == "declined")
        .order_by(col(ProposalEvent.id))
    )
    return {e.proposal_id: e.note or "" for e in events}


def register_export(routes: APIRouter, console: Console) -> None:
    """Add GET /staff/queue.csv (the queue's filters apply)."""

    @routes.get("/queue.csv")
    async def export_csv(request: Request) -> Response:
        member = await console.require(request)
        where = queue_filter(request.query_params, member)

        def read() -> list[list[str]]:
            everything = QueueFilter(**{**where.__dict__, "page": 1, "per_page": 100_000})
            with console.store.begin() as tx:
                rows, _ = tx.queue(where=everything, today=console.today(where.platforms))
                names = {
                    a.username: a.display_name
                    for p in member.platforms
                    for a in tx.staff_of_platform(platform_id=p)
                }
                reasons = decline_reasons(tx.session, [r.id for r in rows])
            return rows_for_excel(rows, platforms=console.platforms, names=names, reasons=reasons)

        lines = await asyncio.to_thread(read)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADERS)
        for line in lines:
            writer.writerow([csv_cell(cell) for cell in line])
        shown = where.platforms or member.platforms
        day = min(console.today(shown).values(), default=None) if shown else None
        name = file_name(shown, f"{day or console.clock().date()}")
        return Response(
            "\ufeff" + buffer.getvalue(),  # the BOM: Excel reads the file as UTF-8
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": disposition(name), "Cache-Control": "no-store"},
        )
