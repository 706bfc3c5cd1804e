"""Telegram (python-telegram-bot): secret-token webhooks in, messages with inline keyboards out."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text
from bot.channels.markup import telegram_text
from bot.channels.notices import Notice
from bot.channels.payloads import Malformed, TelegramUpdate, ValidationError, load_json
from bot.channels.registry import Registration
from bot.hub import Hub
from bot.settings import TelegramCredentials
from storage.attachments import Refused
from workflows import Incoming, Outgoing

NAME = "telegram"
TEXT_LIMIT = 4096
# Commands the desk understands as words (`/start` is the greeting); shown in the app's menu.
COMMANDS = {"help": "help", "cancel": "cancel"}
COMMAND_LIST = {
    "ja": [("start", "窓口の案内"), ("help", "使い方"), ("cancel", "入力を取り消す")],
    "en": [("start", "About the desk"), ("help", "How to use"), ("cancel", "Cancel the input")],
}
log = logging.getLogger("madoguchi.telegram")


def _key(chat: int, user: int) -> str:
    return str(chat) if chat == user else f"{chat}:{user}"


def _without_lang(route: dict[str, Any]) -> dict[str, Any]:
    # A desk turn judges the language from the words; only notices take the app's language.
    return {k: v for k, v in route.items() if k != "lang"}


def _command(text: str, entities: list[dict[str, Any]] | None) -> str | None:
    """The command a message starts with (`/start`, `/help@madoguchi_bot` → start, help)."""
    starts = any(
        isinstance(e, dict) and e.get("type") == "bot_command" and e.get("offset") == 0
        for e in entities or ()
    )
    if not starts or not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()[:32]


def _files(message: Any) -> list[dict[str, Any]]:
    """The document or photo of a message (the largest size of a photo), as file references."""
    document = message.document if isinstance(message.document, dict) else None
    if document and isinstance(document.get("file_id"), str):
        name = document.get("file_name") if isinstance(document.get("file_name"), str) else None
        size = document.get("file_size") if isinstance(document.get("file_size"), int) else None
        return [{"id": document["file_id"], "name": name or "document", "size": size}]
    sizes = [
        p for p in message.photo or [] if isinstance(p, dict) and isinstance(p.get("file_id"), str)
    ]
    if sizes:
        largest = sizes[-1]  # Telegram lists a photo's sizes smallest first
        size = largest.get("file_size") if isinstance(largest.get("file_size"), int) else None
        name = f"photo-{message.message_id or 0}.jpg"
        return [{"id": largest["file_id"], "name": name, "size": size}]
    return []


def bot_id(token: str) -> int | None:
    """The bot's own user id: the number before the colon of its token."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() and len(head) < 19 else None


def addressed(update: TelegramUpdate, *, bot: int | None) -> bool:
    """Whether a group message is for the desk: a command, or a reply to one of its messages."""
    message = update.message
    if message is None or message.chat.type in (None, "private"):
        return True
    if _command(message.text or "", message.entities) is not None:
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_ and bot is not None and replied.from_.id == bot)


def to_messages(outgoing: Outgoing) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """Texts within 4,096 characters; the choices as an inline keyboard on the last one."""
    texts = split_text(outgoing.text_with_cards(), TEXT_LIMIT)
    keyboard = (
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=c.value)] for c in outgoing.choices]
        )
        if outgoing.choices
        else None
    )
    return [(text, keyboard if i == len(texts) - 1 else None) for i, text in enumerate(texts)]


