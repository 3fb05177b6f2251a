"""Training the chain linker: labels, the logistic fit, folds, scores and the threshold rule (issue #6)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.backends.linker_train import (
    LinkerDocument,
    best_threshold,
    edge_scores,
    fit_logistic,
    incident_folds,
    labelled_pairs,
)
from pipeline.stages.chain_linker import ChainView

TEXT = "A bad deploy went out. The API failed. Users saw errors."


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def _document(doc_id: str = "d1", incident: str = "x", lang: str = "en") -> LinkerDocument:
    phrases = [
        ("n1", "A bad deploy", "root_cause"),
        ("n2", "The API failed", "impact"),
        ("n3", "Users saw errors", "impact"),
    ]
    nodes = []
    for sentence, (node_id, phrase, node_type) in enumerate(phrases):
        start, end = _span(phrase)
        nodes.append(
            {"id": node_id, "text": phrase, "type": node_type, "start": start, "end": end, "sentence": sentence}
        )
    view = ChainView(
        text=TEXT,
        nodes=nodes,
        edges=[],
        sentence_starts=[0, TEXT.index("The API"), TEXT.index("Users")],
    )
    gold_nodes = [
        {"id": "g1", "start": _span("A bad deploy went out")[0], "end": _span("A bad deploy went out")[1]},
        {"id": "g2", "start": _span("The API failed")[0], "end": _span("The API failed")[1]},
        {"id": "g3", "start": _span("Users saw errors")[0], "end": _span("Users saw errors")[1]},
    ]
    gold = {"nodes": gold_nodes, "edges": [{"source": "g1", "target": "g2"}, {"source": "g2", "target": "g3"}]}
    return LinkerDocument(doc_id, lang, incident, view, gold)


def test_a_pair_is_positive_when_its_link_finds_a_missed_gold_link():
    rows = labelled_pairs(_document(), max_sentences=4)
    # candidates by effect, then cause: n1->n2, n3->n2, n1->n3, n2->n3 (the root is nobody's effect)
    assert [label for _, label in rows] == [1, 0, 0, 1]
    assert [features["forward"] for features, _ in rows] == [1.0, 0.0, 1.0, 1.0]


def test_logistic_fit_learns_the_informative_feature_and_is_deterministic():
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(300):
        signal = float(rng.integers(0, 2))
        noise = float(rng.integers(0, 2))
        label = int(signal) if rng.random() > 0.1 else 1 - int(signal)
        rows.append(({"signal": signal, "noise": noise}, label))
    weights = fit_logistic(rows)
    assert weights["signal"] > 2.0
    assert abs(weights["noise"]) < 0.6
    assert weights["bias"] < -1.0
    assert fit_logistic(rows) == weights


def test_folds_keep_an_incident_together():
    documents = [_document(f"d{i}", incident) for i, incident in enumerate(["b", "a", "c", "a", "b"])]
    folds = incident_folds(documents, folds=2)
    assert folds == [1, 0, 0, 0, 1]  # incidents a, b, c dealt to folds 0, 1, 0


def test_edge_scores_count_links_found_by_path():
    document = _document()
    assert edge_scores([document], {})["en"] == {
        "found": 0,
        "predicted": 0,
        "gold": 2,
        "recall": 0.0,
        "precision": 0.0,
        "f1": 0.0,
    }
    added = {"d1": [{"source": "n1", "target": "n2"}, {"source": "n1", "target": "n3"}]}
    scores = edge_scores([document], added)["en"]
    assert (scores["found"], scores["predicted"], scores["recall"], scores["precision"]) == (1, 2, 50.0, 50.0)


def _scores(recall: float, f1: float) -> dict[str, float]:
    return {"recall": recall, "f1": f1}


def test_threshold_buys_recall_only_where_no_language_loses_f1():
    without = {"en": _scores(60.0, 50.0), "id": _scores(60.0, 45.0)}
    by_threshold = {
        "0.2": {"en": _scores(70.0, 51.0), "id": _scores(70.0, 44.0)},  # id loses F1
        "0.3": {"en": _scores(66.0, 50.5), "id": _scores(64.0, 45.0)},
        "0.4": {"en": _scores(63.0, 50.2), "id": _scores(62.0, 45.5)},
    }
    assert best_threshold(without, by_threshold) == pytest.approx(0.3)
    worse = {"0.2": {"en": _scores(70.0, 40.0), "id": _scores(70.0, 40.0)}, "0.5": by_threshold["0.2"]}
    assert best_threshold(without, worse) == pytest.approx(0.5)  # none keeps F1: the fewest links
