"""`madoguchi backup` / `restore`, and search indexes rebuilt from the documents and the
embedding cache alone (issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.cli import main
from bot.wiring import register_platforms
from knowledge import CachedEmbeddings, KnowledgeBase
from storage import attachments
from storage.models import Conversation, Message
from storage.store import SqlStore
from tests.conftest import EMBEDDING_CACHE
from workflows import Desk, Incoming

SAYINGS = ["こんにちは", "参加の階層は変更できますか", "ありがとうございました🙏"]


@pytest.fixture
def site(
    engine: Engine, sample_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """A desk that has talked to a user and kept a file the user sent, and its settings."""
    data = tmp_path / "data"
    cache = tmp_path / "cache" / "embeddings.sqlite"
    cache.parent.mkdir()
    shutil.copy(EMBEDDING_CACHE, cache)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(data))
    monkeypatch.setenv("MADOGUCHI_EMBEDDINGS_CACHE", str(cache))
    store = SqlStore(engine)
    register_platforms(store, sample_kb.platforms.values())
    desk = Desk(store=store, library=sample_kb, platforms=sample_kb.platforms)
    for text in SAYINGS:
        desk.handle(Incoming(platform="zerocarbon", channel="line", user_key="Ubackup", text=text))
    stored = attachments.store_bytes(
        "提案概要：地域の太陽光共同購入\n".encode(),
        data_dir=data,
        platform_id="zerocarbon",
        name="提案概要.txt",
    )
    return {"engine": engine, "data": data, "cache": cache, "file": data / str(stored["path"])}


def said(engine: Engine) -> list[str]:
    with Session(engine) as session:
        query = (
            select(Message.text)
            .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
            .where(Conversation.user_key == "Ubackup", Message.direction == "in")
            .order_by(col(Message.id))
        )
        return list(session.exec(query))


def test_a_backup_brings_back_conversations_files_and_the_cache(
    site: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine, data = site["engine"], site["data"]
    assert main(["backup", str(tmp_path / "backups")]) == 0
    [folder] = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"] == engine.dialect.name and manifest["revision"]
    assert manifest["counts"]["message"] >= len(SAYINGS) * 2
    assert any(name.startswith("attachments/") for name in manifest["files"])
    # Disaster: the transcript, the file and the cache are gone.
    with Session(engine) as session, session.begin():
        session.execute(delete(Message))
    site["file"].unlink()
    site["cache"].unlink()
    capsys.readouterr()
    assert main(["restore", str(folder)]) == 2  # not without --yes
    assert "stop the web and worker processes" in capsys.readouterr().err
    assert said(engine) == []
    assert main(["restore", str(folder), "--yes"]) == 0
    assert "knowledge ingest --all" in capsys.readouterr().out
    assert said(engine) == SAYINGS
    assert site["file"].read_text() == "提案概要：地域の太陽光共同購入\n"
    assert site["cache"].stat().st_size == (folder / "embeddings.sqlite").stat().st_size
    assert data.exists()


def test_a_damaged_backup_is_refused_before_anything_is_touched(
    site: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "backups")]) == 0
    [folder] = (tmp_path / "backups").iterdir()
    [attachment] = [p for p in (folder / "attachments").rglob("*") if p.is_file()]
    attachment.write_text("改ざん")
    with Session(site["engine"]) as session, session.begin():
        session.execute(delete(Message))
    assert main(["restore", str(folder), "--yes"]) == 1
    assert "missing or damaged; nothing was restored" in capsys.readouterr().err
    assert said(site["engine"]) == []  # the database was not replaced by a damaged backup


class Offline:
    """The e5 model's identity without the model: any text not in the cache is an error."""

    def __init__(self, real: Any) -> None:
        self.model_id = real.model_id

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError(f"embedding needed for {len(texts)} text(s): not in the cache")

    def embed_query(self, text: str) -> list[float]:
        raise AssertionError("embedding needed for a query")


@pytest.mark.slow
def test_indexes_are_rebuilt_from_documents_and_the_embedding_cache_alone(
    kb: KnowledgeBase, platforms_dir: Path, embeddings: CachedEmbeddings, tmp_path: Path
) -> None:
    [platform] = kb.platforms
    first = kb.ingest(platform)
    assert first.ok and first.chunks > 0
    before = [p.text for p in kb.search("参加の階層", platform=platform, mode="lexical")]
    # A new host: no vectors, no lexical index; the documents and the restored cache only.
    fresh = tmp_path / "fresh-host"
    offline = CachedEmbeddings(Offline(embeddings.inner), path=EMBEDDING_CACHE)  # type: ignore[arg-type]
    rebuilt = KnowledgeBase(data_dir=fresh, embeddings=offline, platforms_dir=platforms_dir)
    assert not (fresh / "lexical").exists()
    report = rebuilt.ingest(platform)
    assert report.ok and report.chunks == first.chunks and report.added == first.chunks
    after = [p.text for p in rebuilt.search("参加の階層", platform=platform, mode="lexical")]
    assert after == before
    assert len(rebuilt.index(platform).dense.ids()) == first.chunks  # every vector is back
