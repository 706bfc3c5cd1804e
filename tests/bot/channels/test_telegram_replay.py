"""Telegram, replayed: updates serialised by python-telegram-bot's own classes (`Update.to_dict`,
the shapes of its tests/test_update.py and the Bot API's Update object), posted with the secret
token to the real server; the SDK's Bot answers a fake Bot API.

A group with two members: one addresses the desk, the other chats; a private chat with
/start, /help, /cancel, a photo with and without a caption, a bot, a button press, and the
same update_id from two desks' bots.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram import (
    CallbackQuery,
    Chat,
    Document,
    Message,
    MessageEntity,
    PhotoSize,
    Update,
    User,
)
from werkzeug import Request, Response

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage import ProposalPublic
from storage.models import Attachment, Conversation, InboundEvent, Proposal
from storage.store import SqlStore
from tests.bot.channels.golden import post, settle
from tests.bot.channels_helpers import TELEGRAM_SECRET, TELEGRAM_TOKEN, wait_for
from tests.bot.test_telegram_slack import params

OTHER_TOKEN = "654321:second-desk-token"
BOT = User(123456, "Madoguchi", is_bot=True, username="madoguchi_bot")
HANAKO = User(1001, "花子", is_bot=False, language_code="ja")
TARO = User(1002, "太郎", is_bot=False, language_code="ja")
JOHN = User(1003, "John", is_bot=False, language_code="en")
GROUP = Chat(-100777, Chat.SUPERGROUP, title="みなと地域の会")
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
PLATFORM_JA = "地域脱炭素経営コンソーシアム"


def update(update_id: int, **message: Any) -> dict[str, Any]:
    """An Update with a message, as python-telegram-bot serialises it."""
    user: User = message.pop("from_user")
    chat: Chat = message.pop("chat", None) or Chat(
        user.id, Chat.PRIVATE, first_name=user.first_name
    )
    sent = Message(message_id=update_id, date=NOW, chat=chat, from_user=user, **message)
    return Update(update_id, message=sent).to_dict()


def command(update_id: int, text: str, user: User, chat: Chat | None = None) -> dict[str, Any]:
    entity = MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))
    return update(update_id, from_user=user, chat=chat, text=text, entities=(entity,))


@pytest.fixture
def tg_api(httpserver: HTTPServer) -> HTTPServer:
    for token in (TELEGRAM_TOKEN, OTHER_TOKEN):
        me = BOT.to_dict() | {"id": int(token.split(":")[0])}
        httpserver.expect_request(f"/bot{token}/getMe").respond_with_json(
            {"ok": True, "result": me}
        )
        sent = {"message_id": 9, "date": 1700000000, "chat": {"id": 1, "type": "private"}}
        httpserver.expect_request(f"/bot{token}/sendMessage").respond_with_json(
            {"ok": True, "result": sent}
        )
        for method in ("answerCallbackQuery", "setMyCommands"):
            httpserver.expect_request(f"/bot{token}/{method}").respond_with_json(
                {"ok": True, "result": True}
            )
    return httpserver


@pytest.fixture
def app(
    engine: Engine, sample_kb: KnowledgeBase, tg_api: HTTPServer, tmp_path: Path
) -> Iterator[Any]:
    def telegram(token: str) -> dict[str, Any]:
        secret = {"bot_token": token, "secret_token": TELEGRAM_SECRET, "set_commands": True}
        return {"telegram": secret}

    settings = Settings(
        channels={"zerocarbon": telegram(TELEGRAM_TOKEN), "kyoso-front": telegram(OTHER_TOKEN)},
        telegram_api_base=tg_api.url_for("").rstrip("/"),
        background_workers=True,
        data_dir=tmp_path,
        outbox_base_delay=0.01,
    )
    yield create_app(settings, knowledge=sample_kb, store=SqlStore(engine))


def sent(api: HTTPServer, token: str = TELEGRAM_TOKEN, method: str = "sendMessage") -> list[Any]:
    return [params(r) for r, _ in api.log if r.path == f"/bot{token}/{method}"]


async def send(server: tuple[str, int], body: dict[str, Any], platform: str = "zerocarbon") -> None:
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
        "Content-Type": "application/json",
    }
    data = json.dumps(body, ensure_ascii=False).encode()
    response = await post(server, f"/webhooks/telegram/{platform}", data, headers)
    assert response.status_code == 200


def rows(app: Any, model: Any) -> list[Any]:
    with Session(app.state.parts.hub.store.engine) as session:
        return list(session.exec(select(model)))


async def test_a_group_with_two_members(
    app: Any, server: tuple[str, int], tg_api: HTTPServer
) -> None:
    await send(server, command(1, "/start@madoguchi_bot", HANAKO, GROUP))  # addressed
    await send(server, update(2, from_user=TARO, chat=GROUP, text="株式会社みなとです"))  # chatter
    bot_message = Message(50, NOW, GROUP, from_user=BOT, text="こんにちは")
    reply = update(
        3, from_user=TARO, chat=GROUP, text="提案したいです", reply_to_message=bot_message
    )
    await send(server, reply)  # a reply to the desk's own message: addressed
    await wait_for(lambda: len(sent(tg_api)) == 2, timeout=20)
    await settle(lambda: len(sent(tg_api)))
    notes = sent(tg_api)
    assert [n["chat_id"] for n in notes] == [GROUP.id, GROUP.id]
    assert [n["reply_parameters"]["message_id"] for n in notes] == [1, 3]
    for note in notes:
        assert "1対1" in note["text"] and PLATFORM_JA in note["text"]
        assert "メール" not in note["text"] and "reply_markup" not in note
    # Nobody's words became anybody's answer: no conversation runs in the group.
    assert rows(app, Conversation) == []
    assert {e.external_id for e in rows(app, InboundEvent)} == {"zerocarbon:1", "zerocarbon:3"}


PDF = b"%PDF-1.7\n% a two-page proposal\n" + b"0" * 2000
EXE = b"MZ\x90\x00" + b"\x00" * 500
FILES = {"photo-big": PhotoSize("photo-big", "u1", 1280, 960, file_size=2048), "plan": None}


def document(
    update_id: int, file_id: str, name: str, size: int, caption: str | None = None
) -> dict[str, Any]:
    doc = Document(file_id, f"u-{file_id}", file_name=name, file_size=size)
    return update(update_id, from_user=HANAKO, document=doc, caption=caption)


@pytest.fixture
def files(tg_api: HTTPServer) -> dict[str, bytes]:
    """The Bot API's getFile and file downloads, for the files the test sends."""
    stored = {"photo-big": b"\x89PNG\r\n\x1a\n" + b"\x00" * 2040, "plan": PDF, "tool": EXE}

    def get_file(request: Request) -> Response:
        file_id = params(request)["file_id"]
        body = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(stored[file_id]),
            "file_path": f"documents/{file_id}",
        }
        return Response(json.dumps({"ok": True, "result": body}), content_type="application/json")

    tg_api.expect_request(f"/bot{TELEGRAM_TOKEN}/getFile").respond_with_handler(get_file)
    for file_id, data in stored.items():
        tg_api.expect_request(f"/file/bot{TELEGRAM_TOKEN}/documents/{file_id}").respond_with_data(
            data
        )
    return stored


