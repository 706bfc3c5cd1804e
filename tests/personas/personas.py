"""The persona cast (issue 9) and the engine that lets them talk to the real desk.

Each persona is a profile of true facts plus a style of writing; `converse` drives a
`workflows.Desk` with it, the persona reading every reply for its meaning and answering in
its own words; `check_record` compares the filed record with the facts.
"""

from __future__ import annotations

from tests.personas.cast_kf import KYOSO_STYLES
from tests.personas.cast_kf_turns import KYOSO_TURNS
from tests.personas.cast_zc import ZEROCARBON_STYLES
from tests.personas.cast_zc_turns import ZEROCARBON_TURNS
from tests.personas.checks import FieldCheck, check_record, filed_proposals
from tests.personas.conversation import TURN_CAP, converse
from tests.personas.engine import Proposer
from tests.personas.outcome import Run
from tests.personas.profiles import UNDECIDED, Facts, Persona

PERSONAS: list[Persona] = [*KYOSO_STYLES, *KYOSO_TURNS, *ZEROCARBON_STYLES, *ZEROCARBON_TURNS]
BY_ID = {p.id: p for p in PERSONAS}
assert len(BY_ID) == len(PERSONAS), "persona ids are unique"

__all__ = [
    "BY_ID",
    "PERSONAS",
    "TURN_CAP",
    "UNDECIDED",
    "Facts",
    "FieldCheck",
    "Persona",
    "Proposer",
    "Run",
    "check_record",
    "converse",
    "filed_proposals",
]
