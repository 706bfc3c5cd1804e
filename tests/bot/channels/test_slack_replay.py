"""Slack, replayed: real payloads (bolt-python's tests, Slack's docs) signed and posted to the
real server, with bolt and slack_sdk talking to a fake Slack Web API.

Covers: a whole proposal filed over DM with the e-mail typed as Slack delivers it
(`<mailto:…|…>`, `&amp;`, `&lt;`), a mention in a channel (a note there, the greeting by DM),
the staff channel (silence), chatter in channels (silence), App Home opened (greeted once),
a slash command, files with and without a comment, a thread broadcast, and bots.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.models import Attachment, Proposal
from storage.store import SqlStore
from tests.bot.channels.golden import fresh_slack, load, post, settle
from tests.bot.channels_helpers import SLACK_SECRET, SLACK_TOKEN, slack_headers, wait_for
from tests.bot.test_telegram_slack import params

STAFF = "CSTAFF01"
WEBHOOK = "/webhooks/slack/zerocarbon"
PLATFORM_JA = "地域脱炭素経営コンソーシアム"  # the sample platform's Japanese name


@pytest.fixture
def slack_api(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/api/auth.test").respond_with_json(
        {"ok": True, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1", "user": "madoguchi"}
    )
    httpserver.expect_request("/api/chat.postMessage").respond_with_json(
        {"ok": True, "channel": "D1", "ts": "2.2"}
    )
    return httpserver


@pytest.fixture
def app(
    engine: Engine, sample_kb: KnowledgeBase, slack_api: HTTPServer, tmp_path: Path
) -> Iterator[Any]:
    settings = Settings(
        channels={
            "zerocarbon": {
                "slack": {"signing_secret": SLACK_SECRET, "bot_token": SLACK_TOKEN},
                "staff_channel": STAFF,
            }
        },
        slack_api_base=slack_api.url_for("/api/"),
        background_workers=True,
        data_dir=tmp_path,
        outbox_base_delay=0.01,
    )
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


@pytest.fixture
async def slack(server: tuple[str, int], slack_api: HTTPServer) -> AsyncIterator[Any]:
    """Post a golden payload (signed); read what the desk posted back."""

    class Client:
        def posted(self) -> list[dict[str, Any]]:
            return [
                params(request)
                for request, _ in slack_api.log
                if request.path == "/api/chat.postMessage"
            ]

        async def send(self, envelope: dict[str, Any]) -> int:
            body = json.dumps(envelope, ensure_ascii=False).encode()
            response = await post(server, WEBHOOK, body, slack_headers(body))
            return response.status_code

        async def say(self, text: str, *, user: str = "U2147483697") -> str:
            """A DM typed by `user`; the desk's answer (every post of the turn, joined)."""
            before = len(self.posted())
            envelope = fresh_slack(load("slack_message_im"), text=text, user=user)
            assert await self.send(envelope) == 200
            await wait_for(lambda: len(self.posted()) > before, timeout=20)
            await settle(lambda: len(self.posted()))
            return "\n".join(p["text"] for p in self.posted()[before:])

    yield Client()


def proposals(app: Any) -> list[Proposal]:
    with Session(app.state.parts.hub.store.engine) as session:
        return list(session.exec(select(Proposal)))


# As a Slack client delivers what the proposer typed:「R&D合同会社みなと」, 「子ども食堂<実証>」,
# and an e-mail address auto-linked into mrkdwn.
FIRST = (
    "R&amp;D合同会社みなとの佐藤花子です。子ども食堂&lt;実証&gt;として、市内の公民館で週1回の"
    "子ども食堂を開く実証を提案します。地域の課題は子どもの孤食です。会場の提供と広報へのご協力を"
    "お願いしたいです。費用は当社が負担し、市の費用負担はありません。"
)
EMAIL = "<mailto:hanako.sato@rd-minato.example.jp|hanako.sato@rd-minato.example.jp>"


