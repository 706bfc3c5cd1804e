"""Theme classification and text similarity by embedding."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from knowledge.embeddings import CachedEmbeddings
from knowledge.platforms import Platform


def _unit(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def classify_themes(
    text: str,
    platform: Platform,
    embeddings: CachedEmbeddings,
    *,
    margin: float = 0.015,
    embed_query: Callable[[str], list[float]] | None = None,
) -> list[tuple[str, float]]:
    """Themes of the platform's taxonomy ranked by similarity; those within `margin` of the best.

    Theme descriptions are embedded as passages (cached), the text as a query (by
    `embed_query` when given, so a caller can reuse the vector).
    """
    if not platform.themes or not text.strip():
        return []
    described = [f"{t.label.ja} {t.label.en}: {t.description}" for t in platform.themes]
    themes = _unit(embeddings.embed_documents(described))
    query = _unit([(embed_query or embeddings.embed_query)(text)])[0]
    scores = themes @ query
    best = float(scores.max())
    ranked = sorted(zip(platform.themes, scores, strict=True), key=lambda pair: -pair[1])
    return [(theme.id, float(score)) for theme, score in ranked if score >= best - margin]


def similarities(text: str, others: Sequence[str], embeddings: CachedEmbeddings) -> list[float]:
    """Cosine similarity of `text` to each of `others`, all embedded as passages (cached)."""
    if not others:
        return []
    vectors = _unit(embeddings.embed_documents([text, *others]))
    return [float(v) for v in vectors[1:] @ vectors[0]]
