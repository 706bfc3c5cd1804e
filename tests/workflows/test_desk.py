"""Failure paths of the desk itself."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage import repository
from workflows import Desk, Incoming


class BrokenLibrary:
    """A knowledge base whose search fails, as when the vector store is down."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def search(self, *args: Any, **kwargs: Any) -> list[Any]:
        raise ConnectionError("vector store unreachable")

    def answer(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("vector store unreachable")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_a_failing_turn_apologises_keeps_the_message_and_the_state(desk: Desk) -> None:
    broken = Desk(store=desk.store, library=BrokenLibrary(desk.library), platforms=desk.platforms)
    message = Incoming("zerocarbon", "terminal", "u1", "参加の階層は変更できますか")
    [reply] = broken.handle(message)
    assert "問題が起きました" in reply.text and "保存されています" in reply.text
    with desk.store.begin() as tx:  # type: ignore[attr-defined]
        conversation = tx.open_conversation(
            platform_id="zerocarbon", channel="terminal", user_key="u1", initial_state="idle"
        )
        texts = [m.text for m in repository.transcript(tx.session, conversation_id=conversation.id)]
    assert texts[0] == "参加の階層は変更できますか"
    assert conversation.state == "idle"
    # Once the store is back, the same question is answered.
    [answer] = desk.handle(message)
    assert "出典" in answer.text


def test_replies_follow_the_users_language(desk: Desk) -> None:
    [reply] = desk.handle(Incoming("zerocarbon", "web", "u2", "How do I join?"))
    assert "Source:" in reply.text and "FAQ: joining the consortium" in reply.text


def test_unknown_platform_is_refused(desk: Desk) -> None:
    import pytest

    with pytest.raises(KeyError):
        desk.handle(Incoming("nowhere", "web", "u", "hi"))
    with Session(desk.store.engine) as session:  # type: ignore[attr-defined]
        assert repository.list_proposals(session) == []
