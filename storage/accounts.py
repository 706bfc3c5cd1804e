"""Staff accounts, their server-side sessions, and sign-in throttling."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import LoginThrottle, StaffAccount, StaffSession, utcnow

# Sign-in attempts are counted per key in windows of this length.
THROTTLE_WINDOW = dt.timedelta(minutes=15)


def add_staff(
    session: Session,
    *,
    username: str,
    display_name: str,
    password_hash: str,
    role: str,
    platforms: list[str],
    slack_user_id: str | None = None,
) -> StaffAccount:
    """Create an account (username unique)."""
    account = StaffAccount(
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        role=role,
        platforms=sorted(set(platforms)),
        slack_user_id=slack_user_id,
    )
    session.add(account)
    session.flush()
    return account


def staff_by_username(session: Session, *, username: str) -> StaffAccount | None:
    """An active account by username."""
    return session.exec(
        select(StaffAccount).where(StaffAccount.username == username, col(StaffAccount.active))
    ).first()


def staff_by_id(session: Session, *, staff_id: int) -> StaffAccount | None:
    """An active account by id."""
    account = session.get(StaffAccount, staff_id)
    return account if account is not None and account.active else None


def staff_by_slack_user(session: Session, *, slack_user_id: str) -> StaffAccount | None:
    """The account linked to a Slack user."""
    return session.exec(
        select(StaffAccount).where(
            StaffAccount.slack_user_id == slack_user_id, col(StaffAccount.active)
        )
    ).first()


def staff_of_platform(session: Session, *, platform_id: str) -> list[StaffAccount]:
    """Accounts that may work on a platform (for the assignee list)."""
    return [
        a
        for a in session.exec(select(StaffAccount).where(col(StaffAccount.active)))
        if platform_id in a.platforms
    ]


def staff_named(session: Session, *, username: str) -> StaffAccount | None:
    """An account by username, active or not (for the CLI)."""
    return session.exec(select(StaffAccount).where(StaffAccount.username == username)).first()


def end_sessions(session: Session, *, staff_id: int) -> int:
    """Sign an account out everywhere; returns how many sessions ended."""
    result = session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == staff_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def set_password(session: Session, *, account: StaffAccount, password_hash: str) -> int:
    """A new password; every session of the account ends (returns how many)."""
    account.password_hash = password_hash
    session.add(account)
    return end_sessions(session, staff_id=account.id or 0)


def set_active(session: Session, *, account: StaffAccount, active: bool) -> int:
    """Enable or disable an account; disabling ends its sessions (returns how many)."""
    account.active = active
    session.add(account)
    return 0 if active else end_sessions(session, staff_id=account.id or 0)


def start_session(
    session: Session, *, token_hash: str, staff_id: int, expires_at: dt.datetime, address: str
) -> None:
    """Record a signed-in session (a new row, so a new id, at every sign-in)."""
    now = utcnow()
    # Housekeeping while we are here: this account's expired sessions go.
    session.execute(
        delete(StaffSession).where(
            col(StaffSession.staff_id) == staff_id, col(StaffSession.expires_at) < now
        )
    )
    session.add(
        StaffSession(
            token_hash=token_hash,
            staff_id=staff_id,
            expires_at=expires_at,
            address=address[:64],
        )
    )


def session_account(session: Session, *, token_hash: str) -> StaffAccount | None:
    """The active account behind an unexpired session, or None."""
    return session.exec(
        select(StaffAccount)
        .join(StaffSession, col(StaffSession.staff_id) == col(StaffAccount.id))
        .where(
            StaffSession.token_hash == token_hash,
            col(StaffSession.expires_at) > utcnow(),
            col(StaffAccount.active),
        )
    ).first()


def end_session(session: Session, *, token_hash: str) -> None:
    """Sign out one session (logout)."""
    session.execute(delete(StaffSession).where(col(StaffSession.token_hash) == token_hash))


def throttle_hit(session: Session, *, key: str, window: dt.timedelta) -> int:
    """Count one attempt under `key` in a fixed window; returns the count, this one included.

    One statement, so concurrent attempts each get their own number even on PostgreSQL
    (the conflicting row is locked by the upsert): no check-then-insert race.
    """
    now = utcnow()
    expired = col(LoginThrottle.window_start) < now - window
    insert = (sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert)(
        LoginThrottle
    )
    statement = (
        insert.values(key=key, window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=[col(LoginThrottle.key)],
            set_={
                "count": case((expired, 1), else_=col(LoginThrottle.count) + 1),
                "window_start": case((expired, now), else_=col(LoginThrottle.window_start)),
            },
        )
        .returning(col(LoginThrottle.count))
    )
    return int(session.execute(statement).scalar_one())


def throttle_clear(session: Session, *, key: str, window: dt.timedelta) -> None:
    """Forget a key after a correct sign-in, and every window that has run out."""
    session.execute(
        delete(LoginThrottle).where(
            or_(
                col(LoginThrottle.key) == key,
                col(LoginThrottle.window_start) < utcnow() - window,
            )
        )
    )


def purge_stale(session: Session, *, now: dt.datetime, window: dt.timedelta) -> int:
    """Delete expired staff sessions and throttle windows that have run out; returns how many.

    Sign-in only prunes what it touches, so an attacker's many usernames and addresses would
    otherwise stay in `login_throttle`; `madoguchi retention run` calls this every time.
    """
    sessions = session.execute(delete(StaffSession).where(col(StaffSession.expires_at) < now))
    windows = session.execute(
        delete(LoginThrottle).where(col(LoginThrottle.window_start) < now - window)
    )
    return int(sessions.rowcount or 0) + int(windows.rowcount or 0)  # type: ignore[attr-defined]


def all_accounts(session: Session) -> list[StaffAccount]:
    """Every account, active or not, by username (the admin page and `staff list`)."""
    return list(session.exec(select(StaffAccount).order_by(col(StaffAccount.username))))


def account_by_id(session: Session, *, staff_id: int) -> StaffAccount | None:
    """An account by id, active or not (the admin page)."""
    return session.get(StaffAccount, staff_id)


def update_account(
    session: Session,
    *,
    account: StaffAccount,
    display_name: str | None = None,
    role: str | None = None,
    platforms: list[str] | None = None,
    language: str | None = None,
) -> None:
    """Change an account's name, role, desks or language (None keeps each). Signed-in
    sessions see the change at their next request (every request reads the account)."""
    if display_name is not None:
        account.display_name = display_name
    if role is not None:
        account.role = role
    if platforms is not None:
        account.platforms = sorted(set(platforms))
    if language is not None and hasattr(account, "language"):
        account.language = language
    session.add(account)
    session.flush()


def live_sessions(session: Session, *, staff_ids: list[int]) -> dict[int, int]:
    """Unexpired sessions per account (the admin page shows who is signed in)."""
    rows = session.exec(
        select(StaffSession.staff_id).where(
            col(StaffSession.staff_id).in_(staff_ids), col(StaffSession.expires_at) > utcnow()
        )
    )
    counts: dict[int, int] = {}
    for staff_id in rows:
        counts[staff_id] = counts.get(staff_id, 0) + 1
    return counts
