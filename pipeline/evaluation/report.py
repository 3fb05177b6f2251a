"""The evaluation table for the terminal and README, and the regression guard against a baseline."""

from __future__ import annotations

HEADLINE = (
    ("language.accuracy", "language accuracy"),
    ("is_incident.accuracy", "is-incident accuracy"),
    ("providers.f1", "provider F1"),
    ("affected_services.precision", "affected services precision"),
    ("affected_services.recall", "affected services recall"),
    ("affected_services.f1", "affected services F1"),
    ("locations.recall", "locations recall"),
    ("locations.f1", "locations F1"),
    ("mentions.provider.f1", "provider mentions F1"),
    ("mentions.affected.f1", "affected mentions F1"),
    ("mentions.location.f1", "location mentions F1"),
    ("start_date.accuracy", "start-date accuracy"),
    ("duration.accuracy", "duration accuracy"),
    ("root_cause.span.accuracy", "root-cause span accuracy"),
    ("root_cause.category.accuracy", "root-cause category accuracy"),
    ("chain.nodes.recall", "chain node recall"),
    ("chain.edges.recall", "chain edge recall"),
)
LANGUAGES = ("id", "en", "all")
DEFAULT_TOLERANCE = 3.0
"""Points (of 100) a figure may drop below the baseline before the guard fails."""


def format_table(scores: dict[str, dict[str, float | int]], *, markdown: bool = False) -> str:
    """Headline figures as percentages, one column per language."""
    langs = [lang for lang in LANGUAGES if lang in scores]
    header = ["metric", *[f"{lang} (n={scores[lang].get('language.support', 0)})" for lang in langs]]
    rows = [[label, *[_percent(scores[lang].get(key)) for lang in langs]] for key, label in HEADLINE]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def regressions(
    scores: dict[str, dict[str, float | int]],
    baseline: dict[str, dict[str, float | int]],
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[str]:
    """Every headline figure more than `tolerance` points below the baseline."""
    problems = []
    for lang, figures in baseline.items():
        for key, _ in HEADLINE:
            if key not in figures:
                continue
            now = scores.get(lang, {}).get(key)
            before = float(figures[key])
            if now is None or (before - float(now)) * 100 > tolerance:
                problems.append(f"{lang} {key}: {_percent(now)} < baseline {_percent(before)} - {tolerance:g} points")
    return problems


def headline(scores: dict[str, dict[str, float | int]]) -> dict[str, dict[str, float]]:
    """Only the headline figures (what a baseline file keeps)."""
    return {
        lang: {key: float(figures[key]) for key, _ in HEADLINE if key in figures}
        for lang, figures in scores.items()
        if lang in LANGUAGES
    }


def _percent(value: float | int | None) -> str:
    return "-" if value is None else f"{100 * float(value):.1f}"
