"""LINE, replayed: line-bot-sdk-python's own webhook fixture (every event kind it parses) and
the documented group-mention example, signed and posted to the real server; the SDK's
Messaging API client answers a fake LINE API.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.models import Attachment, Conversation, InboundEvent
from storage.store import SqlStore
from tests.bot.channels.golden import fresh_line, load, post, settle
from tests.bot.channels_helpers import LINE_SECRET, LINE_TOKEN, line_signature, wait_for

WEBHOOK = "/webhooks/line/zerocarbon"
PLATFORM_JA = "地域脱炭素経営コンソーシアム"
PLATFORM_EN = "Regional Decarbonisation Management Consortium"
# The SDK fixture's user opens in English ("Hello, world"): the desk answers in English.
TEXT_ONLY = ("文字のメッセージだけ", "I can only read text")


def says(text: str, *phrases: str) -> bool:
    return any(phrase in text for phrase in phrases)


@pytest.fixture
def line_api(httpserver: HTTPServer) -> HTTPServer:
    sent = {"sentMessages": [{"id": "461230966842064897", "quoteToken": "IStG5h1Tz7b"}]}
    httpserver.expect_request("/v2/bot/message/reply", method="POST").respond_with_json(sent)
    httpserver.expect_request("/v2/bot/message/push", method="POST").respond_with_json(sent)
    return httpserver


@pytest.fixture
def app(
    engine: Engine, sample_kb: KnowledgeBase, line_api: HTTPServer, tmp_path: Path
) -> Iterator[Any]:
    settings = Settings(
        channels={
            "zerocarbon": {"line": {"channel_secret": LINE_SECRET, "access_token": LINE_TOKEN}}
        },
        line_api_base=line_api.url_for("").rstrip("/"),
        line_data_api_base=line_api.url_for("").rstrip("/"),
        background_workers=True,
        data_dir=tmp_path,
        outbox_base_delay=0.01,
    )
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


def calls(api: HTTPServer, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.get_data()) for r, _ in api.log if r.path == path]


def replies(api: HTTPServer) -> dict[str, list[dict[str, Any]]]:
    """The messages of each reply call, by reply token."""
    return {body["replyToken"]: body["messages"] for body in calls(api, "/v2/bot/message/reply")}


async def send(server: tuple[str, int], *events: dict[str, Any]) -> None:
    body = json.dumps({"destination": "U123", "events": list(events)}).encode()
    response = await post(server, WEBHOOK, body, {"x-line-signature": line_signature(body)})
    assert response.status_code == 200


def rows(app: Any, model: Any) -> list[Any]:
    with Session(app.state.parts.hub.store.engine) as session:
        return list(session.exec(select(model)))


async def test_every_event_kind_of_the_sdk_fixture(
    app: Any, server: tuple[str, int], line_api: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    events = [fresh_line(event) for event in load("line_sdk_webhook")["events"]]
    for event in events:  # one user's events come one by one in real life
        event.setdefault("replyToken", None)
    with caplog.at_level(logging.WARNING, logger="madoguchi.line"):
        await send(server, *events)
    answered = {
        i
        for i, e in enumerate(events)
        if e["type"] in ("message", "postback", "follow", "join")
        and e["source"]["type"] == "user"
        or e["type"] == "join"
    }
    await wait_for(lambda: len(replies(line_api)) >= len(answered), timeout=30)
    await settle(lambda: len(calls(line_api, "/v2/bot/message/reply")))
    by_token = replies(line_api)
    assert set(by_token) == {events[i]["replyToken"] for i in answered}
    assert calls(line_api, "/v2/bot/message/push") == []  # every answer used its reply token
    for i, event in enumerate(events):
        if i not in answered:
            continue
        texts = "\n".join(m["text"] for m in by_token[event["replyToken"]])
        kind = event["type"], event.get("message", {}).get("type")
        if kind == ("follow", None):
            assert says(texts, PLATFORM_JA, PLATFORM_EN) and says(texts, "ようこそ", "Welcome")
            items = by_token[event["replyToken"]][-1]["quickReply"]["items"]
            assert [item["action"]["data"] for item in items] == [
                "propose",
                "ask",
                "status",
                "human",
            ]
        elif kind == ("join", None):  # added to a group: who we are, and talk one-to-one
            assert PLATFORM_JA in texts and "1対1" in texts
            assert "quickReply" not in by_token[event["replyToken"]][-1]
        elif kind[0] == "message" and kind[1] != "text":  # image, video, audio, file, ...
            assert says(texts, *TEXT_ONLY), kind
        else:
            assert texts and not says(texts, *TEXT_ONLY), kind
    # Not for the desk: logged where `serve` shows it (WARNING), never stored.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for kind in ("unfollow", "leave", "beacon", "accountLink", "memberJoined", "unsend"):
        assert f"'{kind}'" in logged and "not handled" in logged
    stored = {row.external_id for row in rows(app, InboundEvent)}
    assert stored == {events[i]["webhookEventId"] for i in answered}


async def test_a_group_mention_is_asked_to_move_to_one_to_one(
    app: Any, server: tuple[str, int], line_api: HTTPServer
) -> None:
    [mention] = load("line_docs_group_mention")["events"]
    chatter = fresh_line(mention)
    chatter["message"] = {"id": "1", "type": "text", "text": "株式会社みなとの山田です"}
    await send(server, fresh_line(mention), chatter)
    await wait_for(lambda: len(replies(line_api)) == 1, timeout=20)
    await settle(lambda: len(calls(line_api, "/v2/bot/message/reply")))
    [note] = replies(line_api).values()
    text = note[0]["text"]
    assert "1対1" in text and "one-to-one" in text and PLATFORM_JA in text
    for personal in ("メール", "お名前", "電話", "団体名"):
        assert personal not in text  # nothing personal is asked in a group
    assert "quickReply" not in note[-1]  # no menu: the conversation is not held here
    assert rows(app, Conversation) == []  # no intake started in the group
    assert len(rows(app, InboundEvent)) == 1  # the chatter was not even stored


async def test_files_sent_during_an_intake_are_kept(
    app: Any, server: tuple[str, int], line_api: HTTPServer
) -> None:
    sdk = {
        e["type"] + e.get("message", {}).get("type", ""): e
        for e in load("line_sdk_webhook")["events"]
    }
    text, document, image = sdk["messagetext"], sdk["messagefile"], dict(sdk["messageimage"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    line_api.expect_request("/v2/bot/message/325708/content").respond_with_data(
        b"first line of the plan\n", content_type="application/octet-stream"
    )
    line_api.expect_request("/v2/bot/message/354718705033693861/content").respond_with_data(png)
    start = fresh_line(text)
    start["message"] = {**text["message"], "text": "提案したいです"}
    await send(server, start)
    await wait_for(lambda: len(replies(line_api)) == 1, timeout=20)
    await send(server, fresh_line(document))  # "file.txt", 2,138 bytes as LINE reports
    await wait_for(lambda: len(replies(line_api)) == 2, timeout=20)
    await send(server, fresh_line(image))  # an image LINE holds (contentProvider "line")
    await wait_for(lambda: len(replies(line_api)) == 3, timeout=20)
    texts = [m[0]["text"] for m in replies(line_api).values()]
    assert "「file.txt」を受け取りました" in texts[1]
    assert "を受け取りました" in texts[2]
    kept = rows(app, Attachment)
    assert [(a.file_name, a.content_type) for a in kept] == [
        ("file.txt", "text/plain"),
        ("line-image-354718705033693861", "image/png"),
    ]
    [conversation] = rows(app, Conversation)
    assert [entry.split()[0] for entry in conversation.slots["channel.files"]] == [
        f"attachment:{a.id}" for a in kept
    ]
