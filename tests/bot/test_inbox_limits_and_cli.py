"""The per-user rate limit, and `madoguchi inbox list|retry` as staff run it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine

from bot.cli import main
from tests.bot import test_inbox_resilience as base
from tests.bot.channels_helpers import make_line_event
from tests.bot.test_inbox_resilience import (
    GREETING,
    PLATFORM,
    POISON,
    answered,
    event,
    events,
    fail_for,
    outbox_texts,
    post_line,
    replied_tokens,
    store_raw,
    transcript,
)

app = base.app  # the same app and fake LINE API as the resilience tests
line_api = base.line_api


# --- the per-user rate limit ---------------------------------------------------------------


async def test_a_burst_over_the_rate_limit_is_answered_later_with_one_notice(
    app: Any, line_api: HTTPServer
) -> None:
    texts = [f"{GREETING}（{n}）" for n in range(25)]
    burst = [make_line_event(text, user="Uburst") for text in texts]
    bystander = make_line_event(GREETING, user="Ucalm")
    await post_line(app, *burst, bystander)
    inbox, clock = app.state.parts.inbox, app.state.clock
    assert await inbox.drain() == 21  # 20 of the burst, and the other user is not held up
    assert transcript(app, "Uburst") == texts[:20]
    assert await answered(app, line_api, bystander)
    wait = "少しお待ちください。いただいたメッセージは順番にお答えします。"
    assert outbox_texts(app, "Uburst").count(wait) == 1
    assert transcript(app, "Uburst", "out").count(wait) == 1
    assert [row.attempts for row in events(app) if row.status == "pending"] == [0] * 5
    clock.advance(30)
    assert await inbox.drain() == 0  # the window is still full; no second notice
    clock.advance(31)
    assert await inbox.drain() == 5
    assert transcript(app, "Uburst") == texts  # none lost, none doubled, in order
    assert outbox_texts(app, "Uburst").count(wait) == 1
    assert {row.status for row in events(app)} == {"done"}
    await app.state.parts.sender.drain()
    assert all(e["replyToken"] in replied_tokens(line_api) for e in burst)
    sent = [m["text"] for body in sent_replies(line_api) for m in body["messages"]]
    assert sent.count(wait) == 1


async def test_web_chat_users_are_told_in_their_language_and_answered_later(app: Any) -> None:
    session = "w" * 32
    texts = [f"Can I change my membership tier? ({n})" for n in range(21)]
    for text in texts:
        store_raw(app, "web", {"session": session, "text": text})
    inbox, clock = app.state.parts.inbox, app.state.clock
    assert await inbox.drain() == 20
    wait = "Just a moment, please. I will answer each of your messages in the order you sent them."
    assert transcript(app, session, "out").count(wait) == 1  # the page reads the transcript
    clock.advance(61)
    assert await inbox.drain() == 1
    assert transcript(app, session) == texts


# --- `madoguchi inbox list|retry` ----------------------------------------------------------


def sent_replies(server: HTTPServer) -> list[dict[str, Any]]:
    return [
        json.loads(request.data) for request, _ in server.log if request.path.endswith("/reply")
    ]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.fault
@pytest.mark.usefixtures("cli_env")
async def test_quarantined_events_are_listed_and_answered_after_inbox_retry(
    app: Any,
    engine: Engine,
    line_api: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    fail_for(app, monkeypatch, "参加の階層は変更できますか", times=3)
    stuck = make_line_event("参加の階層は変更できますか", user="Ua")
    await post_line(app, stuck)
    inbox, clock = app.state.parts.inbox, app.state.clock
    for _ in range(3):
        await inbox.drain()
        clock.advance(301)
    [row] = events(app)
    assert (row.status, row.attempts) == ("failed", 3)

    status, out, _ = cli(capsys, "inbox", "list", "--status", "failed", "--json")
    [listed] = json.loads(out)
    assert status == 0 and (listed["id"], listed["status"], listed["attempts"]) == (
        row.id,
        "failed",
        3,
    )
    assert (listed["channel"], listed["platform"]) == ("line", PLATFORM)
    assert listed["last_error"] == "RuntimeError: connection to the database lost"
    status, out, _ = cli(capsys, "inbox", "list")
    assert status == 0 and f"#{row.id} failed  line/{PLATFORM}" in out and " x3 " in out
    assert cli(capsys, "inbox", "list", "--status", "pending")[1] == "no events\n"

    status, _, err = cli(capsys, "inbox", "retry", "999999")
    assert status == 1 and "no inbox event #999999" in err
    status, out, _ = cli(capsys, "inbox", "retry", str(row.id))
    assert status == 0 and f"re-queued event #{row.id}" in out
    assert (event(app, row.id or 0).status, event(app, row.id or 0).attempts) == ("pending", 0)
    assert await inbox.drain() == 1
    assert await answered(app, line_api, stuck)
    assert event(app, row.id or 0).status == "done"
    status, _, err = cli(capsys, "inbox", "retry", str(row.id))
    assert status == 1 and "already answered" in err
    assert await inbox.drain() == 0  # answered once only


@pytest.mark.fault
@pytest.mark.usefixtures("cli_env")
async def test_retry_failed_requeues_every_quarantined_event(
    app: Any,
    engine: Engine,
    line_api: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    channel, payload, _ = POISON["channel that is not enabled"]
    ids = [store_raw(app, channel, payload) for _ in range(2)]
    await app.state.parts.inbox.drain()
    status, out, _ = cli(capsys, "inbox", "retry", "--failed")
    assert status == 0 and out == f"re-queued 2 quarantined event(s): #{ids[0]}, #{ids[1]}\n"
    assert {(row.status, row.attempts) for row in events(app)} == {("pending", 0)}
    await app.state.parts.inbox.drain()  # Slack is still off: quarantined again, not looping
    assert {(row.status, row.attempts) for row in events(app)} == {("failed", 1)}
    status, out, _ = cli(capsys, "inbox", "list", "--status", "failed", "--limit", "1")
    assert status == 0 and out.count("\n") == 1 and f"#{ids[1]} " in out
