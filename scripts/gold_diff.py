"""Per-document differences between gold annotations and predicted reports (for error analysis).

`insiden evaluate` gives the scores; this prints, document by document, where a prediction
departs from the gold annotation: entity names (providers, affected services, locations),
the start date and duration, the root cause, and on request the whole chain.

    .venv/bin/insiden evaluate corpora/gold/dev --workdir out/eval-dev
    .venv/bin/python scripts/gold_diff.py corpora/gold/dev out/eval-dev/predictions.jsonl
    .venv/bin/python scripts/gold_diff.py corpora/gold/dev out/eval-dev/predictions.jsonl --field time

Use it on the dev split: the test split is for the final figures only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.evaluation import load_gold
from pipeline.evaluation.matching import fold

ENTITY_FIELDS = ("providers", "affected_services", "locations")
FIELDS = ("all", *ENTITY_FIELDS, "time", "root", "chain")


def names(report: dict, key: str) -> list[str]:
    """Sorted distinct entity names of one report field."""
    return sorted({entity["name"] for entity in report.get(key) or []})


def entity_lines(gold: dict, pred: dict, key: str) -> list[str]:
    """A line when the folded names differ."""
    expected, found = names(gold, key), names(pred, key)
    if {fold(x) for x in expected} == {fold(x) for x in found}:
        return []
    return [f"  {key}: gold={expected} pred={found}"]


def time_lines(gold: dict, pred: dict) -> list[str]:
    """Lines for a differing start date or duration, with the text each came from."""
    lines = []
    gold_start, pred_start = gold.get("start") or {}, pred.get("start") or {}
    if gold_start.get("date") != pred_start.get("date"):
        lines.append(
            f"  start: gold={gold_start.get('date')} ({gold_start.get('text')}) "
            f"pred={pred_start.get('date')} ({pred_start.get('text')})"
        )
    gold_duration, pred_duration = gold.get("duration") or {}, pred.get("duration") or {}
    if gold_duration.get("seconds") != pred_duration.get("seconds"):
        lines.append(
            f"  duration: gold={gold_duration.get('seconds')} ({gold_duration.get('text')}) "
            f"pred={pred_duration.get('seconds')} ({pred_duration.get('text')})"
        )
    return lines


def root_lines(gold: dict, pred: dict) -> list[str]:
    """Both root causes, category first."""
    expected, found = gold.get("root_cause") or {}, pred.get("root_cause") or {}
    return [
        f"  root gold=[{expected.get('category')}] {expected.get('text')}",
        f"       pred=[{found.get('category')}] {found.get('text')}",
    ]


def chain_lines(gold: dict, pred: dict) -> list[str]:
    """Every node and edge of both chains (G = gold, P = predicted)."""
    lines = []
    for tag, report in (("G", gold), ("P", pred)):
        chain = report.get("causal_chain") or {"nodes": [], "edges": []}
        lines += [f"   {tag} {n['id']} {n['type']} | {n['text']}" for n in chain["nodes"]]
        lines += [f"   {tag}E {e['source']} -> {e['target']} {e.get('cue')}" for e in chain["edges"]]
    return lines


def document_lines(gold: dict, pred: dict, field: str) -> list[str]:
    """The difference lines of one document for the chosen field(s)."""
    lines = []
    for key in ENTITY_FIELDS:
        if field in ("all", key):
            lines += entity_lines(gold, pred, key)
    if field in ("all", "time"):
        lines += time_lines(gold, pred)
    if field in ("all", "root"):
        lines += root_lines(gold, pred)
    if field == "chain":
        lines += chain_lines(gold, pred)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="a gold split folder, e.g. corpora/gold/dev")
    parser.add_argument("predictions", type=Path, help="reports JSONL (insiden evaluate's predictions.jsonl)")
    parser.add_argument("--field", choices=FIELDS, default="all", help="what to compare (%(default)s)")
    args = parser.parse_args(argv)
    with args.predictions.open(encoding="utf-8") as handle:
        predictions = {report["doc_id"]: report for report in map(json.loads, handle)}
    for document in load_gold(args.gold):
        print(f"===== {document.doc_id}")
        prediction = predictions.get(document.doc_id)
        if prediction is None:
            print("  no prediction")
            continue
        for line in document_lines(document.annotation, prediction, args.field):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
