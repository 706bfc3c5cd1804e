"""A proposer sends a PDF over Telegram during an intake; staff of that desk see it on the
proposal page and download the same bytes; another desk's staff, or anyone signed out, do not.

The Telegram side replays python-telegram-bot's own serialisation (see
tests/bot/channels/test_telegram_replay.py) against the real server (uvicorn, as `serve`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from pytest_httpserver import HTTPServer
from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.staff.attachments import listing
from bot.staff.auth import hash_password
from storage import ProposalPublic, accounts
from storage.attachments import AttachmentPublic
from storage.models import Attachment, Proposal, utcnow
from storage.retention import apply_retention
from tests.bot.channels import test_telegram_replay as telegram
from tests.bot.channels.golden import settle
from tests.bot.channels.test_telegram_replay import HANAKO, PDF, document, send, sent
from tests.bot.channels_helpers import wait_for

# The Telegram replay's fixtures: the app with two desks' bots, the fake Bot API, its files.
app = telegram.app
tg_api = telegram.tg_api
files = telegram.files
telegram_update = telegram.update

PASSWORD = "correct-horse-battery"
RICH = (
    "株式会社ミナトリサイクルの山田です。市内の公園に回収ボックスを置いて、使用済みペットボトルを"
    "回収・再生する実証を提案します。ごみの分別が進まないことが地域の課題です。会場として公園を"
    "使わせていただき、広報にもご協力いただきたいです。費用は当社が負担し、市の費用負担はありません。"
    "連絡先 yamada@minato-recycle.co.jp 045-123-4567"
)
ANSWERS = {
    "提出": "提出する",
    "階層": "Aでお願いします",
    "タイトル": "公園でのペットボトル回収実証",
    "同意": "はい、同意いたします",
}


async def file_with_pdf(server: tuple[str, int], tg_api: HTTPServer) -> str:
    """Hanako files a proposal on the zerocarbon desk's bot, sending 企画書.pdf half-way."""

    async def say(body: dict[str, Any]) -> str:
        before = len(sent(tg_api))
        await send(server, body)
        await wait_for(lambda: len(sent(tg_api)) > before, timeout=30)
        await settle(lambda: len(sent(tg_api)))
        return "\n".join(m["text"] for m in sent(tg_api)[before:])

    reply = await say(telegram_update(30, from_user=HANAKO, text=RICH))
    kept = await say(document(31, "plan", "企画書.pdf", len(PDF), caption="企画書です！ご確認を🙏"))
    assert "「企画書.pdf」を受け取りました" in kept
    for update_id in range(32, 44):
        if "受付番号" in reply:
            break
        question = reply.split("\n\n")[-1]
        asked = next((key for key in ANSWERS if key in question), None)
        assert asked is not None, f"an unexpected question: {reply}"
        reply = await say(telegram_update(update_id, from_user=HANAKO, text=ANSWERS[asked]))
    found = re.search(r"[A-Z]{2}-\d{4}-\d{5}", reply)
    assert found, reply
    return found.group(0)


def add_staff(app: Any) -> None:
    with Session(app.state.parts.hub.store.engine) as session, session.begin():
        for username, platforms in (("zc-staff", ["zerocarbon"]), ("kf-staff", ["kyoso-front"])):
            accounts.add_staff(
                session,
                username=username,
                display_name=username,
                password_hash=hash_password(PASSWORD),
                role="staff",
                platforms=platforms,
            )


@asynccontextmanager
async def signed_in(server: tuple[str, int], username: str) -> AsyncIterator[httpx.AsyncClient]:
    host, port = server
    async with httpx.AsyncClient(base_url=f"http://{host}:{port}") as client:
        page = await client.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        form = {"username": username, "password": PASSWORD, "csrf": csrf}
        response = await client.post("/staff/login", data=form)
        assert response.status_code == 303
        yield client


def only_attachment(app: Any) -> Attachment:
    with Session(app.state.parts.hub.store.engine) as session:
        [row] = session.exec(select(Attachment)).all()
        return row


