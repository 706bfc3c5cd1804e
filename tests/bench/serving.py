"""What the process benchmarks share: a fresh PostgreSQL schema when asked, and a real
`madoguchi serve` started and waited for."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx


def bench_schema(env: dict[str, str], database: str | None) -> tuple[str | None, Any]:
    """With `database` (BENCH_DATABASE_URL), a new schema set in `env`; (schema, admin engine)."""
    if not database:
        return None, None
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    env["DATABASE_URL"] = f"{database}?options=-csearch_path%3D{schema}"
    return schema, admin


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`madoguchi serve` on `port`, returned once /healthz answers (60 s at most)."""
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "madoguchi"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.terminate()
            raise SystemExit("server did not start")
        time.sleep(0.2)
