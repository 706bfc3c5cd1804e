"""Attachments: judged by their bytes, bounded, stored by content; migration 0006 reversible."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from storage import upgrade
from storage.attachments import Refused, check, safe_name, store_bytes
from storage.db import MIGRATIONS

PDF = b"%PDF-1.4\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
DOCX = b"PK\x03\x04" + b"\x00" * 26


@pytest.mark.parametrize(
    ("data", "name", "kept"),
    [
        (PDF, "企画書.pdf", "application/pdf"),
        (PDF, "企画書", "application/pdf"),  # no extension: the bytes say PDF
        (PNG, "photo.jpg", "image/png"),  # a misnamed image is what its bytes are
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "IMG_0001.JPG", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker.webp", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 8, "IMG_0002.HEIC", "image/heic"),
        (
            DOCX,
            "提案書.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("団体名,担当者\nみなと,山田\n".encode(), "名簿.csv", "text/csv"),
        (b"MZ\x90\x00" + b"\x00" * 60, "setup.exe", None),
        (b"MZ\x90\x00" + b"\x00" * 60, "setup.pdf", None),  # a renamed program is refused
        (DOCX, "archive.zip", None),  # a zip that is not an Office document
        (b"\x00\x01binary", "notes.txt", None),  # "text" with NUL bytes
        ("シフトJISの文章".encode("shift_jis"), "memo.txt", None),
        (b"", "empty.pdf", None),
    ],
)
def test_files_are_judged_by_their_bytes(data: bytes, name: str, kept: str | None) -> None:
    if kept is None:
        with pytest.raises(Refused) as refused:
            check(data, name=name)
        assert refused.value.reason == "type"
    else:
        assert check(data, name=name)[0] == kept


def test_a_file_over_the_limit_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(Refused) as refused:
        store_bytes(PDF + b"0" * 100, data_dir=tmp_path, platform_id="kf", name="a.pdf", limit=50)
    assert refused.value.reason == "size"
    assert not (tmp_path / "attachments").exists()


def test_files_are_stored_once_by_content_under_the_data_dir(tmp_path: Path) -> None:
    first = store_bytes(PDF, data_dir=tmp_path, platform_id="kf", name="../../etc/passwd.pdf")
    second = store_bytes(PDF, data_dir=tmp_path, platform_id="kf", name="copy.pdf")
    assert first["path"] == second["path"]
    assert str(first["path"]).startswith("attachments/kf/")
    assert (tmp_path / str(first["path"])).read_bytes() == PDF
    assert first["file_name"] == "passwd.pdf"  # never a path
    assert len(list((tmp_path / "attachments").rglob("*.pdf"))) == 1


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("企画書\u202e(fdp.exe).pdf", "企画書(fdp.exe).pdf"),  # no bidi override
        ("C:\\Users\\hanako\\提案.pdf", "提案.pdf"),
        ("   ", "file.pdf"),
        ("a" * 300 + ".pdf", "a" * 120),
    ],
)
def test_names_are_shown_safely(given: str, shown: str) -> None:
    assert safe_name(given, fallback="file.pdf") == shown


def test_migration_0006_goes_down_and_up_again(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    assert "attachment" not in inspect(engine).get_table_names()
    upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("attachment")}
    assert columns == {
        "id",
        "platform_id",
        "conversation_id",
        "channel",
        "file_name",
        "content_type",
        "size",
        "sha256",
        "path",
        "created_at",
    }
