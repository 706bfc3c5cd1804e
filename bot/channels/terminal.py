"""The terminal front end: interactive on a TTY, one message per line otherwise."""

from __future__ import annotations

from typing import TextIO

from workflows import Desk, Incoming

CHANNEL = "terminal"


def run(desk: Desk, *, platform: str, user: str, stdin: TextIO, stdout: TextIO) -> int:
    """Converse until end of input; every reply is printed, blank line after each turn."""
    interactive = stdin.isatty()
    if interactive:
        stdout.write("(Ctrl-D to quit)\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if not text:
            continue
        for reply in desk.handle(
            Incoming(platform=platform, channel=CHANNEL, user_key=user, text=text)
        ):
            stdout.write(reply.fallback_text() + "\n")
        stdout.write("\n")
        stdout.flush()
