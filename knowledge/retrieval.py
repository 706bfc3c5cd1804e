"""Lexical, dense and hybrid retrievers over one platform's indexes (langchain retrievers)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.dense import DenseIndex
from knowledge.lexical import LexicalIndex
from knowledge.passages import Passage

Mode = Literal["hybrid", "lexical", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")


@dataclass
class PlatformIndex:
    """The two indexes of one platform and the query embedder they share."""

    platform: str
    lexical: LexicalIndex
    dense: DenseIndex
    embed_query: Callable[[str], list[float]]

    def lexical_passages(
        self, query: str, *, k: int, where: Mapping[str, Any] | None = None
    ) -> list[Passage]:
        """BM25 hits as passages."""
        lex = self.lexical
        return [
            Passage.from_record(
                lex.ids[i], lex.texts[i], lex.metadatas[i], score, lexical_score=score
            )
            for i, score in lex.search(query, k=k, where=where)
        ]

    def dense_passages(
        self, vector: Sequence[float], *, k: int, where: Mapping[str, Any] | None = None
    ) -> list[Passage]:
        """Nearest neighbours as passages (cosine similarity as score)."""
        hits = self.dense.nearest(vector, k=k, where=where)
        records = {cid: self.lexical.record(cid) for cid, _ in hits}
        missing = [cid for cid, record in records.items() if record is None]
        if missing:  # the lexical index lags behind (an ingest was interrupted): ask Chroma
            records.update(self.dense.records(missing))
        passages = []
        for cid, score in hits:
            record = records.get(cid)
            if record is not None:
                text, metadata = record
                passages.append(Passage.from_record(cid, text, metadata, score, dense_score=score))
        return passages


def fuse_rrf(rankings: Sequence[Sequence[Passage]], *, k: int = 60) -> list[Passage]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings."""
    scores: dict[str, float] = {}
    by_id: dict[str, Passage] = {}
    for ranking in rankings:
        for rank, passage in enumerate(ranking, start=1):
            scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + 1.0 / (k + rank)
            by_id.setdefault(passage.chunk_id, passage)
    order = sorted(scores, key=lambda cid: -scores[cid])
    return [by_id[cid].with_score(scores[cid]) for cid in order]


def fuse_convex(
    lexical: Sequence[Passage], dense: Sequence[Passage], *, weight: float = 0.5
) -> list[Passage]:
    """Weighted sum of min-max normalised scores; a list a passage is missing from gives 0."""

    def normalised(ranking: Sequence[Passage]) -> dict[str, float]:
        if not ranking:
            return {}
        top, low = ranking[0].score, ranking[-1].score
        span = (top - low) or 1.0
        return {p.chunk_id: (p.score - low) / span for p in ranking}

    lex, den = normalised(lexical), normalised(dense)
    by_id = {p.chunk_id: p for p in [*dense, *lexical]}
    raw_lex = {p.chunk_id: p.score for p in lexical}
    raw_den = {p.chunk_id: p.score for p in dense}
    scores = {cid: weight * lex.get(cid, 0.0) + (1 - weight) * den.get(cid, 0.0) for cid in by_id}
    order = sorted(scores, key=lambda cid: -scores[cid])
    return [
        by_id[cid].with_score(
            scores[cid], lexical_score=raw_lex.get(cid), dense_score=raw_den.get(cid)
        )
        for cid in order
    ]


class _PlatformRetriever(BaseRetriever):
    """Shared fields: the platform index, how many hits, and the kind filter."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: PlatformIndex
    k: int = 5
    kind: str | None = None

    @property
    def where(self) -> dict[str, Any] | None:
        """The metadata filter for the configured kind."""
        return {"kind": self.kind} if self.kind else None

    def passages(self, query: str) -> list[Passage]:
        """The top-k passages for `query`."""
        raise NotImplementedError

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [p.to_document() for p in self.passages(query)]


class LexicalRetriever(_PlatformRetriever):
    """BM25 over Sudachi content words alone."""

    def passages(self, query: str) -> list[Passage]:
        """The top-k passages by BM25."""
        return self.index.lexical_passages(query, k=self.k, where=self.where)


class DenseRetriever(_PlatformRetriever):
    """multilingual-e5 nearest neighbours alone."""

    def passages(self, query: str) -> list[Passage]:
        """The top-k passages by cosine similarity."""
        vector = self.index.embed_query(query)
        return self.index.dense_passages(vector, k=self.k, where=self.where)


class HybridRetriever(_PlatformRetriever):
    """Lexical and dense candidates fused (convex score fusion by default; RRF available)."""

    fusion: Literal["convex", "rrf"] = "convex"
    depth: int = 50
    weight: float = 0.5
    rrf_k: int = 60

    def passages(self, query: str) -> list[Passage]:
        """The top-k fused passages."""
        depth = max(self.depth, self.k)
        lexical = self.index.lexical_passages(query, k=depth, where=self.where)
        dense = self.index.dense_passages(self.index.embed_query(query), k=depth, where=self.where)
        if self.fusion == "rrf":
            fused = fuse_rrf([lexical, dense], k=self.rrf_k)
        else:
            fused = fuse_convex(lexical, dense, weight=self.weight)
        return fused[: self.k]


def make_retriever(
    index: PlatformIndex, *, mode: Mode = "hybrid", **fields: Any
) -> _PlatformRetriever:
    """The retriever for `mode` over `index`."""
    kinds: dict[str, type[_PlatformRetriever]] = {
        "hybrid": HybridRetriever,
        "lexical": LexicalRetriever,
        "dense": DenseRetriever,
    }
    if mode not in kinds:
        raise ValueError(f"unknown retrieval mode {mode!r} (expected one of {', '.join(MODES)})")
    return kinds[mode](index=index, **fields)
