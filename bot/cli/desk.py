"""`madoguchi chat`, `madoguchi db upgrade`, `madoguchi proposals list|show` (serve: `serve.py`)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from sqlmodel import Session

from bot.channels import terminal
from bot.settings import Settings
from bot.wiring import build_desk, build_engine
from storage import repository


def register(groups: Any) -> None:
    """Add the chat, db and proposals command groups."""
    chat = groups.add_parser("chat", help="talk to the desk in the terminal")
    chat.add_argument("--platform", required=True)
    chat.add_argument("--user", default=None, help="who you are (default: your login name)")
    chat.set_defaults(handler=_chat)

    db = groups.add_parser("db", help="database")
    db_commands = db.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(handler=_upgrade)

    proposals = groups.add_parser("proposals", help="filed proposals")
    commands = proposals.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="list proposals, newest first")
    listing.add_argument("--platform")
    listing.add_argument("--status")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    show = commands.add_parser("show", help="one proposal's full record")
    show.add_argument("reference")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)


def _chat(args: argparse.Namespace) -> int:
    desk = build_desk(Settings())
    if args.platform not in desk.platforms:
        known = ", ".join(sorted(desk.platforms))
        print(f"error: unknown platform {args.platform!r} (known: {known})", file=sys.stderr)
        return 2
    user = args.user or getpass.getuser()
    return terminal.run(desk, platform=args.platform, user=user, stdin=sys.stdin, stdout=sys.stdout)


def _upgrade(args: argparse.Namespace) -> int:
    engine = build_engine(Settings())
    print(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")
    return 0


def _list(args: argparse.Namespace) -> int:
    with Session(build_engine(Settings())) as session:
        rows = repository.list_proposals(session, platform_id=args.platform, status=args.status)
    if args.json:
        print(
            json.dumps(
                [r.model_dump(mode="json", exclude={"record"}) for r in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not rows:
        print("no proposals")
    for row in rows:
        print(
            f"{row.reference}  {row.status:<17} due {row.due_date}  {row.organisation}  {row.title}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    with Session(build_engine(Settings())) as session:
        row = repository.find_proposal(session, reference=args.reference)
        history = repository.proposal_history(session, proposal_id=row.id) if row else []
    if row is None:
        print(f"error: no proposal {args.reference}", file=sys.stderr)
        return 1
    if args.json:
        payload = row.model_dump(mode="json")
        payload["history"] = [h.model_dump(mode="json") for h in history]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(json.dumps(row.record, ensure_ascii=False, indent=2))
    return 0
