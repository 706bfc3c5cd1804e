"""Search that forgives (issue 13): the queue finds a proposal however staff type its words.

Real databases (SQLite's FTS5 trigram table, PostgreSQL with pg_trgm), proposals filed
through the repository the way the desk files them, notes added the way triage adds them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage import repository, staff
from storage.models import Proposal
from storage.search import FTS_TABLE, fold, one_edit_patterns, org_key
from storage.staff import QueueFilter

NOW = dt.datetime(2026, 11, 9, 0, 45, tzinfo=dt.UTC)


def _record(organisation: str, name: str, email: str, summary: str) -> dict[str, Any]:
    return {
        "proposer": {"organisation_name": organisation, "contact_name": name, "email": email},
        "content": {"summary": summary, "themes": []},
        "triage": {},
    }


PROPOSALS = {
    "hamatech": (
        "株式会社ハマテック",
        "港の見える公園でのドローン点検",
        "山田 花子",
        "hanako.yamada@hamatech.example.jp",
        "市内の公園施設をドローンで点検し、補修の優先順位を可視化します。",
    ),
    "bamboo": (
        "NPO法人バンブーリンク",
        "竹林の間伐材を使った地域ベンチ",
        "竹内 健",
        "ken@bamboo-link.example.org",
        "放置竹林の間伐材でベンチを作り、商店街に設置します。",
    ),
    "minato": (
        "ミナトリサイクル合同会社",
        "公園でのペットボトル回収実証",
        "港 一郎",
        "ichiro@minato-r.example.jp",
        "公園にスマート回収箱を置き、回収率を測ります。",
    ),
}


@pytest.fixture
def filed(engine: Engine) -> dict[str, str]:
    references = {}
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="kf", name_ja="共創", name_en="KF", reference_prefix="KF"
        )
        for key, (org, title, name, email, summary) in PROPOSALS.items():
            contact = repository.open_conversation(
                session, platform_id="kf", channel="line", user_key=f"U{key}", initial_state="menu"
            )
            repository.update_contact(session, contact_id=contact.contact_id, display_name=name)
            filed = repository.file_proposal(
                session,
                platform_id="kf",
                prefix="KF",
                contact_id=contact.contact_id,
                channel="line",
                language="ja",
                track="free",
                title=title,
                organisation=org,
                received_at=NOW,
                due_date=dt.date(2026, 11, 20),
                record=_record(org, name, email, summary),
            )
            references[key] = filed.reference
        minato = staff.proposal_in(session, reference=references["minato"], platforms=("kf",))
        assert minato is not None
        staff.update_proposal(
            session, proposal=minato, actor="hanako", note="note: 環境政策課の佐藤様へ電話済み"
        )
    return references


def found(engine: Engine, query: str) -> set[str]:
    with Session(engine) as session:
        rows, total = staff.queue(
            session, where=QueueFilter(platforms=("kf",), query=query), today=NOW.date()
        )
    assert total == len(rows)
    return {r.reference for r in rows}


SEARCHES = [
    # (what staff typed, which proposals they expect)
    ("ハマテック", {"hamatech"}),
    ("はまてっく", {"hamatech"}),  # hiragana for katakana
    ("ﾊﾏﾃｯｸ", {"hamatech"}),  # half-width kana
    ("（株）ハマテック", {"hamatech"}),  # the legal form written another way
    ("㈱ハマテック", {"hamatech"}),
    ("ハマテック株式会社", {"hamatech"}),
    ("バンブー リンク", {"bamboo"}),  # a space where the name has none
    ("特定非営利活動法人バンブーリンク", {"bamboo"}),
    ("ミナト リサイクル", {"minato"}),
    ("山田花子", {"hamatech"}),  # the contact's name, without its space
    ("竹内", {"bamboo"}),
    ("HANAKO.YAMADA@hamatech", {"hamatech"}),  # part of an e-mail, upper-cased
    ("ｋｅｎ＠ｂａｍｂｏｏ", {"bamboo"}),  # full-width Latin
    ("佐藤様", {"minato"}),  # a word of an internal note
    ("電話済み", {"minato"}),
    ("はまてつく", {"hamatech"}),  # one letter wrong (つ for っ)
    ("バンブーリング", {"bamboo"}),  # one letter wrong at the end
    ("ペットボトル回集", {"minato"}),  # a wrong kanji
    ("ドローン天検", {"hamatech"}),
    ("間伐剤", set()),  # a word of three characters is matched exactly, never loosely
    ("公園", {"hamatech", "minato"}),
    ("竹林のベンチ", set()),  # two places of one text are not one phrase
    ("存在しない会社", set()),
    ("%", set()),
    ("_", set()),
]


@pytest.mark.parametrize(("typed", "expected"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_staff_find_proposals_however_they_type(
    engine: Engine, filed: dict[str, str], typed: str, expected: set[str]
) -> None:
    assert found(engine, typed) == {filed[k] for k in expected}


def test_reference_numbers_are_found_as_typed(engine: Engine, filed: dict[str, str]) -> None:
    reference = filed["bamboo"]
    assert found(engine, reference.lower()) == {reference}
    assert found(engine, reference[-5:]) == {reference}


def test_a_new_note_is_searchable_at_once_and_the_trigram_index_follows(
    engine: Engine, filed: dict[str, str]
) -> None:
    assert found(engine, "来週火曜に現地確認") == set()
    with Session(engine) as session, session.begin():
        bamboo = staff.proposal_in(session, reference=filed["bamboo"], platforms=("kf",))
        assert bamboo is not None
        staff.update_proposal(
            session,
            proposal=bamboo,
            actor="hanako",
            assignee="hanako",
            note="note: 来週火曜に現地確認",
        )
    assert found(engine, "来週火曜に現地確認") == {filed["bamboo"]}
    assert found(engine, "来週火曜に現地確認") == {filed["bamboo"]}
    if engine.dialect.name == "sqlite":
        with Session(engine) as session:
            rows = session.execute(text(f"SELECT rowid, search_text FROM {FTS_TABLE}")).all()
            stored = {p.id: p.search_text for p in session.exec(select(Proposal))}
        assert dict(rows) == stored  # one trigram row per proposal, the same text


def test_pg_trgm_index_exists_on_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with Session(engine) as session:
        index = session.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_proposal_search_trgm'")
        ).scalar()
    assert index is not None and "gin_trgm_ops" in index


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("（株）ハマテック", "株式会社 ﾊﾏﾃｯｸ"),
        ("㈱ハマテック", "ハマテック株式会社"),
        ("NPO法人 バンブー・リンク", "特定非営利活動法人バンブーリンク"),
        ("(有)みなと", "有限会社ミナト"),
        ("Hamatech Co., Ltd.", "HAMATECH"),
        ("一般社団法人 港まちづくり", "（一社）港まちづくり"),
    ],
)
def test_one_organisation_written_two_ways_has_one_key(one: str, other: str) -> None:
    assert org_key(one) == org_key(other) != ""


def test_folding_is_bounded_and_linear() -> None:
    assert len(fold("あ" * 100_000)) == 20_000
    assert fold("ﾊﾟﾝﾀﾞ　ｶﾌｪ") == "ぱんだかふぇ"
    # five substitutions, five deletions, six insertions
    assert len(one_edit_patterns("はまてっく")) == 16


def test_retention_takes_names_and_addresses_out_of_the_search_text(
    engine: Engine, filed: dict[str, str]
) -> None:
    from storage.retention import apply_retention

    with Session(engine) as session, session.begin():
        bamboo = staff.proposal_in(session, reference=filed["bamboo"], platforms=("kf",))
        assert bamboo is not None
        staff.update_proposal(session, proposal=bamboo, actor="hanako", status="declined")
    assert found(engine, "ken@bamboo") == {filed["bamboo"]}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    apply_retention(engine, days=365, reset_state="menu", now=later)
    assert found(engine, "ken@bamboo") == set()  # the e-mail is gone from the index too
    assert found(engine, "竹内") == set()
    assert found(engine, "バンブーリンク") == {filed["bamboo"]}  # the organisation stays


def test_the_migration_folds_proposals_filed_before_it(tmp_path: Any) -> None:
    from storage import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0007")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO platform (id, name_ja, name_en, reference_prefix, created_at) "
                "VALUES ('kf', '共創', 'KF', 'KF', '2026-11-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO contact (id, platform_id, channel, user_key, display_name, "
                "language, created_at) VALUES (1, 'kf', 'line', 'U1', '竹内 健', 'ja', "
                "'2026-11-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO proposal (id, platform_id, reference, contact_id, channel, language, "
                "track, title, organisation, status, received_at, due_date, record, "
                "search_text, updated_at, version) VALUES (1, 'kf', 'KF-2026-00001', 1, 'line', "
                "'ja', 'free', '竹林のベンチ', 'NPO法人バンブーリンク', 'received', "
                "'2026-11-01 00:00:00', '2026-11-20', :record, 'npo法人バンブーリンク', "
                "'2026-11-01 00:00:00', 1)"
            ),
            {"record": '{"content": {"summary": "間伐材でベンチ"}, "proposer": {}}'},
        )
    upgrade(engine)
    assert found(engine, "バンブー リンク") == {"KF-2026-00001"}
    assert found(engine, "たけうち") == set()  # a kanji name has no guessed reading
    assert found(engine, "竹内健") == {"KF-2026-00001"}
    engine.dispose()


def test_a_contact_corrected_later_is_found_by_the_new_address(
    engine: Engine, filed: dict[str, str]
) -> None:
    with Session(engine) as session, session.begin():
        minato = staff.proposal_in(session, reference=filed["minato"], platforms=("kf",))
        assert minato is not None
        repository.update_contact(
            session, contact_id=minato.contact_id, email="minato.office@example.org"
        )
    assert found(engine, "minato.office") == {filed["minato"]}
