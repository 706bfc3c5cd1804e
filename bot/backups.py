"""Backups: the database, the proposers' files and the embedding cache, with a manifest.

The vectors (Chroma) and the lexical indexes are not backed up: `madoguchi knowledge ingest
--all` rebuilds them from the platform documents, and with the embedding cache restored it
does so without computing a single embedding. PostgreSQL is dumped with `pg_dump` (custom
format, only Madoguchi's schema), SQLite with its online backup API; both are consistent
while the server runs. A restore checks every file against the manifest before it touches
anything, and replaces the database whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.listener import conninfo

__all__ = ["BackupError", "Manifest", "make_backup", "restore_backup"]

MANIFEST = "manifest.json"
DUMP = "database.dump"
SQLITE = "database.sqlite"
CACHE = "embeddings.sqlite"
ATTACHMENTS = "attachments"
COUNTED = ("proposal", "conversation", "message", "inbound_event", "outbox", "attachment")


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass
class Manifest:
    """What a backup holds."""

    created_at: str
    database: str
    revision: str | None
    counts: dict[str, int]
    files: dict[str, str]  # relative path -> sha256

    def dump(self) -> str:
        return json.dumps(self.__dict__, indent=2, ensure_ascii=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema(engine: Engine) -> str | None:
    """The schema named by `options=-csearch_path=…` in the URL (tests, shared databases)."""
    options = parse_qs(engine.url.render_as_string(hide_password=False).partition("?")[2])
    for option in options.get("options", []):
        if option.startswith("-csearch_path="):
            return option.removeprefix("-csearch_path=").split(",")[0]
    return None


def _pg_env(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """libpq arguments for pg_dump/pg_restore (the password goes by environment, not argv)."""
    url = engine.url
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    target = conninfo(url.set(password=None, query={}))
    schema = _schema(engine)
    return [f"--dbname={target}", *([f"--schema={schema}"] if schema else [])], env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _facts(engine: Engine) -> tuple[str | None, dict[str, int]]:
    counts = {}
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        for table in COUNTED:
            try:
                counts[table] = int(
                    connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                )
            except Exception:  # noqa: BLE001 - a table of a later migration: not counted
                connection.rollback()
    return revision, counts


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (its online backup API)."""
    live, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def make_backup(*, engine: Engine, data_dir: Path, cache: Path, into: Path) -> Path:
    """Write a new backup folder under `into`; returns its path."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = into / f"madoguchi-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    revision, counts = _facts(engine)
    if engine.dialect.name == "postgresql":
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not installed (apt install postgresql-client)")
        args, env = _pg_env(engine)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={folder / DUMP}", *args], env)
    else:
        database = engine.url.database
        if not database:
            raise BackupError("an in-memory SQLite database cannot be backed up")
        _sqlite_copy(Path(database), folder / SQLITE)
    if cache.exists():
        _sqlite_copy(cache, folder / CACHE)
    if (data_dir / ATTACHMENTS).is_dir():
        shutil.copytree(data_dir / ATTACHMENTS, folder / ATTACHMENTS)
    files = {
        path.relative_to(folder).as_posix(): _sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = Manifest(
        created_at=stamp,
        database=engine.dialect.name,
        revision=revision,
        counts=counts,
        files=files,
    )
    (folder / MANIFEST).write_text(manifest.dump())
    return folder


def read_manifest(folder: Path) -> Manifest:
    """The manifest, once every file it lists is present and unchanged."""
    try:
        manifest = Manifest(**json.loads((folder / MANIFEST).read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(f"{folder} is not a Madoguchi backup: {exc}") from exc
    for relative, digest in manifest.files.items():
        path = folder / relative
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{relative} is missing or damaged; nothing was restored")
    return manifest


def restore_backup(*, folder: Path, engine: Engine, data_dir: Path, cache: Path) -> Manifest:
    """Put the backup's database, files and embedding cache back (replacing what is there)."""
    manifest = read_manifest(folder)
    if manifest.database != engine.dialect.name:
        raise BackupError(
            f"the backup is of a {manifest.database} database, the configured one is "
            f"{engine.dialect.name}"
        )
    if manifest.database == "postgresql":
        args, env = _pg_env(engine)
        engine.dispose()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
            + [str(folder / DUMP)],
            env,
        )
    else:
        engine.dispose()
        # Through SQLite's backup API into the live file: safe beside its WAL and readers.
        _sqlite_copy(folder / SQLITE, Path(engine.url.database or ""))
    if (folder / CACHE).exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(folder / CACHE, cache)
    if (folder / ATTACHMENTS).is_dir():
        shutil.copytree(folder / ATTACHMENTS, data_dir / ATTACHMENTS, dirs_exist_ok=True)
    return manifest


def describe(manifest: Manifest) -> dict[str, Any]:
    """A short account of a backup, for the command's output."""
    return {
        "created_at": manifest.created_at,
        "database": manifest.database,
        "revision": manifest.revision,
        "counts": manifest.counts,
        "files": len(manifest.files),
    }
