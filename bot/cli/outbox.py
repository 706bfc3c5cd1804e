"""`madoguchi outbox list|retry`: replies awaiting delivery, and dead letters sent again."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlmodel import Session

from bot.settings import Settings
from bot.wiring import build_engine
from storage import messaging
from storage.models import Outbox

STATUSES = ["pending", "sending", "sent", "dead"]


def register(groups: Any) -> None:
    """Add the outbox command group."""
    outbox = groups.add_parser("outbox", help="outgoing messages: list, re-queue dead letters")
    commands = outbox.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="outbox messages, oldest first")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    retry = commands.add_parser(
        "retry", help="queue a message (or every dead letter) for delivery again, now"
    )
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, help="the message's id (see `outbox list`)")
    which.add_argument("--dead", action="store_true", help="every dead letter")
    retry.set_defaults(handler=_retry)


def _line(row: Outbox) -> str:
    text = str(row.payload.get("text", "")).replace("\n", " ")[:40]
    error = f"  last error: {row.last_error}" if row.last_error else ""
    return f"#{row.id} {row.status:<7} {row.channel}/{row.user_key} x{row.attempts} {text}{error}"


def _list(args: argparse.Namespace) -> int:
    with Session(build_engine(Settings())) as session:
        rows = messaging.outbox_rows(session, status=args.status)
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no messages")
    for row in rows:
        print(_line(row))
    return 0


def _retry(args: argparse.Namespace) -> int:
    engine = build_engine(Settings())
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            earlier = None if args.dead else session.get(Outbox, args.id)
            was = earlier.status if earlier else "dead"
            rows = messaging.requeue_outbox(session, outbox_id=args.id, dead=args.dead)
    except messaging.RequeueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not rows:
        print("no dead letters")
    for row in rows:
        error = f"; last error: {row.last_error}" if row.last_error else ""
        print(f"re-queued #{row.id} {row.channel}/{row.user_key} (was {was}{error})")
    return 0
