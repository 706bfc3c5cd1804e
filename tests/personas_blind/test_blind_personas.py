"""Blind personas (issue 9): proposers written without reading the intake's code or texts.

Each talks to the real desk (SQLite, and PostgreSQL with DATABASE_URL), reading every question
for its topic with its own word matching and answering in its own words; the filed record is
read back through storage and checked field by field against what the persona said. A persona
whose finding is still open in /tmp/persona-findings.md is xfail(strict=True): it flips (and
fails the run) the day the desk is fixed, so the mark is removed then.
"""

from __future__ import annotations

import pytest

from tests.personas_blind.cast import BLIND, OPEN_FINDINGS
from tests.personas_blind.model import UNDECIDED, Persona, Run
from tests.personas_blind.talk import converse
from tests.personas_blind.verdict import check, filed
from workflows import Desk

pytestmark = pytest.mark.personas
# A good clerk may ask once more; never twice for one proposer.
MAX_REPROMPTS = 1
# What the brief asks the cast to say somewhere: signature blocks, casual endings, emoji,
# full-width digits, readings in brackets, kinds of proposer, "don't know", questions, switches.
SAID_SOMEWHERE = (
    *("〒", "TEL", "FAX", "課長", "部長代理", "っす", "😊", "（すずき はなこ）", "０４５"),
    *("個人事業主", "NPO法人です", "大学です", "自治体です", "でやってます", "未定"),
    *("公開されるんですか？", "English", "日本語", "前の質問に戻りたい", "やっぱり"),
    "さっきのメール",
)
ORG_TYPES = ("company", "npo", "university", "association", "financial", "sole_proprietor", "other")


def _cases() -> list[object]:
    cases: list[object] = []
    for persona in BLIND:
        finding = OPEN_FINDINGS.get(persona.id)
        marks = [pytest.mark.xfail(strict=True, reason=finding)] if finding else []
        cases.append(pytest.param(persona, id=persona.id, marks=marks))
    return cases


def problems_of(desk: Desk, run: Run, *, user_key: str) -> list[str]:
    """Everything the desk got wrong in one conversation (empty: filed as the persona meant)."""
    persona = run.persona
    problems = [f"not filed: {run.outcome}"] if run.outcome != "filed" else []
    rows = filed(desk, persona=persona, user_key=user_key)
    if run.outcome == "filed":
        if len(rows) != 1:
            problems.append(f"{len(rows)} proposals filed")
        elif rows[0].reference != run.reference:
            problems.append(f"told {run.reference}, filed {rows[0].reference}")
        else:
            problems += [
                f"{c.name}: want {c.expected!r}, got {c.actual!r}"
                for c in check(persona, rows[0].record)
                if not c.ok
            ]
    if run.reprompts > MAX_REPROMPTS:
        problems.append(f"{run.reprompts} re-prompts")
    if run.redundant:
        problems.append(f"{run.redundant} question(s) about what the persona had already said")
    problems += [f"not heeded: {u}" for u in run.unheeded]
    if persona.switches_to and run.lang_now != persona.switches_to:
        problems.append(f"did not switch to {persona.switches_to}")
    return problems


@pytest.mark.parametrize("persona", _cases())
def test_blind_persona_is_filed_as_it_said(desk: Desk, persona: Persona) -> None:
    user_key = f"blind-{persona.id}"
    run = converse(desk, persona, user_key=user_key)
    problems = problems_of(desk, run, user_key=user_key)
    assert not problems, "\n".join(problems) + "\n" + run.story()


def test_the_blind_cast_covers_what_the_brief_asks() -> None:
    assert len(BLIND) >= 24
    for platform in ("kyoso-front", "zerocarbon"):
        for lang in ("ja", "en"):
            assert any(p.platform == platform and p.lang == lang for p in BLIND), (platform, lang)
    words = " ".join(
        [p.opening for p in BLIND]
        + [s for p in BLIND for s in p.says.values()]
        + [a.text for p in BLIND for a in p.asides]
    )
    for said in SAID_SOMEWHERE:
        assert said in words, said
    expects = {a.expect for p in BLIND for a in p.asides}
    assert {"answer", "english", "japanese", "previous", "heeded", "resume"} <= expects
    assert any(p.facts.tier == UNDECIDED for p in BLIND)
    assert any(p.facts.title is None for p in BLIND)
    assert sum(len(p.stated) >= 8 for p in BLIND) >= 2  # everything in one first message
    types = {p.facts.org_type for p in BLIND}
    assert set(ORG_TYPES) <= types
