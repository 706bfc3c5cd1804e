"""Retrieval evaluation on a SQuAD-format file: paragraphs are the corpus, questions the queries."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.dense import DenseIndex
from knowledge.embeddings import CachedEmbeddings
from knowledge.lexical import LexicalIndex, SudachiTokenizer
from knowledge.retrieval import MODES, PlatformIndex, make_retriever

CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class SquadSet:
    """Paragraphs (the corpus) and questions with the index of their paragraph."""

    paragraph_ids: list[str]
    paragraphs: list[str]
    titles: list[str]
    questions: list[tuple[str, int]]


def load_squad(path: Path, *, limit: int | None = None) -> SquadSet:
    """Read a SQuAD v1/v2 file; `limit` keeps that many questions spread over the file.

    Raises:
        ValueError: the file is not SQuAD-shaped.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles = data["data"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a SQuAD-format JSON file ({exc})") from exc
    ids: list[str] = []
    texts: list[str] = []
    titles: list[str] = []
    questions: list[tuple[str, int]] = []
    for a_no, article in enumerate(articles):
        for p_no, paragraph in enumerate(article.get("paragraphs", [])):
            position = len(texts)
            ids.append(f"a{a_no}p{p_no}")
            texts.append(paragraph["context"])
            titles.append(str(article.get("title", "")))
            for qa in paragraph.get("qas", []):
                if not qa.get("is_impossible", False):
                    questions.append((qa["question"], position))
    if not texts or not questions:
        raise ValueError(f"{path}: no paragraphs with answerable questions")
    if limit is not None and 0 < limit < len(questions):
        picks = np.linspace(0, len(questions) - 1, num=limit).round().astype(int)
        questions = [questions[i] for i in picks]
    return SquadSet(ids, texts, titles, questions)


@dataclass
class EvalIndex:
    """An in-memory index over a SQuAD corpus, and what it cost to build."""

    index: PlatformIndex
    embed_seconds: float
    embedded: int
    build_seconds: float


def build_eval_index(
    squad: SquadSet,
    embeddings: CachedEmbeddings,
    *,
    tokenizer: SudachiTokenizer,
    chroma_client: Any,
    progress: Callable[[int, int], None] | None = None,
) -> EvalIndex:
    """Embed (through the cache) and index the paragraphs in a throwaway collection."""
    metadatas = [
        {
            "platform": "eval",
            "doc_id": pid,
            "kind": "squad",
            "title": title,
            "url": "",
            "heading": "",
        }
        for pid, title in zip(squad.paragraph_ids, squad.titles, strict=True)
    ]
    started = time.perf_counter()
    before = embeddings.computed
    embeddings.progress = progress
    try:
        vectors = embeddings.embed_documents(squad.paragraphs)
    finally:
        embeddings.progress = None
    embed_seconds = time.perf_counter() - started

    started = time.perf_counter()
    lexical = LexicalIndex(tokenizer)
    lexical.build(squad.paragraph_ids, squad.paragraphs, metadatas)
    dense = DenseIndex(
        client=chroma_client, collection=f"eval-{uuid.uuid4().hex[:12]}", embeddings=embeddings
    )
    dense.add_vectors(squad.paragraph_ids, vectors, squad.paragraphs, metadatas)
    build_seconds = time.perf_counter() - started
    index = PlatformIndex("eval", lexical, dense, embeddings.embed_query)
    return EvalIndex(index, embed_seconds, embeddings.computed - before, build_seconds)


def _percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else 0.0


def evaluate(
    squad: SquadSet,
    index: PlatformIndex,
    *,
    modes: Sequence[str] = MODES,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, dict[str, float]]:
    """Recall@1/5/10, MRR@10 and latency p50/p95 (ms) for each retrieval mode."""
    results: dict[str, dict[str, float]] = {}
    for mode in modes:
        retriever = make_retriever(index, mode=mode, k=max(CUTOFFS))  # type: ignore[arg-type]
        hits = dict.fromkeys(CUTOFFS, 0)
        reciprocal: list[float] = []
        latencies: list[float] = []
        for n, (question, position) in enumerate(squad.questions, start=1):
            started = time.perf_counter()
            ranked = retriever.passages(question)
            latencies.append((time.perf_counter() - started) * 1000)
            wanted = squad.paragraph_ids[position]
            rank = next((r for r, p in enumerate(ranked, start=1) if p.doc_id == wanted), None)
            for cutoff in CUTOFFS:
                hits[cutoff] += rank is not None and rank <= cutoff
            reciprocal.append(1.0 / rank if rank else 0.0)
            if progress and (n % 100 == 0 or n == len(squad.questions)):
                progress(mode, n, len(squad.questions))
        total = len(squad.questions)
        results[mode] = {
            **{f"recall@{c}": hits[c] / total for c in CUTOFFS},
            "mrr@10": statistics.fmean(reciprocal),
            "latency_p50_ms": _percentile(latencies, 50),
            "latency_p95_ms": _percentile(latencies, 95),
        }
    return results
