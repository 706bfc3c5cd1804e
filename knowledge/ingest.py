"""Incremental ingestion of one platform's documents into both indexes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from knowledge.chunking import Chunk, Chunker
from knowledge.documents import Document, DocumentError, load_documents
from knowledge.embeddings import CachedEmbeddings, Progress
from knowledge.platforms import Platform
from knowledge.retrieval import PlatformIndex


@dataclass
class IngestReport:
    """What an ingest run did, for the CLI and for logs."""

    platform: str
    documents: int = 0
    chunks: int = 0
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    lexical_rebuilt: bool = False
    seconds: float = 0.0
    errors: list[DocumentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no document was skipped."""
        return not self.errors


def chunk_metadata(platform: Platform, document: Document, chunk: Chunk) -> dict[str, Any]:
    """Scalar metadata stored with a chunk in both indexes (Chroma takes no lists)."""
    meta: dict[str, Any] = {
        "platform": platform.id,
        "doc_id": document.id,
        "kind": document.kind,
        "title": document.title,
        "url": document.url,
        "heading": chunk.heading,
        "lang": document.lang,
        "updated": document.updated.isoformat(),
        "ordinal": chunk.ordinal,
    }
    if document.kind == "case":
        meta.update(
            year=document.year or 0,
            department=document.department or "",
            themes=",".join(document.themes),
            partners="、".join(document.partners),
            outcome=document.outcome or "",
        )
    return meta


def ingest_platform(
    platform: Platform,
    index: PlatformIndex,
    embeddings: CachedEmbeddings,
    *,
    chunker: Chunker | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the platform's indexes in line with its documents folder.

    Unchanged chunks (same id, which hashes heading and text) are left alone; new ones are
    embedded (through the content-hash cache) and added; vanished ones are deleted from both
    indexes. Bad documents are reported in the result and skipped.
    """
    started = time.perf_counter()
    report = IngestReport(platform=platform.id)
    documents, report.errors = load_documents(platform.documents_dir)
    chunker = chunker or Chunker()
    ids: list[str] = []
    texts: list[str] = []
    metadatas: list[dict[str, Any]] = []
    for document in documents:
        for chunk in chunker.split(document):
            ids.append(chunk.chunk_id)
            texts.append(chunk.indexed_text)
            metadatas.append(chunk_metadata(platform, document, chunk))
    report.documents, report.chunks = len(documents), len(ids)

    stored = index.dense.ids()
    wanted = set(ids)
    new = [i for i, cid in enumerate(ids) if cid not in stored]
    gone = sorted(stored - wanted)
    report.added, report.removed = len(new), len(gone)
    report.unchanged = len(ids) - len(new)

    if new:
        before = embeddings.computed
        embeddings.progress = progress
        try:
            # Warm the cache with progress; the store's add then finds every vector cached.
            embeddings.embed_documents([texts[i] for i in new])
        finally:
            embeddings.progress = None
        report.embedded = embeddings.computed - before
        index.dense.add([ids[i] for i in new], [texts[i] for i in new], [metadatas[i] for i in new])
    if gone:
        index.dense.delete(gone)
    if new or gone or index.lexical.ids != ids:
        index.lexical.build(ids, texts, metadatas)
        report.lexical_rebuilt = True
    report.seconds = time.perf_counter() - started
    return report
