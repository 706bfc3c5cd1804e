"""A reference number with news is a follow-up of that proposal, not a status question.

「KF-2026-00001の件、来週伺えます」 from the proposer who filed it reaches the proposal's staff;
「KF-2026-00001の状況は？」 or the bare number still answers how it stands, and a stranger's
message naming someone else's proposal is never attached to it.
"""

from __future__ import annotations

import pytest

from tests.workflows.test_followups import file, proposal, say
from workflows import Desk


@pytest.mark.parametrize(
    "news",
    [
        "{ref}の件、来週伺えます",
        "{ref}について、資料を追加でお送りします🙏",
        "{ref} 担当の山田ですが電話番号かわりました 090-1234-5678",
        "Re {ref}: we can come by next Tuesday",
    ],
)
def test_news_about_my_own_proposal_reaches_its_staff(desk: Desk, news: str) -> None:
    reference = file(desk, "Unews")
    text = news.format(ref=reference)
    reply = say(desk, "Unews", text)
    assert "担当者にお伝えしました" in reply or "passed this on to the staff" in reply
    assert reference in reply
    assert proposal(desk, reference).awaiting_staff_since is not None


@pytest.mark.parametrize(
    "asks", ["{ref}", "{ref}の状況は？", "{ref}どうなってますか", "any update on {ref}?"]
)
def test_asking_about_a_reference_is_a_status_check(desk: Desk, asks: str) -> None:
    reference = file(desk, "Uasks")
    reply = say(desk, "Uasks", asks.format(ref=reference))
    assert "担当者にお伝えしました" not in reply
    assert proposal(desk, reference).awaiting_staff_since is None


def test_news_naming_someone_elses_proposal_is_not_attached(desk: Desk) -> None:
    reference = file(desk, "Uowner")
    reply = say(desk, "Ustranger", f"{reference}の件、来週伺えます")
    assert "担当者にお伝えしました" not in reply
    assert proposal(desk, reference).awaiting_staff_since is None
