"""Driving the real desk with a blind persona, turn by turn."""

from __future__ import annotations

import datetime as dt

from tests.personas_blind.model import Persona, Run
from tests.personas_blind.reader import REFERENCE, topic_of
from tests.personas_blind.speaker import Speaker
from workflows import Desk, Incoming

TURN_CAP = 40
CHANNEL = "personas"


def converse(desk: Desk, persona: Persona, *, user_key: str, turn_cap: int = TURN_CAP) -> Run:
    """Talk with the desk until filed, refused, stuck, given up or `turn_cap` user turns.

    A persona that walks away (a "resume" aside) moves the desk's clock on by that long.
    """
    run = Run(persona=persona, lang_now=persona.lang)
    speaker = Speaker(persona)
    message: str | None = persona.opening
    clock = desk.clock
    away = dt.timedelta()
    desk.clock = lambda: clock() + away
    try:
        while message is not None and run.user_turns < turn_cap:
            run.user_turns += 1
            speaker.said = message
            replies = desk.handle(Incoming(persona.platform, CHANNEL, user_key, message))
            whole = "\n".join(r.fallback_text() for r in replies)
            run.transcript.append((message, whole))
            topic, reply = topic_of(replies)
            message = speaker.respond(topic, reply, whole, run)
            away += dt.timedelta(hours=speaker.away_hours)
            speaker.away_hours = 0.0
    finally:
        desk.clock = clock
    run.lang_now = speaker.lang
    if run.outcome == "filed":
        found = REFERENCE.search(run.transcript[-1][1])
        run.reference = found.group(0) if found else None
    return run
