"""Queue search on a desk of 2,000 proposals: the time per search (median and p95) for an
exact word, a folded name, a one-letter typo and a short word, on SQLite (FTS5 trigram) and,
with BENCH_DATABASE_URL, PostgreSQL (pg_trgm).

    python -m tests.bench.search_bench
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import make_engine, repository, staff, upgrade
from storage.staff import QueueFilter

PROPOSALS = 2_000
ROUNDS = 30
SEARCHES = {
    "exact": "ペットボトル回収",
    "folded": "（株）ハマテック 12",
    "typo": "ぺっとぼとる回集",
    "short": "公園",
}
NOW = dt.datetime(2026, 11, 9, 0, 45, tzinfo=dt.UTC)


def fill(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="kf", name_ja="共創", name_en="KF", reference_prefix="KF"
        )
        for n in range(PROPOSALS):
            contact = repository.open_conversation(
                session, platform_id="kf", channel="line", user_key=f"U{n}", initial_state="menu"
            )
            organisation = f"株式会社ハマテック {n}" if n % 50 == 0 else f"団体{n}合同会社"
            summary = (
                f"公園{n}でのペットボトル回収と再生の実証。地域の清掃活動と連携し、"
                "回収率と参加者数を測ります。" * 3
            )
            repository.file_proposal(
                session,
                platform_id="kf",
                prefix="KF",
                contact_id=contact.contact_id,
                channel="line",
                language="ja",
                track="free",
                title=f"回収実証 第{n}号",
                organisation=organisation,
                received_at=NOW,
                due_date=dt.date(2026, 11, 20),
                record={
                    "proposer": {"contact_name": f"山田 {n}", "email": f"u{n}@example.jp"},
                    "content": {"summary": summary, "themes": []},
                    "triage": {},
                },
            )


def measure(engine: Engine, label: str) -> None:
    print(f"{label}: {PROPOSALS} proposals, {ROUNDS} searches each")
    for name, query in SEARCHES.items():
        times = []
        found = 0
        for _ in range(ROUNDS):
            start = time.perf_counter()
            with Session(engine) as session:
                _, found = staff.queue(
                    session, where=QueueFilter(platforms=("kf",), query=query), today=NOW.date()
                )
            times.append((time.perf_counter() - start) * 1000)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(
            f"  {name:<7} {query!r:<24} {found:>5} found  "
            f"median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms"
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        upgrade(engine)
        fill(engine)
        measure(engine, "SQLite (FTS5 trigram)")
        engine.dispose()
    database = os.environ.get("BENCH_DATABASE_URL")
    if not database:
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(database)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        engine = make_engine(f"{database}?options=-csearch_path%3D{schema}")
        upgrade(engine)
        fill(engine)
        measure(engine, "PostgreSQL (pg_trgm)")
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
