"""One turn's answers from the knowledge base, worked out before the turn's transaction opens.

Embedding a query takes tens to hundreds of milliseconds; inside a turn's transaction it would
hold the database (on SQLite, every other writer in the process) for that long. The desk
therefore runs a turn in passes: inside the transaction (`sealed`) a `PreparedLibrary` only
answers from what it already holds and notes what is missing; the desk rolls the pass back,
`fetch`es the missing answers with no transaction open, and runs the turn again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, Protocol

from knowledge.answering import Answer
from knowledge.passages import Citation, Passage

__all__ = ["KnowledgeNeeded", "PreparedLibrary"]


class KnowledgeNeeded(Exception):
    """A sealed pass asked for answers not fetched yet: fetch them, then run the turn again."""


class _Library(Protocol):
    def search(
        self, query: str, *, platform: str, k: int = 5, kind: str | None = None
    ) -> list[Passage]: ...

    def citation(self, platform: str, doc_id: str) -> Citation | None: ...

    def classify_themes(self, text: str, *, platform: str) -> list[tuple[str, float]]: ...

    def similarities(self, text: str, others: list[str]) -> list[float]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def answer(self, query: str, *, platform: str, k: int = 3) -> Answer: ...


class PreparedLibrary:
    """A library's slow answers (searches, theme rankings, similarities) memoised for one turn.

    Outside `sealed()` a question not asked before is answered at once. Inside, it is noted in
    `missing` and answered with an empty placeholder of the right shape (no passages, no
    themes, zero similarity), so the pass can go on and note everything else it needs; the
    desk then discards that pass. Citations are in-memory lookups and pass straight through.
    """

    def __init__(self, library: _Library) -> None:
        self.library = library
        self._answers: dict[Hashable, Any] = {}
        self.missing: dict[Hashable, Callable[[], Any]] = {}
        self._sealed = False

    @contextmanager
    def sealed(self) -> Iterator[None]:
        """While the turn's transaction is open: nothing slow runs, misses are only noted."""
        self._sealed = True
        try:
            yield
        finally:
            self._sealed = False

    def fetch(self) -> int:
        """Compute every missing answer (call with no transaction open); how many there were."""
        missing, self.missing = self.missing, {}
        for key, ask in missing.items():
            self._answers[key] = ask()
        return len(missing)

    def _answer(self, key: Hashable, ask: Callable[[], Any], placeholder: Any) -> Any:
        if key not in self._answers:
            if self._sealed:
                self.missing[key] = ask
                return placeholder
            self._answers[key] = ask()
        return self._answers[key]

    def search(
        self, query: str, *, platform: str, k: int = 5, kind: str | None = None
    ) -> list[Passage]:
        """The library's top-k passages for `query`."""
        key = ("search", query, platform, k, kind)
        ask = partial(self.library.search, query, platform=platform, k=k, kind=kind)
        return list(self._answer(key, ask, []))

    def classify_themes(self, text: str, *, platform: str) -> list[tuple[str, float]]:
        """The library's theme ranking for `text`."""
        key = ("classify_themes", text, platform)
        ask = partial(self.library.classify_themes, text, platform=platform)
        return list(self._answer(key, ask, []))

    def similarities(self, text: str, others: Sequence[str]) -> list[float]:
        """The library's similarity of `text` to each of `others`."""
        listed = list(others)
        key = ("similarities", text, tuple(listed))
        ask = partial(self.library.similarities, text, listed)
        return list(self._answer(key, ask, [0.0] * len(listed)))

    def embed_query(self, text: str) -> list[float]:
        """A message's vector (for the intent model).

        There is no placeholder vector that would not mislead: inside `sealed()` a vector not
        fetched yet stops the pass at once (`KnowledgeNeeded`), and the desk fetches it.
        """
        key = ("embed_query", text)
        if key not in self._answers and self._sealed:
            self.missing[key] = partial(self.library.embed_query, text)
            raise KnowledgeNeeded
        return list(self._answer(key, partial(self.library.embed_query, text), []))

    def answer(self, query: str, *, platform: str, k: int = 3) -> Answer:
        """The library's answering sentences for `query` and its answerability."""
        key = ("answer", query, platform, k)
        ask = partial(self.library.answer, query, platform=platform, k=k)
        found: Answer = self._answer(key, ask, Answer(query=query, language="ja", passages=[]))
        return found

    def citation(self, platform: str, doc_id: str) -> Citation | None:
        """Title and URL of a document (an in-memory lookup, never slow)."""
        return self.library.citation(platform, doc_id)
