"""`deploy/.env.example`, written from `Settings` itself so it names every setting, always.

Each variable comes with its default and the comment lines written above (or beside) the
field in `bot/settings.py`; the few a deployment must set are given deployment values.
"""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

from pydantic import AliasChoices

from bot import settings as settings_module
from bot.settings import Settings

__all__ = ["env_example", "variable_names"]

HEADER = """\
# Madoguchi settings for a deployment (deploy/compose.yaml reads this file as .env).
# Written by `madoguchi settings example` from bot/settings.py: regenerate, do not edit by hand
# (a test fails when a setting is missing). Lines starting with "# " show defaults.
"""
# What a deployment sets; everything else may keep its default.
DEPLOYMENT = {
    "environment": "production",
    "database_url": "postgresql+psycopg://madoguchi:CHANGE-ME@postgres:5432/madoguchi",
    "chroma_url": "http://chroma:8000",
    "data_dir": "/var/lib/madoguchi",
    "public_url": "https://madoguchi.example.jp",
    "session_secret": "",
    "channels": "'{}'",
    "background_workers": "false",
    "log_format": "json",
}
FILL_IN = {
    "session_secret": "set: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'",
    "channels": (
        'set: \'{"kyoso-front": {"line": {"channel_secret": "...", "access_token": '
        '"..."}, "staff_channel": "C0123"}}\' (see README: channels)'
    ),
}


def _name(field: str) -> str:
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"MADOGUCHI_{field.upper()}"


def variable_names() -> list[str]:
    """Every environment variable `Settings` reads, in the order of its fields."""
    return [_name(field) for field in Settings.model_fields]


def _comments() -> dict[str, list[str]]:
    """The comment lines above each field of `Settings` (and the one beside it)."""
    source = inspect.getsource(settings_module)
    lines = source.splitlines()
    found: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.ClassDef) and node.name == "Settings"):
            continue
        for statement in node.body:
            if not (
                isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            ):
                continue
            above: list[str] = []
            row = statement.lineno - 2
            while row >= 0 and lines[row].strip().startswith("#"):
                above.insert(0, lines[row].strip().lstrip("#").strip())
                row -= 1
            beside = lines[statement.lineno - 1].partition("  # ")[2].strip()
            found[statement.target.id] = above + ([beside] if beside else [])
    return found


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return "'" + json.dumps(value) + "'"
    if isinstance(value, Path):
        return "" if value.is_absolute() else str(value)  # an installed path: the built-in one
    return str(value)


COMPOSE = """\
# --- deploy/compose.yaml only (not read by Madoguchi itself) ---
# The PostgreSQL password (compose builds DATABASE_URL from it) and the public host name
# Caddy gets a TLS certificate for.
POSTGRES_PASSWORD=
MADOGUCHI_DOMAIN=madoguchi.example.jp
"""


def env_example() -> str:
    """The text of `deploy/.env.example`."""
    comments = _comments()
    out = [HEADER, COMPOSE]
    for field, info in Settings.model_fields.items():
        for line in comments.get(field, []):
            out.append(f"# {line}".rstrip())
        if field in FILL_IN:
            out.append(f"# {FILL_IN[field]}")
        name = _name(field)
        if field in DEPLOYMENT:
            out.append(f"{name}={DEPLOYMENT[field]}")
        else:
            out.append(f"# {name}={_value(info.default)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
