"""What the adversarial probe of the hardened server still found, each fixed and pinned here.

Findings (reproductions under the probe's scripts, summarised in the issue 8 closing note):
request heads without limit (200 MB of headers grew the process by 213 MB), empty channel
secrets accepted in production (forged LINE events answered), bidi controls shown raw in the
console transcript, HEAD /healthz answered 405, a trailing-slash redirect built from Host.
"""

# The console's `app` fixture is imported, so every test's `app` parameter "redefines" it.
# ruff: noqa: F811

from __future__ import annotations

import os
import socket
from typing import Any

import psutil
import pytest
from pydantic import ValidationError

from bot.server import MAX_REQUEST_HEAD
from bot.settings import Settings
from tests.bot.test_staff_console import app, signed_in  # noqa: F401 - `app` is a fixture
from workflows import Incoming

MB = 1024 * 1024
STRONG = "k7Qm2xZp9LwR4tVb8NcY3sHd6JfG1aE5"  # 32 varied characters


@pytest.mark.fault
def test_a_request_head_of_many_megabytes_is_cut_off_without_taking_the_memory(
    server: tuple[str, int],
) -> None:
    process = psutil.Process(os.getpid())
    before = process.memory_info().rss
    header = b"X-Pad: " + b"a" * 8000 + b"\r\n"
    sent = 0
    answer = b""
    with socket.create_connection(server, timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")
        try:
            while sent < 50 * MB:
                sock.sendall(header * 128)  # ~1 MB at a time
                sent += len(header) * 128
        except OSError:
            pass  # the server closed the connection: what we want
        try:
            answer = sock.recv(4096)
        except OSError:
            answer = b""
    grown = process.memory_info().rss - before
    assert sent < 10 * MB, f"the server kept reading headers: {sent / MB:.0f} MB"
    assert grown < 20 * MB, f"RSS grew by {grown / MB:.0f} MB"
    assert not answer.startswith(b"HTTP/1.1 200")
    assert MAX_REQUEST_HEAD <= 64 * 1024


def test_health_answers_head_and_a_trailing_slash_is_not_redirected(
    server: tuple[str, int],
) -> None:
    import httpx

    base = f"http://{server[0]}:{server[1]}"
    assert httpx.head(f"{base}/healthz").status_code == 200
    response = httpx.get(f"{base}/staff/queue/", headers={"Host": "evil.example"})
    assert response.status_code == 404 and "location" not in response.headers


@pytest.mark.parametrize(
    "channels",
    [
        {"kyoso-front": {"line": {"channel_secret": "", "access_token": "t"}}},
        {"kyoso-front": {"telegram": {"bot_token": "1:x", "secret_token": ""}}},
        {"kyoso-front": {"slack": {"signing_secret": "", "bot_token": "xoxb-1"}}},
    ],
)
def test_an_empty_webhook_secret_is_refused_everywhere(channels: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Settings(channels=channels)


@pytest.mark.parametrize(
    ("secret", "channels"),
    [
        (" " * 32, {}),
        ("a" * 48, {}),
        (STRONG, {"kyoso-front": {"telegram": {"bot_token": "1:x", "secret_token": "short"}}}),
        (STRONG, {"kyoso-front": {"line": {"channel_secret": "0" * 32, "access_token": "t"}}}),
    ],
)
def test_production_refuses_guessable_secrets(secret: str, channels: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Settings(environment="production", session_secret=secret, channels=channels)


def test_production_accepts_real_secrets() -> None:
    line = {"channel_secret": "3f9a1c0e7b2d4a6f8e1c3b5d7f9a0c2e", "access_token": "t"}
    settings = Settings(
        environment="production", session_secret=STRONG, channels={"kyoso-front": {"line": line}}
    )
    assert settings.channels_of("kyoso-front").line is not None


async def test_the_console_shows_bidi_controls_instead_of_obeying_them(app: Any) -> None:
    desk = app.state.parts.inbox.desk
    desk.handle(
        Incoming("kyoso-front", "line", "Ukf", "ご連絡\u202eすまし願お\u200bを認確"), route={}
    )
    async with signed_in(app, "kf-staff") as client:
        page = await client.get(f"/staff/proposals/{app.state.kf}")
    assert page.status_code == 200
    assert "\u202e" not in page.text and "\u200b" not in page.text
    assert "⟦U+202E⟧" in page.text and "⟦U+200B⟧" in page.text
