"""The web chat: a page, a message API (session cookie + CSRF token), and transcript polling."""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import hmac
import logging
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field, field_validator

from bot.channels import notices
from bot.channels.base import Delivery
from bot.channels.payloads import Malformed, ValidationError, load_json
from bot.channels.web_texts import PAGE_TEXT
from bot.hub import Hub
from bot.limits import WebLimits, retry_after
from knowledge import Platform
from storage import repository
from workflows import Incoming
from workflows.textsafety import has_lone_surrogate

NAME = "web"
COOKIE = "madoguchi_session"
MAX_TEXT = 2000
# A session cookie is "<token>.<signature>": 32 random characters and an HMAC of them under
# the session secret, so only ids this server issued are accepted (anything else: a new one).
SESSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
SESSION_COOKIE_MAX = 80
# The page's own inline script and style only; no third-party origin is ever loaded.
CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"
log = logging.getLogger("madoguchi.web")
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


class NewMessage(BaseModel):
    """A message from the page; `id` is chosen by the page so a resend is not a new message."""

    id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9\-_]+$")
    text: str = Field(min_length=1, max_length=MAX_TEXT)

    @field_validator("text", mode="before")
    @classmethod
    def _encodable(cls, value: Any) -> Any:
        # Before pydantic's own check, which refuses it too but with a cryptic message.
        if isinstance(value, str) and has_lone_surrogate(value):
            raise ValueError("text contains a lone surrogate (not valid Unicode text)")
        return value


class WebChannel:
    """Replies need no delivery: the page reads the transcript."""

    name = NAME

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """The stored page message (None for anything else, never an exception)."""
        if not isinstance(event, dict):
            return None
        session, text = event.get("session"), event.get("text")
        if not isinstance(session, str) or not isinstance(text, str) or not session or not text:
            return None
        incoming = Incoming(platform=platform, channel=NAME, user_key=session, text=text)
        return incoming, {"session": session}

    async def send(self, delivery: Delivery) -> None:
        """Nothing to do: the reply is already in the transcript the page polls."""


_FRONT_URL = re.compile(r"^url:[ \t]*(https?://[^\s]{1,500})[ \t]*$", re.M)


def privacy_url(profile: Platform | None) -> str | None:
    """The link of the platform's privacy policy (a document whose id ends in `-privacy`)."""
    if profile is None or profile.path is None:
        return None
    return _privacy_url(profile.documents_dir)


@functools.lru_cache(maxsize=64)
def _privacy_url(documents: Path) -> str | None:
    """Read once per documents folder: the page is served often, the policy rarely changes."""
    for document in sorted(documents.glob("*privacy*.md")):
        head = document.read_text(encoding="utf-8")[:2000].split("\n---", 1)[0]
        found = _FRONT_URL.search(head)
        if found:
            return found.group(1)
    return None


def welcome(profile: Platform | None, platform: str, language: str) -> dict[str, Any]:
    """What the page shows before anything is said: who, what, when, privacy and the menu."""
    text = PAGE_TEXT[language]
    name = profile.name.get(language) if profile else platform
    greeting = notices.greeting(profile, language) if profile else None
    return {
        "name": name,
        "title": f"{name} — {text['title']}",
        "greeting": greeting.text if greeting else "",
        "promise": text["reply_promise"].format(days=profile.reply_days) if profile else "",
        "privacy_url": privacy_url(profile),
        "choices": [(c.label, c.value) for c in greeting.choices] if greeting else [],
    }


def csrf_token(secret: str, session: str) -> str:
    """The CSRF token bound to a session."""
    return hmac.new(secret.encode(), f"csrf:{session}".encode(), hashlib.sha256).hexdigest()


def _signature(secret: str, token: str) -> str:
    digest = hmac.new(secret.encode(), f"web-session:{token}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue_session(secret: str) -> tuple[str, str]:
    """A new session: (its key, the signed cookie value)."""
    token = secrets.token_urlsafe(24)
    return token, f"{token}.{_signature(secret, token)}"


def session_key(secret: str, cookie: str | None) -> str | None:
    """The session key of a cookie this server issued; None for anything else."""
    if not cookie or len(cookie) > SESSION_COOKIE_MAX or cookie.count(".") != 1:
        return None
    token, signature = cookie.split(".")
    if not SESSION_TOKEN.fullmatch(token):
        return None
    if not hmac.compare_digest(signature.encode(), _signature(secret, token).encode()):
        return None
    return token


def language_of(request: Request, lang: str | None = None) -> str:
    """The language ("ja" or "en"): the page's choice, else the browser's."""
    if lang in ("ja", "en"):
        return lang
    return "ja" if request.headers.get("accept-language", "ja").startswith("ja") else "en"


def address_of(request: Request) -> str:
    """The client address (behind a proxy: as uvicorn's --forwarded-allow-ips resolves it)."""
    return request.client.host if request.client else "unknown"


async def read_message(request: Request, text: dict[str, str]) -> NewMessage:
    """The posted message: 400 for a body that is not JSON, 422 (input not echoed) if invalid."""
    try:
        return NewMessage.model_validate(load_json(await request.body()))
    except Malformed as exc:
        raise HTTPException(400, text["malformed"]) from exc
    except ValidationError as exc:
        # The input is left out: it may not even be encodable (a lone surrogate).
        errors = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_input=False, include_url=False, include_context=False)
        ]
        raise HTTPException(422, errors) from exc


