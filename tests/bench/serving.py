"""What the process benchmarks share: a fresh PostgreSQL schema when asked, and a real
`madoguchi serve` started and waited for."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web


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


class Process:
    """`madoguchi serve` (HTTP only) or `madoguchi worker` as a real process, output to a file."""

    def __init__(self, role: str, env: dict[str, str], log: Path, port: int = 0) -> None:
        self.role = role
        self.env = dict(env)
        self.log = log
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 90) -> Process:
        """Start and wait until it serves (web: /healthz) or says it works (worker)."""
        madoguchi = str(Path(sys.executable).parent / "madoguchi")
        if self.role == "web":
            self.env["MADOGUCHI_BACKGROUND_WORKERS"] = "false"
            command = [madoguchi, "serve", "--port", str(self.port)]
        else:
            command = [madoguchi, "worker"]
        mark = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.role} exited: {self.log.read_text()[-3000:]}")
            if self.ready(mark):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.role} did not start: {self.log.read_text()[-3000:]}")

    def ready(self, mark: int) -> bool:
        if self.role == "web":
            try:
                return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False
        with self.log.open("rb") as out:
            out.seek(mark)
            return b" started" in out.read()

    def terminate(self, *, timeout: float = 60) -> int:
        """SIGTERM and wait: the graceful stop. Returns the exit status."""
        assert self.process is not None
        self.process.terminate()
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no chance to hand anything back."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


Handler = Callable[[web.Request], Awaitable[web.Response]]


def serve_line_api(*, port: int, reply: Handler, push: Handler) -> None:
    """A fake LINE Messaging API (reply and push) on its own thread and event loop."""

    def serve() -> None:
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", reply)
        app.router.add_post("/v2/bot/message/push", push)
        runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
