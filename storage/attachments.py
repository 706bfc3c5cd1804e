"""Files proposers send during an intake: checked, stored under the data directory, listed.

A file is judged by its bytes, not by the name or type the platform reports: PDF, PNG, JPEG,
GIF, WebP, HEIC, Office documents (docx, xlsx, pptx) and UTF-8 text or CSV are kept; anything
else, or anything over the size limit, is refused with a reason the desk can tell the user.
Files are stored by content (`attachments/<platform>/<sha256[:2]>/<sha256><ext>`), so a file
sent twice is stored once; the row keeps the name the proposer gave it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from pydantic import BaseModel
from sqlmodel import Session, col, select

from storage.models import Attachment

__all__ = [
    "MAX_BYTES",
    "AttachmentPublic",
    "Refused",
    "add_attachment",
    "attachment_ids",
    "attachments_by_id",
    "check",
    "reference",
    "store_bytes",
]

MAX_BYTES = 10 * 1024 * 1024  # default limit; settings may lower or raise it
REFERENCE = re.compile(r"^attachment:(\d{1,18})\b")
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_TEXT = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/plain"}


class Refused(ValueError):
    """A file the desk does not keep; `reason` is "size" or "type"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AttachmentPublic(BaseModel):
    """An attachment as staff pages and exports see it."""

    id: int
    platform_id: str
    conversation_id: int
    channel: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    path: str
    created_at: dt.datetime


def safe_name(name: str | None, *, fallback: str) -> str:
    """A file name to show: no directories, no control characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return (name or fallback)[:120]


def check(data: bytes, *, name: str, limit: int = MAX_BYTES) -> tuple[str, str]:
    """(content type, extension) of a file the desk keeps; else `Refused`."""
    if len(data) > limit:
        raise Refused("size")
    if not data:
        raise Refused("type")
    suffix = PurePosixPath(name.lower()).suffix
    if data.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", ".gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"heim"):
        return "image/heic", ".heic"
    if data.startswith(b"PK\x03\x04") and suffix in _OFFICE:
        return _OFFICE[suffix], suffix
    if suffix in _TEXT and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused("type") from None
        return _TEXT[suffix], suffix
    raise Refused("type")


def store_bytes(
    data: bytes, *, data_dir: Path, platform_id: str, name: str, limit: int = MAX_BYTES
) -> dict[str, str | int]:
    """Check and write a file (no database); what `add_attachment` records about it."""
    content_type, extension = check(data, name=name, limit=limit)
    digest = hashlib.sha256(data).hexdigest()
    relative = Path("attachments") / platform_id / digest[:2] / f"{digest}{extension}"
    target = data_dir / relative
    try:
        os.utime(target)  # stored already: a fresh time tells retention's sweep it is wanted
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(target)  # never a half-written file under the final name
    return {
        "file_name": safe_name(name, fallback=f"file{extension}"),
        "content_type": content_type,
        "size": len(data),
        "sha256": digest,
        "path": relative.as_posix(),
    }


def add_attachment(
    session: Session,
    *,
    platform_id: str,
    conversation_id: int,
    channel: str,
    stored: dict[str, str | int],
) -> AttachmentPublic:
    """Record a stored file for a conversation's intake."""
    row = Attachment(
        platform_id=platform_id,
        conversation_id=conversation_id,
        channel=channel,
        file_name=str(stored["file_name"]),
        content_type=str(stored["content_type"]),
        size=int(stored["size"]),
        sha256=str(stored["sha256"]),
        path=str(stored["path"]),
    )
    session.add(row)
    session.flush()
    return AttachmentPublic.model_validate(row, from_attributes=True)


def reference(attachment: AttachmentPublic) -> str:
    """How the record lists it: "attachment:<id> <name> (<type>, <size>)"."""
    kilobytes = max(1, round(attachment.size / 1024))
    return (
        f"attachment:{attachment.id} {attachment.file_name} "
        f"({attachment.content_type}, {kilobytes:,} KB)"
    )


def attachment_ids(entries: list[object]) -> list[int]:
    """The attachment ids a record's `content.attachments` lists (links are skipped)."""
    ids = []
    for entry in entries:
        found = REFERENCE.match(entry) if isinstance(entry, str) else None
        if found:
            ids.append(int(found.group(1)))
    return ids


def attachments_by_id(session: Session, *, ids: list[int]) -> list[AttachmentPublic]:
    """The attachments with these ids, in the order given."""
    if not ids:
        return []
    rows = session.exec(select(Attachment).where(col(Attachment.id).in_(ids))).all()
    by_id = {row.id: row for row in rows}
    return [
        AttachmentPublic.model_validate(by_id[i], from_attributes=True) for i in ids if i in by_id
    ]
