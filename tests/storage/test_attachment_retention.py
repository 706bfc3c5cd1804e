"""Retention for proposers' files: gone with the proposal retention anonymises, orphans after
the same period, a file two rows share removed only with the last; rows first, files after.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from storage import attachments, repository
from storage.attachment_retention import _remove, sweep_files
from storage.models import Attachment, Conversation, Proposal, utcnow
from storage.retention import apply_retention
from tests.bot.test_terminal_chat import RICH
from workflows import Desk, Incoming

LATER = utcnow() + dt.timedelta(days=400)  # the injected "now": everything made today is old
PLATFORM = "kyoso-front"
PLAN = b"%PDF-1.4\n% \xe4\xbc\x81\xe7\x94\xbb\xe6\x9b\xb8 kikakusho\n1 0 obj\n"  # shared by two
BUDGET = b"%PDF-1.4\n% budget 2027\n1 0 obj\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MAP = "地図,場所\n公園,北区\n".encode()


def say(desk: Desk, user: str, *lines: str) -> None:
    for line in lines:
        desk.handle(Incoming(PLATFORM, "web", user, line))


def send_file(desk: Desk, data_dir: Path, user: str, data: bytes, name: str) -> int:
    """What bot/channels/files.py does when a file arrives during an intake."""
    engine = desk.store.engine  # type: ignore[attr-defined]
    stored = attachments.store_bytes(data, data_dir=data_dir, platform_id=PLATFORM, name=name)
    with Session(engine) as session, session.begin():
        conversation = session.exec(select(Conversation).where(Conversation.user_key == user)).one()
        row = attachments.add_attachment(
            session,
            platform_id=PLATFORM,
            conversation_id=conversation.id or 0,
            channel="web",
            stored=stored,
        )
        slots = dict(conversation.slots)
        slots["channel.files"] = [*slots.get("channel.files", []), attachments.reference(row)]
        repository.save_conversation(
            session,
            conversation_id=conversation.id or 0,
            state=conversation.state,
            slots=slots,
            language=conversation.language,
        )
    return row.id


def file_with(desk: Desk, data_dir: Path, user: str, data: bytes, name: str) -> int:
    """The whole intake, a file sent half-way (「企画書を送ります」)."""
    say(desk, user, RICH)
    attachment = send_file(desk, data_dir, user, data, name)
    say(desk, user, "公園でのペットボトル回収実証", "はい", "1")
    return attachment


def on_disk(data_dir: Path, engine: object, attachment: int) -> Path:
    with Session(engine) as session:  # type: ignore[arg-type]
        row = session.get(Attachment, attachment)
        assert row is not None
        return data_dir / row.path


def remaining(engine: object) -> set[int]:
    with Session(engine) as session:  # type: ignore[arg-type]
        return {row.id or 0 for row in session.exec(select(Attachment))}


@pytest.fixture
def history(desk: Desk, tmp_path: Path) -> dict[str, int]:
    """Five proposers' files, all sent today (old for the injected now):

    - "closed": filed with its plan (agreed since) and a budget only it sent;
    - "open": filed with the same plan (same bytes, one file on disk), still in review;
    - "gave_up": sent a photo half-way, then never came back (the intake was abandoned);
    - "cancelled": sent a map, then said 「やっぱりやめます」;
    - "recent": sent a photo half-way, active ten days before the injected now.
    """
    engine = desk.store.engine  # type: ignore[attr-defined]
    ids = {
        "closed_plan": file_with(desk, tmp_path, "closed", PLAN, "企画書.pdf"),
        "open_plan": file_with(desk, tmp_path, "open", PLAN, "企画書（最新版）.pdf"),
    }
    say(desk, "gave_up", RICH)
    ids["gave_up"] = send_file(desk, tmp_path, "gave_up", PHOTO, "現場写真.png")
    say(desk, "cancelled", RICH)
    ids["cancelled"] = send_file(desk, tmp_path, "cancelled", MAP, "地図.csv")
    say(desk, "cancelled", "やっぱりやめます")
    say(desk, "recent", RICH)
    ids["recent"] = send_file(desk, tmp_path, "recent", PHOTO, "IMG_0001.png")
    with Session(engine) as session, session.begin():
        closed = session.exec(select(Conversation).where(Conversation.user_key == "closed")).one()
        proposal = session.exec(
            select(Proposal).where(Proposal.contact_id == closed.contact_id)
        ).one()
        budget = attachments.store_bytes(
            BUDGET, data_dir=tmp_path, platform_id=PLATFORM, name="予算.pdf"
        )
        row = attachments.add_attachment(
            session, platform_id=PLATFORM, conversation_id=closed.id or 0, channel="web",
            stored=budget,
        )  # fmt: skip
        ids["closed_budget"] = row.id
        record = dict(proposal.record)
        content = dict(record["content"])
        content["attachments"] = [*content["attachments"], attachments.reference(row)]
        session.execute(
            update(Proposal)
            .where(col(Proposal.id) == proposal.id)
            .values(record={**record, "content": content}, status="agreed")
        )
        session.execute(
            update(Conversation)
            .where(col(Conversation.user_key) == "recent")
            .values(updated_at=LATER - dt.timedelta(days=10))
        )
    return ids


def test_filed_proposals_list_the_files_sent_during_their_intake(
    desk: Desk, history: dict[str, int]
) -> None:
    engine = desk.store.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        listed = sorted(
            i
            for p in session.exec(select(Proposal))
            for i in repository.find_proposal(session, reference=p.reference).attachment_ids  # type: ignore[union-attr]
        )
    assert listed == sorted(
        [history["closed_plan"], history["closed_budget"], history["open_plan"]]
    )


def test_files_go_with_the_proposal_retention_closes_and_with_abandoned_intakes(
    desk: Desk, history: dict[str, int], tmp_path: Path
) -> None:
    engine = desk.store.engine  # type: ignore[attr-defined]
    plan = on_disk(tmp_path, engine, history["open_plan"])
    budget = on_disk(tmp_path, engine, history["closed_budget"])
    photo = on_disk(tmp_path, engine, history["gave_up"])  # the same bytes as "recent"'s photo
    map_ = on_disk(tmp_path, engine, history["cancelled"])
    assert plan == on_disk(tmp_path, engine, history["closed_plan"])  # stored once
    before = remaining(engine)

    dry = apply_retention(
        engine, days=365, reset_state="idle", now=LATER, dry_run=True, data_dir=tmp_path
    )
    assert remaining(engine) == before and all(p.exists() for p in (plan, budget, photo, map_))
    assert dry.attachments >= 2  # the budget, the plan of "closed", the cancelled map

    counts = apply_retention(engine, days=365, reset_state="idle", now=LATER, data_dir=tmp_path)

    # The agreed proposal's two files and both abandoned intakes' files are gone …
    assert remaining(engine) == {history["open_plan"], history["recent"]}
    assert counts.attachments == 4
    # … the plan's file stays (the open proposal's row uses it), so does the photo
    # ("recent" is half-way through its intake with the same bytes); the rest is removed.
    assert plan.read_bytes() == PLAN and photo.read_bytes() == PHOTO
    assert not budget.exists() and not map_.exists()
    assert counts.attachment_files == 2
    assert not list(tmp_path.rglob("*.removing-*"))

    again = apply_retention(engine, days=365, reset_state="idle", now=LATER, data_dir=tmp_path)
    assert (again.attachments, again.attachment_files) == (0, 0)


def test_the_open_proposal_keeps_its_file_until_it_closes_and_ages(
    desk: Desk, history: dict[str, int], tmp_path: Path
) -> None:
    engine = desk.store.engine  # type: ignore[attr-defined]
    plan = on_disk(tmp_path, engine, history["open_plan"])
    apply_retention(engine, days=365, reset_state="idle", now=LATER, data_dir=tmp_path)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Proposal)
            .where(col(Proposal.status) == "received")
            .values(status="declined", updated_at=LATER - dt.timedelta(days=30))
        )
    # Closed, but only 30 days ago: kept.
    apply_retention(engine, days=365, reset_state="idle", now=LATER, data_dir=tmp_path)
    assert history["open_plan"] in remaining(engine) and plan.exists()
    # A year later: gone, and the file with it (no row uses it any more).
    later = LATER + dt.timedelta(days=366)
    counts = apply_retention(engine, days=365, reset_state="idle", now=later, data_dir=tmp_path)
    assert history["open_plan"] not in remaining(engine) and not plan.exists()
    assert counts.attachment_files >= 1


def test_without_the_data_dir_or_with_retention_off_nothing_is_touched(
    desk: Desk, history: dict[str, int], tmp_path: Path
) -> None:
    engine = desk.store.engine  # type: ignore[attr-defined]
    before = remaining(engine)
    files = sorted(tmp_path.rglob("*.*"))
    off = apply_retention(engine, days=0, reset_state="idle", now=LATER, data_dir=tmp_path)
    assert off.attachments == 0 and remaining(engine) == before
    apply_retention(engine, days=365, reset_state="idle", now=LATER)  # retention's own tests
    assert remaining(engine) == before and sorted(tmp_path.rglob("*.*")) == files


def test_a_file_no_row_names_is_removed_only_once_it_is_older_than_the_period(
    engine: object, tmp_path: Path
) -> None:
    """A file stored for a turn that never recorded it (the intake had ended meanwhile)."""
    old = attachments.store_bytes(PHOTO, data_dir=tmp_path, platform_id=PLATFORM, name="a.png")
    new = attachments.store_bytes(BUDGET, data_dir=tmp_path, platform_id=PLATFORM, name="b.pdf")
    leftover = tmp_path / "attachments" / PLATFORM / "ab" / "abcdef.pdf.part"  # a crash's
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"%PDF-1.4 half")
    cutoff = utcnow() - dt.timedelta(days=365)
    long_ago = (cutoff - dt.timedelta(days=1)).timestamp()
    for path in (tmp_path / str(old["path"]), leftover):
        os.utime(path, (long_ago, long_ago))
    assert sweep_files(engine, data_dir=tmp_path, before=cutoff, dry_run=True) == 2  # type: ignore[arg-type]
    assert (tmp_path / str(old["path"])).exists()
    assert sweep_files(engine, data_dir=tmp_path, before=cutoff) == 2  # type: ignore[arg-type]
    assert not (tmp_path / str(old["path"])).exists() and not leftover.exists()
    assert (tmp_path / str(new["path"])).read_bytes() == BUDGET


def test_a_file_sent_again_is_fresh_for_the_sweep(engine: object, tmp_path: Path) -> None:
    """Stored again (the same bytes, a new row about to be written): its time is refreshed, so
    a sweep running at that moment leaves it."""
    first = attachments.store_bytes(PLAN, data_dir=tmp_path, platform_id=PLATFORM, name="a.pdf")
    path = tmp_path / str(first["path"])
    cutoff = utcnow() - dt.timedelta(days=365)
    long_ago = (cutoff - dt.timedelta(days=1)).timestamp()
    os.utime(path, (long_ago, long_ago))
    attachments.store_bytes(PLAN, data_dir=tmp_path, platform_id=PLATFORM, name="again.pdf")
    assert sweep_files(engine, data_dir=tmp_path, before=cutoff) == 0  # type: ignore[arg-type]
    assert path.read_bytes() == PLAN


def test_a_link_outside_the_attachments_folder_is_never_followed(
    engine: object, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    precious = outside / "keep.pdf"
    precious.write_bytes(PLAN)
    folder = tmp_path / "data" / "attachments" / PLATFORM
    folder.mkdir(parents=True)
    (folder / "xx").symlink_to(outside, target_is_directory=True)
    (folder / "link.pdf").symlink_to(precious)
    cutoff = utcnow() + dt.timedelta(days=1)  # everything is "old"
    assert sweep_files(engine, data_dir=tmp_path / "data", before=cutoff) == 0  # type: ignore[arg-type]
    assert precious.read_bytes() == PLAN


def test_a_file_stored_again_just_before_the_rename_is_put_back(tmp_path: Path) -> None:
    """The sweep looked (no row, old), then the same bytes arrived again (fresh time), then the
    sweep renamed it aside: it looks at the time again and puts the file back."""
    stored = attachments.store_bytes(PLAN, data_dir=tmp_path, platform_id=PLATFORM, name="a.pdf")
    path = tmp_path / str(stored["path"])
    cutoff = (utcnow() - dt.timedelta(days=365)).timestamp()
    assert _remove(path, limit=cutoff) is False  # stored again "just now"
    assert path.read_bytes() == PLAN and not list(tmp_path.rglob("*.removing-*"))
    os.utime(path, (cutoff - 60, cutoff - 60))
    assert _remove(path, limit=cutoff) is True
    assert not path.exists() and not list(tmp_path.rglob("*.removing-*"))
