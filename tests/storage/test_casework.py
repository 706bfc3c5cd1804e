"""The one definition of "overdue": the Python rule (`is_late`, used by the dashboard and the
queue's badges) and its SQL twin (`late_clause`, used by the overdue view and the digest) agree
on every combination of status, first response and the two due dates."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlmodel import Session, col, func, select

from storage.casework import current_due, is_late, late_clause
from storage.models import Proposal
from tests.workflows.test_followups import file
from workflows import Desk

TODAY = dt.date(2026, 11, 24)
PAST, FUTURE = dt.date(2026, 11, 20), dt.date(2026, 12, 7)


def test_python_and_sql_agree_on_every_case(desk: Desk) -> None:
    reference = file(desk, "Uclock")
    engine = desk.store.engine  # type: ignore[attr-defined]
    cases = itertools.product(
        ("received", "department_review", "agreed", "declined"),
        (None, dt.datetime(2026, 11, 10, 1, tzinfo=dt.UTC)),
        (PAST, TODAY, FUTURE),
        (None, PAST, TODAY, FUTURE),
    )
    seen = set()
    for status, responded, due, next_due in cases:
        with Session(engine) as session, session.begin():
            row = session.exec(select(Proposal).where(Proposal.reference == reference)).one()
            row.status, row.first_response_at = status, responded
            row.due_date, row.next_action_due = due, next_due
            session.add(row)
        with Session(engine) as session:
            row = session.exec(select(Proposal).where(Proposal.reference == reference)).one()
            in_sql = session.exec(
                select(func.count())
                .select_from(Proposal)
                .where(col(Proposal.id) == row.id, late_clause(("kyoso-front",), TODAY))
            ).one()
            late = is_late(row, {"kyoso-front": TODAY})
        assert bool(in_sql) == late, (status, responded, due, next_due)
        seen.add(late)
        # What it means for people: a closed or answered proposal with nothing pending is never
        # late; an unanswered one is late past its promise; a follow-up's own date counts too.
        if status in ("agreed", "declined"):
            assert not late and current_due(row) is None
        elif responded is not None and next_due is None:
            assert not late and current_due(row) is None
        elif responded is None and due == PAST:
            assert late
        elif next_due == PAST:
            assert late
        else:
            assert not late
    assert seen == {True, False}
