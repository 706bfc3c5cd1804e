"""`madoguchi settings example`: every setting, for deploy/.env.example."""

from __future__ import annotations

import argparse
from typing import Any


def register(groups: Any) -> None:
    """Add the settings command group."""
    settings = groups.add_parser("settings", help="configuration")
    commands = settings.add_subparsers(dest="command", required=True, metavar="COMMAND")
    example = commands.add_parser(
        "example", help="print an .env file naming every setting (deploy/.env.example)"
    )
    example.set_defaults(handler=_example)


def _example(args: argparse.Namespace) -> int:
    from bot.envfile import env_example

    print(env_example(), end="")
    return 0
