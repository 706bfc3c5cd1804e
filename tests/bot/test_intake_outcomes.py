"""Refused and abandoned intakes: stored, counted on the dashboard, listed per desk for staff."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bot.server import create_app
from bot.settings import Settings
from bot.staff.auth import hash_password
from bot.staff.slack_staff import Announcer
from knowledge import KnowledgeBase
from storage import accounts, intakes, messaging, repository, upgrade
from storage.db import MIGRATIONS
from storage.models import IntakeOutcome
from storage.store import SqlStore
from tests.bot.channels_helpers import SLACK_SECRET, SLACK_TOKEN

PASSWORD = "correct-horse-battery"
KF_REFUSED = "新製品の浄水器を市内の全家庭に販売したい。割引価格でご案内します。"
KF_ABANDONED = "公園の落ち葉を堆肥にする取り組み"
ZC_REFUSED = "会員企業の皆さまに当社の省エネ診断サービスをご紹介したい"


def _record(store: SqlStore, platform: str, user: str, **outcome: Any) -> None:
    """Record an outcome the way the desk does: through the turn's transaction."""
    with store.begin() as tx:
        conversation = tx.open_conversation(
            platform_id=platform, channel="line", user_key=user, initial_state="idle"
        )
        tx.record_intake_outcome(
            platform_id=platform,
            conversation_id=conversation.id,
            contact_id=conversation.contact_id,
            **outcome,
        )


@pytest.fixture
async def app(engine: Engine, sample_kb: KnowledgeBase) -> AsyncIterator[Any]:
    settings = Settings(background_workers=False)
    store = SqlStore(engine)
    application = create_app(settings, knowledge=sample_kb, store=store)
    with Session(engine) as session, session.begin():
        for username, platforms in (
            ("kf-staff", ["kyoso-front"]),
            ("zc-staff", ["zerocarbon"]),
            ("admin", ["kyoso-front", "zerocarbon"]),
        ):
            accounts.add_staff(
                session,
                username=username,
                display_name=username,
                password_hash=hash_password(PASSWORD),
                role="admin" if username == "admin" else "staff",
                platforms=platforms,
            )
    _record(store, "kyoso-front", "U1", outcome="refused", rule_id="sales-pitch", text=KF_REFUSED)
    _record(store, "kyoso-front", "U2", outcome="abandoned", rule_id=None, text=KF_ABANDONED)
    _record(store, "zerocarbon", "U3", outcome="refused", rule_id="sales-pitch", text=ZC_REFUSED)
    yield application


