"""`madoguchi knowledge ingest|search|eval`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.cli.progress import ProgressLine
from bot.settings import Settings
from bot.wiring import build_knowledge
from knowledge import KINDS, MODES, KnowledgeBase, UnknownPlatformError


def register(groups: Any) -> None:
    """Add the `knowledge` command group."""
    parser = groups.add_parser("knowledge", help="platform documents: ingest, search, evaluate")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="index platform documents (incremental)")
    which = ingest.add_mutually_exclusive_group(required=True)
    which.add_argument("--platform", help="platform id")
    which.add_argument("--all", action="store_true", help="every platform")
    ingest.set_defaults(handler=_ingest)

    search = commands.add_parser("search", help="search a platform's documents")
    search.add_argument("query")
    search.add_argument("--platform", required=True)
    search.add_argument("--kind", choices=KINDS)
    search.add_argument("--mode", choices=MODES, default="hybrid")
    search.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(handler=_search)

    evaluate = commands.add_parser(
        "eval",
        help="intent accuracy, answerability on the sample platforms, retrieval on a SQuAD file",
    )
    evaluate.add_argument("--squad", type=Path, help="a SQuAD-format file (JSQuAD) to retrieve")
    evaluate.add_argument(
        "--tune",
        action="store_true",
        help="fit the answerability weights on the tuning split and print them",
    )
    evaluate.add_argument("--limit", type=int, help="evaluate this many questions (spread evenly)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_eval)


def _knowledge(*, batch: bool = False) -> KnowledgeBase:
    settings = Settings()
    if batch and "embeddings_threads" not in settings.model_fields_set:
        # Embedding many passages: every core helps (7 vs 14 passages/s on 2 cores), and a
        # batch command has no request latency to protect.
        settings = settings.model_copy(update={"embeddings_threads": None})
    return build_knowledge(settings)


def _ingest(args: argparse.Namespace) -> int:
    kb = _knowledge(batch=True)
    try:
        ids = sorted(kb.platforms) if args.all else [kb.platform(args.platform).id]
    except UnknownPlatformError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not ids:
        print("error: no platforms found", file=sys.stderr)
        return 2
    skipped = 0
    for platform_id in ids:
        report = kb.ingest(platform_id, progress=ProgressLine(f"{platform_id}: embedding chunks"))
        for error in report.errors:
            print(f"skipped {error}", file=sys.stderr)
        skipped += len(report.errors)
        print(
            f"{platform_id}: {report.documents} documents, {report.chunks} chunks "
            f"(+{report.added} added, -{report.removed} removed, {report.unchanged} unchanged, "
            f"{report.embedded} embedded) in {report.seconds:.1f} s"
            + (f"; {len(report.errors)} skipped" if report.errors else "")
        )
    if skipped:
        print(f"error: {skipped} document(s) skipped, see above", file=sys.stderr)
        return 1
    return 0


def _search(args: argparse.Namespace) -> int:
    kb = _knowledge()
    try:
        passages = kb.search(
            args.query, platform=args.platform, k=args.k, kind=args.kind, mode=args.mode
        )
    except UnknownPlatformError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                [{**asdict(p), "citation": asdict(p.citation)} for p in passages],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not passages:
        print("no matching passages (is the platform ingested? madoguchi knowledge ingest --all)")
        return 0
    for rank, passage in enumerate(passages, start=1):
        print(f"{rank}. [{passage.kind}] {passage.title}  ({passage.score:.3f})")
        print(f"   {passage.text.replace(chr(10), ' ')[:200]}")
        print(f"   source: {passage.url}  (doc {passage.doc_id}, chunk {passage.chunk_id})")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from bot.cli.routing_eval import answerability_lines, intent_lines

    kb = _knowledge()  # latency figures should match the server configuration
    if args.squad is not None:
        code = _squad(args, kb)
        if code:
            return code
    if not args.json:
        print()
        for line in [*intent_lines(kb), "", *answerability_lines(kb, tune=args.tune)]:
            print(line)
    return 0


def _squad(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    from knowledge.dense import make_chroma_client
    from knowledge.evaluation import build_eval_index, evaluate, load_squad

    try:
        squad = load_squad(args.squad, limit=args.limit)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"corpus: {len(squad.paragraphs)} paragraphs; queries: {len(squad.questions)}",
        file=sys.stderr,
    )
    built = build_eval_index(
        squad,
        kb.embeddings,
        tokenizer=kb.tokenizer,
        chroma_client=make_chroma_client(),
        progress=ProgressLine("embedding paragraphs"),
    )

    def report(mode: str, done: int, total: int) -> None:
        print(f"querying ({mode}): {done}/{total}", file=sys.stderr)

    results = evaluate(squad, built.index, progress=report)
    built.index.dense.drop()
    if args.json:
        payload = {
            **results,
            "corpus": {"paragraphs": len(squad.paragraphs), "questions": len(squad.questions)},
            "index": {
                "build_seconds": round(built.build_seconds, 3),
                "embed_seconds": round(built.embed_seconds, 3),
                "passages_embedded": built.embedded,
            },
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(f"{'':8} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for mode, m in results.items():
        print(
            f"{mode:8} {m['recall@1']:6.3f} {m['recall@5']:6.3f} {m['recall@10']:6.3f} "
            f"{m['mrr@10']:7.3f} {m['latency_p50_ms']:7.1f} {m['latency_p95_ms']:7.1f}"
        )
    print(
        f"index build: {built.build_seconds:.1f} s (lexical + vector store); embedding: "
        f"{built.embed_seconds:.1f} s, {built.embedded} passages computed, the rest cached"
    )
    return 0
