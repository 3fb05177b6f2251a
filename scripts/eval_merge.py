"""Measure `insiden merge` against the gold `incident` keys: pairwise precision, recall and F1.

Two runs are reported:

- gold-built: reports made from the gold annotations themselves (providers, services,
  dates, duration, root cause as annotated; the title is the first line of the text), so
  the figure measures the clustering alone;
- predicted (with --predictions): the pipeline's reports for the same documents, so the
  figure also carries the extraction's errors.

Every gold document counts; a non-outage document (no `incident` key) is its own
incident, so merging it into another is a false positive.

Usage:
    .venv/bin/python scripts/eval_merge.py [GOLD_DIR] [--predictions REPORTS.jsonl] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.evaluation import load_gold  # noqa: E402
from pipeline.evaluation.gold import GoldDocument  # noqa: E402
from pipeline.merge import MergeSettings, merge_reports, pairwise_scores  # noqa: E402


def gold_report(doc: GoldDocument) -> dict:
    """A report dict built from a gold annotation (title: the text's first line)."""
    report = {k: v for k, v in doc.annotation.items() if k not in {"incident", "genre", "mentioned"}}
    report["doc_id"] = doc.doc_id
    report["language"] = doc.language
    report["title"] = doc.text.split("\n", 1)[0].strip() or None
    return report


def gold_keys(documents: list[GoldDocument]) -> dict[str, str]:
    """Gold incident key per doc id; a document without one is an incident of its own."""
    return {d.doc_id: d.annotation.get("incident") or f"alone:{d.doc_id}" for d in documents}


def score(
    reports: list[dict], keys: dict[str, str], settings: MergeSettings, encoder: object, show_errors: bool = False
) -> dict:
    records = merge_reports(reports, settings=settings, encoder=encoder)
    clusters = [r.doc_ids for r in records]
    if show_errors:
        where = {doc: i for i, cluster in enumerate(clusters) for doc in cluster}
        docs = sorted(d for d in keys if d in where)
        for x, a in enumerate(docs):
            for b in docs[x + 1 :]:
                same_gold, same_pred = keys[a] == keys[b], where[a] == where[b]
                if same_gold != same_pred:
                    print(f"  {'missed' if same_gold else 'wrong '} {a} ~ {b}")
    return {**pairwise_scores(clusters, keys), "incidents": len(records)}


def without_providers(report: dict) -> dict:
    """The report with its providers removed: measures merging on dates, services and causes alone."""
    return {**report, "providers": []}


def _line(name: str, result: dict) -> str:
    return (
        f"{name:<28} P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}  "
        f"(pairs: {result['tp']:.0f} correct / {result['predicted_pairs']:.0f} predicted / "
        f"{result['gold_pairs']:.0f} gold; {result['incidents']} incidents from {result['documents']} docs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "gold",
        nargs="?",
        default=str(REPO_ROOT / "corpora" / "gold"),
        help="gold folder: a split or the whole corpus (default: %(default)s)",
    )
    parser.add_argument("--predictions", help="pipeline reports (JSONL) for the gold documents")
    parser.add_argument("--window-days", type=int, default=MergeSettings.window_days)
    parser.add_argument("--threshold", type=float, default=MergeSettings.threshold)
    parser.add_argument("--json", help="write the scores to this file")
    parser.add_argument("--show-errors", action="store_true", help="list the missed and wrong pairs")
    args = parser.parse_args(argv)

    documents = load_gold(args.gold)
    keys = gold_keys(documents)
    settings = MergeSettings(window_days=args.window_days, threshold=args.threshold)
    from pipeline.backends.causal_use import load_encoder

    encoder = load_encoder(1)
    built = [gold_report(d) for d in documents]
    runs = {"gold-built": built, "gold-built, no providers": [without_providers(r) for r in built]}
    if args.predictions:
        with open(args.predictions, encoding="utf-8") as handle:
            runs["predicted"] = [r for r in map(json.loads, filter(str.strip, handle)) if r["doc_id"] in keys]
    results = {}
    for name, reports in runs.items():
        if args.show_errors:
            print(f"{name}:")
        results[name] = {**score(reports, keys, settings, encoder, args.show_errors), "documents": len(reports)}
    print(f"gold: {args.gold}; window {settings.window_days} d, threshold {settings.threshold}")
    for name, result in results.items():
        print(_line(name, result))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
