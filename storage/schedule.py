"""Lock rows of scheduled jobs: each slot (a desk's day, an interval) runs once, anywhere."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import ScheduledJob

__all__ = ["claim_slot", "job_rows", "record_result"]


def claim_slot(
    session: Session, *, name: str, slot: str, owner: str, now: dt.datetime
) -> ScheduledJob | None:
    """Take `slot` of job `name` (slots compare as strings, later is larger) if nobody has.

    Returns the job's row as it was before (its `last_result` carries a job's own
    bookmark), or None when this slot or a later one already ran. The update is atomic,
    so of many workers exactly one gets each slot.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(ScheduledJob).values(name=name).on_conflict_do_nothing())
    before = session.exec(select(ScheduledJob).where(col(ScheduledJob.name) == name)).one()
    previous = ScheduledJob(**before.model_dump())
    result = session.execute(
        update(ScheduledJob)
        .where(
            col(ScheduledJob.name) == name,
            or_(col(ScheduledJob.last_slot).is_(None), col(ScheduledJob.last_slot) < slot),
        )
        .values(last_slot=slot, last_run_at=now, last_owner=owner[:64])
    )
    return previous if result.rowcount else None  # type: ignore[attr-defined]


def record_result(session: Session, *, name: str, result: str) -> None:
    """What the job's last run did (and the bookmark it leaves for the next)."""
    session.execute(
        update(ScheduledJob).where(col(ScheduledJob.name) == name).values(last_result=result[:1000])
    )


def job_rows(session: Session) -> list[ScheduledJob]:
    """Every job that ran at least once, by name."""
    return list(session.exec(select(ScheduledJob).order_by(col(ScheduledJob.name))))
