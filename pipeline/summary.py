"""A short terminal table of the reports a run wrote."""

from __future__ import annotations

import json
from pathlib import Path

COLUMNS = (
    ("doc_id", 28),
    ("lang", 4),
    ("provider", 16),
    ("affected", 30),
    ("start", 10),
    ("duration", 9),
    ("root cause", 17),
)


def _row(report: dict) -> tuple[str, ...]:
    duration = report.get("duration") or {}
    hours = f"{'~' if duration.get('approximate') else ''}{duration['seconds'] / 3600:.1f} h" if duration else "-"
    return (
        report["doc_id"],
        report["language"],
        ", ".join(p["name"] for p in report.get("providers", [])) or "-",
        ", ".join(s["name"] for s in report.get("affected_services", [])) or "-",
        (report.get("start") or {}).get("date") or "-",
        hours,
        (report.get("root_cause") or {}).get("category") or "-",
    )


def format_summary_table(reports: list[dict]) -> str:
    """One line per report: id, language, provider, affected, start date, duration, root-cause category."""
    lines = ["  ".join(name.ljust(width) for name, width in COLUMNS)]
    lines.append("  ".join("-" * width for _, width in COLUMNS))
    for report in reports:
        cells = _row(report)
        lines.append("  ".join(_fit(cell, width) for cell, (_, width) in zip(cells, COLUMNS, strict=True)))
    return "\n".join(lines)


def print_summary_table(path: Path) -> None:
    """Print the table of a reports file."""
    with path.open(encoding="utf-8") as handle:
        reports = [json.loads(line) for line in handle if line.strip()]
    print(format_summary_table(reports))


def _fit(text: str, width: int) -> str:
    text = str(text)
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)
