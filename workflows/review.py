"""Reviewing a complete proposal: the platform's rules, the read-back, filing."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from workflows import intake
from workflows.calendar import add_business_days
from workflows.io import Card
from workflows.record import CostModel, Finding, PossibleDuplicate, ProposalRecord, SimilarCase
from workflows.texts import field_name, label
from workflows.turn import State, Turn
from workflows.understanding import POLITICAL, endorsement, sales_signals

DUPLICATE_SIMILARITY = 0.95


def findings(turn: Turn) -> list[Finding]:
    """The platform's rules that this proposal runs into."""
    text = " ".join(
        str(turn.slots.get(f, ""))
        for f in ("content.title", "content.summary", "content.activities")
    )
    hits: list[str] = []
    if sales_signals(text) >= 2 or (
        sales_signals(text) >= 1 and turn.slots.get("content.cost_model") == CostModel.NEEDS_BUDGET
    ):
        hits.append("sales-pitch")
    if POLITICAL.search(text):
        hits.append("political-religious")
    if endorsement(text):
        hits.append("endorsement")
    if turn.slots.get("content.cost_model") == CostModel.NEEDS_BUDGET:
        hits.append("needs-budget")
    result = []
    for rule in turn.platform.eligibility_rules:
        if rule.id in hits:
            cited = turn.library.citation(turn.platform.id, rule.document)
            result.append(
                Finding(
                    rule_id=rule.id,
                    reason=rule.excludes.get(turn.lang),
                    document_id=rule.document,
                    document_title=cited.title if cited else None,
                    document_url=cited.url if cited else None,
                )
            )
    return result


def check(turn: Turn) -> State | None:
    """Run the rules: a rejected proposal ends, a budget one may be reworked, else None."""
    problems = findings(turn)
    rejecting = [f for f in problems if f.rule_id != "needs-budget"]
    if rejecting:
        first = rejecting[0]
        turn.say(
            "rule.rejected", reason=first.reason, title=first.document_title, url=first.document_url
        )
        turn.slots["_rejected"] = first.rule_id
        return State.DONE
    if problems:
        budget = problems[0]
        turn.say(
            "rule.needs-budget",
            choices=["rework", "stop"],
            title=budget.document_title,
            url=budget.document_url,
        )
        return State.BUDGET
    return None


def handle_budget(turn: Turn) -> State:
    """Rework without public money, or withdraw."""
    choice = intake.choice(turn)
    if choice == "rework":
        turn.slots.pop("content.cost_model", None)
        intake.ask(turn, "content.cost_model")
        return State.INTAKE
    if choice == "stop":
        intake.clear(turn)
        turn.say("cancelled")
        return State.DONE
    turn.say("invalid.choice", choices=["rework", "stop"])
    return State.BUDGET


def _themes(turn: Turn) -> list[str]:
    if not turn.slots.get("content.themes"):
        text = f"{turn.slots.get('content.title', '')} {turn.slots.get('content.summary', '')}"
        ranked = turn.library.classify_themes(text, platform=turn.platform.id)
        turn.slots["content.themes"] = [theme for theme, _ in ranked[:2]]
    return list(turn.slots["content.themes"])


def read_back(turn: Turn) -> State:
    """Summarise, show similar cases and likely duplicates, and ask to confirm."""
    themes = _themes(turn)
    labels = {th.id: th.label.get(turn.lang) for th in turn.platform.themes}
    lines = []
    extra = (
        "organisation.corporate_number",
        "organisation.location",
        "contact.phone",
        "content.period",
    )
    for field in (*intake.wanted_fields(turn), *extra):
        if field == "consents" or turn.slots.get(field) in (None, "", []):
            continue
        value = turn.slots[field]
        shown = (
            "、".join(label(v, turn.lang) for v in value)
            if isinstance(value, list)
            else label(str(value), turn.lang)
        )
        lines.append(f"・{field_name(field, turn.lang)}：{shown}")
    theme_names = "、".join(labels.get(x, x) for x in themes)
    lines.append(f"・{field_name('content.themes', turn.lang)}：{theme_names}")
    turn.say("summary", summary="\n".join(lines))
    cases = similar_cases(turn)
    turn.slots["_similar"] = [c.model_dump() for c in cases]
    if cases:
        turn.say("similar", cards=tuple(Card(c.title, "", c.url) for c in cases))
    duplicates = possible_duplicates(turn)
    turn.slots["_duplicates"] = [d.model_dump() for d in duplicates]
    for duplicate in duplicates[:1]:
        turn.say("duplicate", reference=duplicate.reference, title=duplicate.title)
    turn.say("confirm.question", choices=["submit", "edit", "cancel"])
    return State.CONFIRM


