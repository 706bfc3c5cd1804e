"""Platform (tenant) configuration: `knowledge/platforms/<id>/platform.yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

BUILTIN_PLATFORMS_DIR = Path(__file__).parent / "platforms"

Lang = Literal["ja", "en"]


class Localized(BaseModel):
    """A text in Japanese and English."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in `lang`, falling back to Japanese."""
        return self.en if lang == "en" else self.ja


class Theme(BaseModel):
    """A theme of the platform's taxonomy; `description` feeds classification."""

    id: str
    label: Localized
    description: str


class Department(BaseModel):
    """A municipal department (or consortium office) and the themes it owns."""

    id: str
    name: Localized
    themes: list[str] = Field(default_factory=list)


class EligibilityRule(BaseModel):
    """A rule that excludes some proposals, with the document that states it."""

    id: str
    excludes: Localized
    document: str


class MembershipTier(BaseModel):
    """A membership tier (e.g. A: attends meetings)."""

    id: str
    label: Localized
    description: Localized


class Platform(BaseModel):
    """Everything Madoguchi knows about one desk besides its documents."""

    id: str
    name: Localized
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,6}$")
    reply_days: int = Field(gt=0, description="reply promise in business days")
    # The second clock: staff's next action is due this many business days after each
    # follow-up from the proposer (unless staff set another date).
    followup_days: int = Field(default=2, gt=0, le=30)
    themes: list[Theme]
    departments: list[Department] = Field(default_factory=list)
    required_fields: list[str] = Field(default_factory=list)
    eligibility_rules: list[EligibilityRule] = Field(default_factory=list)
    membership_tiers: list[MembershipTier] = Field(default_factory=list)
    # The desk's clock: due dates, reference years and "today" are taken in this zone.
    timezone: str = "Asia/Tokyo"
    # Hours of silence after which an unfinished proposal is offered to continue or restart.
    stale_hours: float = Field(default=24, gt=0)
    sample: bool = False
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not value.replace("-", "").isalnum() or value.lower() != value:
            raise ValueError("platform id must be lower-case letters, digits and '-'")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Asia/Tokyo)"
            ) from exc
        return value

    @property
    def documents_dir(self) -> Path:
        """Folder holding the platform's Markdown documents."""
        if self.path is None:
            raise ValueError(f"platform {self.id} was not loaded from a folder")
        return self.path / "documents"


class PlatformError(Exception):
    """A platform folder that cannot be loaded; the message names the file."""


def load_platform(folder: Path) -> Platform:
    """Load `folder/platform.yaml`.

    Raises:
        PlatformError: the file is missing, not YAML, or does not validate.
    """
    config = folder / "platform.yaml"
    try:
        raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PlatformError(f"{config}: file not found") from exc
    except yaml.YAMLError as exc:
        raise PlatformError(f"{config}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise PlatformError(f"{config}: expected a mapping at the top level")
    try:
        platform = Platform.model_validate({**raw, "path": folder})
    except ValidationError as exc:
        raise PlatformError(f"{config}: {exc}") from exc
    if platform.id != folder.name:
        raise PlatformError(f"{config}: id {platform.id!r} differs from folder {folder.name!r}")
    return platform


def discover_platforms(root: Path = BUILTIN_PLATFORMS_DIR) -> dict[str, Platform]:
    """Load every platform folder under `root`, keyed by id."""
    found: dict[str, Platform] = {}
    for folder in sorted(p for p in root.iterdir() if (p / "platform.yaml").is_file()):
        platform = load_platform(folder)
        found[platform.id] = platform
    return found
