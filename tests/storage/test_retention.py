"""Retention: old closed conversations are cleared; open and recent ones are left alone."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from bot.cli import main
from storage import inbound, messaging, repository
from storage.models import (
    Contact,
    Conversation,
    InboundEvent,
    Inquiry,
    Message,
    Outbox,
    Proposal,
    utcnow,
)
from storage.retention import apply_retention
from tests.bot.test_terminal_chat import RICH
from workflows import Desk, Incoming

TABLES: list[type[SQLModel]] = [
    Contact,
    Conversation,
    Message,
    Proposal,
    Inquiry,
    InboundEvent,
    Outbox,
]
LATER = utcnow() + dt.timedelta(days=400)  # the injected "now": everything made today is old
QUESTION = "参加の階層は変更できますか"


def say(desk: Desk, user: str, *lines: str) -> None:
    for line in lines:
        desk.handle(Incoming("kyoso-front", "web", user, line))


def file_proposal(desk: Desk, user: str) -> None:
    """The whole intake, as a proposer goes through it."""
    say(desk, user, RICH, "公園でのペットボトル回収実証", "はい", "1")


def conversation_of(session: Session, user: str) -> Conversation:
    return session.exec(select(Conversation).where(Conversation.user_key == user)).one()


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with Session(engine) as session:
        return {
            table.__name__: [
                row.model_dump(mode="json")
                for row in session.exec(select(table).order_by(col(table.id)))  # type: ignore[attr-defined]
            ]
            for table in TABLES
        }


@pytest.fixture
def desk_with_history(desk: Desk) -> Desk:
    """Three proposers and the server's bookkeeping, all written today.

    - "closed": filed a proposal (agreed since) and asked staff a question (answered);
    - "open": filed a proposal still in review;
    - "recent": half-way through an intake, active ten days before the injected now.
    """
    engine = desk.store.engine  # type: ignore[attr-defined]
    file_proposal(desk, "closed")
    file_proposal(desk, "open")
    say(desk, "recent", RICH)
    with Session(engine) as session, session.begin():
        closed = conversation_of(session, "closed")
        inquiry = repository.file_inquiry(
            session,
            platform_id="kyoso-front",
            contact_id=closed.contact_id,
            conversation_id=closed.id,  # type: ignore[arg-type]
            question="担当の方と話せますか",
            language="ja",
        )
        session.execute(
            update(Inquiry)
            .where(col(Inquiry.id) == inquiry)
            .values(status="answered", answer="はい、お電話します", answered_by="hanako")
        )
        session.execute(
            update(Proposal)
            .where(col(Proposal.contact_id) == closed.contact_id)
            .values(status="agreed")
        )
        session.execute(
            update(Conversation)
            .where(col(Conversation.user_key) == "recent")
            .values(updated_at=LATER - dt.timedelta(days=10))
        )
        for n, status in enumerate(["done", "done", "failed", "pending"]):
            event = inbound.record_inbound(
                session,
                channel="line",
                external_id=f"ev{n}",
                platform_id="kyoso-front",
                payload={"message": {"text": "個人的な内容"}},
            )
            session.execute(
                update(InboundEvent)
                .where(col(InboundEvent.id) == event)
                .values(status=status, processed_at=utcnow() if status == "done" else None)
            )
        for n, status in enumerate(["sent", "sent", "dead", "pending"]):
            row = messaging.enqueue(
                session,
                platform_id="kyoso-front",
                channel="line",
                user_key=f"U{n}",
                conversation_id=None,
                payload={"text": "返信"},
            )
            session.execute(update(Outbox).where(col(Outbox.id) == row).values(status=status))
    return desk


EXPECTED = {
    "conversations": 1,
    "contacts": 1,
    "inquiries": 1,
    "proposals": 1,
    "inbound_events": 3,
    "outbox": 3,
    "intake_outcomes": 0,
    "sign_ins": 0,
    "attachments": 0,
    "attachment_files": 0,
}


def test_old_closed_conversation_is_anonymised_open_and_recent_ones_are_kept(
    desk_with_history: Desk,
) -> None:
    engine = desk_with_history.store.engine  # type: ignore[attr-defined]
    before = snapshot(engine)
    with Session(engine) as session:
        closed = conversation_of(session, "closed")
        closed_messages = len(repository.transcript(session, conversation_id=closed.id))  # type: ignore[arg-type]
        assert closed.slots and closed_messages >= 8
        assert conversation_of(session, "recent").slots  # half-way through its intake

    dry = apply_retention(engine, days=365, reset_state="idle", now=LATER, dry_run=True)
    assert snapshot(engine) == before  # a dry run changes nothing
    assert {k: v for k, v in dry.as_dict().items() if k != "messages"} == EXPECTED
    assert dry.messages == closed_messages

    counts = apply_retention(engine, days=365, reset_state="idle", now=LATER, batch_size=2)
    assert counts == dry  # the dry run counted exactly what the run did

    with Session(engine) as session:
        closed = conversation_of(session, "closed")
        assert repository.transcript(session, conversation_id=closed.id) == []  # type: ignore[arg-type]
        assert closed.slots == {} and closed.state == "idle"
        contact = session.get(Contact, closed.contact_id)
        assert contact is not None and contact.user_key == "closed"
        assert (contact.display_name, contact.organisation, contact.email, contact.phone) == (
            None,
            None,
            None,
            None,
        )
        [inquiry] = session.exec(select(Inquiry)).all()
        assert (inquiry.question, inquiry.answer, inquiry.answered_by) == ("", None, "hanako")
        agreed = session.exec(select(Proposal).where(Proposal.status == "agreed")).one()
        proposer = agreed.record["proposer"]
        assert (proposer["contact_name"], proposer["email"], proposer["phone"]) == (None,) * 3
        # Kept for statistics: who proposed what, and how it ended.
        assert proposer["organisation_name"] == "株式会社ミナトリサイクル"
        assert agreed.organisation == "株式会社ミナトリサイクル"
        assert agreed.title == "公園でのペットボトル回収実証"
        assert agreed.record["content"]["title"] == agreed.title

        still_open = session.exec(select(Proposal).where(Proposal.status == "received")).one()
        assert still_open.record["proposer"]["email"] == "yamada@minato-recycle.co.jp"
        assert [e.status for e in session.exec(select(InboundEvent))] == ["pending"]
        assert [o.status for o in session.exec(select(Outbox))] == ["pending"]
    after = snapshot(engine)
    for user in ("open", "recent"):  # untouched: conversation, transcript, contact
        rows = {
            table: [r for r in rows if r.get("user_key") == user]
            for table, rows in before.items()
            if table in ("Conversation", "Contact")
        }
        assert rows == {
            table: [r for r in after[table] if r.get("user_key") == user] for table in rows
        }
        conversation_id = rows["Conversation"][0]["id"]
        kept = [m for m in before["Message"] if m["conversation_id"] == conversation_id]
        assert kept and kept == [
            m for m in after["Message"] if m["conversation_id"] == conversation_id
        ]

    # Nothing left to do: a second run changes and counts nothing.
    again = apply_retention(engine, days=365, reset_state="idle", now=LATER)
    assert set(again.as_dict().values()) == {0}
    assert snapshot(engine) == after


def test_zero_days_keeps_everything(desk_with_history: Desk) -> None:
    engine = desk_with_history.store.engine  # type: ignore[attr-defined]
    before = snapshot(engine)
    counts = apply_retention(engine, days=0, reset_state="idle", now=LATER)
    assert set(counts.as_dict().values()) == {0}
    assert snapshot(engine) == before


def test_runs_in_small_transactions_while_the_desk_answers(desk: Desk) -> None:
    """As from cron beside a running server: both finish, neither loses work."""
    engine = desk.store.engine  # type: ignore[attr-defined]
    with Session(engine) as session, session.begin():
        for n in range(40):
            conversation = repository.open_conversation(
                session,
                platform_id="zerocarbon",
                channel="web",
                user_key=f"old{n}",
                initial_state="idle",
            )
            repository.log_message(
                session, conversation_id=conversation.id, direction="in", text="古い相談"
            )
            repository.update_contact(
                session, contact_id=conversation.contact_id, email=f"old{n}@example.jp"
            )
    errors: list[BaseException] = []

    def retention() -> None:
        try:
            counts.append(
                apply_retention(engine, days=365, reset_state="idle", now=LATER, batch_size=1)
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    counts: list[Any] = []
    worker = threading.Thread(target=retention)
    worker.start()
    for n in range(4):
        replies = desk.handle(Incoming("zerocarbon", "web", f"new{n}", QUESTION))
        assert "出典" in replies[-1].text
    worker.join()
    assert errors == []
    assert counts[0].conversations >= 40 and counts[0].contacts == 40


@pytest.mark.parametrize("held", [Conversation, Contact])
def test_rows_a_running_turn_holds_are_left_for_the_next_run(
    desk_with_history: Desk, held: type[SQLModel]
) -> None:
    """PostgreSQL: no waiting on a turn's locks (no deadlock with it), nothing half-cleared."""
    engine = desk_with_history.store.engine  # type: ignore[attr-defined]
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks: SQLite has one writer at a time, so turns and batches alternate")
    with Session(engine) as turn, turn.begin():  # a turn of "closed" is under way
        turn.exec(select(held).where(held.user_key == "closed").with_for_update()).one()  # type: ignore[attr-defined]
        during = apply_retention(engine, days=365, reset_state="idle", now=LATER)
    assert during.conversations == 0 and during.contacts == 0 and during.messages == 0
    assert during.proposals == 1  # the proposal itself was not locked
    after = apply_retention(engine, days=365, reset_state="idle", now=LATER)
    assert after.conversations == 1 and after.contacts == 1 and after.messages > 0


