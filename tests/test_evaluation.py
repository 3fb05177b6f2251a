"""`insiden evaluate`: name matching, metrics, the table and the regression guard."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluation import evaluate, load_gold
from pipeline.evaluation.matching import match_names, spans_match
from pipeline.evaluation.report import format_table, headline, regressions

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_SPLIT = REPO_ROOT / "corpora" / "gold" / "test"
BASELINE = REPO_ROOT / "corpora" / "baseline_test.json"


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        (["AWS"], [{"name": "Amazon Web Services"}], (1, 1, 1)),
        (["Amazon Web Services", "AWS"], [{"name": "AWS"}], (1, 1, 1)),
        (["Disney+"], [{"name": "Disney Plus"}], (1, 1, 1)),
        (["unit komputasi awan Amazon"], [{"name": "AWS"}], (1, 1, 1)),
        (["Acme Corp."], [{"name": "acme corp"}], (1, 1, 1)),
        (["Roblox", "Venmo"], [{"name": "Roblox"}], (1, 2, 1)),
        (["Meta"], [{"name": "Facebook Inc.", "aliases": ["Meta"]}], (1, 1, 1)),
        ([], [{"name": "Roblox"}], (0, 0, 1)),
    ],
)
def test_evaluation_name_matching(predicted: list[str], gold: list[dict], expected: tuple[int, int, int]) -> None:
    assert match_names(predicted, gold) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((0, 10), (0, 10), True),
        ((0, 10), (8, 30), False),
        ((0, 10), (5, 12), True),
        ((0, 4), (4, 9), False),
        ((10, 40), (0, 12), False),
        ((10, 40), (30, 35), True),
    ],
)
def test_evaluation_span_matching(a: tuple[int, int], b: tuple[int, int], same: bool) -> None:
    assert spans_match(a, b) is same


def _perfect_predictions(gold) -> dict[str, dict]:
    """Reports that copy the gold annotation: every figure must be 100."""
    predictions = {}
    for doc in gold:
        report = copy.deepcopy(doc.annotation)
        report["causal_chain"] = {"nodes": report["causal_chain"]["nodes"], "edges": report["causal_chain"]["edges"]}
        predictions[doc.doc_id] = report
    return predictions


def test_evaluation_gold_against_itself_scores_perfectly() -> None:
    gold = load_gold(TEST_SPLIT)
    assert len(gold) >= 24 and {d.language for d in gold} == {"id", "en"}
    scores = evaluate(gold, _perfect_predictions(gold))
    for key in (
        "providers.f1",
        "affected_services.f1",
        "locations.recall",
        "duration.accuracy",
        "start_date.accuracy",
        "root_cause.span.accuracy",
        "root_cause.category.accuracy",
        "chain.nodes.recall",
        "chain.edges.recall",
    ):
        assert scores["all"][key] == 1.0, key


def test_evaluation_gold_ids_are_unique_across_splits() -> None:
    """Reports are keyed by doc_id in the merge evaluation and in batch runs over all the gold texts."""
    documents = [d for split in ("dev", "test") for d in load_gold(TEST_SPLIT.parent / split)]
    ids = [d.doc_id for d in documents]
    assert len(ids) == len(set(ids)) and len(ids) >= 100


def test_evaluation_empty_predictions_score_low_and_trip_the_guard() -> None:
    gold = load_gold(TEST_SPLIT)
    perfect = evaluate(gold, _perfect_predictions(gold))
    empty = evaluate(gold, {})
    assert empty["all"]["providers.recall"] == 0.0
    assert empty["all"]["coverage.accuracy"] == 0.0
    assert regressions(perfect, headline(perfect)) == []
    problems = regressions(empty, headline(perfect))
    assert any("providers.f1" in p for p in problems)


def test_evaluation_guard_allows_small_drops_only() -> None:
    baseline = {"en": {"providers.f1": 0.90, "duration.accuracy": 0.80}}
    assert regressions({"en": {"providers.f1": 0.875, "duration.accuracy": 0.80}}, baseline) == []
    assert regressions({"en": {"providers.f1": 0.86, "duration.accuracy": 0.80}}, baseline) == [
        "en providers.f1: 86.0 < baseline 90.0 - 3 points"
    ]


def test_evaluation_table_has_a_column_per_language() -> None:
    gold = load_gold(TEST_SPLIT)
    table = format_table(evaluate(gold, _perfect_predictions(gold)), markdown=True)
    assert table.splitlines()[0].startswith("| metric | id (n=15) | en (n=15) | all (n=30)")
    assert "| provider F1 | 100.0 | 100.0 | 100.0 |" in table


def test_evaluation_cli_fails_on_a_worse_prediction_file(tmp_path: Path) -> None:
    gold = load_gold(TEST_SPLIT)
    worse = tmp_path / "worse.jsonl"
    worse.write_text(
        "".join(json.dumps({"doc_id": d.doc_id, "language": d.language}) + "\n" for d in gold), encoding="utf-8"
    )
    assert main(["evaluate", str(TEST_SPLIT), str(worse), "--baseline", str(BASELINE)]) == 1


def test_evaluation_pipeline_holds_the_committed_baseline(tmp_path: Path) -> None:
    """The regression guard of CI: the current pipeline on the test split, against corpora/baseline_test.json."""
    code = main(
        [
            "evaluate",
            str(TEST_SPLIT),
            "--workdir",
            str(tmp_path),
            "--baseline",
            str(BASELINE),
            "-o",
            str(tmp_path / "scores.json"),
        ]
    )
    assert code == 0, "a headline figure dropped more than 3 points below corpora/baseline_test.json"


def test_evaluation_edges_any_mention_match_a_node_at_its_joined_mentions() -> None:
    from pipeline.evaluation.metrics import chain_edge_counts

    # gold keeps "gangguan itu" (40-52) as its own node; the prediction joined it to the outage told first
    gold = {
        "nodes": [
            {"id": "e1", "start": 0, "end": 30},
            {"id": "e2", "start": 40, "end": 52},
            {"id": "e3", "start": 60, "end": 80},
        ],
        "edges": [{"source": "e3", "target": "e2"}],
    }
    told = {"id": "n1", "start": 0, "end": 30, "mentions": [{"start": 0, "end": 30}, {"start": 40, "end": 52}]}
    pred = {"nodes": [told, {"id": "n2", "start": 60, "end": 80}], "edges": [{"source": "n2", "target": "n1"}]}
    assert chain_edge_counts(gold, pred) == (0, 1, 1)
    assert chain_edge_counts(gold, pred, any_mention=True) == (1, 1, 1)
    told["mentions"] = told["mentions"][:1]  # without the joined mention nothing matches e2
    assert chain_edge_counts(gold, pred, any_mention=True) == (0, 1, 1)
