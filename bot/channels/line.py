"""LINE Messaging API (line-bot-sdk v3): replies or pushes out (the webhook is `line_events`)."""

from __future__ import annotations

import contextlib
import email.utils
import logging
import time
import uuid
from typing import Any

from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException

from bot.channels.base import Delivery, RetryLater, Undeliverable, split_text, utf16_units
from bot.channels.markup import line_text
from bot.channels.notices import Notice
from bot.channels.payloads import LineEvent, ValidationError
from bot.channels.registry import Registration
from bot.settings import LineCredentials
from storage.attachments import Refused
from workflows import Incoming, Outgoing

NAME = "line"
TEXT_LIMIT = 5000  # UTF-16 units per text message
MESSAGES_PER_CALL = 5
QUICK_REPLY_ITEMS = 13
LABEL_LIMIT = 20  # characters of a quick-reply button
REPLY_TOKEN_SECONDS = 50  # the token lives a minute; leave room for the call itself
CALL_TIMEOUT = 30  # seconds; well inside the outbox lease, so no other worker sends it too
RETRY_KEYS = uuid.UUID("5f0c3c7e-8a51-4d0e-9a35-1f5b6c3e2d10")
log = logging.getLogger("madoguchi.line")


def quick_label(label: str, limit: int = LABEL_LIMIT) -> str:
    """A quick-reply label within LINE's 20 characters, cut at a word boundary with "…"."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    if space > 0:  # English: end on a whole word
        cut = cut[:space]
    return cut.rstrip(" ,.;:、・") + "…"


def to_messages(outgoing: Outgoing) -> list[TextMessage]:
    """Text messages within LINE's limits; choices as quick replies on the last one."""
    body = outgoing.text_with_cards()
    if outgoing.choices and len(outgoing.choices) > QUICK_REPLY_ITEMS:
        body = outgoing.fallback_text()
    texts = split_text(body, TEXT_LIMIT, measure=utf16_units)
    messages = [TextMessage(text=text) for text in texts]
    if outgoing.choices and len(outgoing.choices) <= QUICK_REPLY_ITEMS:
        messages[-1].quick_reply = QuickReply(
            items=[
                QuickReplyItem(
                    action=PostbackAction(
                        label=quick_label(c.label), data=c.value, display_text=c.label
                    )
                )
                for c in outgoing.choices
            ]
        )
    return messages


