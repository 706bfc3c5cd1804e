"""What the rest of Madoguchi sees of the knowledge base: passages with citations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from langchain_core.documents import Document as LCDocument


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from."""

    doc_id: str
    title: str
    url: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of a platform document, with its score."""

    chunk_id: str
    platform: str
    doc_id: str
    kind: str
    title: str
    url: str
    heading: str
    text: str
    score: float
    # The parts' own scores, kept through fusion: absolute evidence strength for callers.
    lexical_score: float | None = None
    dense_score: float | None = None

    @property
    def citation(self) -> Citation:
        """The document to cite for this passage."""
        return Citation(doc_id=self.doc_id, title=self.title, url=self.url)

    @classmethod
    def from_record(
        cls,
        chunk_id: str,
        indexed_text: str,
        metadata: Mapping[str, Any],
        score: float,
        **parts: float | None,
    ) -> Passage:
        """Build from what an index stores (the text carries its heading line first)."""
        heading = str(metadata.get("heading", ""))
        text = indexed_text.removeprefix(f"{heading}\n") if heading else indexed_text
        return cls(
            chunk_id=chunk_id,
            platform=str(metadata.get("platform", "")),
            doc_id=str(metadata.get("doc_id", "")),
            kind=str(metadata.get("kind", "")),
            title=str(metadata.get("title", "")),
            url=str(metadata.get("url", "")),
            heading=heading,
            text=text,
            score=score,
            **parts,
        )

    def with_score(self, score: float, **parts: float | None) -> Passage:
        """The same passage with another score (after fusion) and optionally part scores."""
        return Passage(**{**asdict(self), "score": score, **parts})

    def to_document(self) -> LCDocument:
        """As a langchain Document: metadata carries score and citation."""
        metadata = asdict(self)
        text = metadata.pop("text")
        metadata["citation"] = asdict(self.citation)
        return LCDocument(page_content=text, metadata=metadata, id=self.chunk_id)

    @classmethod
    def from_document(cls, document: LCDocument) -> Passage:
        """Inverse of `to_document`."""
        fields = {k: v for k, v in document.metadata.items() if k != "citation"}
        return cls(text=document.page_content, **fields)
