"""Per-language, per-field scores of predicted reports against gold annotations.

Fields and measures (see `corpora/README.md` for the definitions in full):
- providers, affected_services, locations: micro precision / recall / F1 of names;
- mentions by role (provider, affected, location): micro P/R/F1 of entity spans;
- is_incident, start date, duration: accuracy over every document (a null gold value is
  right only when the prediction is null too); duration is right within 10 % or 30 min,
  or when the gold value lies inside a vague prediction's stated range;
- root cause: span accuracy and category accuracy over documents with a gold root cause;
- causal chain: node recall (span match) and edge recall (a gold link counts when the
  predicted graph has a directed path between the predicted nodes matching its ends).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pipeline.evaluation.gold import GoldDocument
from pipeline.evaluation.matching import match_names, spans_match

DURATION_RELATIVE_TOLERANCE = 0.10
DURATION_ABSOLUTE_TOLERANCE = 1800.0
ROLE_FIELDS = {"provider": "providers", "affected": "affected_services", "location": "locations"}


class _Counts:
    def __init__(self) -> None:
        self.prf: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.acc: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add_prf(self, name: str, tp: int, predicted: int, gold: int) -> None:
        counts = self.prf[name]
        counts[0] += tp
        counts[1] += predicted
        counts[2] += gold

    def add_acc(self, name: str, correct: bool) -> None:
        self.acc[name][0] += int(correct)
        self.acc[name][1] += 1

    def scores(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for name, (tp, predicted, gold) in sorted(self.prf.items()):
            precision = tp / predicted if predicted else (1.0 if not gold else 0.0)
            recall = tp / gold if gold else (1.0 if not predicted else 0.0)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out.update({f"{name}.precision": precision, f"{name}.recall": recall, f"{name}.f1": f1})
            out[f"{name}.support"] = gold
        for name, (correct, total) in sorted(self.acc.items()):
            out[f"{name}.accuracy"] = correct / total if total else 0.0
            out[f"{name}.support"] = total
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def evaluate(gold: Iterable[GoldDocument], predictions: dict[str, dict]) -> dict[str, dict[str, float | int]]:
    """Scores per language ('id', 'en') and 'all'; a missing prediction counts as an empty report."""
    counts: dict[str, _Counts] = defaultdict(_Counts)
    for doc in gold:
        predicted = predictions.get(doc.doc_id) or {}
        for bucket in (doc.language, "all"):
            _score_document(counts[bucket], doc.annotation, predicted)
        counts["all"].add_acc("coverage", doc.doc_id in predictions)
    return {lang: c.scores() for lang, c in sorted(counts.items())}


def _score_document(counts: _Counts, gold: dict, pred: dict) -> None:
    counts.add_acc("language", pred.get("language") == gold.get("language"))
    counts.add_acc("is_incident", bool(pred.get("is_incident")) == bool(gold.get("is_incident", True)))
    for field in ROLE_FIELDS.values():
        names = [item.get("name", "") for item in pred.get(field) or []]
        counts.add_prf(field, *match_names(names, gold.get(field) or []))
    for role, field in ROLE_FIELDS.items():
        gold_spans = [(m["start"], m["end"]) for e in gold.get(field) or [] for m in e.get("mentions", [])]
        pred_spans = [(m["start"], m["end"]) for e in pred.get(field) or [] for m in e.get("mentions", [])]
        counts.add_prf(f"mentions.{role}", *_match_spans(pred_spans, gold_spans))
    counts.add_acc("start_date", _date(gold.get("start")) == _date(pred.get("start")))
    counts.add_acc("duration", _duration_correct(gold.get("duration"), pred.get("duration")))
    _score_root_cause(counts, gold.get("root_cause"), pred.get("root_cause"))
    _score_chain(counts, gold.get("causal_chain") or {}, pred.get("causal_chain") or {})


def _date(point: dict | None) -> str | None:
    return (point or {}).get("date")


def duration_close(expected: float, got: float) -> bool:
    """Whether a duration in seconds is within 10 % or 30 minutes of the expected one."""
    return abs(got - expected) <= max(DURATION_RELATIVE_TOLERANCE * expected, DURATION_ABSOLUTE_TOLERANCE)


def _duration_correct(gold: dict | None, pred: dict | None) -> bool:
    if not gold or not pred:
        return not gold and not pred
    expected, got = float(gold["seconds"]), float(pred["seconds"])
    if duration_close(expected, got):
        return True
    low, high = pred.get("min_seconds"), pred.get("max_seconds")
    return bool(gold.get("approximate")) and low is not None and high is not None and low <= expected <= high


def _score_root_cause(counts: _Counts, gold: dict | None, pred: dict | None) -> None:
    if not gold:
        return
    span_ok = (
        bool(pred)
        and pred.get("start") is not None
        and spans_match((gold["start"], gold["end"]), (pred["start"], pred["end"]))
    )
    counts.add_acc("root_cause.span", span_ok)
    counts.add_acc("root_cause.category", bool(pred) and pred.get("category") == gold.get("category"))


def _score_chain(counts: _Counts, gold: dict, pred: dict) -> None:
    gold_nodes = gold.get("nodes") or []
    pred_nodes = pred.get("nodes") or []
    tp_nodes = sum(1 for ids in _node_matches(gold_nodes, pred_nodes).values() if ids)
    counts.add_prf("chain.nodes", tp_nodes, len(pred_nodes), len(gold_nodes))
    counts.add_prf("chain.edges", *chain_edge_counts(gold, pred))
    counts.add_prf("chain.edges_any_mention", *chain_edge_counts(gold, pred, any_mention=True))


def _node_matches(gold_nodes: list[dict], pred_nodes: list[dict], any_mention: bool = False) -> dict[str, set[str]]:
    """Each gold node's id -> the ids of the predicted nodes whose spans match it (with `any_mention`, whose
    span or any of whose `mentions` match it)."""
    return {
        g["id"]: {
            p["id"]
            for p in pred_nodes
            if any(spans_match((g["start"], g["end"]), span) for span in _node_spans(p, any_mention))
        }
        for g in gold_nodes
    }


def _node_spans(node: dict, any_mention: bool) -> list[tuple[int, int]]:
    spans = [(node["start"], node["end"])]
    if any_mention:
        spans += [(m["start"], m["end"]) for m in node.get("mentions") or []]
    return spans


def chain_edge_counts(gold: dict, pred: dict, any_mention: bool = False) -> tuple[int, int, int]:
    """(gold links found, predicted links, gold links): a gold link is found when the predicted graph
    has a directed path between predicted nodes matching its ends (with `any_mention`, a node matches at
    any of its mentions: "gangguan itu" joined to the outage told first still matches a gold node made
    of "gangguan itu"; reported beside the strict figure, `chain.edges_any_mention`)."""
    matches = _node_matches(gold.get("nodes") or [], pred.get("nodes") or [], any_mention)
    successors: dict[str, set[str]] = defaultdict(set)
    for edge in pred.get("edges") or []:
        successors[edge["source"]].add(edge["target"])
    gold_edges = gold.get("edges") or []
    found = sum(
        1
        for e in gold_edges
        if _path_exists(successors, matches.get(e["source"], set()), matches.get(e["target"], set()))
    )
    return found, len(pred.get("edges") or []), len(gold_edges)


def _path_exists(successors: dict[str, set[str]], sources: set[str], targets: set[str]) -> bool:
    frontier, seen = list(sources), set(sources)
    while frontier:
        node = frontier.pop()
        for child in successors.get(node, ()):
            if child in targets:
                return True
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    return False


def _match_spans(predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[int, int, int]:
    used: set[int] = set()
    tp = 0
    for span in predicted:
        for index, target in enumerate(gold):
            if index not in used and spans_match(span, target):
                used.add(index)
                tp += 1
                break
    return tp, len(predicted), len(gold)
