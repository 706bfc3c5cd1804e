"""Platform documents: Markdown files with YAML front matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ValidationError

Kind = Literal["policy", "faq", "membership", "programme", "case", "event"]
KINDS: tuple[str, ...] = ("policy", "faq", "membership", "programme", "case", "event")


class Document(BaseModel):
    """One document of a platform's corpus."""

    id: str
    title: str
    kind: Kind
    url: str
    updated: dt.date
    lang: Literal["ja", "en"] = "ja"
    body: str
    # Past cases only.
    year: int | None = None
    partners: list[str] = []
    department: str | None = None
    themes: list[str] = []
    outcome: str | None = None


@dataclass(frozen=True)
class DocumentError:
    """A document that was skipped, and why."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class _Invalid(Exception):
    pass


def _split_front_matter(text: str) -> tuple[str, str]:
    text = text.removeprefix("\ufeff")
    if not text.startswith("---"):
        raise _Invalid("no front matter (the file must start with a '---' line)")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise _Invalid("front matter is not closed by a '---' line")
    head = parts[0].removeprefix("---")
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return head, body


def parse_document(path: Path) -> Document:
    """Parse one Markdown file.

    Raises:
        ValueError: with a message naming the problem (not the path).
    """
    try:
        head, body = _split_front_matter(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError("not UTF-8 text") from exc
    except _Invalid as exc:
        raise ValueError(str(exc)) from exc
    try:
        meta = yaml.safe_load(head)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ValueError(f"front matter is not valid YAML{where}") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of fields")
    if not meta.get("id"):
        raise ValueError("front matter has no 'id'")
    if "kind" in meta and meta["kind"] not in KINDS:
        raise ValueError(f"unknown kind {meta['kind']!r} (expected one of {', '.join(KINDS)})")
    if not body.strip():
        raise ValueError("the document has no text")
    try:
        return Document.model_validate({**meta, "id": str(meta["id"]), "body": body.strip()})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ValueError(f"invalid front matter ({problems})") from exc


def load_documents(folder: Path) -> tuple[list[Document], list[DocumentError]]:
    """Parse every `*.md` under `folder`; bad files are reported, not fatal."""
    documents: list[Document] = []
    errors: list[DocumentError] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.md")):
        try:
            document = parse_document(path)
        except ValueError as exc:
            errors.append(DocumentError(path, str(exc)))
            continue
        if document.id in seen:
            errors.append(
                DocumentError(path, f"duplicate id {document.id!r} (also in {seen[document.id]})")
            )
            continue
        seen[document.id] = path
        documents.append(document)
    return documents, errors
