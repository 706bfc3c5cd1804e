import pytest

from knowledge import KnowledgeBase, Passage
from knowledge.retrieval import fuse_convex, fuse_rrf

QUESTIONS = [
    ("参加費はかかりますか", "faq-fee"),
    ("年末年始も返信してもらえますか", "policy-hours"),
    ("ペットボトルを店頭で回収した事例", "case-bottles"),
    ("正会員と賛助会員の違い", "membership-tiers"),
    ("energy saving seminar for factories", "event-seminar"),
]


@pytest.fixture
def ingested(kb: KnowledgeBase) -> KnowledgeBase:
    kb.ingest("demo")
    return kb


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_each_mode_finds_the_answering_document(ingested: KnowledgeBase, mode: str) -> None:
    for question, doc_id in QUESTIONS:
        if mode == "lexical" and question.isascii():
            continue  # Sudachi handles English, but this query shares no word with the text
        hits = ingested.search(question, platform="demo", k=3, mode=mode)  # type: ignore[arg-type]
        assert hits, (mode, question)
        assert hits[0].doc_id == doc_id, (mode, question, [h.doc_id for h in hits])
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hits_carry_citations(ingested: KnowledgeBase) -> None:
    hit = ingested.search("参加費", platform="demo", k=1)[0]
    assert hit.citation.title == "よくある質問：参加費"
    assert hit.citation.url == "https://example.invalid/faq#fee"
    assert hit.citation.doc_id == "faq-fee"
    assert hit.platform == "demo" and hit.kind == "faq"
    assert "無料" in hit.text and not hit.text.startswith(hit.heading)


def test_kind_filter_applies_to_every_mode(ingested: KnowledgeBase) -> None:
    for mode in ("hybrid", "lexical", "dense"):
        hits = ingested.search("回収 参加費 受付", platform="demo", k=5, kind="case", mode=mode)  # type: ignore[arg-type]
        assert hits and {h.kind for h in hits} == {"case"}, mode


def test_langchain_retriever_interface(ingested: KnowledgeBase) -> None:
    retriever = ingested.retriever("demo", k=2)
    documents = retriever.invoke("参加費はかかりますか")
    assert len(documents) == 2
    top = documents[0]
    assert top.metadata["citation"] == {
        "doc_id": "faq-fee",
        "title": "よくある質問：参加費",
        "url": "https://example.invalid/faq#fee",
    }
    assert Passage.from_document(top).doc_id == "faq-fee"
    assert top.metadata["dense_score"] is not None


def test_unknown_platform_is_a_clear_error(ingested: KnowledgeBase) -> None:
    with pytest.raises(KeyError, match="nowhere"):
        ingested.search("x", platform="nowhere")


def passage(cid: str, score: float) -> Passage:
    return Passage(cid, "p", cid, "faq", cid, "u", "", "t", score)


def test_fusion_prefers_agreement() -> None:
    lexical = [passage("a", 9.0), passage("b", 5.0), passage("c", 1.0)]
    dense = [passage("b", 0.9), passage("a", 0.85), passage("d", 0.2)]
    convex = [p.chunk_id for p in fuse_convex(lexical, dense)]
    assert convex[:2] == ["a", "b"] and set(convex) == {"a", "b", "c", "d"}
    fused = fuse_convex(lexical, dense)[0]
    assert (fused.lexical_score, fused.dense_score) == (9.0, 0.85)
    assert [p.chunk_id for p in fuse_rrf([lexical, dense])][:2] in (["a", "b"], ["b", "a"])
    assert fuse_convex([], dense)[0].chunk_id == "b"
