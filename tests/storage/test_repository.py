import datetime as dt
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import repository, upgrade
from storage.store import SqlStore


def setup_platform(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        repository.ensure_platform(
            session, platform_id="p", name_ja="窓口", name_en="Desk", reference_prefix="KF"
        )


def test_migrations_are_idempotent(engine: Engine) -> None:
    upgrade(engine)
    setup_platform(engine)


def test_concurrent_submits_get_distinct_consecutive_references(engine: Engine) -> None:
    setup_platform(engine)
    store = SqlStore(engine)
    with store.begin() as tx:
        conversation = tx.open_conversation(
            platform_id="p", channel="web", user_key="u", initial_state="idle"
        )
    references: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def submit() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with store.begin() as tx:
                    filed = tx.file_proposal(
                        platform_id="p",
                        prefix="KF",
                        contact_id=conversation.contact_id,
                        channel="web",
                        language="ja",
                        track="free",
                        title="t",
                        organisation="o",
                        received_at=dt.datetime(2026, 11, 22, tzinfo=dt.UTC),
                        due_date=dt.date(2026, 12, 7),
                        record={"content": {"summary": "s"}},
                    )
                references.append(filed.reference)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [f"KF-2026-{n:05d}" for n in range(1, 41)]
    with Session(engine) as session:
        assert len(repository.list_proposals(session, platform_id="p")) == 40


def test_references_restart_each_year(engine: Engine) -> None:
    setup_platform(engine)
    with Session(engine) as session, session.begin():
        assert (
            repository.next_reference(session, platform_id="p", prefix="KF", year=2026)
            == "KF-2026-00001"
        )
        assert (
            repository.next_reference(session, platform_id="p", prefix="KF", year=2027)
            == "KF-2027-00001"
        )
        assert (
            repository.next_reference(session, platform_id="p", prefix="KF", year=2026)
            == "KF-2026-00002"
        )


def test_failed_turn_rolls_back_everything(engine: Engine) -> None:
    setup_platform(engine)
    store = SqlStore(engine)
    try:
        with store.begin() as tx:
            conversation = tx.open_conversation(
                platform_id="p", channel="web", user_key="u", initial_state="idle"
            )
            tx.log_message(conversation_id=conversation.id, direction="in", text="x")
            raise RuntimeError("crash mid-turn")
    except RuntimeError:
        pass
    with store.begin() as tx:
        again = tx.open_conversation(
            platform_id="p", channel="web", user_key="u", initial_state="idle"
        )
        assert repository.transcript(tx.session, conversation_id=again.id) == []
