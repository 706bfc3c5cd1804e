"""No configured secret appears in the logs of a real `madoguchi -v serve` run (DEBUG level).

The server runs as its own process with LINE, Slack and Telegram configured against fake
platform APIs; each channel gets a really signed message and answers it through its SDK.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine

from bot.logs import RedactingFilter
from knowledge import KnowledgeBase
from tests.bot.channels_helpers import (
    line_body,
    line_signature,
    make_line_event,
    make_slack_event,
    make_telegram_update,
    slack_headers,
)
from tests.bot.conftest import free_port
from tests.conftest import EMBEDDING_CACHE

MADOGUCHI = Path(sys.executable).parent / "madoguchi"
SESSION_SECRET = "session-secret-Zq8v3Lr0Yt5Wm2Nc7Hx4Pb9Kd6Fs1Ja"
LINE = {"channel_secret": "line-secret-7c1e9a40b2d8", "access_token": "line-token-Qm4T8zR2wK6y"}
SLACK = {"signing_secret": "slack-signing-5d0f3b7e91a2", "bot_token": "xoxb-1111-2222-Vb7Nq3Xs9"}
TELEGRAM_TOKEN = "7412365890:AAHk3xY9-Lq_Zt7Wm2Rb5Nc8Pd1Fs4Gj6He"
TELEGRAM = {"bot_token": TELEGRAM_TOKEN, "secret_token": "tg-secret-Rt5Yu8Io2Pa4"}
DB_PASSWORD = "db-password-Hn6Jm9Kl3Qw"  # PostgreSQL here trusts local users: never checked
SECRETS = [
    SESSION_SECRET,
    *LINE.values(),
    *SLACK.values(),
    *TELEGRAM.values(),
    TELEGRAM_TOKEN.split(":", 1)[1],
]


def fake_platforms(server: HTTPServer) -> None:
    """Just enough of the LINE, Slack and Telegram APIs to answer a message."""
    sent = {"sentMessages": [{"id": "461230966842064897", "quoteToken": "q"}]}
    server.expect_request("/v2/bot/message/reply", method="POST").respond_with_json(sent)
    server.expect_request("/v2/bot/message/push", method="POST").respond_with_json(sent)
    bot = f"/bot{TELEGRAM_TOKEN}"
    me = {"id": 7412365890, "is_bot": True, "first_name": "Madoguchi", "username": "mado_bot"}
    server.expect_request(f"{bot}/getMe").respond_with_json({"ok": True, "result": me})
    message = {"message_id": 9, "date": 1700000000, "chat": {"id": 42, "type": "private"}}
    server.expect_request(f"{bot}/sendMessage").respond_with_json({"ok": True, "result": message})
    identity = {"ok": True, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1", "user": "m"}
    server.expect_request("/api/auth.test").respond_with_json(identity)
    server.expect_request("/api/chat.postMessage").respond_with_json(
        {"ok": True, "channel": "D456", "ts": "2.2"}
    )


def database_url(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return engine.url.render_as_string()
    return engine.url.set(password=DB_PASSWORD).render_as_string(hide_password=False)


@dataclass
class Served:
    """A running `madoguchi serve` and the file its stdout and stderr go to."""

    url: str
    output: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> str:
        """Stop it as systemd would (SIGTERM) and return everything it wrote."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.output.read_text(errors="replace")

    @classmethod
    def start(cls, env: dict[str, str], folder: Path, *options: str) -> Served:
        """`madoguchi [options] serve` on a free port, once it answers `/healthz`."""
        port = free_port()
        output = folder / "serve.log"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [str(MADOGUCHI), *options, "serve", "--port", str(port)],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        served = cls(f"http://127.0.0.1:{port}", output, process)
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start:\n{served.stop()[-3000:]}")
            try:
                if httpx.get(f"{served.url}/healthz").status_code == 200:
                    return served
            except httpx.HTTPError:
                pass
            time.sleep(0.2)


@pytest.fixture
def server(
    engine: Engine, sample_kb: KnowledgeBase, httpserver: HTTPServer, tmp_path: Path
) -> Iterator[Served]:
    """`madoguchi -v serve` on a free port, against fake platform APIs."""
    fake_platforms(httpserver)
    data = tmp_path / "data"
    shutil.copytree(sample_kb.data_dir, data)  # the sample platforms, already ingested
    base = httpserver.url_for("").rstrip("/")
    env = {
        **os.environ,
        "MADOGUCHI_DATA_DIR": str(data),
        "MADOGUCHI_EMBEDDINGS_CACHE": str(EMBEDDING_CACHE),
        "DATABASE_URL": database_url(engine),
        "MADOGUCHI_SESSION_SECRET": SESSION_SECRET,
        "MADOGUCHI_CHANNELS": json.dumps(
            {"zerocarbon": {"line": LINE, "slack": SLACK, "telegram": TELEGRAM}}
        ),
        "MADOGUCHI_LINE_API_BASE": base,
        "MADOGUCHI_SLACK_API_BASE": f"{base}/api/",
        "MADOGUCHI_TELEGRAM_API_BASE": base,
    }
    served = Served.start(env, tmp_path, "-v")
    yield served
    served.stop()


