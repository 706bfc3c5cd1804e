"""Log redaction: no configured secret, and no Telegram bot token, reaches a log line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from types import TracebackType

from pydantic import ValidationError

from bot.settings import Settings

__all__ = ["RedactingFilter", "configured_secrets", "install"]

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
