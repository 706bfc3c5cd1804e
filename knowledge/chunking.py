"""Split documents into passages at sentence boundaries, keeping headings as context."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from knowledge.documents import Document

# Paragraphs, lines, then Japanese and Western sentence ends. There is deliberately no
# character-level fallback: a sentence longer than the target size stays whole.
_SENTENCE_SEPARATORS = [
    "\n\n",
    "\n",
    r"(?<=[。！？!?])(?![」』）)])",
    r"(?<=[.!?])(?=\s)",
]
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, ready to index."""

    chunk_id: str
    doc_id: str
    heading: str
    text: str
    ordinal: int

    @property
    def indexed_text(self) -> str:
        """What both indexes see: the title and heading give the passage its context."""
        return "\n".join(part for part in (self.heading, self.text) if part)

    @property
    def content_hash(self) -> str:
        """Hash of what is indexed; embeddings are cached under it."""
        return hashlib.sha256(self.indexed_text.encode("utf-8")).hexdigest()


class Chunker:
    """Sentence-preserving splitter for Japanese and English Markdown."""

    def __init__(self, *, target_chars: int = 320) -> None:
        self._sections = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True)
        self._sentences = RecursiveCharacterTextSplitter(
            chunk_size=target_chars,
            chunk_overlap=0,
            separators=_SENTENCE_SEPARATORS,
            is_separator_regex=True,
            keep_separator="end",
            strip_whitespace=True,
        )

    def split(self, document: Document) -> list[Chunk]:
        """Split one document; ids are stable while the text and its heading are unchanged."""
        chunks: list[Chunk] = []
        seen: set[str] = set()
        for section in self._sections.split_text(document.body):
            path = [section.metadata[key] for _, key in _HEADERS if key in section.metadata]
            heading = " / ".join([document.title, *path])
            for piece in self._sentences.split_text(section.page_content):
                text = piece.strip()
                if not text:
                    continue
                digest = hashlib.sha256(f"{heading}\n{text}".encode()).hexdigest()[:16]
                chunk_id = f"{document.id}:{digest}"
                # The same sentence twice under one heading still needs two ids.
                suffix = 2
                while chunk_id in seen:
                    chunk_id = f"{document.id}:{digest}-{suffix}"
                    suffix += 1
                seen.add(chunk_id)
                chunks.append(Chunk(chunk_id, document.id, heading, text, len(chunks)))
        return chunks
