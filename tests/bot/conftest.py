"""Fixtures shared by the bot tests: Debian's chromium driven by Playwright for Python, and the
app served by a real uvicorn on a real socket."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
NO_BROWSER = "BROWSER TESTS SKIPPED: Debian's chromium is not installed (make installs it as root)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(app: Any) -> Iterator[tuple[str, int]]:
    """The module's `app` behind the uvicorn configuration `madoguchi serve` runs with."""
    import uvicorn

    from bot.server import server_config

    port = free_port()
    running = uvicorn.Server(
        server_config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()
