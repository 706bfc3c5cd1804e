"""`madoguchi staff add|list|set|password|disable|enable|revoke|digest`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.settings import Settings
from bot.staff.auth import hash_password
from bot.wiring import build_engine, build_knowledge
from storage import accounts
from storage.models import StaffAccount
from storage.store import SqlStore


def register(groups: Any) -> None:
    """Add the staff command group."""
    parser = groups.add_parser("staff", help="staff accounts for the console")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = commands.add_parser("add", help="create a staff account")
    add.add_argument("username")
    add.add_argument("--name", help="display name (default: the username)")
    add.add_argument("--role", choices=["staff", "admin"], default="staff")
    add.add_argument(
        "--platform", action="append", required=True, help="a desk they work on (repeatable)"
    )
    add.add_argument("--slack-user", help="their Slack user id, for the staff channel buttons")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(handler=_add)
    password = commands.add_parser(
        "password", help="set a new password (signs the account out everywhere)"
    )
    password.add_argument("username")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    password.set_defaults(handler=_password)
    for name, handler, text in (
        ("disable", _disable, "disable an account and end all its sessions"),
        ("enable", _enable, "enable a disabled account again"),
        ("revoke", _revoke, "end all sessions of an account (it may sign in again)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("username")
        command.set_defaults(handler=handler)
    listing = commands.add_parser("list", help="list accounts: role, desks, active, sessions")
    listing.set_defaults(handler=_list)
    change = commands.add_parser("set", help="change an account's name, role, desks or language")
    change.add_argument("username")
    change.add_argument("--name", help="display name")
    change.add_argument("--role", choices=["staff", "admin"])
    change.add_argument(
        "--platform", action="append", help="the desks they work on (repeatable; replaces all)"
    )
    change.add_argument("--language", choices=["ja", "en"], help="the console's language")
    change.set_defaults(handler=_set)
    digest = commands.add_parser(
        "digest", help="queue today's overdue digest to the Slack staff channels (run daily)"
    )
    digest.add_argument("--platform")
    digest.set_defaults(handler=_digest)


def _add(args: argparse.Namespace) -> int:
    settings = Settings()
    known = set(build_knowledge(settings).platforms)
    unknown = [p for p in args.platform if p not in known]
    if unknown:
        print(
            f"error: unknown platform(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})",
            file=sys.stderr,
        )
        return 2
    password = _read_password(from_stdin=args.password_stdin)
    if password is None:
        return 2
    store = SqlStore(build_engine(settings))
    try:
        with store.begin() as tx:
            accounts.add_staff(
                tx.session,
                username=args.username,
                display_name=args.name or args.username,
                password_hash=hash_password(password),
                role=args.role,
                platforms=args.platform,
                slack_user_id=args.slack_user,
            )
    except IntegrityError:
        print(f"error: a staff account {args.username!r} already exists", file=sys.stderr)
        return 1
    print(f"staff account {args.username} ({args.role}) for {', '.join(args.platform)} created")
    return 0


def _read_password(*, from_stdin: bool) -> str | None:
    """A new password: typed twice at a terminal, or one line of piped standard input."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if password != getpass.getpass("again: "):
            print("error: the passwords differ", file=sys.stderr)
            return None
    if len(password) < 10:
        print("error: use a password of at least 10 characters", file=sys.stderr)
        return None
    return password


def _change(username: str, change: Callable[[Session, StaffAccount], int]) -> int | None:
    """Apply `change` to the named account in one transaction; None when there is none."""
    store = SqlStore(build_engine(Settings()))
    try:
        with store.begin() as tx:
            account = accounts.staff_named(tx.session, username=username)
            if account is None:
                print(f"error: no staff account {username!r}", file=sys.stderr)
                return None
            return change(tx.session, account)
    finally:
        store.engine.dispose()


def _password(args: argparse.Namespace) -> int:
    password = _read_password(from_stdin=args.password_stdin)
    if password is None:
        return 2
    hashed = hash_password(password)
    ended = _change(
        args.username,
        lambda session, account: accounts.set_password(
            session, account=account, password_hash=hashed
        ),
    )
    if ended is None:
        return 1
    print(f"password of {args.username} changed; {ended} session(s) ended")
    return 0


def _disable(args: argparse.Namespace) -> int:
    ended = _change(
        args.username,
        lambda session, account: accounts.set_active(session, account=account, active=False),
    )
    if ended is None:
        return 1
    print(f"staff account {args.username} disabled; {ended} session(s) ended")
    return 0


def _enable(args: argparse.Namespace) -> int:
    done = _change(
        args.username,
        lambda session, account: accounts.set_active(session, account=account, active=True),
    )
    if done is None:
        return 1
    print(f"staff account {args.username} enabled")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    ended = _change(
        args.username,
        lambda session, account: accounts.end_sessions(session, staff_id=account.id or 0),
    )
    if ended is None:
        return 1
    print(f"{ended} session(s) of {args.username} ended")
    return 0


def _list(args: argparse.Namespace) -> int:
    store = SqlStore(build_engine(Settings()))
    try:
        with store.begin() as tx:
            rows = accounts.all_accounts(tx.session)
            live = accounts.live_sessions(tx.session, staff_ids=[a.id or 0 for a in rows])
    finally:
        store.engine.dispose()
    print(f"{'username':<20} {'role':<6} {'active':<6} {'sessions':>8}  desks  (name)")
    for a in rows:
        print(
            f"{a.username:<20} {a.role:<6} {'yes' if a.active else 'no':<6} "
            f"{live.get(a.id or 0, 0):>8}  {','.join(a.platforms)}  ({a.display_name})"
        )
    return 0


def _set(args: argparse.Namespace) -> int:
    if args.platform:
        known = set(build_knowledge(Settings()).platforms)
        unknown = [p for p in args.platform if p not in known]
        if unknown:
            print(f"error: unknown platform(s) {', '.join(unknown)}", file=sys.stderr)
            return 2
    if args.name is not None and not args.name.strip():
        print("error: the display name is empty", file=sys.stderr)
        return 2

    def change(session: Session, account: StaffAccount) -> int:
        accounts.update_account(
            session,
            account=account,
            display_name=args.name.strip() if args.name else None,
            role=args.role,
            platforms=args.platform,
            language=args.language,
        )
        return 0

    if _change(args.username, change) is None:
        return 1
    print(f"staff account {args.username} updated")
    return 0


def _digest(args: argparse.Namespace) -> int:
    from bot.staff.slack_staff import Announcer

    settings = Settings()
    known = build_knowledge(settings).platforms
    chosen = [args.platform] if args.platform else sorted(known)
    announcer = Announcer(
        store=SqlStore(build_engine(settings)),
        settings=settings,
        platforms=chosen,
        on_queue=lambda: None,
        timezones={p.id: p.timezone for p in known.values()},
    )
    if not announcer.targets:
        print(
            "error: no platform has a Slack staff channel configured (staff_channel)",
            file=sys.stderr,
        )
        return 2
    # Each desk's "today" on its own clock (a cron run at 23:30 UTC is the next day in Tokyo).
    posted = announcer.digest()
    print(f"overdue digest queued for {posted} staff channel(s); the server's outbox delivers it")
    return 0
