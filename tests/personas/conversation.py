"""Driving the real desk with a persona, turn by turn."""

from __future__ import annotations

import datetime as dt

from tests.personas.engine import Proposer
from tests.personas.outcome import Run
from tests.personas.profiles import Persona
from tests.personas.reading import read
from workflows import Desk, Incoming

TURN_CAP = 40


def converse(desk: Desk, persona: Persona, *, user_key: str, turn_cap: int = TURN_CAP) -> Run:
    """Drive the real desk with `persona` until filed, refused, abandoned or `turn_cap` turns.

    A persona that walks away (a "resume" quirk) moves the desk's clock on by that long.
    """
    run = Run(persona=persona)
    proposer = Proposer(persona)
    message: str | None = persona.opening
    clock = desk.clock
    away = dt.timedelta()
    desk.clock = lambda: clock() + away
    try:
        while message is not None and run.user_turns < turn_cap:
            run.user_turns += 1
            replies = desk.handle(Incoming(persona.platform, "personas", user_key, message))
            shown = "\n".join(r.fallback_text() for r in replies)
            run.transcript.append((message, shown))
            kind, reply = read(replies)
            message = proposer.respond(kind, reply, run, whole=shown)
            away += dt.timedelta(hours=proposer.away_hours)
            proposer.away_hours = 0.0
    finally:
        desk.clock = clock
    return run
