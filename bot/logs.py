"""Log redaction: no configured secret, and no Telegram bot token, reaches a log line."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable
from types import TracebackType

from pydantic import ValidationError

from bot.settings import Settings
from storage.tracing import request_id

__all__ = ["JsonFormatter", "RedactingFilter", "configure", "configured_secrets", "install"]

REDACTED = "<redacted>"
# python-telegram-bot and httpx log the Bot API URL (`…/bot<id>:<token>/getMe`) at DEBUG/INFO;
# this catches tokens of bots we were not told about (a mistyped configuration) too.
TELEGRAM_TOKEN_IN_URL = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")
# Handlers that may exist besides the root's (uvicorn configures its own when asked to).
OTHER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class RedactingFilter(logging.Filter):
    """Replaces secret values in a record's message, arguments, traceback and stack.

    Installed on handlers (not loggers), because a logger's filters do not see records
    propagated from its children.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.pattern: re.Pattern[str] | None = None
        self.update(secrets)

    def update(self, secrets: Iterable[str]) -> None:
        """Redact these values too (besides Telegram tokens in URLs) from now on."""
        # Longest first, so a secret containing another is redacted whole.
        values = sorted({*self.secrets, *(s for s in secrets if s)}, key=len, reverse=True)
        self.secrets = values
        self.pattern = re.compile("|".join(map(re.escape, values))) if values else None

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        text = TELEGRAM_TOKEN_IN_URL.sub("/bot" + REDACTED, text)
        return self.pattern.sub(REDACTED, text) if self.pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: keep the raw parts, redacted
            message = f"{record.msg} {record.args}"
        cleaned = self.redact(message)
        if cleaned != message:
            # Only then: uvicorn's access formatter needs the original arguments.
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _handlers() -> list[logging.Handler]:
    handlers = list(logging.getLogger().handlers)
    for name in OTHER_LOGGERS:
        handlers.extend(h for h in logging.getLogger(name).handlers if h not in handlers)
    return handlers


def install(secrets: Iterable[str] = ()) -> RedactingFilter:
    """Put one redacting filter on every handler (again after new handlers appear).

    Calling it again with more secrets adds them to the filter already installed.
    """
    found = [f for h in _handlers() for f in h.filters if isinstance(f, RedactingFilter)]
    redactor = found[0] if found else RedactingFilter()
    redactor.update(secrets)
    for handler in _handlers():
        if redactor not in handler.filters:
            handler.addFilter(redactor)
    sys.excepthook = _log_uncaught
    return redactor


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    """Uncaught exceptions go through the (redacting) handlers instead of straight to stderr.

    pydantic's message for invalid settings quotes the input, secrets included: only the
    setting and the reason are shown.
    """
    if isinstance(error, ValidationError):
        reasons = "; ".join(
            ": ".join(filter(None, (".".join(map(str, e["loc"])), e["msg"])))
            for e in error.errors()
        )
        logging.getLogger("madoguchi").critical("invalid %s: %s", error.title, reasons)
        return
    logging.getLogger("madoguchi").critical("uncaught error", exc_info=(kind, error, traceback))


def configured_secrets() -> list[str]:
    """The secrets of the settings in the environment; none when they do not validate.

    A command with invalid settings then fails on its own (see `_log_uncaught`).
    """
    try:
        return Settings().secrets()
    except (ValidationError, ValueError, OSError):
        return []


# --- formats -------------------------------------------------------------------------------

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the webhook's, carried to its turn and delivery) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            entry["request_id"] = rid
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(*, level: int, json_format: bool) -> None:
    """The root handler: text for people, or JSON lines; request ids on every record.

    Like `logging.basicConfig`, nothing changes when someone else (a test runner) already
    put handlers on the root logger; a handler of ours from an earlier call is replaced.
    """
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "madoguchi", False)]
    if len(ours) != len(root.handlers):
        return
    for old in ours:
        root.removeHandler(old)
    handler = logging.StreamHandler()
    handler.madoguchi = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if json_format else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)


def json_requested() -> bool:
    """Whether MADOGUCHI_LOG_FORMAT asks for JSON (False when the settings do not validate)."""
    try:
        return Settings().log_format == "json"
    except (ValidationError, ValueError, OSError):
        return False
