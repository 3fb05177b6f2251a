"""Training data, fitting and cross-validation of the chain linker (`pipeline.stages.chain_linker`).

The pipeline runs over gold documents with the linker off; every candidate pair of predicted events
is labelled by the gold chain (a gold link joins the gold events the two predicted events match).
A logistic model is fitted by iteratively reweighted least squares with an L2 penalty, so that the
same data always gives the same weights. Folds group documents by incident, so that no incident is
both trained on and scored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.evaluation.gold import GoldDocument
from pipeline.evaluation.metrics import chain_edge_counts
from pipeline.stages.chain_linker import ChainView, LinkerModel, LinkGraph, candidate_pairs, link, pair_features

L2_PENALTY = 1.0
IRLS_STEPS = 25
LINKER_OFF = {"components.incident_chain.linker": None}
"""Config override that runs the pipeline without the linker (what it is trained and timed against)."""
THRESHOLDS = tuple(round(0.10 + 0.05 * i, 2) for i in range(15))


@dataclass
class LinkerDocument:
    """One gold document seen by the linker: its view (linker off), gold chain, language and incident."""

    doc_id: str
    language: str
    incident: str
    view: ChainView
    gold_chain: dict


def collect_views(documents: Sequence[GoldDocument], overrides: dict[str, object]) -> list[LinkerDocument]:
    """Run the pipeline (with `overrides`, the linker off) over gold documents and keep their views."""
    from pipeline.extractor import Extractor
    from pipeline.io import Record

    class _Collector(Extractor):
        def __init__(self) -> None:
            super().__init__(overrides=overrides, include_text=False)
            self.views: dict[str, ChainView] = {}

        def _finish(self, doc, record):  # type: ignore[no-untyped-def]
            from pipeline.stages.cues import cue_data

            anaphors = frozenset(w.lower() for w in cue_data(doc.lang_).anaphors.get("strong", []))
            self.views[record.doc_id] = ChainView.from_doc(doc, doc._.causal, anaphors)
            return super()._finish(doc, record)

    collector = _Collector()
    records = (
        Record(position=i, doc_id=d.doc_id, source="gold", text=d.text, published=d.published)
        for i, d in enumerate(documents)
    )
    for _ in collector.process(records):
        pass
    return [
        LinkerDocument(
            d.doc_id,
            d.language,
            str(d.annotation.get("incident") or d.doc_id),
            collector.views[d.doc_id],
            d.annotation.get("causal_chain") or {"nodes": [], "edges": []},
        )
        for d in documents
        if d.doc_id in collector.views
    ]


def labelled_pairs(document: LinkerDocument, max_sentences: int) -> list[tuple[dict[str, float], int]]:
    """Features and gold label of every candidate pair: 1 when the link alone would make the graph find
    a gold link it misses (a path from a match of the gold cause to a match of the gold effect)."""
    view = document.view
    graph = LinkGraph(view.nodes, view.edges)
    found = chain_edge_counts(document.gold_chain, {"nodes": view.nodes, "edges": view.edges})[0]
    rows = []
    for a, b in candidate_pairs(view, max_sentences):
        link = {"source": view.nodes[a]["id"], "target": view.nodes[b]["id"]}
        gained = chain_edge_counts(document.gold_chain, {"nodes": view.nodes, "edges": [*view.edges, link]})[0]
        rows.append((pair_features(view, a, b, graph), int(gained > found)))
    return rows


def fit_logistic(rows: Sequence[tuple[dict[str, float], int]], penalty: float = L2_PENALTY) -> dict[str, float]:
    """Weights by feature name (and "bias") of an L2-penalised logistic regression."""
    names = sorted({name for features, _ in rows for name in features})
    x = np.zeros((len(rows), len(names) + 1))
    x[:, 0] = 1.0
    column = {name: i + 1 for i, name in enumerate(names)}
    for i, (features, _) in enumerate(rows):
        for name, value in features.items():
            x[i, column[name]] = value
    y = np.array([label for _, label in rows], dtype=float)
    weights = np.zeros(x.shape[1])
    ridge = penalty * np.eye(x.shape[1])
    ridge[0, 0] = 0.0  # the bias is not penalised
    for _ in range(IRLS_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ weights, -30, 30)))
        gradient = x.T @ (p - y) + ridge @ weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        weights = weights - np.linalg.solve(hessian, gradient)
    return {"bias": round(float(weights[0]), 6)} | {name: round(float(weights[column[name]]), 6) for name in names}


def incident_folds(documents: Sequence[LinkerDocument], folds: int) -> list[int]:
    """A fold number per document: incidents dealt round-robin in sorted order."""
    incidents = sorted({d.incident for d in documents})
    fold_of = {incident: i % folds for i, incident in enumerate(incidents)}
    return [fold_of[d.incident] for d in documents]


def edge_scores(documents: Iterable[LinkerDocument], added: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    """Per language: gold links found, predicted links, gold links, recall, precision and F1 of the
    chains with `added` links (doc id -> links)."""
    totals: dict[str, list[int]] = {}
    for document in documents:
        chain = {"nodes": document.view.nodes, "edges": document.view.edges + added.get(document.doc_id, [])}
        counts = chain_edge_counts(document.gold_chain, chain)
        total = totals.setdefault(document.language, [0, 0, 0])
        for i, value in enumerate(counts):
            total[i] += value
    return {lang: _rates(*counts) for lang, counts in sorted(totals.items())}


def cross_validate(documents: Sequence[LinkerDocument], folds: int, max_sentences: int) -> dict[str, object]:
    """Scores at every threshold of models trained on the other folds, and the scores with no linker."""
    fold_of = incident_folds(documents, folds)
    rows = [labelled_pairs(d, max_sentences) for d in documents]
    added: dict[float, dict[str, list[dict]]] = {t: {} for t in THRESHOLDS}
    for fold in range(folds):
        train = [row for doc_rows, f in zip(rows, fold_of, strict=True) if f != fold for row in doc_rows]
        model = LinkerModel(fit_logistic(train), 0.0, max_sentences)
        for document, f in zip(documents, fold_of, strict=True):
            if f != fold:
                continue
            for threshold in THRESHOLDS:
                added[threshold][document.doc_id] = link(document.view, dataclasses.replace(model, threshold=threshold))
    return {
        "without": edge_scores(documents, {}),
        "by_threshold": {str(t): edge_scores(documents, added[t]) for t in THRESHOLDS},
    }


def best_threshold(without: dict[str, dict[str, float]], by_threshold: dict[str, dict[str, dict[str, float]]]) -> float:
    """The threshold with the best mean edge recall over the languages among those at which no
    language's edge F1 falls below its F1 without the linker: recall bought at no cost in F1 (ties:
    the higher threshold). With no such threshold, the highest (the fewest links)."""
    keeps_f1 = [
        float(t)
        for t, scores in by_threshold.items()
        if all(scores[lang]["f1"] >= without[lang]["f1"] for lang in without)
    ]
    if not keeps_f1:
        return max(float(t) for t in by_threshold)
    return max(keeps_f1, key=lambda t: (np.mean([s["recall"] for s in by_threshold[str(t)].values()]), t))


def _rates(found: int, predicted: int, gold: int) -> dict[str, float]:
    recall = found / gold if gold else 0.0
    precision = found / predicted if predicted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "found": found,
        "predicted": predicted,
        "gold": gold,
        "recall": round(100 * recall, 1),
        "precision": round(100 * precision, 1),
        "f1": round(100 * f1, 1),
    }