async def test_a_whole_proposal_is_filed_with_the_email_typed_as_slack_delivers_it(
    app: Any, slack: Any
) -> None:
    answers = {
        "提出": "提出する",
        "階層": "Aでお願いします",
        "メールアドレス": EMAIL,
        "タイトル": "子ども食堂&lt;実証&gt;の開催",
        "電話": "045-222-3333",
        "同意": "はい、同意いたします",
    }
    reply = await slack.say(FIRST)
    for _ in range(12):
        if "受付番号" in reply:
            break
        question = reply.split("\n\n")[-1]  # the read-back names every field; ask the last part
        asked = next((key for key in answers if key in question), None)
        assert asked is not None, f"an unexpected question: {reply}"
        reply = await slack.say(answers[asked])
        assert "正しくありません" not in reply and "形式" not in reply, reply
    assert "受付番号" in reply
    [proposal] = proposals(app)
    record = json.dumps(proposal.record, ensure_ascii=False)
    assert "hanako.sato@rd-minato.example.jp" in record
    assert "mailto" not in record and "&amp;" not in record and "&lt;" not in record
    assert proposal.record["proposer"]["organisation_name"].startswith("R&D合同会社")
    assert proposal.record["content"]["title"] == "子ども食堂<実証>の開催"


async def test_a_mention_in_a_channel_gets_a_note_there_and_the_greeting_by_dm(
    app: Any, slack: Any
) -> None:
    mention = fresh_slack(load("slack_app_mention"))  # "<@W111> Hi there!" in C111 by W222
    assert await slack.send(mention) == 200
    await wait_for(lambda: len(slack.posted()) >= 2, timeout=20)
    await settle(lambda: len(slack.posted()))
    note, greeting = slack.posted()
    assert note["channel"] == "C111" and note["thread_ts"] == "1595926230.009600"
    assert "ダイレクトメッセージ" in note["text"] and "direct message" in note["text"]
    assert "メールアドレス" not in note["text"]  # nothing personal asked in a channel
    assert greeting["channel"] == "W222"  # the app's DM with the person who asked
    assert PLATFORM_JA in greeting["text"]
    buttons = [
        e["value"] for b in greeting["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == ["propose", "ask", "status", "human"]


async def test_the_staff_channel_and_channel_chatter_get_no_answer(app: Any, slack: Any) -> None:
    in_staff = fresh_slack(
        load("slack_app_mention"), channel=STAFF, text="<@W111> KF-2026-00002 は私が見ておきます"
    )
    chatter = fresh_slack(
        load("slack_message_im"),
        channel="C111",
        channel_type="channel",
        text="今日の会議は15時からです",
    )
    staff_chatter = fresh_slack(
        load("slack_message_im"),
        channel=STAFF,
        channel_type="channel",
        text="KF-2026-00002 は私が見ておきます",
    )
    shared_file = fresh_slack(load("slack_file_share_group"))  # a comment in a private channel
    from_a_bot = fresh_slack(load("slack_message_im"), bot_id="B999", text="自動投稿です")
    for envelope in (in_staff, chatter, staff_chatter, shared_file, from_a_bot):
        assert await slack.send(envelope) == 200
    await settle(lambda: len(slack.posted()))
    assert slack.posted() == []
    assert app.state.parts.inbox is not None


async def test_app_home_opened_greets_once(app: Any, slack: Any) -> None:
    for _ in range(2):
        assert await slack.send(fresh_slack(load("slack_app_home_opened"))) == 200
        await settle(lambda: len(slack.posted()))
    [greeting] = slack.posted()
    assert greeting["channel"] == "D123ABC456"
    assert PLATFORM_JA in greeting["text"] and "ようこそ" in greeting["text"]


async def test_a_slash_command_answers_by_dm(app: Any, slack: Any, server: tuple[str, int]) -> None:
    form = load("slack_slash_command").replace("text=Hi", "text=")
    form = form.replace("trigger_id=111.111.xxx", "trigger_id=222.222.yyy")
    body = form.encode()
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    response = await post(server, WEBHOOK, body, headers)
    assert response.status_code == 200  # not 404 as before
    await wait_for(lambda: len(slack.posted()) == 1, timeout=20)
    [greeting] = slack.posted()
    assert greeting["channel"] == "W111" and PLATFORM_JA in greeting["text"]
    help_form = form.replace("text=", "text=help").replace("222.222.yyy", "333.333.zzz")
    body = help_form.encode()
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    assert (await post(server, WEBHOOK, body, headers)).status_code == 200
    await wait_for(lambda: len(slack.posted()) >= 2, timeout=20)
    assert "キャンセル" in slack.posted()[1]["text"]  # /madoguchi help: the help text


async def test_files_comments_and_thread_broadcasts_in_a_dm(app: Any, slack: Any) -> None:
    shared = load("slack_file_share_group")
    with_comment = fresh_slack(
        shared,
        channel="D024BE91L",
        channel_type="im",
        user="U2147483697",
        text="参加の階層は変更できますか",
    )
    assert await slack.send(with_comment) == 200
    await wait_for(lambda: len(slack.posted()) >= 1, timeout=20)
    await settle(lambda: len(slack.posted()))
    answer = "\n".join(p["text"] for p in slack.posted())
    assert "文字のメッセージだけ" not in answer and "階層" in answer  # the comment was read
    before = len(slack.posted())
    bare = fresh_slack(shared, channel="D024BE91L", channel_type="im", user="U2147483697", text="")
    assert await slack.send(bare) == 200
    await wait_for(lambda: len(slack.posted()) > before, timeout=20)
    assert "文字のメッセージだけ" in slack.posted()[before]["text"]
    before = len(slack.posted())
    broadcast = fresh_slack(load("slack_thread_broadcast"), text="参加の階層は変更できますか")
    assert await slack.send(broadcast) == 200
    await wait_for(lambda: len(slack.posted()) > before, timeout=20)
    assert slack.posted()[before]["channel"] == "D123ABC456"


async def test_a_file_shared_in_an_intake_is_downloaded_with_the_token_and_kept(
    app: Any, slack: Any, slack_api: HTTPServer
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 512
    slack_api.expect_request("/files-pri/T111-F111/download/test.png").respond_with_data(png)
    assert "受付番号" not in await slack.say("提案したいです")
    shared = load("slack_file_share_group")
    [described] = shared["event"]["files"]
    local = {
        **described,
        "url_private_download": slack_api.url_for("/files-pri/T111-F111/download/test.png"),
    }
    elsewhere = {
        **described,
        "id": "F222",
        "url_private_download": "https://attacker.example/x.png",
    }
    before = len(slack.posted())
    for files in ([local], [elsewhere]):
        event = fresh_slack(
            shared, channel="D024BE91L", channel_type="im", user="U2147483697", text="", files=files
        )
        count = len(slack.posted())
        assert await slack.send(event) == 200
        await wait_for(lambda count=count: len(slack.posted()) > count, timeout=20)
    kept, refused = (p["text"] for p in slack.posted()[before:])
    assert "「test.png」を受け取りました" in kept
    assert "受け取りました" not in refused  # a link off Slack's file host is never fetched
    [download] = [r for r, _ in slack_api.log if r.path.startswith("/files-pri/")]
    assert download.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
    with Session(app.state.parts.hub.store.engine) as session:
        [attachment] = session.exec(select(Attachment)).all()
    assert (attachment.file_name, attachment.content_type, attachment.size) == (
        "test.png",
        "image/png",
        len(png),
    )


async def test_a_shortcut_greets_in_the_dm(app: Any, slack: Any, server: tuple[str, int]) -> None:
    shortcut = load("slack_shortcut")
    body = f"payload={quote(json.dumps(shortcut))}".encode()
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    assert (await post(server, WEBHOOK, body, headers)).status_code == 200  # not 404
    await wait_for(lambda: len(slack.posted()) == 1, timeout=20)
    [greeting] = slack.posted()
    assert greeting["channel"] == "W111" and PLATFORM_JA in greeting["text"]
    again = await post(
        server, WEBHOOK, body, slack_headers(body, content_type="application/x-www-form-urlencoded")
    )
    assert again.status_code == 200
    await settle(lambda: len(slack.posted()))
    assert len(slack.posted()) == 1  # the same trigger is one event: greeted once
