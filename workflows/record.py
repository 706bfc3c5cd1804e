"""The structured proposal record, validated before it is filed."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


class OrganisationType(StrEnum):
    COMPANY = "company"
    NPO = "npo"
    UNIVERSITY = "university"
    ASSOCIATION = "association"
    FINANCIAL = "financial"
    SOLE_PROPRIETOR = "sole_proprietor"
    OTHER = "other"


class CostModel(StrEnum):
    NO_COST = "no_cost"
    PROPOSER_BEARS = "proposer_bears"
    NEEDS_BUDGET = "needs_budget"


class Role(StrEnum):
    VENUE = "venue"
    PUBLICITY = "publicity"
    DATA = "data"
    INTRODUCTIONS = "introductions"
    PERMITS = "permits"
    CO_HOSTING = "co_hosting"
    OTHER = "other"


class Track(StrEnum):
    FREE = "free"
    THEME = "theme"


class Status(StrEnum):
    RECEIVED = "received"
    SCREENING = "screening"
    IN_DIALOGUE = "in_dialogue"
    DEPARTMENT_REVIEW = "department_review"
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"  # closed as a duplicate, handled under another reference (issue 13)


def corporate_number_is_valid(number: str) -> bool:
    """法人番号: 13 digits whose first is a check digit over the other twelve (NTA rule)."""
    if not re.fullmatch(r"\d{13}", number):
        return False
    base = number[1:]
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(base)))
    return int(number[0]) == 9 - total % 9


# An extension after the number: 「内線234」, 「(内線)234」, "ext. 234", "x234", and the stored
# RFC 3966 form ";ext=234" (so a stored value normalises to itself).
PHONE_EXTENSION = re.compile(
    r"\s?(?:;ext=|[(（]?内線[)）]?|(?<![A-Za-z])(?:ext|extension|x)(?![A-Za-z])[.]?)\s?[:：.]?\s?(\d{1,6})$",
    re.I,
)


def normalise_phone(raw: str) -> str:
    """A Japanese phone number as E.164 (`+81...`); full-width digits and separators accepted.

    An extension is kept in the RFC 3966 form: 「0466-12-3456 内線234」 and "0466-12-3456
    ext. 234" → "+81466123456;ext=234" (the record's phone field accepts that form).

    Raises:
        ValueError: not 10 or 11 digits starting with 0 (or +81).
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    extension = PHONE_EXTENSION.search(text)
    suffix = f";ext={extension.group(1)}" if extension else ""
    if extension:
        text = text[: extension.start()]
    digits = re.sub(r"[\s\-‐‑‒–—―−－ーｰ()（）.]", "", text)
    if digits.startswith("+81"):
        digits = "0" + digits[3:].removeprefix("0")  # "+81 (0)3 …": the trunk 0 said twice
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValueError("a Japanese phone number has 10 or 11 digits and starts with 0")
    return "+81" + digits[1:] + suffix


def normalise_email(raw: str) -> str:
    """A trimmed e-mail address; the domain lower-cased.

    Raises:
        ValueError: not an e-mail address.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if not EMAIL.fullmatch(text) or ".." in text:
        raise ValueError("not an e-mail address")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


class Proposer(BaseModel):
    """Who proposes."""

    organisation_name: str = Field(min_length=1, max_length=200)
    organisation_type: OrganisationType
    corporate_number: str | None = None
    location: str | None = None
    contact_name: str = Field(min_length=1, max_length=100)
    contact_department: str | None = Field(default=None, max_length=100)
    contact_title: str | None = Field(default=None, max_length=60)
    email: str
    phone: str | None = None
    membership_tier: str | None = None

    @field_validator("corporate_number")
    @classmethod
    def _corporate_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = unicodedata.normalize("NFKC", value).replace("-", "").strip()
        if not corporate_number_is_valid(value):
            raise ValueError("corporate number must be 13 digits with a valid check digit")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return normalise_email(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else normalise_phone(value)


class Content(BaseModel):
    """What is proposed."""

    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1)
    problem: str | None = None
    activities: str | None = None
    proposer_role: str | None = None
    municipality_roles: list[Role] = []
    benefit: str | None = None
    kpis: list[str] = []
    period: str | None = None
    area: str | None = None
    cost_model: CostModel
    track_record: str | None = None
    attachments: list[str] = []
    themes: list[str] = []
    sdgs: list[int] = []

    @field_validator("sdgs")
    @classmethod
    def _sdgs(cls, value: list[int]) -> list[int]:
        if any(not 1 <= goal <= 17 for goal in value):
            raise ValueError("SDG goals are numbered 1 to 17")
        return sorted(set(value))


class Consents(BaseModel):
    """What the proposer declared; all three are needed to file."""

    notes_acknowledged: bool
    no_antisocial_ties: bool
    privacy: bool


class Finding(BaseModel):
    """An eligibility rule that applies, with the document that states it."""

    rule_id: str
    reason: str
    document_id: str
    document_title: str | None = None
    document_url: str | None = None


class SimilarCase(BaseModel):
    """A past case like this proposal."""

    doc_id: str
    title: str
    url: str
    score: float


class PossibleDuplicate(BaseModel):
    """An earlier proposal that reads almost the same."""

    reference: str
    title: str
    score: float


class Triage(BaseModel):
    """What the desk worked out for staff."""

    findings: list[Finding] = []
    similar_cases: list[SimilarCase] = []
    possible_duplicates: list[PossibleDuplicate] = []
    suggested_department: str | None = None
    department_reason: str | None = None
    status: Status = Status.RECEIVED
    assignee: str | None = None
    due_date: dt.date


class ProposalRecord(BaseModel):
    """The whole proposal as filed."""

    reference: str | None = None
    platform: str
    track: Track = Track.FREE
    theme_call: str | None = None
    channel: str
    language: str
    received_at: dt.datetime
    submitted_at: dt.datetime
    proposer: Proposer
    content: Content
    consents: Consents
    triage: Triage

    @field_validator("consents")
    @classmethod
    def _all_consents(cls, value: Consents) -> Consents:
        if not (value.notes_acknowledged and value.no_antisocial_ties and value.privacy):
            raise ValueError("a proposal is filed only with all three consents")
        return value
