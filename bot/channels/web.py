"""The web chat: a page, a message API (session cookie + CSRF token), and transcript polling."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field

from bot.channels.base import Delivery
from bot.hub import Hub
from storage import repository
from workflows import Incoming

NAME = "web"
COOKIE = "madoguchi_session"
MAX_TEXT = 2000
# The page's own inline script and style only; no third-party origin is ever loaded.
CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"
log = logging.getLogger("madoguchi.web")
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)

PAGE_TEXT = {
    "ja": {
        "title": "窓口チャット",
        "label": "メッセージ",
        "placeholder": "ご用件をどうぞ（Enterで送信）",
        "send": "送信",
        "offline": "接続が切れました。再接続しています…入力した内容は失われません。",
        "reference": "受付番号",
        "you": "あなた",
        "desk": "窓口",
        "other": "English",
    },
    "en": {
        "title": "Desk chat",
        "label": "Message",
        "placeholder": "How can we help? (Enter to send)",
        "send": "Send",
        "offline": "Connection lost. Reconnecting… nothing you typed is lost.",
        "reference": "Reference number",
        "you": "You",
        "desk": "Desk",
        "other": "日本語",
    },
}


class NewMessage(BaseModel):
    """A message from the page; `id` is chosen by the page so a resend is not a new message."""

    id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9\-_]+$")
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class WebChannel:
    """Replies need no delivery: the page reads the transcript."""

    name = NAME

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """The stored page message."""
        if not event.get("session") or not event.get("text"):
            return None
        incoming = Incoming(
            platform=platform, channel=NAME, user_key=event["session"], text=event["text"]
        )
        return incoming, {"session": event["session"]}

    async def send(self, delivery: Delivery) -> None:
        """Nothing to do: the reply is already in the transcript the page polls."""


def csrf_token(secret: str, session: str) -> str:
    """The CSRF token bound to a session."""
    return hmac.new(secret.encode(), f"csrf:{session}".encode(), hashlib.sha256).hexdigest()


def router(hub: Hub) -> APIRouter:
    """GET /chat/{platform}, POST and GET /chat/{platform}/api/messages."""
    routes = APIRouter()

    def check_platform(platform: str) -> None:
        if platform not in hub.platforms or not hub.settings.channels_of(platform).web:
            raise HTTPException(404, "no such desk")

    def session_of(request: Request) -> str:
        session = request.cookies.get(COOKIE, "")
        if len(session) < 20:
            raise HTTPException(403, "no session: reload the page")
        return session

    @routes.get("/chat/{platform}", response_class=HTMLResponse)
    async def page(platform: str, request: Request, lang: str | None = None) -> Response:
        check_platform(platform)
        session = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
        language = lang or (
            "en" if not request.headers.get("accept-language", "ja").startswith("ja") else "ja"
        )
        language = "en" if language == "en" else "ja"
        html = _templates.get_template("chat.html").render(
            platform=platform,
            csrf=csrf_token(hub.settings.session_secret, session),
            text=PAGE_TEXT[language],
            lang=language,
            other_lang="ja" if language == "en" else "en",
        )
        response = HTMLResponse(html)
        response.set_cookie(
            COOKIE,
            session,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            max_age=60 * 60 * 24 * 30,
        )
        response.headers["Content-Security-Policy"] = CSP
        return response

    @routes.post("/chat/{platform}/api/messages", status_code=202)
    async def post(platform: str, message: NewMessage, request: Request) -> dict[str, bool]:
        check_platform(platform)
        session = session_of(request)
        expected = csrf_token(hub.settings.session_secret, session)
        if not hmac.compare_digest(request.headers.get("x-csrf-token", ""), expected):
            log.warning("web message for %s: bad CSRF token, refused", platform)
            raise HTTPException(403, "bad CSRF token: reload the page")
        await hub.accept(
            channel=NAME,
            platform=platform,
            external_id=f"{session}:{message.id}",
            payload={"session": session, "text": message.text},
        )
        return {"accepted": True}

    @routes.get("/chat/{platform}/api/messages")
    async def poll(platform: str, request: Request, after: int = 0) -> dict[str, Any]:
        check_platform(platform)
        session = session_of(request)

        def read() -> list[dict[str, Any]]:
            with hub.store.begin() as tx:
                conversation = repository.find_conversation(
                    tx.session, platform_id=platform, channel=NAME, user_key=session
                )
                if conversation is None:
                    return []
                return [
                    {
                        "id": m.id,
                        "direction": m.direction,
                        "text": m.payload.get("text", m.text) if m.direction == "out" else m.text,
                        "choices": m.payload.get("choices", []),
                        "cards": m.payload.get("cards", []),
                        "reference": m.payload.get("reference"),
                    }
                    for m in repository.messages_after(
                        tx.session, conversation_id=conversation.id, after=after
                    )
                ]

        return {"messages": await asyncio.to_thread(read)}

    return routes