def backdate(engine: Engine, days: int) -> None:
    """Everything written so far happened `days` ago (for the CLI, which uses the real clock)."""
    then = utcnow() - dt.timedelta(days=days)
    with Session(engine) as session, session.begin():
        session.execute(update(Conversation).values(updated_at=then))
        session.execute(update(Proposal).values(updated_at=then))
        session.execute(update(InboundEvent).values(received_at=then))
        session.execute(update(Outbox).values(created_at=then))


def test_cli_prints_counts_and_dry_run_changes_nothing(
    desk_with_history: Desk,
    cli_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = desk_with_history.store.engine  # type: ignore[attr-defined]
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    backdate(engine, days=400)
    with Session(engine) as session, session.begin():  # "recent" is recent again
        session.execute(
            update(Conversation)
            .where(col(Conversation.user_key) == "recent")
            .values(updated_at=utcnow() - dt.timedelta(days=10))
        )
    before = snapshot(engine)

    assert main(["retention", "run", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "retention 365 days: would change (dry run, nothing changed)" in out
    assert "contacts anonymised" in out and "closed proposals anonymised" in out
    assert snapshot(engine) == before

    assert main(["retention", "run", "--days", "500", "--json"]) == 0
    nothing = json.loads(capsys.readouterr().out)
    assert nothing["days"] == 500 and set(nothing["counts"].values()) == {0}

    assert main(["retention", "run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["days"] == 365 and report["dry_run"] is False
    assert {k: v for k, v in report["counts"].items() if k != "messages"} == EXPECTED
    assert report["counts"]["messages"] > 0
    assert snapshot(engine) != before

    monkeypatch.setenv("MADOGUCHI_RETENTION_DAYS", "0")
    assert main(["retention", "run"]) == 0
    assert "retention is off" in capsys.readouterr().out