@asynccontextmanager
async def signed_in(app: Any, username: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        form = {"username": username, "password": PASSWORD, "csrf": csrf}
        response = await client.post("/staff/login", data=form)
        assert response.status_code == 303
        yield client


def _figure(page: str, name: str) -> int:
    found = re.search(rf'id="{name}">(\d+)<', page)
    assert found, name
    return int(found.group(1))


def test_outcomes_are_recorded_bounded_and_checked(
    engine: Engine, sample_kb: KnowledgeBase
) -> None:
    store = SqlStore(engine)
    create_app(Settings(background_workers=False), knowledge=sample_kb, store=store)
    _record(store, "kyoso-front", "U9", outcome="refused", rule_id="sales-pitch", text="あ" * 9000)
    with pytest.raises(ValueError, match="outcome"):
        _record(store, "kyoso-front", "U9", outcome="declined", rule_id=None, text="x")
    with Session(engine) as session:
        [row] = intakes.intake_outcomes(session, platforms=("kyoso-front",))
        assert (row.outcome, row.rule_id) == ("refused", "sales-pitch")
        assert len(row.text) == intakes.MAX_TEXT and row.created_at is not None
        assert intakes.intake_outcomes(session, platforms=("zerocarbon",)) == []


async def test_dashboard_counts_the_last_30_days_of_the_accounts_desks(app: Any) -> None:
    engine = app.state.parts.hub.store.engine
    store = app.state.parts.hub.store
    _record(store, "kyoso-front", "U4", outcome="refused", rule_id="sales-pitch", text="古い")
    with Session(engine) as session, session.begin():
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
        session.execute(
            update(IntakeOutcome).where(col(IntakeOutcome.text) == "古い").values(created_at=old)
        )
    async with signed_in(app, "kf-staff") as client:
        page = (await client.get("/staff/dashboard")).text
        assert (_figure(page, "refused-intakes"), _figure(page, "abandoned-intakes")) == (1, 1)
    async with signed_in(app, "zc-staff") as client:
        page = (await client.get("/staff/dashboard")).text
        assert (_figure(page, "refused-intakes"), _figure(page, "abandoned-intakes")) == (1, 0)
    async with signed_in(app, "admin") as client:
        page = (await client.get("/staff/dashboard")).text
        assert (_figure(page, "refused-intakes"), _figure(page, "abandoned-intakes")) == (2, 1)


async def test_intakes_page_lists_only_the_accounts_desks_newest_first(app: Any) -> None:
    async with signed_in(app, "kf-staff") as client:
        page = (await client.get("/staff/intakes")).text
        assert KF_REFUSED in page and KF_ABANDONED in page and ZC_REFUSED not in page
        assert page.index(KF_ABANDONED) < page.index(KF_REFUSED)  # newest first
        assert "sales-pitch" in page and "売り込み" in page  # the rule and what it excludes
        assert re.search(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", page)  # local time, not ISO UTC
        assert "U1" not in page  # nothing about the proposer beyond what they typed
        other = (await client.get("/staff/intakes?platform=zerocarbon")).text
        assert ZC_REFUSED not in other and KF_REFUSED not in other
        refused = (await client.get("/staff/intakes?outcome=refused")).text
        assert KF_REFUSED in refused and KF_ABANDONED not in refused
    async with signed_in(app, "zc-staff") as client:
        page = (await client.get("/staff/intakes")).text
        assert ZC_REFUSED in page and KF_REFUSED not in page and KF_ABANDONED not in page
    async with signed_in(app, "admin") as client:
        page = (await client.get("/staff/intakes")).text
        assert all(t in page for t in (KF_REFUSED, KF_ABANDONED, ZC_REFUSED))
        only = (await client.get("/staff/intakes?platform=zerocarbon")).text
        assert ZC_REFUSED in only and KF_REFUSED not in only


async def test_intakes_page_refuses_anonymous_visitors(app: Any) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as anonymous:
        for path in ("/staff/intakes", "/staff/intakes?platform=kyoso-front"):
            response = await anonymous.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/staff/login"
            assert KF_REFUSED not in response.text
    cookies = {"madoguchi_staff": "not-a-session-token"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", cookies=cookies
    ) as forged_client:
        forged = await forged_client.get("/staff/intakes")
        assert forged.status_code == 303 and KF_REFUSED not in forged.text


def test_migration_0005_goes_down_and_up_again(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert "intake_outcome" not in inspect(engine).get_table_names()
    upgrade(engine)
    upgrade(engine)  # at head already: nothing to do
    columns = {c["name"] for c in inspect(engine).get_columns("intake_outcome")}
    assert columns == {
        "id",
        "platform_id",
        "conversation_id",
        "contact_id",
        "outcome",
        "rule_id",
        "text",
        "created_at",
    }


def _proposal(store: SqlStore, **when: Any) -> str:
    with store.begin() as tx:
        conversation = tx.open_conversation(
            platform_id="kyoso-front", channel="line", user_key="Up", initial_state="idle"
        )
        return str(
            tx.file_proposal(
                platform_id="kyoso-front",
                prefix="KF",
                contact_id=conversation.contact_id,
                channel="line",
                language="ja",
                track="free",
                title="公園の回収",
                organisation="株式会社ミナト",
                record={"proposer": {}, "content": {"summary": "s"}, "triage": {}, "consents": {}},
                year=2026,
                **when,
            ).reference
        )


async def test_console_shows_local_times_and_dates_people_read(app: Any) -> None:
    store = app.state.parts.hub.store
    reference = _proposal(
        store,
        received_at=dt.datetime(2026, 11, 8, 23, 45, tzinfo=dt.UTC),  # 9 Nov 08:45 in Tokyo
        due_date=dt.date(2026, 12, 7),
    )
    with Session(store.engine) as session, session.begin():
        proposal = repository.find_proposal(session, reference=reference)
        assert proposal is not None
        session.execute(
            update(IntakeOutcome).values(created_at=dt.datetime(2026, 11, 8, 23, 45, tzinfo=dt.UTC))
        )
    async with signed_in(app, "kf-staff") as client:
        page = (await client.get(f"/staff/proposals/{reference}")).text
        assert "受付 2026/11/09 08:45" in page and "期限 2026年12月7日（月）" in page
        assert "2026-11-08" not in page and "23:45" not in page
        queue = (await client.get("/staff/queue")).text
        assert "2026年12月7日（月）" in queue
        intakes_page = (await client.get("/staff/intakes")).text
        assert "2026/11/09 08:45" in intakes_page


def test_digest_at_2330_utc_counts_tokyos_next_day(
    engine: Engine, sample_kb: KnowledgeBase
) -> None:
    store = SqlStore(engine)
    channels: dict[str, Any] = {
        "kyoso-front": {
            "slack": {"signing_secret": SLACK_SECRET, "bot_token": SLACK_TOKEN},
            "staff_channel": "CSTAFF",
        }
    }
    settings = Settings(channels=channels, background_workers=False)
    create_app(settings, knowledge=sample_kb, store=store)
    reference = _proposal(
        store,
        received_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC),
        due_date=dt.date(2026, 11, 24),
    )
    announcer = Announcer(
        store=store,
        settings=settings,
        platforms=["kyoso-front"],
        on_queue=lambda: None,
        timezones={"kyoso-front": "Asia/Tokyo"},
    )

    def digest_at(now: dt.datetime) -> str:
        assert announcer.digest(now=now) == 1
        with Session(engine) as session:
            return str(messaging.outbox_rows(session)[-1].payload)

    # 24 November 23:59 in Tokyo: due today, not overdue yet.
    on_time = digest_at(dt.datetime(2026, 11, 24, 14, 59, tzinfo=dt.UTC))
    assert "2026年11月24日（火）：期限を過ぎた提案はありません" in on_time
    # 23:30 UTC on the 24th is the 25th in Tokyo: the proposal is overdue.
    late = digest_at(dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC))
    assert "2026年11月25日（水）：期限を過ぎた提案 1 件" in late and reference in late
    assert "期限 2026年11月24日（火）" in late
