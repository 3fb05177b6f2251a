"""Resolve the fields that merged reports disagree on, keeping every candidate and its evidence.

Each field gathers one candidate per distinct value, with the documents that state it
(`support`), whether it is precise (a datetime rather than a bare date; a duration not
marked approximate; a root cause not marked speculative), and the mentions. Candidates are
then ranked by the field's rules in order; the rule recorded is the first one that tells
the winner from the runner-up:

- start:    most_precise, most_reports, earliest
- end:      most_precise, most_reports, latest
- duration: most_precise, most_reports, longest (reports tend to round a long outage down
  while it is still going on: "14 hours" before the "15 hours" of the final tally)
- root-cause category: most_reports, most_precise, most_confident ("unknown" counts only
  when no source knows better)
- root-cause text: among the sources of the chosen category, most_precise, most_confident,
  most_reports

A last `first_by_value` rule keeps the choice deterministic when everything else ties.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.graph import normalize_label
from pipeline.incident_schema import Candidate, Evidence, NamedItem, Resolution


@dataclass
class _Pool:
    """Candidates of one field, grouped by value key."""

    values: dict[str, str | float] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    precise: dict[str, bool] = field(default_factory=lambda: defaultdict(bool))
    confidence: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, key: str, value: str | float, evidence: Evidence, *, precise: bool, confidence: float = 1.0) -> None:
        self.values.setdefault(key, value)
        self.evidence[key].append(evidence)
        self.precise[key] = self.precise[key] or precise
        self.confidence[key] = max(self.confidence[key], confidence)

    def support(self, key: str) -> int:
        return len({e.doc_id for e in self.evidence[key]})


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


RULES: dict[str, Callable[[_Pool, str], Any]] = {
    # Each gives a sort key; smaller is better.
    "most_precise": lambda pool, key: not pool.precise[key],
    "most_reports": lambda pool, key: -pool.support(key),
    "most_confident": lambda pool, key: -pool.confidence[key],
    "earliest": lambda pool, key: str(pool.values[key]),
    "latest": lambda pool, key: _descending(str(pool.values[key])),
    "longest": lambda pool, key: -float(pool.values[key]),
    "first_by_value": lambda pool, key: str(pool.values[key]),
}
FIELD_RULES: dict[str, tuple[str, ...]] = {
    "start": ("most_precise", "most_reports", "earliest"),
    "end": ("most_precise", "most_reports", "latest"),
    "duration": ("most_precise", "most_reports", "longest"),
    "root_cause_category": ("most_reports", "most_precise", "most_confident"),
    "root_cause": ("most_precise", "most_confident", "most_reports"),
}


def resolve(pool: _Pool, rules: tuple[str, ...], *, conflict: bool | None = None) -> Resolution:
    """The winning candidate of `pool` under `rules`, the deciding rule, and all candidates (best first)."""
    if not pool.values:
        return Resolution(rule="none")
    names = (*rules, "first_by_value")
    ranked = sorted(pool.values, key=lambda k: tuple(RULES[n](pool, k) for n in names))
    rule = "only_value"
    if len(ranked) > 1:
        best, second = ranked[0], ranked[1]
        rule = next(n for n in names if RULES[n](pool, best) != RULES[n](pool, second))
    candidates = [
        Candidate(
            value=pool.values[k],
            support=pool.support(k),
            precise=pool.precise[k],
            evidence=sorted(pool.evidence[k], key=lambda e: (e.doc_id, e.start or 0)),
        )
        for k in ranked
    ]
    return Resolution(
        value=pool.values[ranked[0]],
        rule=rule,
        conflict=len(ranked) > 1 if conflict is None else conflict,
        candidates=candidates,
    )


def _time_pool(reports: list[Mapping[str, Any]], name: str) -> tuple[_Pool, bool]:
    pool = _Pool()
    for report in reports:
        point = report.get(name) or {}
        value = point.get("datetime") or point.get("date")
        if value:
            evidence = Evidence(
                doc_id=report["doc_id"], text=point.get("text"), start=point.get("start"), end=point.get("end")
            )
            pool.add(str(value), str(value), evidence, precise=bool(point.get("datetime")))
    # A bare date and a datetime on that date agree; only different days or times conflict.
    days = {str(v)[:10] for v in pool.values.values()}
    times = {str(v) for v in pool.values.values() if len(str(v)) > 10}
    return pool, len(days) > 1 or len(times) > 1


def _duration_pool(reports: list[Mapping[str, Any]]) -> _Pool:
    pool = _Pool()
    for report in reports:
        duration = report.get("duration") or {}
        if duration.get("seconds") is not None:
            seconds = float(duration["seconds"])
            evidence = Evidence(
                doc_id=report["doc_id"], text=duration.get("text"), start=duration.get("start"), end=duration.get("end")
            )
            pool.add(f"{seconds:.0f}", seconds, evidence, precise=not duration.get("approximate", False))
    return pool


def _cause_pools(reports: list[Mapping[str, Any]]) -> tuple[_Pool, dict[str, _Pool]]:
    categories, texts = _Pool(), defaultdict(_Pool)
    known = any((r.get("root_cause") or {}).get("category", "unknown") != "unknown" for r in reports)
    for report in reports:
        root = report.get("root_cause") or {}
        if not root:
            continue
        category = root.get("category") or "unknown"
        evidence = Evidence(
            doc_id=report["doc_id"], text=root.get("text"), start=root.get("start"), end=root.get("end")
        )
        precise, confidence = not root.get("speculative", False), float(root.get("confidence", 0.5))
        if category != "unknown" or not known:
            categories.add(category, category, evidence, precise=precise, confidence=confidence)
        if root.get("text"):
            key = normalize_label(root["text"])
            texts[category].add(key, root["text"], evidence, precise=precise, confidence=confidence)
    return categories, texts


def resolve_fields(reports: list[Mapping[str, Any]]) -> dict[str, Resolution]:
    """`start`, `end`, `duration`, `root_cause_category` and `root_cause` resolved over the reports."""
    start_pool, start_conflict = _time_pool(reports, "start")
    end_pool, end_conflict = _time_pool(reports, "end")
    categories, texts = _cause_pools(reports)
    category = resolve(categories, FIELD_RULES["root_cause_category"])
    cause_texts = texts.get(str(category.value)) if category.value is not None else None
    return {
        "start": resolve(start_pool, FIELD_RULES["start"], conflict=start_conflict),
        "end": resolve(end_pool, FIELD_RULES["end"], conflict=end_conflict),
        "duration": resolve(_duration_pool(reports), FIELD_RULES["duration"]),
        "root_cause_category": category,
        "root_cause": resolve(cause_texts or _Pool(), FIELD_RULES["root_cause"]),
    }


def named_items(reports: list[Mapping[str, Any]], name: str, key: Callable[[str], str]) -> list[NamedItem]:
    """Providers, services or locations of the reports, one per canonical key, most-cited first."""
    names: dict[str, Counter] = defaultdict(Counter)
    docs: dict[str, set[str]] = defaultdict(set)
    for report in reports:
        for item in report.get(name) or []:
            if item.get("name"):
                k = key(item["name"])
                names[k][item["name"]] += 1
                docs[k].add(report["doc_id"])
    items = [
        NamedItem(name=min(names[k], key=lambda n: (-names[k][n], n)), key=k, doc_ids=sorted(docs[k])) for k in names
    ]
    return sorted(items, key=lambda i: (-len(i.doc_ids), i.key))
