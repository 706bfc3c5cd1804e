import datetime as dt
import re

from knowledge.chunking import Chunker
from knowledge.documents import Document, load_documents
from knowledge.platforms import discover_platforms

SENTENCE_END = ("。", "！", "？", "!", "?", ".", "」", "）", ")")


def make(body: str, title: str = "題") -> Document:
    return Document(
        id="d", title=title, kind="faq", url="u", updated=dt.date(2026, 1, 1), body=body
    )


def squash(text: str) -> str:
    text = re.sub(r"^#+ .*$", "", text, flags=re.M)
    return re.sub(r"\s+", "", text)


def test_sample_corpus_chunks_end_at_sentence_or_line_ends_and_lose_nothing() -> None:
    chunker = Chunker()
    for platform in discover_platforms().values():
        documents, _ = load_documents(platform.documents_dir)
        for document in documents:
            chunks = chunker.split(document)
            lines = {line.strip() for line in document.body.splitlines()}
            for chunk in chunks:
                last_line = chunk.text.splitlines()[-1].strip()
                assert chunk.text.endswith(SENTENCE_END) or last_line in lines, chunk
            assert "".join(squash(c.text) for c in chunks) == squash(document.body)


def test_long_sentence_is_never_cut() -> None:
    sentence = "この文は" + "とても" * 200 + "長いけれど一つの文です。"
    chunks = Chunker(target_chars=100).split(make(f"短い文です。{sentence}次の文です。"))
    assert sentence in [c.text for c in chunks]


def test_headings_give_context() -> None:
    body = "# 申込\n## 締切\n締切はありません。\n# 費用\n無料です。"
    chunks = Chunker().split(make(body, title="参加案内"))
    assert [c.heading for c in chunks] == ["参加案内 / 申込 / 締切", "参加案内 / 費用"]
    assert chunks[0].indexed_text.startswith("参加案内 / 申込 / 締切\n")


def test_ids_are_stable_and_change_only_where_text_changes() -> None:
    body = "# 一\n最初の段落です。\n\n# 二\n二番目の段落です。"
    first = Chunker().split(make(body))
    again = Chunker().split(make(body))
    edited = Chunker().split(make(body.replace("二番目", "2番目")))
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert first[0].chunk_id == edited[0].chunk_id
    assert first[1].chunk_id != edited[1].chunk_id
    assert all(c.chunk_id.startswith("d:") for c in first)


def test_repeated_sentences_get_distinct_ids() -> None:
    chunks = Chunker(target_chars=10).split(make("同じ文です。\n\n同じ文です。"))
    assert len({c.chunk_id for c in chunks}) == len(chunks) == 2
