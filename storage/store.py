"""A transaction per turn over the repository functions (the desk's `DeskStore`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import messaging, repository


class SqlTurn:
    """The repository functions bound to one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __getattr__(self, name: str) -> Any:
        module = repository if hasattr(repository, name) else messaging
        return partial(getattr(module, name), self.session)


class SqlStore:
    """Each `begin()` is one transaction: committed on success, rolled back on error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def begin(self) -> Iterator[Any]:
        """A `SqlTurn` inside a transaction."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield SqlTurn(session)