def _too_fast(text: dict[str, str], wait: float) -> JSONResponse:
    seconds = retry_after(wait)
    return JSONResponse(
        {"detail": text["slow_down"].format(seconds=seconds), "retry_after": int(seconds)},
        status_code=429,
        headers={"Retry-After": seconds},
    )


def router(hub: Hub) -> APIRouter:
    """GET /chat/{platform}, POST and GET /chat/{platform}/api/messages."""
    routes = APIRouter()
    secret = hub.settings.session_secret
    limits = hub.web_limits or WebLimits.from_settings(hub.settings)

    def check_platform(platform: str) -> None:
        if platform not in hub.platforms or not hub.settings.channels_of(platform).web:
            raise HTTPException(404, "no such desk")

    def session_of(request: Request, text: dict[str, str]) -> str:
        session = session_key(secret, request.cookies.get(COOKIE))
        if session is None:
            raise HTTPException(403, text["reload"])
        return session

    @routes.get("/chat/{platform}", response_class=HTMLResponse)
    async def page(platform: str, request: Request, lang: str | None = None) -> Response:
        check_platform(platform)
        language = language_of(request, lang)
        text = PAGE_TEXT[language]
        cookie = request.cookies.get(COOKIE)
        session = session_key(secret, cookie)
        if session is None:  # none yet, or one this server did not issue: a fresh one
            wait = limits.sessions_per_address.hit(address_of(request))
            if wait:
                seconds = retry_after(wait)
                message = text["busy"].format(seconds=seconds)
                busy = (
                    f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
                    f"<title>{text['title']}</title><p>{message}</p></html>"
                )
                return HTMLResponse(busy, status_code=429, headers={"Retry-After": seconds})
            session, cookie = issue_session(secret)
        html = _templates.get_template("chat.html").render(
            platform=platform,
            csrf=csrf_token(secret, session),
            text=text,
            lang=language,
            other_lang="ja" if language == "en" else "en",
            welcome=welcome(hub.profiles.get(platform), platform, language),
            limit=MAX_TEXT,
        )
        response = HTMLResponse(html)
        response.set_cookie(
            COOKIE,
            cookie or "",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            max_age=60 * 60 * 24 * 30,
        )
        response.headers["Content-Security-Policy"] = CSP
        return response

    @routes.post("/chat/{platform}/api/messages", status_code=202, response_model=None)
    async def post(platform: str, request: Request) -> dict[str, bool] | JSONResponse:
        check_platform(platform)
        text = PAGE_TEXT[language_of(request)]
        session = session_of(request, text)
        expected = csrf_token(secret, session)
        if not hmac.compare_digest(
            request.headers.get("x-csrf-token", "").encode(), expected.encode()
        ):
            log.warning("web message for %s: bad CSRF token, refused", platform)
            raise HTTPException(403, text["bad_csrf"])
        message = await read_message(request, text)
        address = address_of(request)
        wait = limits.message(session=session, address=address)
        if wait:
            log.info("web message for %s: over the rate limit, asked to wait", platform)
            return _too_fast(text, wait)
        try:
            new = await hub.accept(
                channel=NAME,
                platform=platform,
                external_id=f"{session}:{message.id}",
                payload={"session": session, "text": message.text},
            )
        except BaseException:
            limits.undo_message(session=session, address=address)
            raise
        if not new:  # a resend of a message already accepted does not count twice
            limits.undo_message(session=session, address=address)
        return {"accepted": True}

    @routes.get("/chat/{platform}/api/messages")
    async def poll(
        platform: str, request: Request, after: Annotated[int, Query(ge=0, lt=2**63)] = 0
    ) -> dict[str, Any]:
        check_platform(platform)
        session = session_of(request, PAGE_TEXT[language_of(request)])

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
