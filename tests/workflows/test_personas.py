"""Persona conversations (issue 9): people who write the way people write, and their records.

Every persona talks to the real desk, reading each question for its meaning and answering in
its own words; the filed record is then read back through storage and checked field by field
against what the persona said. Run alone with `pytest -m personas` or by path.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import Session

from storage import repository
from tests.personas import (
    BY_ID,
    PERSONAS,
    Persona,
    Run,
    check_record,
    converse,
    filed_proposals,
)
from tests.personas.cast_kf_turns import COPYCAT
from tests.personas.engine import Proposer
from tests.personas.profiles import UNDECIDED
from tests.personas.reading import kind_of
from workflows import Desk, Outgoing
from workflows.io import Choice
from workflows.texts import t

pytestmark = pytest.mark.personas
# A clerk may ask once more; never twice for one proposer (the issue's target is <= 5 in all).
MAX_REPROMPTS = 1


def _story(run: Run) -> str:
    lines = [f"{run.persona.id}: {run.outcome} after {run.user_turns} turns", *run.notes]
    for said, heard in run.transcript:
        lines += [f"  > {said[:160]!r}", f"  < {heard[:240]!r}"]
    return "\n".join(lines)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_persona_is_understood_and_filed_as_said(desk: Desk, persona: Persona) -> None:
    user_key = f"persona-{persona.id}"
    run = converse(desk, persona, user_key=user_key)
    story = _story(run)
    filed = filed_proposals(desk, platform=persona.platform, user_key=user_key)
    if persona.intent == "refuse":
        assert run.outcome == "refused", story
        assert filed == [], story
        refusal = run.transcript[-1][1]
        assert "not-accepted" in refusal or "受け付けできない提案" in refusal, story
        return
    if persona.intent == "ask":
        assert run.outcome == "answered" and run.unanswered == 0, story
        assert run.reprompts <= MAX_REPROMPTS and run.confusions == 0, story
        assert filed == [], story
        return
    problems: list[str] = []
    if run.outcome != "filed":
        problems.append(f"not filed: {run.outcome}")
    if run.outcome == "filed":
        assert len(filed) == 1, story
        with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
            again = repository.find_proposal(
                session, reference=str(run.reference), platform_id=persona.platform
            )
        assert again is not None and again.id == filed[0].id, story
        problems += [
            f"{c.name}: want {c.expected!r}, got {c.actual!r}"
            for c in check_record(persona, again.record)
            if not c.ok
        ]
    if run.confusions:
        problems.append(f"{run.confusions} question(s) the persona could not make out")
    if run.reprompts > MAX_REPROMPTS:
        problems.append(f"{run.reprompts} re-prompts")
    if run.unanswered:
        problems.append("its own question mid-intake was not answered from the documents")
    if run.unheeded:
        problems.append("its change of mind was not acknowledged")
    assert not problems, "\n".join(problems) + "\n" + story


def test_a_similar_proposal_never_shows_another_organisations_record(desk: Desk) -> None:
    """The duplicate check tells the second proposer only that something similar exists."""
    first = converse(desk, BY_ID["kf-food-loss"], user_key="first")
    assert first.outcome == "filed", _story(first)
    [earlier] = filed_proposals(desk, platform="kyoso-front", user_key="first")
    second = converse(desk, COPYCAT, user_key="second")
    heard = "\n".join(reply for _, reply in second.transcript)
    secrets = [earlier.reference, earlier.title, earlier.organisation, "もったいない", "渡辺"]
    assert not [s for s in secrets if s in heard], _story(second)
    assert re.search(r"よく似|似た提案|similar proposal|much like", heard), _story(second)
    assert second.outcome == "filed", _story(second)
    [later] = filed_proposals(desk, platform="kyoso-front", user_key="second")
    duplicates = later.record["triage"]["possible_duplicates"]
    assert [d["reference"] for d in duplicates] == [earlier.reference]  # staff see it


def test_the_cast_covers_the_cases_of_the_issue() -> None:
    ids = {p.id for p in PERSONAS}
    assert len(PERSONAS) >= 20
    for platform in ("kyoso-front", "zerocarbon"):
        for lang in ("ja", "en"):
            assert any(p.platform == platform and p.lang == lang for p in PERSONAS)
    said = " ".join([p.opening for p in PERSONAS] + [s for p in PERSONAS for s in p.says.values()])
    for words in ("NPO法人です", "メールは", "Bでお願いします🙏", "じゃあ、うちで持ちます"):
        assert words in said, words
    for words in ("We cover all the costs ourselves", "A university", "割引", "販売", "「"):
        assert words in said or any(words in p.facts.summary for p in PERSONAS), words
    expectations = {q.expect for p in PERSONAS for q in p.quirks}
    assert {"answer", "acknowledged", "english", "previous", "resume"} <= expectations
    assert any(p.intent == "ask" for p in PERSONAS)
    assert any(p.facts.tier == UNDECIDED for p in PERSONAS)
    assert any(p.facts.title is None for p in PERSONAS)  # the desk suggests one
    assert any(p.intent == "refuse" for p in PERSONAS)
    assert {"kf-keigo-signature", "kf-two-facts", "kf-casual-emoji", "zc-en-speaker"} <= ids


_FORMAT: dict[str, Any] = {
    "rules_title": "受け付けできない提案",
    "rules_url": "https://x.invalid/r",
    "privacy_title": "個人情報",
    "platform": "窓口",
    "prefix": "KF",
    "field": "メールアドレス",
    "old": "kato@example.jp",
    "new": "kato@example.com",
    "title": "費用負担の考え方",
    "url": "https://x.invalid/c",
    "text": "本文",
    "what": "公園の実証",
    "first": "企業",
    "second": "団体・協会",
    "example": "例",
    "reason": "営業のみを目的とする提案",
    "reframe": "",
    "reference": "KF-2026-00001",
    "due": "2026年12月7日（月）",
    "days": 10,
    "summary": "・タイトル：公園の実証",
}
FIELD_QUESTIONS = [
    "organisation.name",
    "organisation.type",
    "contact.name",
    "contact.email",
    "content.title",
    "content.summary",
    "content.problem",
    "content.activities",
    "content.municipality_roles",
    "content.cost_model",
    "proposer.membership_tier",
    "consents",
]
# Other things the desk says, and what a persona must take them for.
OTHER_TEXTS = [
    ("filed", "filed"),
    ("rule.rejected", "refused"),
    ("rule.needs-budget", "budget"),
    ("confirm.question", "confirm"),
    ("confirm.edit.how", "edit_how"),
    ("choice.close", "ambiguous"),
    ("change.confirm", "change_confirm"),
    ("resume.ask", "stale"),
    ("ask.content.summary.restate", "restate"),
    ("title.suggest", "content.title"),
    ("cancelled", "cancelled"),
]


def _said(key: str, lang: str) -> str | None:
    try:
        return t(key, lang, **_FORMAT)
    except (KeyError, IndexError):
        return None  # the desk no longer says this (or words it under another key)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("key", "kind"), [(f"ask.{f}", f) for f in FIELD_QUESTIONS] + OTHER_TEXTS)
def test_personas_read_what_the_desk_says_by_meaning(key: str, kind: str, lang: str) -> None:
    """The desk's own texts are read as what they ask (guards the engine, not the desk)."""
    text = _said(key, lang)
    if text is None:
        pytest.skip(f"no text {key} in workflows.texts")
    assert kind_of(text) == kind, text


def test_a_persona_answers_the_question_asked_in_its_own_words() -> None:
    persona = next(p for p in PERSONAS if p.id == "kf-plain-sentences")
    proposer, run = Proposer(persona), Run(persona=persona)
    asked = Outgoing(text="ご連絡先のメールアドレスをお願いします。")
    assert (
        proposer.respond("contact.email", asked, run) == "メールは sato@example.jp でお願いします。"
    )
    choices = tuple(Choice(label, value) for label, value in [("企業", "company"), ("NPO", "npo")])
    kind = Outgoing(text="どんな団体ですか。", choices=choices)
    assert proposer.respond("organisation.type", kind, run) == "NPO法人です"
    # Not understood: the persona says so, and the run counts it.
    assert (
        proposer.respond("unknown", Outgoing(text="???"), run)
        == "すみません、質問の意味がわかりません"
    )
    assert run.confusions == 1
