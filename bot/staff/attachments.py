"""Files a proposer sent, on the proposal page and for download:
GET /staff/proposals/{reference}/attachments/{attachment_id}.

The same rule as the proposal page: signed in, and the proposal on one of the member's desks;
the attachment must be one the proposal's record lists. Anything else, a file outside the
data directory or one retention has removed, is a 404 that tells nothing. The bytes go out
as stored, with the stored type, as a download (`Content-Disposition: attachment`, RFC 5987
file name) and `nosniff`, so a browser never runs or renders what a proposer sent.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from bot.staff.export import disposition
from storage.attachments import REFERENCE, AttachmentPublic, attachments_by_id
from storage.public import ProposalPublic

if TYPE_CHECKING:
    from bot.staff.console import Console

NOT_FOUND = "ファイルが見つかりません。 (No such file.)"
KINDS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "text/plain": "Text",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
}


def size_text(size: int) -> str:
    """2 KB, 1.5 MB: how big, as a person reads it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024)):,} KB"


def link(reference: str, attachment_id: int) -> str:
    """The download address of a proposal's attachment."""
    return f"/staff/proposals/{quote(reference, safe='')}/attachments/{attachment_id}"


def listing(proposal: ProposalPublic, files: list[AttachmentPublic]) -> list[dict[str, Any]]:
    """The record's `content.attachments` as the page shows them: kept files with their
    download link, files retention has removed, and links the proposer typed."""
    content = proposal.record.get("content") if isinstance(proposal.record, dict) else None
    entries = content.get("attachments") if isinstance(content, dict) else None
    by_id = {f.id: f for f in files}
    shown: list[dict[str, Any]] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, str):
            continue
        found = REFERENCE.match(entry)
        if found is None:
            is_web = entry.startswith(("https://", "http://"))
            shown.append({"kind": "link" if is_web else "text", "text": entry[:500]})
            continue
        note = entry.partition(" — ")[2][:200]
        file = by_id.get(int(found.group(1)))
        if file is None:
            shown.append({"kind": "gone", "note": note})
            continue
        shown.append(
            {
                "kind": "file",
                "name": file.file_name,
                "type": KINDS.get(file.content_type, file.content_type),
                "content_type": file.content_type,
                "size": size_text(file.size),
                "url": link(proposal.reference, file.id),
                "note": note,
            }
        )
    return shown


def page_values(console: Console, proposal: ProposalPublic) -> dict[str, Any]:
    """For the proposal page (`Console.proposal_extras`): `attachment_list`."""
    with console.store.begin() as tx:
        files = attachments_by_id(tx.session, ids=proposal.attachment_ids)
    return {"attachment_list": listing(proposal, files)}


def for_export(console: Console, rows: list[ProposalPublic]) -> list[dict[str, Any]]:
    """The queue's JSON export: each proposal with `attachments` (name, type, size, link)."""
    wanted = [i for row in rows for i in row.attachment_ids]
    found: dict[int, AttachmentPublic] = {}
    with console.store.begin() as tx:
        for start in range(0, len(wanted), 500):  # bounded IN lists (SQLite's variable limit)
            chunk = attachments_by_id(tx.session, ids=wanted[start : start + 500])
            found.update((f.id, f) for f in chunk)
    return [
        row.model_dump(mode="json")
        | {
            "attachments": [
                {
                    "id": f.id,
                    "file_name": f.file_name,
                    "content_type": f.content_type,
                    "size": f.size,
                    "url": link(row.reference, f.id),
                }
                for f in (found.get(i) for i in row.attachment_ids)
                if f is not None and f.platform_id == row.platform_id
            ]
        }
        for row in rows
    ]


def inside(data_dir: Path, relative: str) -> Path | None:
    """The stored file, only if it is a regular file inside the data directory."""
    root = data_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root / "attachments") or not target.is_file():
        return None
    return target


def find_file(
    console: Console, reference: str, attachment_id: int, platforms: tuple[str, ...]
) -> tuple[AttachmentPublic, Path] | None:
    """The attachment and its file, if the member's desks include the proposal listing it."""
    if console.data_dir is None:
        return None
    with console.store.begin() as tx:
        proposal = tx.proposal_in(reference=reference, platforms=platforms)
        if proposal is None:
            return None
        public = ProposalPublic.model_validate(proposal, from_attributes=True)
        if attachment_id not in public.attachment_ids:
            return None
        found = attachments_by_id(tx.session, ids=[attachment_id])
    if not found or found[0].platform_id != public.platform_id:
        return None
    path = inside(console.data_dir, found[0].path)
    return (found[0], path) if path is not None else None


def register_attachments(routes: APIRouter, console: Console) -> None:
    """Add the download route and the proposal page's list of files."""
    console.proposal_extras.append(lambda proposal: page_values(console, proposal))

    @routes.get("/proposals/{reference}/attachments/{attachment_id}")
    async def download(reference: str, attachment_id: str, request: Request) -> Response:
        member = await console.require(request)
        if not attachment_id.isascii() or not attachment_id.isdigit() or len(attachment_id) > 18:
            raise HTTPException(404, NOT_FOUND)
        found = await asyncio.to_thread(
            find_file, console, reference, int(attachment_id), member.platforms
        )
        if found is None:
            raise HTTPException(404, NOT_FOUND)
        attachment, path = found
        return FileResponse(
            path,
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": disposition(attachment.file_name),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",  # proposal content is confidential
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )


__all__ = ["for_export", "listing", "register_attachments", "size_text"]
