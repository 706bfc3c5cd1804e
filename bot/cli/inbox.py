"""`madoguchi inbox list|retry`: see stored webhook events and re-queue quarantined ones."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlmodel import Session

from bot.settings import Settings
from bot.wiring import build_engine
from storage import inbound
from storage.models import InboundEvent

STATUSES = ("pending", "failed", "done")


def register(groups: Any) -> None:
    """Add the inbox command group."""
    inbox = groups.add_parser("inbox", help="incoming webhook events (quarantined ones for staff)")
    commands = inbox.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="stored events, newest first")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    retry = commands.add_parser("retry", help="put quarantined events back in line")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, help="the event's id (see `inbox list`)")
    which.add_argument("--failed", action="store_true", help="every quarantined event")
    retry.set_defaults(handler=_retry)


def _public(row: InboundEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "channel": row.channel,
        "platform": row.platform_id,
        "external_id": row.external_id,
        "received_at": row.received_at.isoformat(),
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat(),
        "last_error": row.last_error,
        "payload": row.payload,
    }


def _list(args: argparse.Namespace) -> int:
    with Session(build_engine(Settings())) as session:
        rows = inbound.inbound_rows(session, status=args.status, limit=max(0, args.limit))
    if args.json:
        print(json.dumps([_public(row) for row in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no events")
    for row in rows:
        received = row.received_at.isoformat(timespec="seconds")
        error = f"  last error: {row.last_error}" if row.last_error else ""
        print(
            f"#{row.id} {row.status:<7} {row.channel}/{row.platform_id} received {received} "
            f"x{row.attempts}{error}"
        )
    return 0


def _retry(args: argparse.Namespace) -> int:
    with Session(build_engine(Settings())) as session, session.begin():
        if args.failed:
            ids = inbound.requeue_inbound(session)
            print(
                f"re-queued {len(ids)} quarantined event(s): {', '.join(f'#{i}' for i in ids)}"
                if ids
                else "no quarantined events"
            )
            return 0
        row = session.get(InboundEvent, args.id)
        if row is None:
            print(f"error: no inbox event #{args.id}", file=sys.stderr)
            return 1
        if row.status == "done":
            print(
                f"error: event #{args.id} was already answered; re-queueing it would "
                "answer it twice",
                file=sys.stderr,
            )
            return 1
        was = f"{row.channel}/{row.platform_id}, was {row.status}, {row.attempts} attempt(s)"
        inbound.requeue_inbound(session, event_ids=[args.id])
        print(f"re-queued event #{args.id} ({was}); the running server takes it within seconds")
    return 0
