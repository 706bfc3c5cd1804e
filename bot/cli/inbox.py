"""`madoguchi inbox` commands."""

from __future__ import annotations

from typing import Any


def register(groups: Any) -> None:
    """Add the inbox command group (to be written)."""
