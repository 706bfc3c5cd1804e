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


# --- answerability: answering with the right document, and not answering what is not there ----

ANSWERABILITY = Path(__file__).parent / "eval" / "answerability.jsonl"


@dataclass(frozen=True)
class AnswerCase:
    """A question written against a shipped platform, and the documents that answer it.

    `doc` names one document, or several separated by `|` when each of them answers.
    """

    platform: str
    lang: str
    question: str
    answerable: bool
    doc: str | None


def load_answerability(path: Path = ANSWERABILITY) -> list[AnswerCase]:
    """The labelled questions of a JSONL file."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(
                AnswerCase(
                    row["platform"], row["lang"], row["question"], row["answerable"], row["doc"]
                )
            )
    return cases


def split_cases(
    cases: Sequence[AnswerCase], *, tune: float = 0.6, seed: int = 7
) -> tuple[list[AnswerCase], list[AnswerCase]]:
    """(tuning, held out), the same share of each language and label in each."""
    rng = np.random.default_rng(seed)
    tuning: list[AnswerCase] = []
    held: list[AnswerCase] = []
    for lang in ("ja", "en"):
        for answerable in (True, False):
            group = [c for c in cases if c.lang == lang and c.answerable is answerable]
            order = rng.permutation(len(group))
            cut = round(len(group) * tune)
            tuning.extend(group[i] for i in order[:cut])
            held.extend(group[i] for i in order[cut:])
    return tuning, held


def answer_cases(kb: Any, cases: Sequence[AnswerCase]) -> list[tuple[AnswerCase, Any]]:
    """Each question asked of its platform (`KnowledgeBase.answer`)."""
    return [(case, kb.answer(case.question, platform=case.platform)) for case in cases]


def right_document(case: AnswerCase, answer: Any) -> bool:
    """Whether the answer cites one of the documents that answer the case."""
    source = answer.source
    return source is not None and source.doc_id in (case.doc or "").split("|")


def answerability_figures(results: Sequence[tuple[AnswerCase, Any]]) -> dict[str, dict[str, Any]]:
    """Per language: answerable answered with the right document; unanswerable answered."""
    figures: dict[str, dict[str, Any]] = {}
    for lang in ("ja", "en"):
        mine = [(c, a) for c, a in results if c.lang == lang]
        good = [(c, a) for c, a in mine if c.answerable]
        bad = [(c, a) for c, a in mine if not c.answerable]
        right = [c for c, a in good if a.answerable and right_document(c, a)]
        answered_bad = [c for c, a in bad if a.answerable]
        figures[lang] = {
            "answerable": len(good),
            "answered_right_doc": len(right),
            "unanswerable": len(bad),
            "unanswerable_answered": len(answered_bad),
            "missed": [
                (c.question, c.doc, a.source.doc_id if a.answerable and a.source else None)
                for c, a in good
                if c not in right
            ],
            "wrongly_answered": [c.question for c in answered_bad],
        }
    return figures
