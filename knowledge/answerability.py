"""Whether the documents answer a question: a logistic score over the retrieval evidence.

The weights are fitted per language on the tuning split of `knowledge/eval/answerability.jsonl`
(`madoguchi knowledge eval --tune` prints them) and written here; `make eval` reports the
held-out split with them. English questions over mostly Japanese documents have almost no
word overlap, so English has its own weights and thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass

import numpy as np

__all__ = ["WEIGHTS", "Evidence", "calibrated", "fit_weights"]


@dataclass(frozen=True)
class Evidence:
    """The scores an answer rests on.

    Attributes:
        dense: the best passage's cosine similarity to the question (multilingual-e5).
        lexical: the best BM25 score (Sudachi content words).
        sentence: the best answering sentence's score (cosine plus a little word overlap).
        coverage: the share of the question's content words found in the answering passage.
        agree: whether BM25 and e5 rank the same document first.
        unmatched: the rarity (idf) of the rarest question word the answering passage lacks.
    """

    dense: float
    lexical: float
    sentence: float
    coverage: float
    agree: bool
    unmatched: float = 0.0

    def features(self) -> list[float]:
        """The feature vector the weights apply to."""
        dense, lexical, sentence, coverage, agree, unmatched = astuple(self)
        return [
            dense,
            math.log1p(max(lexical, 0.0)),
            sentence,
            coverage,
            float(agree),
            unmatched,
        ]


@dataclass(frozen=True)
class Weights:
    """A fitted logistic model and the thresholds chosen on the tuning split."""

    coefficients: tuple[float, ...]
    intercept: float
    answer: float  # answer at or above this probability
    related: float  # below `answer`, show the nearest documents as links above this


# Fitted by `madoguchi knowledge eval --tune` on the tuning split (seed 7, 60 %; features:
# dense, log1p(BM25), sentence, coverage, agree, unmatched), 2026-11-22.
WEIGHTS: dict[str, Weights] = {
    "ja": Weights((25.068, 0.9347, 23.8971, 2.5205, 0.09, -0.2759), -46.4847, 0.4475, 0.2),
    "en": Weights((21.8862, -1.1051, 12.2671, 0.8197, -2.0074, -0.5923), -24.3014, 0.5642, 0.2),
}


def probability(evidence: Evidence, weights: Weights) -> float:
    """The logistic model's probability that the documents answer."""
    z = weights.intercept + sum(
        c * x for c, x in zip(weights.coefficients, evidence.features(), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def calibrated(evidence: Evidence, *, language: str) -> tuple[float, bool, bool]:
    """(probability, answer it, show links) for a question in `language`."""
    weights = WEIGHTS.get(language, WEIGHTS["ja"])
    p = probability(evidence, weights)
    return p, p >= weights.answer, p >= weights.related


def fit_weights(
    evidence: Sequence[Evidence],
    answerable: Sequence[bool],
    *,
    unanswerable: Sequence[bool] | None = None,
    max_false: float = 0.08,
) -> Weights:
    """Fit the logistic model and choose the answer threshold on a tuning set.

    `answerable` marks the questions answered right (by the right document); `unanswerable`
    those the documents cannot answer (default: the rest). The threshold is the lowest
    probability at which at most `max_false` of the unanswerable questions would be answered.
    """
    unanswerable = unanswerable if unanswerable is not None else [not a for a in answerable]
    from sklearn.linear_model import LogisticRegression

    x = np.asarray([e.features() for e in evidence])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    model.fit((x - mean) / scale, list(answerable))
    # Folded back into the raw features' scale, so the model is six numbers and an intercept.
    coefficients = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    weights = Weights(
        tuple(round(float(c), 4) for c in coefficients), round(intercept, 4), 0.5, 0.2
    )
    negatives = sorted(
        (probability(e, weights) for e, u in zip(evidence, unanswerable, strict=True) if u),
        reverse=True,
    )
    allowed = int(max_false * len(negatives))
    threshold = 0.5
    if negatives and allowed < len(negatives):
        threshold = negatives[allowed] + 1e-6
    return Weights(weights.coefficients, weights.intercept, round(threshold, 4), 0.2)
