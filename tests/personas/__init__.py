"""Persona conversations: proposers who write the way people write (issue 9)."""

from tests.personas.personas import (
    BY_ID,
    PERSONAS,
    Facts,
    FieldCheck,
    Persona,
    Run,
    check_record,
    converse,
    filed_proposals,
)

__all__ = [
    "BY_ID",
    "PERSONAS",
    "Facts",
    "FieldCheck",
    "Persona",
    "Run",
    "check_record",
    "converse",
    "filed_proposals",
]
