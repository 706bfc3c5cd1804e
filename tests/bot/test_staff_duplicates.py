"""Duplicates in the console (issue 13): linked both ways, badged in the queue, merged without
a decline notice. Real intakes over LINE, the real app and database, LINE's API faked locally."""

from __future__ import annotations

import json
from typing import Any

from pytest_httpserver import HTTPServer
from sqlmodel import Session

from storage import repository
from tests.bot.test_staff_console import app, csrf_of, file_proposal, signed_in
from tests.bot.test_terminal_chat import REFERENCE, RICH
from workflows import Incoming

__all__ = ["app"]  # the fixture, shared with the console tests

# The same company writes again: its name another way round, the idea reworded.
REWORDED = (
    "ミナトリサイクル株式会社の佐藤と申します。駅前広場で飲料容器の回収イベントを開き、"
    "集めた容器を再生素材にする取り組みをご提案いたします。駅前のポイ捨てが多いことが課題です。"
    "会場のご提供をお願いできれば幸いです。"
    "費用は弊社で負担いたします。連絡先 sato@minato-recycle.co.jp 045-123-4568"
)


def file_as(app: Any, user: str, text: str) -> str:
    """A real intake over LINE, answering whatever the desk asks; returns the reference."""
    desk = app.state.parts.inbox.desk
    replies = desk.handle(Incoming("kyoso-front", "line", user, text), route={})
    for _ in range(10):
        if found := REFERENCE.search(replies[-1].text):
            return found.group(0)
        answer = "駅前広場での容器回収イベント" if "タイトル" in replies[-1].text else "1"
        replies = desk.handle(Incoming("kyoso-front", "line", user, answer), route={})
    raise AssertionError(replies[-1].text)


def pushed_to(server: HTTPServer, user: str) -> list[str]:
    return [
        m["text"]
        for r, _ in server.log
        if r.path == "/v2/bot/message/push" and (body := json.loads(r.data))["to"] == user
        for m in body["messages"]
    ]


async def test_same_company_is_linked_both_ways_and_badged(app: Any) -> None:
    first = app.state.kf
    second = file_as(app, "Usecond", REWORDED)
    other_desk = app.state.zc  # ハダノ循環 on zerocarbon: never linked across desks
    async with signed_in(app, "kf-staff") as client:
        for one, other in ((first, second), (second, first)):
            page = (await client.get(f"/staff/proposals/{one}")).text
            assert f'href="/staff/proposals/{other}"' in page, one
            assert "同じ団体" in page and other_desk not in page
        queue = (await client.get("/staff/queue")).text
        assert queue.count("重複候補 1") == 2


async def test_merging_closes_one_and_tells_its_proposer_the_other_reference(
    app: Any, httpserver: HTTPServer
) -> None:
    kept = app.state.kf
    closed = file_proposal(app, "kyoso-front", "Usecond", RICH)  # the very same text again
    async with signed_in(app, "kf-staff") as client:
        csrf = await csrf_of(client)
        refused = await client.post(
            f"/staff/proposals/{closed}/merge", data={"csrf": csrf, "into": closed}
        )
        assert refused.headers["location"].endswith("error=merge_target")
        across = await client.post(
            f"/staff/proposals/{closed}/merge", data={"csrf": csrf, "into": app.state.zc}
        )
        assert across.headers["location"].endswith("error=merge_target")
        merged = await client.post(
            f"/staff/proposals/{closed}/merge", data={"csrf": csrf, "into": f" {kept.lower()} "}
        )
        assert merged.headers["location"] == f"/staff/proposals/{closed}?done=merge"
        page = (await client.get(merged.headers["location"])).text
        assert "統合済み" in page and f"この提案は {kept} に統合済みです" in page
        assert "/merge" not in page  # closed: nothing more to merge
        kept_page = (await client.get(f"/staff/proposals/{kept}")).text
        assert f"{closed} をこの提案に統合しました" in kept_page
        assert "重複候補" not in (await client.get("/staff/queue")).text
        again = await client.post(
            f"/staff/proposals/{closed}/merge", data={"csrf": csrf, "into": kept}
        )
        assert again.headers["location"].endswith("error=transition")
    await app.state.parts.sender.drain()
    told = pushed_to(httpserver, "Usecond")
    notice = [t for t in told if "統合" in t or kept in t]
    assert len(notice) == 1 and kept in notice[0] and closed in notice[0]
    assert not any("見送り" in t for t in told)  # no decline notice, ever
    assert not any(closed in t for t in pushed_to(httpserver, "Ukf"))  # the other proposer
    with Session(app.state.parts.hub.store.engine) as session:
        gone = repository.find_proposal(session, reference=closed)
        assert gone is not None and gone.status == "merged"
        history = repository.proposal_history(session, proposal_id=gone.id)
    assert history[-1].actor == "kf-staff" and history[-1].to_status == "merged"
    assert f"merged: {kept}" in (history[-1].note or "")


async def test_merging_needs_a_signed_in_desk_member_and_csrf(app: Any) -> None:
    second = file_proposal(app, "kyoso-front", "Usecond", RICH)
    async with signed_in(app, "zc-staff") as client:
        csrf = await csrf_of(client)
        response = await client.post(
            f"/staff/proposals/{second}/merge", data={"csrf": csrf, "into": app.state.kf}
        )
        assert response.headers["location"].endswith("error=not_found")
    async with signed_in(app, "kf-staff") as client:
        response = await client.post(
            f"/staff/proposals/{second}/merge", data={"csrf": "forged", "into": app.state.kf}
        )
        assert response.status_code == 403


async def test_a_finished_proposal_is_listed_but_raises_no_badge(app: Any) -> None:
    first = app.state.kf
    async with signed_in(app, "kf-staff") as client:
        csrf = await csrf_of(client)
        await client.post(
            f"/staff/proposals/{first}/status",
            data={"csrf": csrf, "to": "declined", "reason": "予算措置が前提のため"},
        )
        second = file_as(app, "Usecond", REWORDED)
        page = (await client.get(f"/staff/proposals/{second}")).text
        assert f'href="/staff/proposals/{first}"' in page and "同じ団体" in page
        assert "重複候補" not in (await client.get("/staff/queue")).text
