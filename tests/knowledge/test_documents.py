from pathlib import Path

import pytest

from knowledge.documents import load_documents, parse_document
from knowledge.platforms import (
    BUILTIN_PLATFORMS_DIR,
    PlatformError,
    discover_platforms,
    load_platform,
)

GOOD = """---
id: ok
title: 正しい文書
kind: faq
url: https://example.invalid/ok
updated: 2026-01-01
---
本文です。
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_case_fields_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case.md",
        GOOD.replace("kind: faq", "kind: case\nyear: 2021\npartners: [A社, B大学]\noutcome: 協定"),
    )
    doc = parse_document(path)
    assert (doc.kind, doc.year, doc.partners, doc.outcome) == (
        "case",
        2021,
        ["A社", "B大学"],
        "協定",
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("本文だけで前付けがない。\n", "no front matter"),
        ("---\nid: [broken\ntitle: x\n---\n本文。\n", "not valid YAML"),
        (GOOD.replace("kind: faq", "kind: memo"), "unknown kind 'memo'"),
        (GOOD.replace("id: ok\n", ""), "no 'id'"),
        (GOOD.replace("updated: 2026-01-01\n", ""), "updated"),
        (GOOD.replace("本文です。\n", ""), "no text"),
    ],
)
def test_bad_documents_are_named_and_skipped(tmp_path: Path, text: str, problem: str) -> None:
    write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "bad.md", text)
    documents, errors = load_documents(tmp_path)
    assert [d.id for d in documents] == ["ok"]
    assert len(errors) == 1
    assert errors[0].path == bad
    assert problem in errors[0].problem
    assert "bad.md" in str(errors[0])


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "b.md", GOOD)
    documents, errors = load_documents(tmp_path)
    assert len(documents) == 1
    assert "duplicate id 'ok'" in errors[0].problem


def test_sample_platforms_are_complete() -> None:
    platforms = discover_platforms(BUILTIN_PLATFORMS_DIR)
    assert {"kyoso-front", "zerocarbon"} <= set(platforms)
    total = cases = 0
    for platform in platforms.values():
        assert platform.sample
        documents, errors = load_documents(platform.documents_dir)
        assert errors == []
        ids = {d.id for d in documents}
        for rule in platform.eligibility_rules:
            assert rule.document in ids, f"{platform.id}: rule {rule.id} cites a missing document"
        theme_ids = {t.id for t in platform.themes}
        for department in platform.departments:
            assert set(department.themes) <= theme_ids
        for case in (d for d in documents if d.kind == "case"):
            assert case.year and case.partners and case.outcome and case.themes
            assert set(case.themes) <= theme_ids
        total += len(documents)
        cases += sum(d.kind == "case" for d in documents)
    assert total >= 40 and cases >= 15
    assert [t.id for t in platforms["zerocarbon"].membership_tiers] == ["A", "B", "C"]


def test_platform_yaml_errors_name_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    write(folder, "platform.yaml", "id: broken\nname: {ja: x}\n")
    with pytest.raises(PlatformError, match="platform.yaml"):
        load_platform(folder)
