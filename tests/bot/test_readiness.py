"""`/readyz` tells the truth: unwritable database, full disk, empty knowledge base, stuck inbox."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.server import create_app
from bot.settings import Settings
from knowledge import CachedEmbeddings, KnowledgeBase
from storage import inbound, make_engine
from storage.models import InboundEvent
from storage.store import SqlStore

INBOX_AGE = 300.0


def build(engine: Engine, knowledge: KnowledgeBase, data_dir: Path) -> Any:
    settings = Settings(
        data_dir=data_dir,
        background_workers=False,
        ready_min_free_mb=200,
        ready_inbox_age=INBOX_AGE,
    )
    return create_app(settings, knowledge=knowledge, store=SqlStore(engine))


@pytest.fixture
def app(engine: Engine, sample_kb: KnowledgeBase, tmp_path: Path) -> Any:
    return build(engine, sample_kb, tmp_path / "data")


async def ready(app: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/readyz")


def store(app: Any) -> SqlStore:
    return app.state.parts.hub.store


def add_event(
    app: Any,
    *,
    age: float,
    status: str = "pending",
    external_id: str = "e1",
    due_in: float | None = None,
) -> None:
    """An inbound event received `age` seconds ago, in the given state.

    It is due since it arrived, or `due_in` seconds from now (held back, as the inbox holds
    the messages of a user over the rate limit).
    """
    now = dt.datetime.now(dt.UTC)
    at = now - dt.timedelta(seconds=age)
    due = at if due_in is None else now + dt.timedelta(seconds=due_in)
    with Session(store(app).engine) as session, session.begin():
        event_id = inbound.record_inbound(
            session,
            channel="line",
            external_id=external_id,
            platform_id="zerocarbon",
            payload={"type": "message"},
        )
        done = at if status == "done" else None
        session.execute(
            update(InboundEvent)
            .where(InboundEvent.id == event_id)  # type: ignore[arg-type]
            .values(received_at=at, next_attempt_at=due, status=status, processed_at=done)
        )


async def test_ready_when_all_is_well(app: Any) -> None:
    response = await ready(app)
    report = response.json()
    assert response.status_code == 200, report
    assert report["ready"] is True and report["failing"] == []
    for check in ("database", "vector_store", "disk", "knowledge", "inbox"):
        assert report[check] == "ok"
    assert set(report["details"]["chunks"]) == {"kyoso-front", "zerocarbon"}
    assert min(report["details"]["chunks"].values()) > 0
    assert report["details"]["inbox"] == {
        "pending": 0,
        "due": 0,
        "failed": 0,
        "oldest_due_seconds": None,
    }
    # Cheap once warm (the README promises tens of milliseconds; this bound only catches a hang).
    started = time.perf_counter()
    assert (await ready(app)).status_code == 200
    assert time.perf_counter() - started < 2.0


async def test_nearly_full_disk_is_not_ready(
    app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Path] = []

    def little(path: Path) -> int:
        asked.append(path)
        return 50 * 2**20

    monkeypatch.setattr("bot.readiness.free_disk_bytes", little)
    response = await ready(app)
    report = response.json()
    assert response.status_code == 503
    assert report["failing"] == ["disk"]
    assert report["disk"] == "low: 50 MB free, 200 MB needed"
    assert report["details"]["disk_free_mb"] == 50
    assert asked == [tmp_path / "data"]  # the data directory's disk, not any disk


def test_free_disk_of_a_directory_not_created_yet(tmp_path: Path) -> None:
    from bot.readiness import free_disk_bytes

    assert free_disk_bytes(tmp_path / "not" / "yet") == free_disk_bytes(tmp_path) > 0


async def test_empty_knowledge_base_is_not_ready(
    engine: Engine, embeddings: CachedEmbeddings, tmp_path: Path
) -> None:
    """A wrong data directory: the platforms are known, but nothing is ingested there."""
    empty = KnowledgeBase(data_dir=tmp_path / "wrong-data", embeddings=embeddings)
    app = build(engine, empty, tmp_path / "wrong-data")
    response = await ready(app)
    report = response.json()
    assert response.status_code == 503
    assert report["failing"] == ["knowledge"]
    assert "kyoso-front" in report["knowledge"] and "zerocarbon" in report["knowledge"]
    assert report["details"]["chunks"] == {"kyoso-front": 0, "zerocarbon": 0}


async def test_stuck_inbox_is_not_ready_but_quarantined_events_are_only_reported(
    app: Any,
) -> None:
    add_event(app, age=10 * INBOX_AGE, status="done", external_id="old-done")
    add_event(app, age=10 * INBOX_AGE, status="failed", external_id="quarantined")
    add_event(app, age=5, external_id="fresh")  # waiting a few seconds is normal
    # Held back on purpose (rate limit, retry backoff): old, but not due yet, so not stuck.
    add_event(app, age=3 * INBOX_AGE, external_id="held", due_in=60)
    response = await ready(app)
    report = response.json()
    assert response.status_code == 200, report
    assert report["details"]["inbox"]["failed"] == 1
    assert report["details"]["inbox"]["pending"] == 2
    assert report["details"]["inbox"]["due"] == 1

    add_event(app, age=2 * INBOX_AGE, external_id="stuck")
    response = await ready(app)
    report = response.json()
    assert response.status_code == 503
    assert report["failing"] == ["inbox"]
    assert report["inbox"].startswith("stuck: an event has waited 6")
    assert report["details"]["inbox"]["pending"] == 3
    assert report["details"]["inbox"]["oldest_due_seconds"] >= 2 * INBOX_AGE


def read_only(engine: Engine) -> Engine:
    """The same database, opened so that every write is refused."""
    if engine.dialect.name == "sqlite":
        return make_engine(f"sqlite:///file:{engine.url.database}?mode=ro&uri=true")
    url = engine.url.render_as_string(hide_password=False)
    return make_engine(url).execution_options(postgresql_readonly=True)


async def test_database_that_cannot_write_is_not_ready(app: Any) -> None:
    """Reachable and readable, so `SELECT 1` passes; the write probe does not."""
    good = store(app).engine
    store(app).engine = read_only(good)
    response = await ready(app)
    report = response.json()
    assert response.status_code == 503
    assert report["failing"] == ["database"]
    assert report["database"].startswith("failed: ")
    assert report["inbox"] == "ok"  # it can still read
    store(app).engine = good
    assert (await ready(app)).status_code == 200


async def test_unreachable_database_is_not_ready(app: Any) -> None:
    good = store(app).engine
    store(app).engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    response = await ready(app)
    report = response.json()
    assert response.status_code == 503
    assert {"database", "inbox"} <= set(report["failing"])
    assert "127.0.0.1" not in response.text  # error details go to the log, not to the public
    store(app).engine = good
