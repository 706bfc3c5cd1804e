"""The `madoguchi` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot import logs
from bot.cli import (
    backup,
    desk,
    inbox,
    knowledge,
    outbox,
    retention,
    serve,
    settings,
    staff,
    worker,
)

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group."""
    parser = argparse.ArgumentParser(prog="madoguchi", description="Madoguchi co-creation desk")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    groups = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    knowledge.register(groups)
    desk.register(groups)
    serve.register(groups)
    staff.register(groups)
    inbox.register(groups)
    outbox.register(groups)
    retention.register(groups)
    worker.register(groups)
    settings.register(groups)
    backup.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logs.configure(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        json_format=logs.json_requested(),
    )
    if not args.verbose:
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build
    logs.install(logs.configured_secrets())
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