async def test_staff_see_the_pdf_and_download_the_same_bytes_other_desks_get_404(
    app: Any, server: tuple[str, int], tg_api: HTTPServer, files: dict[str, bytes]
) -> None:
    reference = await file_with_pdf(server, tg_api)
    add_staff(app)
    attachment = only_attachment(app)
    link = f"/staff/proposals/{reference}/attachments/{attachment.id}"

    async with signed_in(server, "zc-staff") as staff:
        page = await staff.get(f"/staff/proposals/{reference}")
        assert page.status_code == 200
        assert f'<a href="{link}" download>企画書.pdf</a>' in page.text
        assert 'title="application/pdf">PDF</span> 2 KB' in page.text
        assert "企画書です！ご確認を🙏" in page.text  # the caption, as the proposer's note
        assert "attachment:" not in page.text.split("<details>")[0]  # no raw record entries

        download = await staff.get(link)
        assert download.status_code == 200
        assert (
            download.content
            == PDF
            == (app.state.parts.hub.settings.data_dir / attachment.path).read_bytes()
        )
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.headers["content-disposition"] == (
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''" + quote("企画書.pdf", safe="")
        )
        assert download.headers["cache-control"] == "no-store"
        assert "sandbox" in download.headers["content-security-policy"]  # never rendered as a page
        [row] = [
            r for r in (await staff.get("/staff/queue.json")).json() if r["reference"] == reference
        ]
        assert row["attachments"] == [
            {
                "id": attachment.id,
                "file_name": "企画書.pdf",
                "content_type": "application/pdf",
                "size": len(PDF),
                "url": link,
            }
        ]

        for wrong in (
            f"/staff/proposals/{reference}/attachments/{(attachment.id or 0) + 1}",
            f"/staff/proposals/{reference}/attachments/{attachment.id:03d}x",
            f"/staff/proposals/{reference}/attachments/%EF%BC%91",  # a full-width digit
            f"/staff/proposals/{reference}/attachments/..%2F..%2Fetc%2Fpasswd",
            f"/staff/proposals/ZC-2026-99999/attachments/{attachment.id}",
        ):
            assert (await staff.get(wrong)).status_code == 404, wrong

    async with signed_in(server, "kf-staff") as other_desk:
        assert (await other_desk.get(f"/staff/proposals/{reference}")).status_code == 404
        refused = await other_desk.get(link)
        assert refused.status_code == 404 and PDF not in refused.content

    host, port = server
    async with httpx.AsyncClient(base_url=f"http://{host}:{port}") as stranger:
        signed_out = await stranger.get(link)
        assert signed_out.status_code == 303
        assert signed_out.headers["location"] == "/staff/login"


async def test_a_path_outside_the_data_dir_is_never_served(
    app: Any, server: tuple[str, int], tg_api: HTTPServer, files: dict[str, bytes], tmp_path: Path
) -> None:
    reference = await file_with_pdf(server, tg_api)
    add_staff(app)
    attachment = only_attachment(app)
    secret = tmp_path.parent / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 not yours")
    engine = app.state.parts.hub.store.engine
    link = f"/staff/proposals/{reference}/attachments/{attachment.id}"
    async with signed_in(server, "zc-staff") as staff:
        for path in ("../secret.pdf", str(secret), "attachments/../../secret.pdf", "cache"):
            with Session(engine) as session, session.begin():
                session.execute(
                    update(Attachment).where(col(Attachment.id) == attachment.id).values(path=path)
                )
            response = await staff.get(link)
            assert response.status_code == 404, path
            assert b"not yours" not in response.content


async def test_after_retention_the_page_says_the_file_was_removed(
    app: Any, server: tuple[str, int], tg_api: HTTPServer, files: dict[str, bytes]
) -> None:
    reference = await file_with_pdf(server, tg_api)
    add_staff(app)
    attachment = only_attachment(app)
    engine = app.state.parts.hub.store.engine
    settings = app.state.parts.hub.settings
    stored = settings.data_dir / attachment.path
    with Session(engine) as session, session.begin():
        session.execute(
            update(Proposal).where(col(Proposal.reference) == reference).values(status="agreed")
        )
    later = utcnow() + dt.timedelta(days=400)
    counts = apply_retention(
        engine, days=365, reset_state="idle", now=later, data_dir=settings.data_dir
    )
    assert (counts.attachments, counts.attachment_files) == (1, 1) and not stored.exists()
    async with signed_in(server, "zc-staff") as staff:
        page = await staff.get(f"/staff/proposals/{reference}")
        assert "保存期間を過ぎたため削除されたファイル" in page.text
        assert "attachments/" not in page.text
        link = f"/staff/proposals/{reference}/attachments/{attachment.id}"
        assert (await staff.get(link)).status_code == 404


def test_the_record_entries_as_the_page_lists_them() -> None:
    """Links the proposer typed stay links (http/https only); removed files are said so."""
    kept = AttachmentPublic(
        id=7, platform_id="zerocarbon", conversation_id=1, channel="telegram",
        file_name="収支計画.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=1536 * 1024, sha256="0" * 64, path="attachments/zerocarbon/00/x.xlsx",
        created_at=utcnow(),
    )  # fmt: skip
    entries = [
        "attachment:7 収支計画.xlsx (application/vnd…, 1,536 KB) — 最新版です",
        "attachment:8 古い企画書.pdf (application/pdf, 2 KB)",
        "https://minato-recycle.example.jp/plan",
        "javascript:alert(1)",
        {"not": "a string"},
    ]
    record = {"content": {"attachments": entries}}
    proposal = ProposalPublic.model_construct(reference="ZC-2026-00001", record=record)
    shown = listing(proposal, [kept])
    assert shown == [
        {
            "kind": "file",
            "name": "収支計画.xlsx",
            "type": "Excel",
            "content_type": kept.content_type,
            "size": "1.5 MB",
            "url": "/staff/proposals/ZC-2026-00001/attachments/7",
            "note": "最新版です",
        },
        {"kind": "gone", "note": ""},
        {"kind": "link", "text": "https://minato-recycle.example.jp/plan"},
        {"kind": "text", "text": "javascript:alert(1)"},
    ]
