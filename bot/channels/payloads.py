"""What a webhook body must look like before anything reads it: strict JSON and typed fields.

Every platform sends well-formed bodies, so a body that fails here was not sent by the platform
(or was sent by someone holding its secret): it is refused with 400 and never stored. Only the
fields the desk reads are checked; anything else a platform adds later passes through.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

__all__ = [
    "MAX_DEPTH",
    "LineBody",
    "LineEvent",
    "Malformed",
    "SlackEnvelope",
    "SlackInteraction",
    "SlackMessageEvent",
    "TelegramUpdate",
    "ValidationError",
    "load_json",
]

# Real payloads nest about ten levels (a Telegram reply inside a message inside an update);
# deeper ones are only made to exhaust the parser or the sanitiser.
MAX_DEPTH = 32
# Column width of ids and user keys in the database.
Key = Annotated[StrictStr, Field(min_length=1, max_length=255)]
# Telegram ids fit in 52 bits; anything past a signed 64-bit integer is not an id.
BigId = Annotated[StrictInt, Field(ge=-(2**63), lt=2**63)]


class Malformed(ValueError):
    """A body no platform would send: not UTF-8, not JSON, too deep, or the wrong shape."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: no database stores it as JSON
        raise ValueError("number out of range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def load_json(body: bytes) -> Any:
    """Strict UTF-8 JSON with finite numbers, at most `MAX_DEPTH` levels; else `Malformed`."""
    try:
        value = json.loads(body.decode("utf-8"), parse_float=_finite, parse_constant=_no_constant)
    # JSONDecodeError and UnicodeDecodeError are ValueErrors, and so is an integer of more
    # than 4,300 digits; RecursionError is the parser's own depth limit.
    except (ValueError, RecursionError) as exc:
        raise Malformed(f"not JSON: {type(exc).__name__}") from exc
    if _depth(value) > MAX_DEPTH:
        raise Malformed(f"nested deeper than {MAX_DEPTH} levels")
    return value


class _Shape(BaseModel):
    """Fields the desk reads are typed strictly; fields it does not read are kept as they are."""

    model_config = ConfigDict(extra="allow", strict=True)


# --- LINE -------------------------------------------------------------------------------


class LineBody(_Shape):
    """A webhook request: a list of event objects."""

    events: list[dict[str, Any]]


class _LineSource(_Shape):
    type: StrictStr | None = None  # user, group, room
    userId: Key | None = None  # noqa: N815 - LINE's field name
    groupId: Key | None = None  # noqa: N815
    roomId: Key | None = None  # noqa: N815

    def shared(self) -> str | None:
        """The group or room id when the event happened in a shared space."""
        if self.type == "group":
            return self.groupId
        if self.type == "room":
            return self.roomId
        return None


class _LineMessage(_Shape):
    type: StrictStr
    id: Key | None = None
    text: StrictStr | None = None
    mention: dict[str, Any] | None = None
    fileName: Annotated[StrictStr, Field(max_length=1000)] | None = None  # noqa: N815
    fileSize: StrictInt | None = None  # noqa: N815
    contentProvider: dict[str, Any] | None = None  # noqa: N815

    def stored_by_line(self) -> bool:
        """Whether LINE holds the content (not an external URL): it can be downloaded."""
        provider = (self.contentProvider or {}).get("type")
        return provider in (None, "line")


class _LinePostback(_Shape):
    data: StrictStr


class LineEvent(_Shape):
    """A webhook event the desk answers: message, postback, follow or join."""

    type: StrictStr
    webhookEventId: Key  # noqa: N815
    mode: StrictStr | None = None
    timestamp: BigId | None = None
    replyToken: Annotated[StrictStr, Field(max_length=255)] | None = None  # noqa: N815
    source: _LineSource | None = None
    message: _LineMessage | None = None
    postback: _LinePostback | None = None

    def text(self) -> str | None:
        """The user's text (a text message or a postback's data), if any."""
        if self.type == "message" and self.message is not None and self.message.type == "text":
            return self.message.text
        if self.type == "postback" and self.postback is not None:
            return self.postback.data
        return None


# --- Telegram ---------------------------------------------------------------------------


class _TelegramChat(_Shape):
    id: BigId
    type: StrictStr | None = None  # private, group, supergroup, channel


class _TelegramUser(_Shape):
    id: BigId
    is_bot: bool | None = None
    language_code: StrictStr | None = None


class _TelegramReplied(_Shape):
    """The message a message answers (only who wrote it is read)."""

    from_: _TelegramUser | None = Field(default=None, alias="from")


class _TelegramMessage(_Shape):
    message_id: BigId | None = None
    chat: _TelegramChat
    from_: _TelegramUser | None = Field(default=None, alias="from")
    text: StrictStr | None = None
    caption: StrictStr | None = None
    entities: list[dict[str, Any]] | None = None
    caption_entities: list[dict[str, Any]] | None = None
    reply_to_message: _TelegramReplied | None = None
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None


class _TelegramMessageRef(_Shape):
    """The message a button was under (possibly inaccessible: then only its chat)."""

    chat: _TelegramChat | None = None


class _TelegramCallback(_Shape):
    id: Key
    from_: _TelegramUser = Field(alias="from")
    message: _TelegramMessageRef | None = None
    data: StrictStr | None = None


class TelegramUpdate(_Shape):
    """An update; only `message` and `callback_query` are read."""

    update_id: Annotated[StrictInt, Field(ge=0, lt=2**63)]
    message: _TelegramMessage | None = None
    callback_query: _TelegramCallback | None = None


# --- Slack ------------------------------------------------------------------------------


class _SlackEvent(_Shape):
    type: StrictStr


class SlackEnvelope(_Shape):
    """An Events API request; an event callback must carry its event id (de-duplication)."""

    type: StrictStr
    event_id: Key | None = None
    event: _SlackEvent | None = None
    challenge: StrictStr | None = None

    def complete(self) -> bool:
        """Whether an event callback has both its id and its event."""
        return self.type != "event_callback" or (
            self.event_id is not None and self.event is not None
        )


class _SlackRef(_Shape):
    id: Key


class _SlackAction(_Shape):
    action_id: StrictStr
    value: StrictStr | None = None


class SlackInteraction(_Shape):
    """An interactivity payload (a button press): who pressed what, where."""

    type: StrictStr
    trigger_id: Key | None = None
    user: _SlackRef | None = None
    channel: _SlackRef | None = None
    actions: list[_SlackAction] | None = None


class SlackMessageEvent(_Shape):
    """A `message`, `app_mention` or `app_home_opened` event as the desk stores it."""

    type: StrictStr
    user: Key | None = None
    channel: Key | None = None
    text: StrictStr | None = None
    subtype: StrictStr | None = None
    bot_id: StrictStr | None = None
    channel_type: StrictStr | None = None  # im, channel, group, mpim, app_home
    tab: StrictStr | None = None  # app_home_opened: home or messages
    ts: StrictStr | None = None
    thread_ts: StrictStr | None = None
    files: list[dict[str, Any]] | None = None
