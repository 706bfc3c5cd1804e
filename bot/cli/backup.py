"""`madoguchi backup DIR` and `madoguchi restore BACKUP --yes`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings


def register(groups: Any) -> None:
    """Add the backup and restore commands."""
    backup = groups.add_parser(
        "backup",
        help="back up the database, proposers' files and the embedding cache (safe while running)",
    )
    backup.add_argument("into", type=Path, help="folder to write the backup into")
    backup.set_defaults(handler=_backup)
    restore = groups.add_parser(
        "restore",
        help="restore a backup (stop web and workers first), then `knowledge ingest --all`",
    )
    restore.add_argument("folder", type=Path, help="a folder written by `madoguchi backup`")
    restore.add_argument("--yes", action="store_true", help="yes, replace the current data")
    restore.set_defaults(handler=_restore)


def _paths(settings: Settings) -> tuple[Path, Path]:
    cache = settings.embeddings_cache or settings.data_dir / "cache" / "embeddings.sqlite"
    return settings.data_dir, cache


def _backup(args: argparse.Namespace) -> int:
    from bot.backups import BackupError, describe, make_backup, read_manifest
    from bot.wiring import build_engine

    settings = Settings()
    data_dir, cache = _paths(settings)
    try:
        folder = make_backup(
            engine=build_engine(settings), data_dir=data_dir, cache=cache, into=args.into
        )
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {folder}")
    print(json.dumps(describe(read_manifest(folder)), indent=2))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from bot.backups import BackupError, describe, read_manifest, restore_backup
    from bot.wiring import build_engine

    settings = Settings()
    data_dir, cache = _paths(settings)
    try:
        manifest = read_manifest(args.folder)
        if not args.yes:
            print(json.dumps(describe(manifest), indent=2))
            print(
                "this replaces the current database, files and embedding cache: stop the web "
                "and worker processes, then run again with --yes",
                file=sys.stderr,
            )
            return 2
        restore_backup(
            folder=args.folder, engine=build_engine(settings), data_dir=data_dir, cache=cache
        )
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    build_engine(settings)  # a backup of an older version is migrated to this one
    print(f"restored {args.folder} ({manifest.created_at})")
    print("now rebuild the search indexes: madoguchi knowledge ingest --all")
    return 0