def similar_cases(turn: Turn) -> list[SimilarCase]:
    """The three past cases closest to the proposal."""
    query = f"{turn.slots.get('content.title', '')} {turn.slots.get('content.summary', '')}"
    passages = turn.library.search(query, platform=turn.platform.id, k=12, kind="case")
    seen: dict[str, SimilarCase] = {}
    for p in passages:
        if p.doc_id not in seen:
            seen[p.doc_id] = SimilarCase(
                doc_id=p.doc_id, title=p.title, url=p.url, score=round(p.score, 3)
            )
    return list(seen.values())[:3]


def possible_duplicates(turn: Turn) -> list[PossibleDuplicate]:
    """Earlier proposals of this platform whose summaries read almost the same."""
    earlier = turn.tx.list_proposals(platform_id=turn.platform.id)
    if not earlier:
        return []
    summary = str(turn.slots.get("content.summary", ""))
    scores = turn.library.similarities(summary, [p.record["content"]["summary"] for p in earlier])
    found = [
        PossibleDuplicate(reference=p.reference, title=p.title, score=round(s, 3))
        for p, s in zip(earlier, scores, strict=True)
        if s >= DUPLICATE_SIMILARITY
    ]
    return sorted(found, key=lambda d: -d.score)


def handle_confirm(turn: Turn) -> State:
    """Submit, edit or cancel after the read-back."""
    choice = intake.choice(turn)
    if choice == "submit":
        return file(turn)
    if choice == "cancel":
        intake.clear(turn)
        turn.say("cancelled")
        return State.DONE
    turn.say("confirm.edit.how", choices=["submit", "cancel"])
    return State.CONFIRM


def build_record(turn: Turn, due: dt.date) -> ProposalRecord:
    """The validated record from the slots."""
    s = turn.slots
    department = _department(turn)
    return ProposalRecord.model_validate(
        {
            "platform": turn.platform.id,
            "track": s.get("track", "free"),
            "channel": turn.channel,
            "language": turn.lang,
            "received_at": turn.now,
            "submitted_at": turn.now,
            "proposer": {
                "organisation_name": s["organisation.name"],
                "organisation_type": s["organisation.type"],
                "corporate_number": s.get("organisation.corporate_number"),
                "location": s.get("organisation.location"),
                "contact_name": s["contact.name"],
                "email": s["contact.email"],
                "phone": s.get("contact.phone"),
                "membership_tier": s.get("proposer.membership_tier"),
            },
            "content": {
                "title": s["content.title"],
                "summary": s["content.summary"],
                "problem": s.get("content.problem"),
                "activities": s.get("content.activities"),
                "municipality_roles": s.get("content.municipality_roles", []),
                "period": s.get("content.period"),
                "cost_model": s["content.cost_model"],
                "attachments": s.get("content.attachments", []),
                "themes": s.get("content.themes", []),
            },
            "consents": {"notes_acknowledged": True, "no_antisocial_ties": True, "privacy": True},
            "triage": {
                "findings": [],
                "similar_cases": s.get("_similar", []),
                "possible_duplicates": s.get("_duplicates", []),
                "suggested_department": department[0] if department else None,
                "department_reason": department[1] if department else None,
                "due_date": due,
            },
        }
    )


def _department(turn: Turn) -> tuple[str, str] | None:
    for theme in turn.slots.get("content.themes", []):
        for department in turn.platform.departments:
            if theme in department.themes:
                theme_label = next(t.label.ja for t in turn.platform.themes if t.id == theme)
                return department.id, f"テーマ「{theme_label}」を所管"
    return None


def file(turn: Turn) -> State:
    """File the record and tell the proposer its reference and reply date."""
    due = add_business_days(turn.now.date(), turn.platform.reply_days)
    try:
        record = build_record(turn, due)
    except (KeyError, ValidationError):
        turn.slots.pop("consents", None)
        return intake.advance(turn)
    filed = turn.tx.file_proposal(
        platform_id=turn.platform.id,
        prefix=turn.platform.reference_prefix,
        contact_id=turn.conversation.contact_id,
        channel=turn.channel,
        language=turn.lang,
        track=record.track.value,
        title=record.content.title,
        organisation=record.proposer.organisation_name,
        received_at=turn.now,
        due_date=due,
        record=record.model_dump(mode="json"),
        department=record.triage.suggested_department,
    )
    turn.tx.update_contact(
        contact_id=turn.conversation.contact_id,
        display_name=record.proposer.contact_name,
        organisation=record.proposer.organisation_name,
        email=record.proposer.email,
        phone=record.proposer.phone,
        language=turn.lang,
    )
    intake.clear(turn)
    turn.say(
        "filed",
        filed=filed.reference,
        reference=filed.reference,
        due=due.isoformat(),
        days=turn.platform.reply_days,
    )
    return State.DONE
