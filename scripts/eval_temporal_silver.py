"""Score the English temporal stage on the ICCO post-mortem silver set: start date and duration.

The icco/postmortems corpus (GPL-3.0, kept in its own folder under `shared/data/`) has 242
English post-mortems whose YAML front matter gives `start_time`, `end_time` and
`source_published_at`. Those fields were written by an LLM from the original pages, so they
are silver labels: some are wrong, and a miss here is a lead to read, not a verdict.

Only the temporal package runs (`extract_time_expressions` then `select_incident_timing` on
the title and body, published date as the base of relative dates), so a run takes seconds.

- duration: right within 10 % or 30 minutes of `end_time - start_time`, the tolerance of the
  gold evaluation (`pipeline/evaluation/metrics.py`); scored over entries with both times.
- start date: right when the predicted start's date, as written or in UTC, is the date of
  `start_time` (the silver times are mostly in UTC, the texts mostly in local time);
  scored over entries with a `start_time`.

Usage:
    .venv/bin/python scripts/eval_temporal_silver.py [--data ../shared/data] [--misses] [--limit N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.evaluation.metrics import duration_close  # noqa: E402
from pipeline.temporal import IncidentTiming, extract_time_expressions, select_incident_timing  # noqa: E402

CORPUS = Path("icco_postmortems") / "data"
"""Where the post-mortems lie under the data folder."""


@dataclass
class Entry:
    """One post-mortem: its silver labels, its text and the stage's timing."""

    name: str
    text: str
    start: dt.datetime | None
    end: dt.datetime | None
    timing: IncidentTiming


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def read_entry(path: Path) -> tuple[dict, str]:
    """The front matter and the text (title, a newline, the body) of one post-mortem file."""
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front) or {}
    return meta, (meta.get("title") or "") + "\n" + body.strip()


def run(data: Path) -> tuple[list[Entry], float]:
    """Every entry with its timing, and the mean milliseconds per document of the temporal stage."""
    entries: list[Entry] = []
    elapsed = 0.0
    for path in sorted((data / CORPUS).glob("*.md")):
        meta, text = read_entry(path)
        published = _as_datetime(meta.get("source_published_at"))
        begin = time.perf_counter()
        expressions = extract_time_expressions(text, "en", published.date() if published else None)
        timing = select_incident_timing(text, expressions, "en")
        elapsed += time.perf_counter() - begin
        start, end = _as_datetime(meta.get("start_time")), _as_datetime(meta.get("end_time"))
        entries.append(Entry(path.stem, text, start, end, timing))
    return entries, elapsed / max(1, len(entries)) * 1000


def duration_right(gold: float, predicted: float | None) -> bool:
    """Whether a predicted length is within the tolerance of the silver one."""
    return predicted is not None and duration_close(gold, predicted)


def start_right(gold: dt.datetime, timing: IncidentTiming) -> bool:
    """Whether the predicted start falls on the silver start's day, as written or in UTC."""
    if timing.start is None:
        return False
    days = {timing.start.date}
    if timing.start.datetime:
        days.add(timing.start.datetime[:10])
    return gold.date().isoformat() in days


def score(entries: list[Entry]) -> dict[str, tuple[int, int, list[str]]]:
    """(right, scored, misses) for `duration` and `start`; a miss is a printable line."""
    results: dict[str, tuple[int, int, list[str]]] = {}
    right = total = 0
    misses: list[str] = []
    for e in entries:
        if e.start is None or e.end is None or (gold := (e.end - e.start).total_seconds()) <= 0:
            continue
        total += 1
        pred = e.timing.duration
        if duration_right(gold, pred.seconds if pred else None):
            right += 1
        else:
            shown = f"{pred.seconds:.0f}s {pred.text!r}" if pred else "-"
            misses.append(f"D {e.name[:8]} silver={gold:.0f}s ({gold / 3600:.2f} h) pred={shown}")
    results["duration"] = (right, total, misses)
    right = total = 0
    misses = []
    for e in entries:
        if e.start is None:
            continue
        total += 1
        if start_right(e.start, e.timing):
            right += 1
        else:
            point = e.timing.start
            shown = f"{point.date} {point.text!r}" if point else "-"
            misses.append(f"S {e.name[:8]} silver={e.start.isoformat()} pred={shown}")
    results["start"] = (right, total, misses)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--data", type=Path, default=REPO_ROOT.parent / "shared" / "data", help="folder holding icco_postmortems/"
    )
    parser.add_argument("--misses", "-v", action="store_true", help="print every miss")
    parser.add_argument("--limit", type=int, default=0, help="print at most this many misses of each kind")
    args = parser.parse_args(argv)
    if not (args.data / CORPUS).is_dir():
        parser.error(f"no {CORPUS} under {args.data}")
    entries, ms = run(args.data)
    print(f"documents {len(entries)}, {ms:.1f} ms/doc")
    results = score(entries)
    for key in ("duration", "start"):
        right, total, _ = results[key]
        print(f"{key} accuracy {right}/{total} = {right / max(1, total):.3f}")
    if args.misses:
        for key in ("duration", "start"):
            misses = results[key][2]
            for line in misses[: args.limit or None]:
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
