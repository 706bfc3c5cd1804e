"""Dense retrieval: vectors in Chroma (embedded or server), one collection per platform."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

_BATCH = 1000


def make_chroma_client(*, data_dir: Path | None = None, url: str | None = None) -> Any:
    """A Chroma client: the server at `url` when given, else embedded under `data_dir`."""
    settings = ChromaSettings(anonymized_telemetry=False)  # this network reaches no telemetry host
    if url:
        parsed = urlparse(url)
        return chromadb.HttpClient(
            host=parsed.hostname or "localhost",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    if data_dir is None:
        return chromadb.EphemeralClient(settings=settings)
    data_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(data_dir), settings=settings)


def _where(where: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not where:
        return None
    clauses = [{key: value} for key, value in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class DenseIndex:
    """A Chroma collection of chunk vectors, keyed by chunk id."""

    def __init__(
        self, *, client: Any, collection: str, embeddings: Embeddings, model_id: str = ""
    ) -> None:
        self.collection_name = collection
        self.store = Chroma(
            client=client,
            collection_name=collection,
            embedding_function=embeddings,
            collection_metadata={"hnsw:space": "cosine", "embedding_model": model_id},
        )

    @property
    def model_id(self) -> str:
        """The embedding model the stored vectors came from."""
        return str((self.store._collection.metadata or {}).get("embedding_model", ""))

    def ids(self) -> set[str]:
        """Every chunk id stored."""
        return set(self.store.get(include=[])["ids"])

    def add(
        self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[Mapping[str, Any]]
    ) -> None:
        """Add chunks (embedded through the configured, cached embeddings)."""
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self.store.add_texts(
                list(texts[start:end]),
                metadatas=[dict(m) for m in metadatas[start:end]],
                ids=list(ids[start:end]),
            )

    def add_vectors(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        texts: Sequence[str],
        metadatas: Sequence[Mapping[str, Any]],
    ) -> None:
        """Add pre-computed vectors (evaluation and benchmarks)."""
        collection = self.store._collection
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            collection.upsert(
                ids=list(ids[start:end]),
                embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                documents=list(texts[start:end]),
                metadatas=[dict(m) for m in metadatas[start:end]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        for start in range(0, len(ids), _BATCH):
            self.store.delete(ids=list(ids[start : start + _BATCH]))

    def nearest(
        self, vector: Sequence[float], *, k: int = 10, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Top-k (chunk id, cosine similarity), best first.

        Only ids and distances are fetched: the lexical index already holds every record in
        memory, so reading them back from Chroma's SQLite is a wasted round trip.
        """
        result = self.store._collection.query(
            query_embeddings=np.asarray([vector], dtype=np.float32),
            n_results=k,
            where=_where(where),
            include=["distances"],
        )
        distances = (result.get("distances") or [[]])[0]
        # Chroma reports cosine distance; similarity is easier to read and to fuse.
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], distances, strict=True)]

    def records(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text and metadata of the given chunks, read from Chroma."""
        got = self.store.get(ids=list(ids), include=["documents", "metadatas"])
        return {
            cid: (text or "", dict(meta or {}))
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    def drop(self) -> None:
        """Delete the whole collection."""
        self.store.delete_collection()
