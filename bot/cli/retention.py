"""`madoguchi retention run`: delete or anonymise old transcripts and contact details."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.settings import Settings
from bot.wiring import build_engine
from storage.retention import apply_retention
from workflows.turn import State

LABELS = {
    "conversations": "conversations cleared",
    "messages": "transcript messages deleted",
    "contacts": "contacts anonymised",
    "inquiries": "answered inquiries cleared",
    "proposals": "closed proposals anonymised",
    "inbound_events": "inbound events deleted",
    "outbox": "outbox messages deleted",
    "intake_outcomes": "refused/abandoned intakes deleted",
    "sign_ins": "stale staff sign-in rows deleted",
    "attachments": "proposers' files deleted (rows)",
    "attachment_files": "files removed from the data dir",
}


def _days(value: str) -> int:
    days = int(value)
    if days < 0:
        raise argparse.ArgumentTypeError("days must be 0 (keep everything) or more")
    return days


def register(groups: Any) -> None:
    """Add the retention command group."""
    retention = groups.add_parser(
        "retention", help="delete or anonymise transcripts and contacts after N days"
    )
    commands = retention.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="apply the retention rule now (safe while the server runs; for cron)",
        description=(
            "Conversations idle more than N days with nothing open lose their transcript, "
            "dialogue state and contact details; closed proposals older than N days lose the "
            "proposer's name, e-mail and phone; finished inbox and outbox rows are deleted."
        ),
    )
    run.add_argument(
        "--days",
        type=_days,
        default=None,
        help="keep this many days (default: MADOGUCHI_RETENTION_DAYS, 365; 0 keeps everything)",
    )
    run.add_argument("--dry-run", action="store_true", help="count only; change nothing")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    days = settings.retention_days if args.days is None else args.days
    counts = apply_retention(
        build_engine(settings),
        days=days,
        reset_state=State.IDLE,
        dry_run=args.dry_run,
        data_dir=settings.data_dir,
    )
    if args.json:
        report = {"days": days, "dry_run": args.dry_run, "counts": counts.as_dict()}
        print(json.dumps(report, indent=2))
        return 0
    if days == 0:
        print(
            "retention is off (0 days): nothing personal deleted "
            f"({counts.sign_ins} stale sign-in rows removed)"
        )
        return 0
    verb = "would change (dry run, nothing changed)" if args.dry_run else "changed"
    print(f"retention {days} days: {verb}")
    for kind, count in counts.as_dict().items():
        print(f"  {LABELS[kind]:<30} {count}")
    return 0
