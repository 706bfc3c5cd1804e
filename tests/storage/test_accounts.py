"""Expired staff sessions and run-out sign-in windows are purged by `retention run`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage import accounts
from storage.models import LoginThrottle, StaffSession, utcnow
from storage.retention import apply_retention


def test_retention_purges_expired_sessions_and_old_throttle_windows(engine: Engine) -> None:
    now = utcnow()
    with Session(engine) as session, session.begin():
        staff = accounts.add_staff(
            session,
            username="hanako",
            display_name="花子",
            password_hash="x",
            role="staff",
            platforms=["kyoso-front"],
        )
        for token, expires in (("live", now + dt.timedelta(hours=1)), ("old", now)):
            accounts.start_session(
                session,
                token_hash=token,
                staff_id=staff.id or 0,
                expires_at=expires,
                address="192.0.2.1",
            )
        for key in ("user:hanako:192.0.2.1", "addr:192.0.2.9"):
            accounts.throttle_hit(session, key=key, window=accounts.THROTTLE_WINDOW)
        session.execute(
            update(LoginThrottle)
            .where(col(LoginThrottle.key) == "addr:192.0.2.9")
            .values(window_start=now - dt.timedelta(hours=1))
        )

    # days=0 keeps every personal record, but stale sign-in rows are not kept for anyone.
    counts = apply_retention(engine, days=0, reset_state="idle", now=now + dt.timedelta(seconds=1))

    assert counts.sign_ins == 2
    with Session(engine) as session:
        assert [s.token_hash for s in session.exec(select(StaffSession))] == ["live"]
        assert [t.key for t in session.exec(select(LoginThrottle))] == ["user:hanako:192.0.2.1"]