async def test_a_private_chat_start_help_cancel_files_captions_and_bots(
    app: Any, server: tuple[str, int], tg_api: HTTPServer, files: dict[str, bytes]
) -> None:
    await wait_for(lambda: len(sent(tg_api, method="setMyCommands")) == 2)  # ja and en, at start
    photo = (PhotoSize("photo-small", "u0", 90, 90, file_size=300), FILES["photo-big"])
    script = [
        command(10, "/start", HANAKO),
        update(11, from_user=HANAKO, photo=photo),  # not in an intake: text only here
        update(12, from_user=HANAKO, photo=photo, caption="参加の階層は変更できますか"),  # read
        update(13, from_user=HANAKO, text="提案したいです"),
        command(14, "/start", HANAKO),  # mid-intake: greeted, and the intake is not disturbed
        command(15, "/help", HANAKO),
        document(16, "plan", "企画書（子ども食堂）.pdf", len(PDF), caption="企画書です"),
        update(17, from_user=HANAKO, photo=photo),
        document(18, "tool", "tool.exe", len(EXE)),
        document(19, "huge", "video.pdf", 50 * 1024 * 1024),  # over the limit: not downloaded
        command(20, "/cancel", HANAKO),
        update(21, from_user=User(999, "OtherBot", is_bot=True), text="ping"),
    ]
    replies: dict[int, str] = {}
    for body in script:
        before = len(sent(tg_api))
        await send(server, body)
        if body["message"]["from"]["is_bot"]:
            continue
        await wait_for(lambda before=before: len(sent(tg_api)) > before, timeout=20)
        await settle(lambda: len(sent(tg_api)))
        replies[body["update_id"]] = "\n".join(m["text"] for m in sent(tg_api)[before:])
    greeting = sent(tg_api)[0]
    assert PLATFORM_JA in greeting["text"] and "ようこそ" in greeting["text"]
    keyboard = greeting["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["propose", "ask", "status", "human"]
    assert "文字のメッセージだけ" in replies[11]
    assert "階層" in replies[12] and "文字のメッセージだけ" not in replies[12]  # caption read
    assert "ようこそ" in replies[14]
    assert "「戻る」「キャンセル」「ヘルプ」" in replies[15]
    assert "「企画書（子ども食堂）.pdf」を受け取りました" in replies[16]
    assert "を受け取りました" in replies[17]
    assert "PDF、画像" in replies[18]  # the kinds of file kept
    assert "10MBを超える" in replies[19]
    assert "取り消" in replies[20] or "キャンセル" in replies[20]
    [conversation] = rows(app, Conversation)
    assert "/start" not in json.dumps(conversation.slots, ensure_ascii=False)
    kept = rows(app, Attachment)
    assert [(a.file_name, a.content_type) for a in kept] == [
        ("企画書（子ども食堂）.pdf", "application/pdf"),
        ("photo-17.jpg", "image/png"),  # judged by its bytes, not its name
    ]
    data_dir = app.state.parts.hub.settings.data_dir
    assert (data_dir / kept[0].path).read_bytes() == PDF
    requested = [params(r).get("file_id") for r, _ in tg_api.log if r.path.endswith("/getFile")]
    assert "huge" not in requested and "photo-small" not in requested  # the largest size only
    assert not any(e.payload["message"]["from"]["is_bot"] for e in rows(app, InboundEvent))


async def test_files_sent_in_an_intake_are_listed_in_the_filed_proposal(
    app: Any, server: tuple[str, int], tg_api: HTTPServer, files: dict[str, bytes]
) -> None:
    rich = (
        "株式会社ミナトリサイクルの山田です。市内の公園に回収ボックスを置いて、使用済みペットボトルを"
        "回収・再生する実証を提案します。ごみの分別が進まないことが地域の課題です。会場として公園を"
        "使わせていただき、広報にもご協力いただきたいです。費用は当社が負担し、市の費用負担はありません。"
        "連絡先 yamada@minato-recycle.co.jp 045-123-4567"
    )
    answers = {
        "提出": "提出する",
        "階層": "Aでお願いします",
        "タイトル": "公園でのペットボトル回収実証",
        "同意": "はい、同意いたします",
    }

    async def say(body: dict[str, Any]) -> str:
        before = len(sent(tg_api))
        await send(server, body)
        await wait_for(lambda: len(sent(tg_api)) > before, timeout=30)
        await settle(lambda: len(sent(tg_api)))
        return "\n".join(m["text"] for m in sent(tg_api)[before:])

    reply = await say(update(30, from_user=HANAKO, text=rich))
    kept = await say(document(31, "plan", "企画書.pdf", len(PDF), caption="企画書です"))
    assert "「企画書.pdf」を受け取りました" in kept
    for update_id in range(32, 44):
        if "受付番号" in reply:
            break
        question = reply.split("\n\n")[-1]
        asked = next((key for key in answers if key in question), None)
        assert asked is not None, f"an unexpected question: {reply}"
        reply = await say(update(update_id, from_user=HANAKO, text=answers[asked]))
    assert "受付番号" in reply
    [proposal] = rows(app, Proposal)
    listed = proposal.record["content"]["attachments"]
    assert len(listed) == 1 and "企画書.pdf" in listed[0] and "企画書です" in listed[0]
    public = ProposalPublic.model_validate(proposal, from_attributes=True)
    [attachment] = rows(app, Attachment)
    assert public.attachment_ids == [attachment.id]


async def test_buttons_are_answered_and_update_ids_are_per_bot(
    app: Any, server: tuple[str, int], tg_api: HTTPServer
) -> None:
    shown = Message(9, NOW, Chat(JOHN.id, Chat.PRIVATE), from_user=BOT, text="menu")
    press = Update(
        500, callback_query=CallbackQuery("cq-500", JOHN, "ci", message=shown, data="ask")
    )
    await send(server, press.to_dict())
    await send(server, command(500, "/start", JOHN), platform="kyoso-front")  # same update_id
    await wait_for(lambda: len(sent(tg_api, method="answerCallbackQuery")) == 1, timeout=20)
    await wait_for(lambda: len(sent(tg_api, OTHER_TOKEN)) == 1, timeout=20)
    assert sent(tg_api, method="answerCallbackQuery")[0]["callback_query_id"] == "cq-500"
    assert "Welcome" in sent(tg_api, OTHER_TOKEN)[0]["text"]  # John's app speaks English
    keys = sorted(e.external_id for e in rows(app, InboundEvent))
    assert keys == ["kyoso-front:500", "zerocarbon:500"]  # neither bot's update was dropped
