"""Keeps things: SQLModel tables, migrations and the repository layer."""

from storage import repository
from storage.db import database_url, make_engine, upgrade
from storage.public import ConversationPublic, ProposalEventPublic, ProposalPublic

__all__ = [
    "ConversationPublic",
    "ProposalEventPublic",
    "ProposalPublic",
    "database_url",
    "make_engine",
    "repository",
    "upgrade",
]
