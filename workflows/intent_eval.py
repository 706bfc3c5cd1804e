"""How well the intent classifier reads messages it was not fitted on (`make eval`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from workflows.intents import LABELS, EmbedMany, Example, fit, load_examples, predict

__all__ = ["IntentReport", "evaluate_intents", "seed_accuracies", "split"]

SEEDS = (1, 2, 3, 4, 5, 7)  # other splits: one split of a small set flatters or wrongs it


def split(
    examples: Sequence[Example], *, held_out: float = 0.25, seed: int = 7
) -> tuple[list[Example], list[Example]]:
    """(fit, held out): the same share of every intent and language held out, reproducibly."""
    rng = random.Random(seed)
    fitted: list[Example] = []
    kept: list[Example] = []
    groups: dict[tuple[str, str], list[Example]] = {}
    for example in examples:
        groups.setdefault((example.intent.value, example.lang), []).append(example)
    for key in sorted(groups):
        group = list(groups[key])
        rng.shuffle(group)
        cut = max(1, round(len(group) * held_out))
        kept.extend(group[:cut])
        fitted.extend(group[cut:])
    return fitted, kept


@dataclass
class IntentReport:
    """Accuracy on the held-out messages, the confusion matrix and the misreadings."""

    fitted: int
    held_out: int
    correct: int
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # text, truth, read
    by_language: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """Share of held-out messages read correctly."""
        return self.correct / self.held_out if self.held_out else 0.0

    def lines(self) -> list[str]:
        """A printable report: accuracy, per language, the confusion matrix, the misses."""
        out = [
            f"intent accuracy (held out): {self.accuracy:.3f} "
            f"({self.correct}/{self.held_out}; fitted on {self.fitted})",
            "  "
            + ", ".join(
                f"{lang}: {ok}/{n} ({ok / n:.3f})"
                for lang, (ok, n) in sorted(self.by_language.items())
            ),
        ]
        names = [label.value for label in LABELS]
        short = {n: n[:8] for n in names}
        out.append("  truth \\ read " + " ".join(f"{short[n]:>8}" for n in names))
        for truth in names:
            row = self.confusion.get(truth, {})
            out.append(f"  {truth:<13}" + " ".join(f"{row.get(n, 0):>8}" for n in names))
        out.extend(f"  missed: {text[:60]!r} {truth} → {read}" for text, truth, read in self.misses)
        return out


def evaluate_intents(
    embed_many: EmbedMany, *, examples: Sequence[Example] | None = None, seed: int = 7
) -> IntentReport:
    """Fit on one split of the labelled set and read the other."""
    examples = list(examples) if examples is not None else load_examples()
    fitted, kept = split(examples, seed=seed)
    vectors = embed_many([e.text for e in examples])
    by_text = {e.text: v for e, v in zip(examples, vectors, strict=True)}
    model = fit(
        [by_text[e.text] for e in fitted], [e.text for e in fitted], [e.intent for e in fitted]
    )
    report = IntentReport(fitted=len(fitted), held_out=len(kept), correct=0)
    for example in kept:
        read = predict(model, by_text[example.text], example.text).intent
        truth = example.intent.value
        row = report.confusion.setdefault(truth, {})
        row[read.value] = row.get(read.value, 0) + 1
        ok, n = report.by_language.get(example.lang, (0, 0))
        report.by_language[example.lang] = (ok + (read is example.intent), n + 1)
        if read is example.intent:
            report.correct += 1
        else:
            report.misses.append((example.text, truth, read.value))
    return report


def seed_accuracies(embed_many: EmbedMany, *, seeds: Sequence[int] = SEEDS) -> dict[int, float]:
    """Held-out accuracy on several splits (their mean is the figure to trust)."""
    examples = load_examples()
    return {
        seed: evaluate_intents(embed_many, examples=examples, seed=seed).accuracy for seed in seeds
    }
