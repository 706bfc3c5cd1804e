"""The desk's behaviour: intake dialogue, Q&A, status and hand-offs."""

from workflows.desk import Desk
from workflows.io import Card, Choice, Incoming, Outgoing
from workflows.turn import State

__all__ = ["Card", "Choice", "Desk", "Incoming", "Outgoing", "State"]
