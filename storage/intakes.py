"""Intakes that ended without a proposal (refused by a rule, or abandoned), kept for staff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from storage.models import IntakeOutcome

OUTCOMES = ("refused", "abandoned")
# What the proposer had typed so far: enough for staff to judge the refusal, and a bound on
# what one row can hold.
MAX_TEXT = 4000


def record_intake_outcome(
    session: Session,
    *,
    platform_id: str,
    conversation_id: int,
    contact_id: int,
    outcome: str,
    rule_id: str | None,
    text: str,
) -> None:
    """Remember an intake that was refused or abandoned, with the proposal text so far.

    Raises:
        ValueError: `outcome` is not "refused" or "abandoned".
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
    session.add(
        IntakeOutcome(
            platform_id=platform_id,
            conversation_id=conversation_id,
            contact_id=contact_id,
            outcome=outcome,
            rule_id=rule_id,
            text=text[:MAX_TEXT],
        )
    )
    session.flush()


def intake_outcomes(
    session: Session,
    *,
    platforms: tuple[str, ...],
    outcome: str | None = None,
    limit: int = 200,
) -> list[IntakeOutcome]:
    """Refused and abandoned intakes of `platforms` only, newest first."""
    query = select(IntakeOutcome).where(col(IntakeOutcome.platform_id).in_(platforms))
    if outcome:
        query = query.where(IntakeOutcome.outcome == outcome)
    query = query.order_by(col(IntakeOutcome.created_at).desc(), col(IntakeOutcome.id).desc())
    return list(session.exec(query.limit(limit)))


def intake_outcome_counts(
    session: Session, *, platforms: tuple[str, ...], since: dt.datetime
) -> dict[str, int]:
    """How many intakes of `platforms` were refused and abandoned since `since`."""
    rows = session.exec(
        select(IntakeOutcome.outcome, func.count())
        .where(
            col(IntakeOutcome.platform_id).in_(platforms),
            col(IntakeOutcome.created_at) >= since,
        )
        .group_by(col(IntakeOutcome.outcome))
    )
    counts = dict.fromkeys(OUTCOMES, 0)
    for outcome, count in rows:
        counts[outcome] = int(count)
    return counts


def purge_intake_outcomes(session: Session, *, before: dt.datetime) -> int:
    """Delete outcomes older than `before` (for retention); returns how many."""
    result = session.execute(delete(IntakeOutcome).where(col(IntakeOutcome.created_at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
