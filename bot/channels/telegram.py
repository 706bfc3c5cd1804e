"""Telegram (python-telegram-bot): secret-token webhooks in, messages with inline keyboards out."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text
from bot.channels.payloads import Malformed, TelegramUpdate, ValidationError, load_json
from bot.hub import Hub
from bot.settings import TelegramCredentials
from workflows import Incoming, Outgoing

NAME = "telegram"
TEXT_LIMIT = 4096
log = logging.getLogger("madoguchi.telegram")


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
            bot = Bot(credentials.bot_token, base_url=f"{self.api_base}/bot")
            await bot.initialize()
            self._bots[platform] = bot
        return self._bots[platform]

    def incoming(
        self, platform: str, update: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """Text messages and inline-keyboard presses (None for anything else, never raises)."""
        try:
            parsed = TelegramUpdate.model_validate(update)
        except ValidationError:
            log.warning("Telegram update for %s is malformed: nothing to answer", platform)
            return None
        query = parsed.callback_query
        if query is not None:
            chat = query.message.chat.id if query.message and query.message.chat else None
            chat = chat or query.from_.id
            route = {"chat_id": chat, "callback_query_id": query.id}
            return Incoming(platform, NAME, str(chat), query.data or ""), route
        message = parsed.message
        if message is None or not message.text:
            return None
        chat = message.chat.id
        return Incoming(platform, NAME, str(chat), message.text), {"chat_id": chat}

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
                )
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
            raise RetryLater("Telegram 429", after=seconds) from exc
        except (BadRequest, Forbidden, InvalidToken) as exc:  # BadRequest is a NetworkError too
            raise Undeliverable(f"Telegram: {exc}") from exc
        except (TimedOut, NetworkError) as exc:
            raise RetryLater(f"Telegram: {exc}") from exc


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
        if update.callback_query is not None or (update.message and update.message.text):
            await hub.accept(channel=NAME, platform=platform, external_id=update_id, payload=data)
        else:
            log.info("Telegram update %s for %s: acknowledged, not handled", update_id, platform)
        return {"status": "ok"}

    return routes
