import json
from pathlib import Path

import pytest

from bot.cli import main


def test_ingest_then_search_json(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "ingest", "--all"]) == 0
    out = capsys.readouterr().out
    assert "demo: 5 documents" in out and "0 removed" in out
    assert (
        main(["knowledge", "search", "参加費はかかりますか", "--platform", "demo", "--json"]) == 0
    )
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["citation"] == {
        "doc_id": "faq-fee",
        "title": "よくある質問：参加費",
        "url": "https://example.invalid/faq#fee",
    }
    assert 0 < hits[0]["score"] and hits[0]["kind"] == "faq"


def test_search_with_kind_filter_and_text_output(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["knowledge", "ingest", "--platform", "demo"])
    capsys.readouterr()
    assert main(["knowledge", "search", "回収", "--platform", "demo", "--kind", "case"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [case] 事例：ペットボトルの店頭回収")
    assert "source: https://example.invalid/cases/bottles" in out


def test_ingest_with_a_bad_document_exits_non_zero(
    cli_env: Path, platforms_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = platforms_dir / "demo" / "documents" / "bad.md"
    bad.write_text("---\nid: bad\nkind: rumour\n---\n本文。\n", encoding="utf-8")
    assert main(["knowledge", "ingest", "--all"]) == 1
    captured = capsys.readouterr()
    assert f"skipped {bad}: unknown kind 'rumour'" in captured.err
    assert "demo: 5 documents" in captured.out


def test_unknown_platform(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "search", "x", "--platform", "nowhere"]) == 2
    assert "unknown platform 'nowhere' (known: demo)" in capsys.readouterr().err
    assert main(["knowledge", "ingest", "--platform", "nowhere"]) == 2


def test_search_before_ingest_says_what_to_do(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["knowledge", "search", "参加費", "--platform", "demo"]) == 0
    assert "madoguchi knowledge ingest" in capsys.readouterr().out