class LineChannel:
    """One LINE channel per platform, keyed by platform id."""

    name = NAME
    batches = True  # a turn's replies go in one reply call (up to five messages)

    def __init__(
        self,
        credentials: dict[str, LineCredentials],
        *,
        api_base: str,
        data_api_base: str = "https://api-data.line.me",
    ) -> None:
        self.credentials = credentials
        self.api_base = api_base.rstrip("/")
        self.data_api_base = data_api_base.rstrip("/")
        self._apis: dict[str, AsyncMessagingApi] = {}
        self._blobs: dict[str, AsyncMessagingApiBlob] = {}

    async def fetch(self, platform: str, file: dict[str, Any], *, limit: int) -> bytes:
        """A sent image or file, through the SDK's content API (`api-data.line.me`)."""
        if platform not in self._blobs:
            credentials = self.credentials.get(platform)
            if credentials is None:
                raise Undeliverable(f"LINE is not configured for {platform}")
            configuration = Configuration(
                host=self.data_api_base, access_token=credentials.access_token
            )
            self._blobs[platform] = AsyncMessagingApiBlob(AsyncApiClient(configuration))
        try:
            data = await self._blobs[platform].get_message_content(
                str(file["id"]), _request_timeout=CALL_TIMEOUT
            )
        except ApiException as exc:
            if exc.status and 400 <= exc.status < 500 and exc.status != 429:
                raise Refused("gone") from exc  # expired or removed: nothing to keep
            raise _failure(exc) from exc
        if len(data) > limit:
            raise Refused("size")
        return bytes(data)

    def _api(self, platform: str) -> AsyncMessagingApi:
        """One client (and HTTP connection pool) per platform, reused for every message."""
        if platform not in self._apis:
            credentials = self.credentials.get(platform)
            if credentials is None:
                raise Undeliverable(f"LINE is not configured for {platform}")
            configuration = Configuration(host=self.api_base, access_token=credentials.access_token)
            self._apis[platform] = AsyncMessagingApi(AsyncApiClient(configuration))
        return self._apis[platform]

    def incoming(
        self, platform: str, event: dict[str, Any]
    ) -> tuple[Incoming, dict[str, Any]] | None:
        """Messages, postbacks, follows and joins; the route keeps the reply token and its time.

        In a group or room only a message that mentions the desk is stored (see `router`),
        and it is answered with a note asking to talk one-to-one. None for anything else,
        malformed events included: this never raises.
        """
        try:
            parsed = LineEvent.model_validate(event)
        except ValidationError:
            log.warning("LINE event for %s is malformed: nothing to answer", platform)
            return None
        source = parsed.source
        user = source.userId if source else None
        shared = source.shared() if source else None
        route: dict[str, Any] = {"reply_token": parsed.replyToken, "timestamp": parsed.timestamp}
        if parsed.type == "join" and shared:
            route.update(notice=Notice.SHARED_GREETING, to=shared)
            return Incoming(platform, NAME, shared, ""), route
        if not user:
            return None
        if shared:
            route.update(notice=Notice.SHARED, to=shared)
            return Incoming(platform, NAME, user, ""), route
        if parsed.type == "follow":
            route["notice"] = Notice.GREETING
            return Incoming(platform, NAME, user, ""), route
        text = parsed.text()
        if text is not None and parsed.message is not None:
            text = line_text(text, parsed.message.mention)
        if not text:
            message = parsed.message
            if parsed.type != "message" or message is None:
                return None
            if message.type in ("image", "file") and message.id and message.stored_by_line():
                name = message.fileName or f"line-{message.type}-{message.id}"
                route["notice"] = Notice.FILE
                route["files"] = [{"id": message.id, "name": name, "size": message.fileSize}]
            else:
                route["notice"] = Notice.TEXT_ONLY  # video, audio, sticker, location
            return Incoming(platform, NAME, user, ""), route
        return Incoming(platform=platform, channel=NAME, user_key=user, text=text), route

    async def send(self, delivery: Delivery) -> None:
        """Reply with the token while it is fresh, else push with a retry key.

        The turn's later replies (`followers`) join the first: one reply call carries the
        first five messages; only what does not fit is pushed.

        The first batch of a message whose reply token an earlier attempt used with no known
        outcome (a crash or timeout) is never pushed: it is replied again while the token is
        fresh (LINE's 400 then means that earlier call used it), else taken as delivered.
        """
        api = self._api(delivery.platform)
        messages = [
            message
            for payload in (delivery.payload, *delivery.followers)
            for message in to_messages(Outgoing.from_payload(payload))
        ]
        route = delivery.payload.get("route") or {}
        for start in range(0, len(messages), MESSAGES_PER_CALL):
            batch = _last_keeps_quick_reply(messages[start : start + MESSAGES_PER_CALL])
            if start == 0 and await self._reply(api, delivery, route, batch):
                continue
            key = str(uuid.uuid5(RETRY_KEYS, f"{delivery.outbox_id}:{start}"))
            try:
                await api.push_message(
                    PushMessageRequest(to=route.get("to") or delivery.user_key, messages=batch),
                    x_line_retry_key=key,
                    _request_timeout=CALL_TIMEOUT,
                )
            except ApiException as exc:
                if exc.status == 409:  # this retry key was accepted before: delivered
                    continue
                raise _failure(exc) from exc

    async def _reply(
        self,
        api: AsyncMessagingApi,
        delivery: Delivery,
        route: dict[str, Any],
        batch: list[TextMessage],
    ) -> bool:
        """Send `batch` with the reply token; False when it has to be pushed instead."""
        if not route.get("reply_token") or delivery.payload.get("part", 0) != 0:
            return False
        used_before = delivery.reply_token_used_at is not None
        if not self._reply_token_usable(delivery, route):
            if used_before:
                log.warning(
                    "outbox %s: an earlier reply with its token may have gone out; "
                    "not pushed again",
                    delivery.outbox_id,
                )
            return used_before
        record = None if used_before else delivery.record_reply_token
        if record is not None:
            await record(True)  # committed before the call: a crash now cannot cause a push
        try:
            await api.reply_message(
                ReplyMessageRequest(reply_token=route["reply_token"], messages=batch),
                _request_timeout=CALL_TIMEOUT,
            )
        except ApiException as exc:
            if exc.status == 400 and used_before:
                return True  # the token is spent: our own earlier call delivered this
            if record is not None:  # LINE answered: this call did not use the token
                await record(False)
            if exc.status == 400:  # expired or used elsewhere: push instead
                return False
            raise _failure(exc) from exc
        return True

    @staticmethod
    def _reply_token_usable(delivery: Delivery, route: dict[str, Any]) -> bool:
        timestamp = route.get("timestamp")
        now = delivery.claimed_at.timestamp() if delivery.claimed_at else time.time()
        return bool(
            route.get("reply_token")
            and delivery.payload.get("part", 0) == 0
            and timestamp
            and now - timestamp / 1000 < REPLY_TOKEN_SECONDS
        )


def _last_keeps_quick_reply(batch: list[TextMessage]) -> list[TextMessage]:
    """LINE shows quick replies only on a call's last message: earlier ones are dropped."""
    return [
        m.model_copy(update={"quick_reply": None}) if i < len(batch) - 1 and m.quick_reply else m
        for i, m in enumerate(batch)
    ]


def _failure(exc: ApiException) -> Exception:
    headers = {k.lower(): v for k, v in dict(exc.headers or {}).items()}
    status = exc.status or 0
    if status == 429 or status >= 500:
        after: float | None = None
        value = headers.get("retry-after")
        if value:  # seconds, or an HTTP date
            try:
                after = float(value)
            except ValueError:
                with contextlib.suppress(TypeError, ValueError):
                    when = email.utils.parsedate_to_datetime(value)
                    after = max(0.0, when.timestamp() - time.time())
        return RetryLater(f"LINE {status}", after=after)
    return Undeliverable(f"LINE {status}: {exc.body!r}")


def _inbound() -> Any:
    from bot.channels import line_events  # it builds on this module: imported when mounted

    return line_events


REGISTRATION = Registration(
    name=NAME,
    credentials=lambda configured: configured.line,
    build=lambda settings, found: LineChannel(
        found, api_base=settings.line_api_base, data_api_base=settings.line_data_api_base
    ),
    router=lambda hub, channel, **extras: _inbound().router(hub),
)