class TelegramChannel:
    """One bot per platform."""

    name = NAME

    def __init__(self, credentials: dict[str, TelegramCredentials], *, api_base: str) -> None:
        self.credentials = credentials
        self.api_base = api_base.rstrip("/")
        self._bots: dict[str, Bot] = {}

    async def _bot(self, platform: str) -> Bot:
        if platform not in self._bots:
            credentials = self.credentials.get(platform)
            if credentials is None:
                raise Undeliverable(f"Telegram is not configured for {platform}")
            bot = Bot(
                credentials.bot_token,
                base_url=f"{self.api_base}/bot",
                base_file_url=f"{self.api_base}/file/bot",
            )
            await bot.initialize()
            self._bots[platform] = bot
        return self._bots[platform]

    async def fetch(self, platform: str, file: dict[str, Any], *, limit: int) -> bytes:
        """A sent document or photo, through the SDK (getFile, then the file's download)."""
        bot = await self._bot(platform)
        try:
            found = await bot.get_file(str(file["id"]))
            if found.file_size and found.file_size > limit:
                raise Refused("size")
            data = await found.download_as_bytearray()
        except BadRequest as exc:  # too big for the Bot API (20 MB) or expired
            raise Refused("size" if "too big" in str(exc).lower() else "gone") from exc
        except RetryAfter as exc:
            raise RetryLater("Telegram 429") from exc
        if len(data) > limit:
            raise Refused("size")
        return bytes(data)

    async def start(self) -> None:
        """Set each bot's command list (Japanese, and English for English apps) if configured.

        A failure is logged and the server starts anyway: the commands work without the list.
        """
        for platform, credentials in self.credentials.items():
            if not credentials.set_commands:
                continue
            try:
                bot = await self._bot(platform)
                for lang, commands in COMMAND_LIST.items():
                    await bot.set_my_commands(
                        [BotCommand(name, description) for name, description in commands],
                        language_code=None if lang == "ja" else lang,
                    )
            except Exception as exc:  # noqa: BLE001 - reported; the desk works without it
                log.warning("Telegram command list for %s not set: %r", platform, exc)

    def incoming(
        self, platform: str, update: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """Messages, commands and inline-keyboard presses (None for anything else, never raises).

        A conversation is keyed by chat and user: in a private chat that is the chat id (as
        before), in a group `chat:user`. A group only gets a note asking to talk one-to-one.
        """
        try:
            parsed = TelegramUpdate.model_validate(update)
        except ValidationError:
            log.warning("Telegram update for %s is malformed: nothing to answer", platform)
            return None
        query = parsed.callback_query
        if query is not None:
            chat = query.message.chat if query.message and query.message.chat else None
            chat_id = chat.id if chat else query.from_.id
            route: dict[str, Any] = {"chat_id": chat_id, "callback_query_id": query.id}
            if chat is not None and chat.type not in (None, "private"):
                route["notice"] = Notice.SHARED
            return Incoming(platform, NAME, _key(chat_id, query.from_.id), query.data or ""), route
        message = parsed.message
        if message is None or message.from_ is None:
            return None
        chat_id, user = message.chat.id, message.from_.id
        key = _key(chat_id, user) if message.chat.type not in (None, "private") else str(chat_id)
        route = {"chat_id": chat_id}
        language = message.from_.language_code
        if language:
            route["lang"] = "ja" if language.startswith("ja") else "en"
        if message.chat.type not in (None, "private"):
            route.update(notice=Notice.SHARED, reply_to=message.message_id)
            return Incoming(platform, NAME, key, ""), route
        text = telegram_text(
            message.text or message.caption or "",
            message.entities if message.text else message.caption_entities,
        )
        command = _command(text, message.entities if message.text else None)
        if command == "start":
            route["notice"] = Notice.GREETING
            return Incoming(platform, NAME, key, ""), route
        if command in COMMANDS:
            return Incoming(platform, NAME, key, COMMANDS[command]), _without_lang(route)
        sent = _files(message)
        if sent:  # kept during an intake; else its caption is read, or "text only here"
            route.update(notice=Notice.FILE, files=sent)
            return Incoming(platform, NAME, key, text), route
        if not text.strip():
            route["notice"] = Notice.TEXT_ONLY  # a sticker, location, voice or video
            return Incoming(platform, NAME, key, ""), route
        return Incoming(platform, NAME, key, text), _without_lang(route)

    async def send(self, delivery: Delivery) -> None:
        """Answer the pressed button (first part), then send the texts in order."""
        bot = await self._bot(delivery.platform)
        route = delivery.payload.get("route") or {}
        try:
            if route.get("callback_query_id") and delivery.payload.get("part", 0) == 0:
                try:
                    await bot.answer_callback_query(route["callback_query_id"])
                except BadRequest:
                    pass  # too old to answer; the reply still goes out
            for text, keyboard in to_messages(Outgoing.from_payload(delivery.payload)):
                await bot.send_message(
                    chat_id=route.get("chat_id") or delivery.user_key,
                    text=text,
                    reply_markup=keyboard,
                    reply_parameters=_reply_to(route),
                )
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
            raise RetryLater("Telegram 429", after=seconds) from exc
        except (BadRequest, Forbidden, InvalidToken) as exc:  # BadRequest is a NetworkError too
            raise Undeliverable(f"Telegram: {exc}") from exc
        except (TimedOut, NetworkError) as exc:
            raise RetryLater(f"Telegram: {exc}") from exc


def _reply_to(route: dict[str, Any]) -> ReplyParameters | None:
    message = route.get("reply_to")
    if not isinstance(message, int):
        return None
    return ReplyParameters(message_id=message, allow_sending_without_reply=True)


def router(hub: Hub) -> APIRouter:
    """POST /webhooks/telegram/{platform}."""
    routes = APIRouter()

    @routes.post("/webhooks/telegram/{platform}")
    async def webhook(platform: str, request: Request) -> dict[str, str]:
        credentials = hub.settings.channels_of(platform).telegram
        if credentials is None:
            raise HTTPException(404, "Telegram is not enabled for this platform")
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if not hmac.compare_digest(given.encode(), credentials.secret_token.encode()):
            log.warning("Telegram webhook for %s: bad secret token, refused", platform)
            raise HTTPException(401, "bad secret token")
        try:
            data = load_json(await request.body())
            update = TelegramUpdate.model_validate(data)
        except (Malformed, ValidationError) as exc:
            log.warning("Telegram webhook for %s: malformed body, refused", platform)
            raise HTTPException(400, "malformed body") from exc
        update_id = str(update.update_id)
        message = update.message
        if message is not None and message.from_ is not None and message.from_.is_bot:
            log.info("Telegram update %s for %s: from a bot, ignored", update_id, platform)
        elif message is not None and not addressed(update, bot=bot_id(credentials.bot_token)):
            log.info("Telegram update %s in a group: not addressed to the desk", update_id)
        elif update.callback_query is not None or message is not None:
            # Telegram numbers updates per bot: two desks' bots can send the same update_id.
            await hub.accept(
                channel=NAME,
                platform=platform,
                external_id=f"{platform}:{update_id}",
                payload=data,
            )
        else:
            log.warning("Telegram update %s for %s: acknowledged, not handled", update_id, platform)
        return {"status": "ok"}

    return routes


REGISTRATION = Registration(
    name=NAME,
    credentials=lambda configured: configured.telegram,
    build=lambda settings, found: TelegramChannel(found, api_base=settings.telegram_api_base),
    router=lambda hub, channel, **extras: router(hub),
)
