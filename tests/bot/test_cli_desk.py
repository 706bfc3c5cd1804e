"""`madoguchi chat`, `db upgrade` and `proposals` as a user runs them: real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.test_terminal_chat import RICH
from tests.conftest import EMBEDDING_CACHE

MADOGUCHI = Path(sys.executable).parent / "madoguchi"


@pytest.fixture
def env(tmp_path: Path, sample_kb: object) -> dict[str, str]:
    environment = {
        **os.environ,
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_EMBEDDINGS_CACHE": str(EMBEDDING_CACHE),
    }
    environment.pop("DATABASE_URL", None)  # these runs use the SQLite file in the data dir
    subprocess.run(
        [str(MADOGUCHI), "knowledge", "ingest", "--all"],
        env=environment,
        check=True,
        capture_output=True,
    )
    return environment


def madoguchi(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MADOGUCHI), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_killed_mid_intake_the_chat_continues_where_it_stopped(env: dict[str, str]) -> None:
    first = subprocess.Popen(
        [str(MADOGUCHI), "chat", "--platform", "kyoso-front", "--user", "taro"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert first.stdin and first.stdout
    first.stdin.write(RICH + "\n")
    first.stdin.flush()
    answer = ""
    while "タイトル" not in answer:
        answer += first.stdout.readline()
    first.send_signal(signal.SIGKILL)  # no clean shutdown
    first.wait()
    second = madoguchi(
        env,
        "chat",
        "--platform",
        "kyoso-front",
        "--user",
        "taro",
        stdin="公園でのペットボトル回収実証\nはい\n1\n",
    )
    assert second.returncode == 0, second.stderr
    assert "3点に同意しますか" in second.stdout
    assert "受付番号は KF-" in second.stdout

    listing = json.loads(madoguchi(env, "proposals", "list", "--json").stdout)
    assert [p["title"] for p in listing] == ["公園でのペットボトル回収実証"]
    reference = listing[0]["reference"]
    shown = json.loads(madoguchi(env, "proposals", "show", reference, "--json").stdout)
    assert shown["record"]["reference"] == reference
    assert shown["record"]["proposer"]["email"] == "yamada@minato-recycle.co.jp"
    assert shown["record"]["consents"] == {
        "notes_acknowledged": True,
        "no_antisocial_ties": True,
        "privacy": True,
    }
    assert [h["to_status"] for h in shown["history"]] == ["received"]
    assert reference in madoguchi(env, "proposals", "list", "--status", "received").stdout
    assert "no proposals" in madoguchi(env, "proposals", "list", "--status", "agreed").stdout


def test_outbox_list_shows_dead_letters(env: dict[str, str]) -> None:
    from sqlmodel import Session

    from storage import database_url, make_engine, messaging, repository

    madoguchi(env, "db", "upgrade")
    engine = make_engine(database_url(url=None, data_dir=Path(env["MADOGUCHI_DATA_DIR"])))
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="zerocarbon", name_ja="x", name_en="x", reference_prefix="ZC"
        )
        row = messaging.enqueue(
            session,
            platform_id="zerocarbon",
            channel="line",
            user_key="U1",
            conversation_id=None,
            payload={"text": "こんにちは"},
        )
        messaging.mark_dead(session, outbox_id=row, error="LINE 400: blocked")
    listing = madoguchi(env, "outbox", "list", "--status", "dead")
    assert listing.returncode == 0
    assert (
        "dead" in listing.stdout
        and "line/U1" in listing.stdout
        and "LINE 400: blocked" in listing.stdout
    )
    assert json.loads(madoguchi(env, "outbox", "list", "--json").stdout)[0]["status"] == "dead"


def test_db_upgrade_and_errors(env: dict[str, str]) -> None:
    upgraded = madoguchi(env, "db", "upgrade")
    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    missing = madoguchi(env, "proposals", "show", "KF-2026-99999")
    assert missing.returncode == 1 and "no proposal KF-2026-99999" in missing.stderr
    unknown = madoguchi(env, "chat", "--platform", "nowhere", stdin="hi\n")
    assert unknown.returncode == 2 and "unknown platform 'nowhere'" in unknown.stderr
