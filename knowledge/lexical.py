"""Japanese lexical retrieval: SudachiPy normalized content words scored by BM25 (bm25s)."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

# Parts of speech that carry content. Particles, auxiliaries, symbols and blanks do not.
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "連体詞"}
# Sudachi refuses inputs above ~49 KB; tokenize long texts line by line below that.
_MAX_BYTES = 40_000


class SudachiTokenizer:
    """Split mode A, normalized forms, content words only, lower-cased."""

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._dictionary = Dictionary(dict="core")
        self._mode = SplitMode.A
        self._local = threading.local()  # a Sudachi tokenizer is not shareable across threads

    def _tokenizer(self) -> Any:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            tokenizer = self._dictionary.tokenizer(mode=self._mode)
            self._local.tokenizer = tokenizer
        return tokenizer

    def tokenize(self, text: str) -> list[str]:
        """Content-word tokens of `text`."""
        tokenizer = self._tokenizer()
        tokens: list[str] = []
        for piece in _pieces(text):
            for morpheme in tokenizer.tokenize(piece):
                pos = morpheme.part_of_speech()
                if pos[0] not in _CONTENT_POS or pos[1] == "非自立可能":
                    continue
                form = morpheme.normalized_form().lower().strip()
                if form:
                    tokens.append(form)
        return tokens


def _pieces(text: str) -> list[str]:
    if len(text.encode("utf-8")) <= _MAX_BYTES:
        return [text]
    pieces: list[str] = []
    for line in text.splitlines():
        while len(line.encode("utf-8")) > _MAX_BYTES:
            pieces.append(line[: _MAX_BYTES // 4])
            line = line[_MAX_BYTES // 4 :]
        pieces.append(line)
    return pieces


class LexicalIndex:
    """A BM25 index over chunk records (id, text, metadata), saved to a folder."""

    def __init__(self, tokenizer: SudachiTokenizer) -> None:
        self.tokenizer = tokenizer
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.metadatas: list[dict[str, Any]] = []
        self._bm25: bm25s.BM25 | None = None
        self._positions: dict[str, int] = {}
        self._masks: dict[tuple[tuple[str, Any], ...], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def build(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[Mapping[str, Any]],
    ) -> None:
        """(Re)build the index from every record."""
        self._set_records(list(ids), list(texts), [dict(m) for m in metadatas])
        corpus_tokens = [self.tokenizer.tokenize(t) for t in texts]
        if not self.ids:
            self._bm25 = None
            return
        bm25 = bm25s.BM25()
        # An empty token list would break bm25s; a placeholder keeps positions aligned.
        bm25.index([t or ["\u0000"] for t in corpus_tokens], show_progress=False)
        self._bm25 = bm25

    def _set_records(
        self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]
    ) -> None:
        self.ids, self.texts, self.metadatas = ids, texts, metadatas
        self._positions = {cid: i for i, cid in enumerate(ids)}
        self._masks.clear()

    def record(self, chunk_id: str) -> tuple[str, dict[str, Any]] | None:
        """Indexed text and metadata of a chunk, if this index holds it."""
        position = self._positions.get(chunk_id)
        return None if position is None else (self.texts[position], self.metadatas[position])

    def search(
        self, query: str, *, k: int = 10, where: Mapping[str, Any] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (record position, BM25 score) with a positive score, best first."""
        if self._bm25 is None:
            return []
        tokens = [t for t in self.tokenizer.tokenize(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        if where:
            scores = scores * self._mask(where)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _mask(self, where: Mapping[str, Any]) -> np.ndarray:
        key = tuple(sorted(where.items()))
        if key not in self._masks:
            self._masks[key] = np.array(
                [all(m.get(f) == v for f, v in where.items()) for m in self.metadatas],
                dtype=np.float32,
            )
        return self._masks[key]

    def save(self, folder: Path) -> None:
        """Write the index and its records under `folder` (replaced atomically per file)."""
        folder.mkdir(parents=True, exist_ok=True)
        records = folder / "records.json"
        tmp = records.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {"ids": self.ids, "texts": self.texts, "metadatas": self.metadatas},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        if self._bm25 is not None:
            self._bm25.save(str(folder / "bm25"), show_progress=False)
        tmp.replace(records)

    @classmethod
    def load(cls, folder: Path, tokenizer: SudachiTokenizer) -> LexicalIndex:
        """Load an index saved by `save`; an absent folder gives an empty index."""
        index = cls(tokenizer)
        records = folder / "records.json"
        if not records.exists():
            return index
        data = json.loads(records.read_text(encoding="utf-8"))
        index._set_records(data["ids"], data["texts"], data["metadatas"])
        if index.ids:
            index._bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=False)
        return index
