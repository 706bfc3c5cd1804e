"""Reviewing a complete proposal: the platform's rules, the read-back, filing.

Imports nothing of `intake` or `reading` (they call into it): the answers to the read-back and
to the budget rework are read in `intake`.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from workflows.calendar import format_date, reference_year, reply_due
from workflows.eligibility import eligibility_hits
from workflows.fields import NOTED, SPECS, wanted
from workflows.io import Card
from workflows.record import CostModel, Finding, PossibleDuplicate, ProposalRecord, SimilarCase
from workflows.texts import field_name, label, t
from workflows.turn import State, Turn

DUPLICATE_SIMILARITY = 0.95
_RULE_FIELDS = ("content.title", "content.summary", "content.activities")


def _hits(turn: Turn) -> list[str]:
    """Rule ids the proposal runs into, by what it asks for (and its cost model)."""
    text = " ".join(str(turn.slots.get(f, "")) for f in _RULE_FIELDS)
    cost = turn.slots.get("content.cost_model")
    hits = [
        h
        for h in eligibility_hits(text, cost_model=cost)
        if h != "needs-budget"  # read from the cost model only: a rework must be able to end it
    ]
    if cost == CostModel.NEEDS_BUDGET:
        hits.append("needs-budget")
    return hits


def findings(turn: Turn) -> list[Finding]:
    """The platform's rules that this proposal runs into."""
    hits = _hits(turn)
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


def _proposal_text(turn: Turn) -> str:
    return "\n".join(str(turn.slots[f]) for f in _RULE_FIELDS if turn.slots.get(f))


def check(turn: Turn) -> State | None:
    """Run the rules: a refusal offers a person, a budget one may be reworked, else None."""
    problems = findings(turn)
    rejecting = [f for f in problems if f.rule_id != "needs-budget"]
    if rejecting:
        first = rejecting[0]
        text = _proposal_text(turn)
        turn.tx.record_intake_outcome(
            platform_id=turn.platform.id,
            conversation_id=turn.conversation.id,
            contact_id=turn.conversation.contact_id,
            outcome="refused",
            rule_id=first.rule_id,
            text=text,
        )
        turn.say(
            "rule.rejected",
            reason=first.reason,
            title=first.document_title,
            url=first.document_url,
            reframe=t("rule.reframe", turn.lang),
            choices=["yes", "no"],
        )
        for key in [k for k in turn.slots if not k.startswith("_")]:
            del turn.slots[key]
        turn.progress.reset()
        turn.slots["_question"] = t("rule.handoff", turn.lang, rule=first.reason, text=text[:500])
        return State.HANDOFF_OFFER
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


def citation(turn: Turn, suffix: str) -> tuple[str, str]:
    """Title and URL of the platform's document ending in `suffix` (e.g. `privacy`)."""
    doc_id = next(
        (r.document for r in turn.platform.eligibility_rules if r.document.endswith(suffix)),
        f"{turn.platform.id[:2]}-{suffix}",
    )
    for candidate in (doc_id, f"kf-{suffix}", f"zc-{suffix}"):
        found = turn.library.citation(turn.platform.id, candidate)
        if found:
            return found.title, found.url
    return suffix, ""


def _themes(turn: Turn) -> list[str]:
    if not turn.slots.get("content.themes"):
        # The title and the summary's first sentence say what the proposal is; the rest of
        # the summary (the problem, what is asked of the city) pulls towards other themes.
        summary = str(turn.slots.get("content.summary", ""))
        first = re.split(r"(?<=[。！？!?])|(?<=\.)\s", summary, maxsplit=1)[0]
        text = f"{turn.slots.get('content.title', '')} {first}"
        ranked = turn.library.classify_themes(text, platform=turn.platform.id)
        turn.slots["content.themes"] = [theme for theme, _ in ranked[:2]]
    return list(turn.slots["content.themes"])


def filled_lines(turn: Turn) -> list[str]:
    """「・団体名：…」 for every field filled so far, in the asking order."""
    lines = []
    for field in (*wanted(turn.platform), *NOTED):
        if field == "consents" or turn.slots.get(field) in (None, "", []):
            continue
        value = turn.slots[field]
        shown = (
            "、".join(label(v, turn.lang) for v in value)
            if isinstance(value, list)
            else label(str(value), turn.lang)
        )
        lines.append(f"・{field_name(field, turn.lang)}：{shown}")
    return lines


def read_back(turn: Turn) -> State:
    """Summarise, show similar cases, say whether a like proposal exists, and ask to confirm."""
    themes = _themes(turn)
    labels = {th.id: th.label.get(turn.lang) for th in turn.platform.themes}
    lines = filled_lines(turn)
    theme_names = "、".join(labels.get(x, x) for x in themes)
    lines.append(f"・{field_name('content.themes', turn.lang)}：{theme_names}")
    turn.say("summary", summary="\n".join(lines))
    cases = similar_cases(turn)
    turn.progress.similar = [c.model_dump() for c in cases]
    if cases:
        turn.say("similar", cards=tuple(Card(c.title, "", c.url) for c in cases))
    duplicates = possible_duplicates(turn)
    turn.progress.duplicates = [d.model_dump() for d in duplicates]
    if duplicates:
        turn.say("duplicate")  # staff see which; the proposer never sees another's proposal
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


def build_record(turn: Turn, due: dt.date) -> ProposalRecord:
    """The validated record from the slots, laid out by the field registry."""
    s = turn.slots
    sections: dict[str, dict[str, object]] = {"proposer": {}, "content": {}}
    for key, field_spec in SPECS.items():
        section, name = field_spec.record
        if section in sections:
            sections[section][name] = s.get(key)
    content = sections["content"]
    content["municipality_roles"] = content.get("municipality_roles") or []
    # Links the proposer wrote, then files sent through the channel (bot/channels/files.py).
    content["attachments"] = [*s.get("content.attachments", []), *s.get("channel.files", [])]
    content["themes"] = s.get("content.themes", [])
    department = _department(turn)
    return ProposalRecord.model_validate(
        {
            "platform": turn.platform.id,
            "track": s.get("track", "free"),
            "channel": turn.channel,
            "language": turn.lang,
            "received_at": turn.now,
            "submitted_at": turn.now,
            "proposer": sections["proposer"],
            "content": content,
            "consents": {"notes_acknowledged": True, "no_antisocial_ties": True, "privacy": True},
            "triage": {
                "findings": [],
                "similar_cases": turn.progress.similar,
                "possible_duplicates": turn.progress.duplicates,
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


def file(turn: Turn) -> State | None:
    """File the record and tell its reference and reply date; None when a field is missing.

    The due date and the reference year are read on the platform's clock (its time zone).
    """
    zone = turn.platform.timezone
    due = reply_due(turn.now, days=turn.platform.reply_days, timezone=zone)
    if not turn.slots.get("consents"):
        return None
    try:
        record = build_record(turn, due)
    except (KeyError, ValidationError):
        turn.slots.pop("consents", None)
        return None
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
        year=reference_year(turn.now, zone),
    )
    turn.tx.update_contact(
        contact_id=turn.conversation.contact_id,
        display_name=record.proposer.contact_name,
        organisation=record.proposer.organisation_name,
        email=record.proposer.email,
        phone=record.proposer.phone,
        language=turn.lang,
    )
    for key in [k for k in turn.slots if not k.startswith("_")]:
        del turn.slots[key]
    turn.progress.reset()
    turn.say(
        "filed",
        filed=filed.reference,
        reference=filed.reference,
        due=format_date(due, turn.lang),
        days=turn.platform.reply_days,
    )
    return State.DONE
