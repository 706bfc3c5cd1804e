"""The queue as a CSV file for Excel (issue 13): Japanese headers and labels, UTF-8 with a BOM,
local date-times Excel reads as dates, the columns staff asked for, a file name with the desk
and the day. Real intakes over LINE, the real app and database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any
from urllib.parse import unquote

from sqlmodel import Session

from bot.staff.export import HEADERS, disposition, file_name
from storage import repository
from tests.bot.test_staff_console import app, csrf_of, signed_in
from workflows.calendar import format_time, local_today

__all__ = ["app"]


def rows_of(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    assert b"\r\n" in body  # Excel's line ends
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


async def test_the_csv_reads_as_a_japanese_spreadsheet(app: Any) -> None:
    kf = app.state.kf
    async with signed_in(app, "kf-staff") as client:
        csrf = await csrf_of(client)
        await client.post(
            f"/staff/proposals/{kf}/reply", data={"csrf": csrf, "text": "拝見しました。"}
        )
        for step in ("screening", "declined"):
            await client.post(
                f"/staff/proposals/{kf}/status",
                data={"csrf": csrf, "to": step, "reason": "市の予算措置が前提のため"},
            )
        response = await client.get("/staff/queue.csv?platform=kyoso-front")
    today = local_today(dt.datetime.now(dt.UTC), "Asia/Tokyo")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="kyoso-front-proposals-{today}.csv"; '
        f"filename*=UTF-8''kyoso-front-proposals-{today}.csv"
    )
    [row] = rows_of(response.content)
    assert list(row) == list(HEADERS)
    with Session(app.state.parts.hub.store.engine) as session:
        stored = repository.find_proposal(session, reference=kf)
    assert stored is not None
    assert row["受付番号"] == kf and row["窓口"].startswith("共創フロント")
    assert row["状態"] == "見送り" and row["見送りの理由"] == "市の予算措置が前提のため"
    assert row["受付日時"] == format_time(stored.received_at, "Asia/Tokyo")
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", row["受付日時"])  # no seconds, no UTC
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", row["初回回答日時"])
    assert row["回答期限"] == f"{stored.due_date:%Y/%m/%d}"
    assert row["テーマ"] and "-" not in row["テーマ"]  # 資源循環・サーキュラーエコノミー, not ids
    assert row["チャネル"] == "LINE" and row["団体名"] == "株式会社ミナトリサイクル"
    assert row["メールアドレス"] == "yamada@minato-recycle.co.jp"
    assert row["提案者（担当者名）"] == "山田" and row["概要"].startswith("市内の公園")


async def test_several_desks_and_names_that_are_not_ascii(app: Any) -> None:
    async with signed_in(app, "admin") as client:
        response = await client.get("/staff/queue.csv")
    assert 'filename="all-desks-proposals-' in response.headers["content-disposition"]
    assert {r["受付番号"] for r in rows_of(response.content)} == {app.state.kf, app.state.zc}
    header = disposition("共創フロント-提案-2026-11-22.csv")
    assert header.startswith('attachment; filename="')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert encoded.isascii() and unquote(encoded) == "共創フロント-提案-2026-11-22.csv"
    assert file_name(("zerocarbon",), "2026-11-22") == "zerocarbon-proposals-2026-11-22.csv"
