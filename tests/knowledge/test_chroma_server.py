"""CHROMA_URL: the same ingest and search against a real Chroma server process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge import CachedEmbeddings, KnowledgeBase

CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma server command is not installed")
    port = free_port()
    server = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start within 30 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_ingest_and_search_through_a_chroma_server(
    chroma_url: str, tmp_path: Path, platforms_dir: Path, embeddings: CachedEmbeddings
) -> None:
    kb = KnowledgeBase(
        data_dir=tmp_path / "data",
        embeddings=embeddings,
        platforms_dir=platforms_dir,
        chroma_url=chroma_url,
    )
    report = kb.ingest("demo")
    assert report.ok and report.added == report.chunks
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally
    hits = kb.search("参加費はかかりますか", platform="demo", k=1, mode="dense")
    assert hits[0].doc_id == "faq-fee"
    other_worker = KnowledgeBase(
        data_dir=tmp_path / "data",
        embeddings=embeddings,
        platforms_dir=platforms_dir,
        chroma_url=chroma_url,
    )
    assert other_worker.ingest("demo").added == 0
