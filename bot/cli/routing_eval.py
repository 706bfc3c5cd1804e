"""What `madoguchi knowledge eval` prints about routing: intents and answerability."""

from __future__ import annotations

import sys

from bot.cli.progress import ProgressLine
from knowledge import KnowledgeBase
from knowledge.answerability import WEIGHTS, fit_weights
from knowledge.answering import warm_sentences
from knowledge.evaluation import (
    answer_cases,
    answerability_figures,
    load_answerability,
    right_document,
    split_cases,
)
from workflows.intent_eval import evaluate_intents, seed_accuracies


def intent_lines(kb: KnowledgeBase) -> list[str]:
    """Intent accuracy on the held-out split of the labelled messages, with the confusion matrix."""
    lines = evaluate_intents(kb.embed_queries).lines()
    accuracies = seed_accuracies(kb.embed_queries)
    mean = sum(accuracies.values()) / len(accuracies)
    lines.insert(
        1,
        f"  mean over {len(accuracies)} splits (seeds {', '.join(map(str, accuracies))}): "
        f"{mean:.3f} (min {min(accuracies.values()):.3f}, max {max(accuracies.values()):.3f})",
    )
    return lines


def _ready(kb: KnowledgeBase) -> None:
    for platform in sorted({"kyoso-front", "zerocarbon"} & set(kb.platforms)):
        kb.ingest(platform, progress=ProgressLine(f"{platform}: embedding chunks"))
        warm_sentences(kb, platform)


def answerability_lines(kb: KnowledgeBase, *, tune: bool = False) -> list[str]:
    """Answerable questions answered with the right document, unanswerable ones answered."""
    cases = [c for c in load_answerability() if c.platform in kb.platforms]
    if not cases:
        return ["answerability: skipped (the sample platforms are not configured)"]
    print("answerability: asking the labelled questions of the sample platforms", file=sys.stderr)
    _ready(kb)
    tuning, held = split_cases(cases)
    lines: list[str] = []
    if tune:
        for lang in ("ja", "en"):
            results = answer_cases(kb, [c for c in tuning if c.lang == lang])
            evidence = [a.evidence for _, a in results if a.evidence is not None]
            # Answering is right only with the right document: the rest is better not answered.
            labels = [
                c.answerable and right_document(c, a) for c, a in results if a.evidence is not None
            ]
            unanswerable = [not c.answerable for c, a in results if a.evidence is not None]
            WEIGHTS[lang] = fit_weights(evidence, labels, unanswerable=unanswerable)
            lines.append(f"fitted {lang}: {WEIGHTS[lang]!r}")
    for name, part in (("tuning split", tuning), ("held out", held)):
        results = answer_cases(kb, part)
        lines.append(f"answerability ({name}, {len(part)} questions):")
        for lang, f in answerability_figures(results).items():
            right, total = f["answered_right_doc"], f["answerable"]
            wrong, none = f["unanswerable_answered"], f["unanswerable"]
            lines.append(
                f"  {lang}: answerable answered with the right document {right}/{total} "
                f"({right / max(total, 1):.0%}); unanswerable answered {wrong}/{none} "
                f"({wrong / max(none, 1):.0%})"
            )
            if name == "held out":
                lines.extend(f"    missed: {q} (want {d}, gave {g})" for q, d, g in f["missed"])
                lines.extend(f"    answered anyway: {q}" for q in f["wrongly_answered"])
    return lines


__all__ = ["answerability_lines", "intent_lines"]
