"""Fill in and check the character offsets of gold annotations.

Usage: python scripts/gold_offsets.py [corpora/gold] [--check]

For every `<doc>.json` beside a `<doc>.txt`, each annotated item that carries `text`
(mentions, nodes, root_cause, duration, start, end) gets `start`/`end` offsets into
the text when they are missing: the first occurrence of the item's text after the
previous occurrence of the same text in that document, or the `occurrence`-th one
(0-based) when the item says so. Existing offsets are checked. `--check` writes
nothing and exits non-zero on any problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

OFFSET_FIELDS = ("start", "end", "duration", "root_cause")


def annotated_items(annotation: dict) -> Iterator[dict]:
    """Every item of an annotation whose `text` must be found in the document."""
    for field in ("providers", "affected_services", "locations", "mentioned"):
        for entity in annotation.get(field) or []:
            yield from entity.get("mentions") or []
    for field in OFFSET_FIELDS:
        item = annotation.get(field)
        if isinstance(item, dict) and item.get("text"):
            yield item
    chain = annotation.get("causal_chain") or {}
    yield from chain.get("nodes") or []


def place(item: dict, text: str, cursor: dict[str, int]) -> str | None:
    """Set or check one item's offsets; return a problem description or None."""
    needle = item["text"]
    if "start" in item and "end" in item and item["start"] is not None:
        if text[item["start"] : item["end"]] != needle:
            return f"offsets {item['start']}:{item['end']} give {text[item['start'] : item['end']]!r}, not {needle!r}"
        return None
    if "occurrence" in item:
        index = -1
        for _ in range(int(item["occurrence"]) + 1):
            index = text.find(needle, index + 1)
            if index < 0:
                break
    else:
        index = text.find(needle, cursor.get(needle, 0))
        if index < 0:
            index = text.find(needle)
    if index < 0:
        return f"text {needle!r} not found"
    item["start"], item["end"] = index, index + len(needle)
    item.pop("occurrence", None)
    cursor[needle] = index + 1
    return None


def process(json_path: Path, check_only: bool) -> list[str]:
    """Fill or check one annotation file; return its problems."""
    txt_path = json_path.with_suffix(".txt")
    if not txt_path.is_file():
        return [f"{json_path}: no {txt_path.name}"]
    text = txt_path.read_text(encoding="utf-8")
    annotation = json.loads(json_path.read_text(encoding="utf-8"))
    cursor: dict[str, int] = {}
    problems = [f"{json_path}: {p}" for item in annotated_items(annotation) if (p := place(item, text, cursor))]
    if not check_only and not problems:
        json_path.write_text(json.dumps(annotation, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="corpora/gold", type=Path)
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    args = parser.parse_args(argv)
    problems = [p for path in sorted(args.root.rglob("*.json")) for p in process(path, args.check)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
