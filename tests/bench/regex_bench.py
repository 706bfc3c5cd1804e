"""`make bench`: time of every pattern and text function of the desk on adversarial input.

For each function (and each compiled pattern of the desk's modules) the slowest of the
adversarial inputs of tests/workflows/test_bounded.py, at 10,000 and 100,000 characters.
Linear work shows as a ratio near 10 between the two columns; a quadratic one near 100.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.workflows.test_bounded import FUNCTIONS, adversarial, module_patterns

SIZES = (10_000, 100_000)


def slowest(function: Callable[[str], Any], texts: dict[str, str]) -> tuple[float, str]:
    worst = (0.0, "")
    for kind, text in texts.items():
        started = time.perf_counter()
        function(text)
        elapsed = time.perf_counter() - started
        worst = max(worst, (elapsed, kind))
    return worst


def main() -> None:
    texts = {size: adversarial(size) for size in SIZES}
    rows: list[tuple[str, list[tuple[float, str]]]] = []
    for name, function in sorted(FUNCTIONS.items()):
        rows.append((name, [slowest(function, texts[size]) for size in SIZES]))
    for name, pattern in sorted(module_patterns().items()):
        rows.append((name, [slowest(pattern.findall, texts[size]) for size in SIZES]))
    print("regex benchmark: slowest adversarial input per function / pattern (ms)")
    print(f"  {'':58} {'10k':>8} {'100k':>8}  slowest input at 100k")
    for name, results in rows:
        (small, _), (large, kind) = results
        print(f"  {name[-58:]:58} {small * 1000:8.1f} {large * 1000:8.1f}  {kind}")
    worst = max(rows, key=lambda row: row[1][1][0])
    print(f"  worst at 100k: {worst[0]} {worst[1][1][0] * 1000:.0f} ms ({worst[1][1][1]})")


if __name__ == "__main__":
    main()