def wait_for_calls(server: HTTPServer, paths: list[str], *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = {request.path for request, _ in server.log}
        if all(path in seen for path in paths):
            return
        time.sleep(0.1)
    raise AssertionError(f"not called: {set(paths) - {r.path for r, _ in server.log}}")


def spellings(secret: str) -> set[str]:
    """The secret as it could appear in a log: raw, URL-encoded, JSON-escaped."""
    return {secret, urllib.parse.quote(secret, safe=""), json.dumps(secret)[1:-1]}


@pytest.mark.fault
def test_a_verbose_run_logs_no_secret(
    server: Served, httpserver: HTTPServer, engine: Engine
) -> None:
    url = server.url
    line = line_body(make_line_event("参加の階層は変更できますか"))
    answer = httpx.post(
        f"{url}/webhooks/line/zerocarbon",
        content=line,
        headers={"x-line-signature": line_signature(line, LINE["channel_secret"])},
    )
    assert answer.status_code == 200
    slack = json.dumps(make_slack_event("参加の階層は変更できますか")).encode()
    headers = slack_headers(slack, secret=SLACK["signing_secret"])
    assert httpx.post(f"{url}/webhooks/slack/zerocarbon", content=slack, headers=headers).is_success
    telegram = json.dumps(make_telegram_update("参加の階層は変更できますか")).encode()
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": TELEGRAM["secret_token"],
        "Content-Type": "application/json",
    }
    answer = httpx.post(f"{url}/webhooks/telegram/zerocarbon", content=telegram, headers=headers)
    assert answer.status_code == 200
    wait_for_calls(
        httpserver,
        ["/v2/bot/message/reply", "/api/chat.postMessage", f"/bot{TELEGRAM_TOKEN}/sendMessage"],
    )
    # The replies really were authenticated with the secrets the log must not show.
    authorisations = {r.headers.get("Authorization") for r, _ in httpserver.log}
    assert f"Bearer {LINE['access_token']}" in authorisations
    assert f"Bearer {SLACK['bot_token']}" in authorisations
    text = server.stop()  # its whole output, start to shutdown

    secrets = SECRETS + ([DB_PASSWORD] if engine.dialect.name == "postgresql" else [])
    leaked = sorted({s for s in secrets for spelling in spellings(s) if spelling in text})
    assert leaked == [], f"secrets in the log: {leaked}"
    # A DEBUG run that says what it did, so that the check above could fail: the Bot API
    # calls appear (token redacted), and so do Slack's.
    assert "DEBUG" in text and "INFO" in text
    assert "/bot<redacted>/sendMessage" in text
    assert "Sending a request - url: POST" in text and "/api/chat.postMessage" in text
    assert '"POST /webhooks/line/zerocarbon HTTP/1.1" 200' in text  # (LINE's SDK logs no URL)
    assert "INSECURE" not in text  # a 48-byte secret is not weak


def test_filter_redacts_message_arguments_and_tracebacks() -> None:
    redactor = RedactingFilter(["s3cr3t-value", "s3cr3t"])
    try:
        raise ValueError("bad token s3cr3t-value")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "calling %s with %s", ("url", "s3cr3t"), None
        )
        record.exc_info = sys.exc_info()
    assert redactor.filter(record)
    formatted = logging.Formatter().format(record)
    assert "s3cr3t" not in formatted
    assert "calling url with <redacted>" in formatted
    assert "bad token <redacted>" in formatted
    url = "POST https://api.telegram.org/bot123456789:AAE-x_y/getMe 200"
    assert redactor.redact(url) == "POST https://api.telegram.org/bot<redacted>/getMe 200"


def test_uncaught_settings_error_does_not_print_the_secret(tmp_path: Path) -> None:
    """pydantic quotes the input of invalid settings; the command shows only the reason."""
    env = {
        **os.environ,
        "MADOGUCHI_ENVIRONMENT": "production",
        "MADOGUCHI_SESSION_SECRET": "short-but-secret",
        "MADOGUCHI_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [str(MADOGUCHI), "proposals", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert "at least 32 random bytes" in run.stderr
    assert "short-but-secret" not in run.stderr + run.stdout


def test_serve_with_the_public_development_secret_warns_loudly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_EMBEDDINGS_CACHE": str(EMBEDDING_CACHE),
    }
    for name in ("DATABASE_URL", "MADOGUCHI_SESSION_SECRET", "MADOGUCHI_ENVIRONMENT"):
        env.pop(name, None)
    text = Served.start(env, tmp_path).stop()
    assert "WARNING madoguchi.server: INSECURE: MADOGUCHI_SESSION_SECRET" in text
