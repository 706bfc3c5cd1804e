"""The knowledge base: platforms, their indexes on disk, ingestion and search."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from knowledge.answering import Answer, find_answer
from knowledge.dense import DenseIndex, make_chroma_client
from knowledge.embeddings import CachedEmbeddings
from knowledge.ingest import IngestReport, Progress, ingest_platform
from knowledge.lexical import LexicalIndex, SudachiTokenizer
from knowledge.passages import Citation, Passage
from knowledge.platforms import BUILTIN_PLATFORMS_DIR, Platform, discover_platforms
from knowledge.retrieval import Mode, PlatformIndex, make_retriever
from knowledge.themes import classify_themes, similarities

# What a question or a text to compare is read for: multilingual-e5 reads 512 tokens at most,
# and embedding time grows with length (2,000 characters took about 1.5 s on one core). The
# desk reads at most 4,000 characters of a message; a search reads the first 512 of them.
QUERY_CHARS = 512
_QUERY_VECTORS = 64  # recent query vectors kept: a read-back embeds its text once, not twice


class UnknownPlatformError(KeyError):
    """No platform with that id."""

    def __init__(self, platform_id: str, known: list[str]) -> None:
        super().__init__(platform_id)
        self.platform_id = platform_id
        self.known = known

    def __str__(self) -> str:
        return f"unknown platform {self.platform_id!r} (known: {', '.join(self.known) or 'none'})"


class KnowledgeBase:
    """Owns the data folder layout: `cache/` (embeddings), `chroma/`, `lexical/<platform>/`."""

    def __init__(
        self,
        *,
        data_dir: Path,
        embeddings: Embeddings,
        chroma_url: str | None = None,
        chroma_client: Any | None = None,
        platforms_dir: Path = BUILTIN_PLATFORMS_DIR,
    ) -> None:
        self.data_dir = data_dir
        self.embeddings = (
            embeddings
            if isinstance(embeddings, CachedEmbeddings)
            else CachedEmbeddings(embeddings, path=data_dir / "cache" / "embeddings.sqlite")
        )
        self._client = chroma_client or make_chroma_client(
            data_dir=data_dir / "chroma", url=chroma_url
        )
        self.platforms: dict[str, Platform] = discover_platforms(platforms_dir)
        self._tokenizer: SudachiTokenizer | None = None
        self._indexes: dict[str, PlatformIndex] = {}
        self._query_vectors: dict[str, list[float]] = {}
        self._query_lock = threading.Lock()

    @property
    def tokenizer(self) -> SudachiTokenizer:
        """The shared Sudachi tokenizer (its dictionary loads once)."""
        if self._tokenizer is None:
            self._tokenizer = SudachiTokenizer()
        return self._tokenizer

    def platform(self, platform_id: str) -> Platform:
        """The platform with that id."""
        try:
            return self.platforms[platform_id]
        except KeyError:
            raise UnknownPlatformError(platform_id, sorted(self.platforms)) from None

    def _lexical_dir(self, platform_id: str) -> Path:
        return self.data_dir / "lexical" / platform_id

    def index(self, platform_id: str) -> PlatformIndex:
        """The platform's indexes, loaded once per process."""
        self.platform(platform_id)
        if platform_id not in self._indexes:
            self._indexes[platform_id] = PlatformIndex(
                platform=platform_id,
                lexical=LexicalIndex.load(self._lexical_dir(platform_id), self.tokenizer),
                dense=self._dense(platform_id),
                embed_query=self.embed_query,
            )
        return self._indexes[platform_id]

    def embed_query(self, text: str) -> list[float]:
        """A query's vector (its first `QUERY_CHARS` characters); recent ones are reused."""
        text = text[:QUERY_CHARS]
        with self._query_lock:
            vector = self._query_vectors.get(text)
        if vector is None:
            vector = self.embeddings.embed_query(text)
            with self._query_lock:
                if len(self._query_vectors) >= _QUERY_VECTORS:
                    self._query_vectors.pop(next(iter(self._query_vectors)))
                self._query_vectors[text] = vector
        return vector

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Fixed texts embedded as queries, cached by content hash (labelled utterances)."""
        return self.embeddings.embed_queries([text[:QUERY_CHARS] for text in texts])

    def answer(self, query: str, *, platform: str, k: int = 3) -> Answer:
        """The sentences of the best passages that answer `query`, and how sure that is."""
        return find_answer(self, query[:QUERY_CHARS], platform=platform, k=k)

    def _dense(self, platform_id: str) -> DenseIndex:
        def open_collection() -> DenseIndex:
            return DenseIndex(
                client=self._client,
                collection=f"madoguchi-{platform_id}",
                embeddings=self.embeddings,
                model_id=self.embeddings.model_id,
            )

        dense = open_collection()
        if dense.model_id != self.embeddings.model_id:
            # Vectors of another model cannot be compared with ours: start the collection anew.
            dense.drop()
            dense = open_collection()
        return dense

    def ingest(self, platform_id: str, *, progress: Progress | None = None) -> IngestReport:
        """Ingest one platform incrementally and persist its lexical index."""
        platform = self.platform(platform_id)
        index = self.index(platform_id)
        report = ingest_platform(platform, index, self.embeddings, progress=progress)
        if report.lexical_rebuilt:
            index.lexical.save(self._lexical_dir(platform_id))
        return report

    def search(
        self,
        query: str,
        *,
        platform: str,
        k: int = 5,
        kind: str | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The top-k passages of `platform` for `query` (its first `QUERY_CHARS` characters)."""
        retriever = make_retriever(self.index(platform), mode=mode, k=k, kind=kind)
        return retriever.passages(query[:QUERY_CHARS])

    def retriever(self, platform: str, *, mode: Mode = "hybrid", **fields: Any) -> Any:
        """A langchain `BaseRetriever` over the platform."""
        return make_retriever(self.index(platform), mode=mode, **fields)

    def citation(self, platform: str, doc_id: str) -> Citation | None:
        """Title and URL of one of the platform's documents (from the ingested index)."""
        for metadata in self.index(platform).lexical.metadatas:
            if metadata.get("doc_id") == doc_id:
                return Citation(doc_id=doc_id, title=metadata["title"], url=metadata["url"])
        return None

    def classify_themes(self, text: str, *, platform: str) -> list[tuple[str, float]]:
        """The platform's themes closest to `text` (its first `QUERY_CHARS` characters)."""
        return classify_themes(
            text, self.platform(platform), self.embeddings, embed_query=self.embed_query
        )

    def similarities(self, text: str, others: list[str]) -> list[float]:
        """Cosine similarity of `text` to each of `others`, read to `QUERY_CHARS` characters."""
        return similarities(
            text[:QUERY_CHARS], [other[:QUERY_CHARS] for other in others], self.embeddings
        )

    def heartbeat(self) -> None:
        """Raise if the vector store cannot be reached."""
        self._client.heartbeat()
