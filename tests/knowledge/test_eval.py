import json
from pathlib import Path

import pytest

from bot.cli import main
from knowledge.evaluation import load_squad

SQUAD = Path(__file__).parent / "fixtures" / "mini-squad.json"
FIGURES = ("recall@1", "recall@5", "recall@10", "mrr@10")


def test_load_squad_limit_spreads_questions() -> None:
    full = load_squad(SQUAD)
    assert (len(full.paragraphs), len(full.questions)) == (6, 12)
    limited = load_squad(SQUAD, limit=3)
    assert len(limited.paragraphs) == 6
    assert [q for q, _ in limited.questions] == [full.questions[i][0] for i in (0, 6, 11)]


def test_eval_command_prints_figures_for_each_mode(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["knowledge", "eval", "--squad", str(SQUAD), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for mode in ("hybrid", "lexical", "dense"):
        figures = result[mode]
        assert set(FIGURES) <= set(figures)
        assert 0 <= figures["recall@1"] <= figures["recall@5"] <= figures["recall@10"] <= 1
        assert figures["recall@1"] <= figures["mrr@10"] <= figures["recall@10"]
        assert figures["latency_p95_ms"] >= figures["latency_p50_ms"] > 0
    # Every question names its paragraph's subject: retrieval should not miss any in 5.
    assert result["hybrid"]["recall@5"] == 1.0
    assert result["corpus"] == {"paragraphs": 6, "questions": 12}


def test_eval_table_output(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "eval", "--squad", str(SQUAD), "--limit", "4"]) == 0
    out = capsys.readouterr().out
    assert "R@1" in out and "MRR@10" in out and "index build" in out
    assert {line.split()[0] for line in out.splitlines()[1:4]} == {"hybrid", "lexical", "dense"}


def test_eval_rejects_a_non_squad_file(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"rows": []}', encoding="utf-8")
    assert main(["knowledge", "eval", "--squad", str(bad)]) == 2
    assert "not a SQuAD-format JSON file" in capsys.readouterr().err


def test_eval_embeds_only_paragraphs_it_has_never_seen(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `make eval` goes through the same content-hash cache as ingest: a second run embeds nothing.
    for _ in range(2):
        assert main(["knowledge", "eval", "--squad", str(SQUAD), "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
    assert result["index"]["passages_embedded"] == 0
