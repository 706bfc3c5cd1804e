"""The `madoguchi` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot import logs
from bot.cli import desk, inbox, knowledge, outbox, retention, staff

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group."""
    parser = argparse.ArgumentParser(prog="madoguchi", description="Madoguchi co-creation desk")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    groups = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    knowledge.register(groups)
    desk.register(groups)
    staff.register(groups)
    inbox.register(groups)
    outbox.register(groups)
    retention.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build
    logs.install(logs.configured_secrets())
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
