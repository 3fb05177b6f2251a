"""Causal graphs from reports: one per report, one merged per corpus, and every writer read back."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from pipeline.cli import main
from pipeline.graph import corpus_graph, normalize_label, report_graph, write_graph
from pipeline.graph_draw import layout
from pipeline.schema import IncidentReport

AWS_EN = (
    "AWS outage\nA race condition in DynamoDB DNS automation deleted the endpoint record. "
    "The empty DNS record caused a DynamoDB outage. The DynamoDB outage took Roblox offline. "
    "Engineers restored the DNS record."
)
AWS_ID = (
    "Gangguan AWS\nKondisi balapan pada otomatisasi DNS menghapus catatan DynamoDB. "
    "Hal itu memicu DynamoDB outage. Gangguan itu melumpuhkan Roblox."
)
CF_EN = "Cloudflare outage\nA bad feature file caused a proxy failure. The proxy failure took Roblox offline."


def _report(doc_id: str, language: str, provider: str, text: str, category: str, nodes: list, edges: list) -> dict:
    """A report with chain nodes `(id, span, label, type)` and edges `(source, target, cue, evidence)`."""
    chain_nodes = []
    for node_id, span, label, node_type in nodes:
        start = text.index(span)
        chain_nodes.append(
            {"id": node_id, "text": span, "label": label, "type": node_type, "start": start, "end": start + len(span)}
        )
    chain_edges = []
    for source, target, cue, evidence in edges:
        start = text.index(evidence)
        chain_edges.append(
            {
                "source": source,
                "target": target,
                "cue": cue,
                "evidence": evidence,
                "evidence_start": start,
                "evidence_end": start + len(evidence),
                "confidence": 0.8,
            }
        )
    root = next(n for n in chain_nodes if n["type"] == "root_cause")
    report = {
        "doc_id": doc_id,
        "language": language,
        "title": text.split("\n")[0],
        "published": "2025-10-21",
        "is_incident": True,
        "providers": [{"name": provider}],
        "start": {"date": "2025-10-20", "text": "Monday"},
        "root_cause": {"text": root["text"], "category": category, "start": root["start"], "end": root["end"]},
        "causal_chain": {"nodes": chain_nodes, "edges": chain_edges},
        "text": text,
    }
    return IncidentReport.model_validate(report).model_dump(mode="json")


REPORTS = [
    _report(
        "en-aws",
        "en",
        "AWS",
        AWS_EN,
        "dns",
        [
            ("e1", "A race condition in DynamoDB DNS automation", "race condition in DNS automation", "root_cause"),
            ("e2", "The empty DNS record", "empty DNS record", "trigger"),
            ("e3", "a DynamoDB outage", "DynamoDB outage", "failure"),
            ("e4", "took Roblox offline", "Roblox offline", "impact"),
            ("e5", "Engineers restored the DNS record", "DNS record restored", "mitigation"),
        ],
        [
            ("e1", "e2", "deleted", "A race condition in DynamoDB DNS automation deleted the endpoint record."),
            ("e2", "e3", "caused", "The empty DNS record caused a DynamoDB outage."),
            ("e3", "e4", "took", "The DynamoDB outage took Roblox offline."),
        ],
    ),
    _report(
        "id-aws",
        "id",
        "Amazon Web Services",
        AWS_ID,
        "dns",
        [
            ("e1", "Kondisi balapan pada otomatisasi DNS", "kondisi balapan otomatisasi DNS", "root_cause"),
            ("e2", "DynamoDB outage", "DynamoDB outage!", "failure"),
            ("e3", "melumpuhkan Roblox", "Roblox offline", "impact"),
        ],
        [
            ("e1", "e2", "memicu", "Hal itu memicu DynamoDB outage."),
            ("e2", "e3", "melumpuhkan", "Gangguan itu melumpuhkan Roblox."),
        ],
    ),
    _report(
        "en-cf",
        "en",
        "Cloudflare",
        CF_EN,
        "config_change",
        [
            ("e1", "A bad feature file", "bad feature file", "root_cause"),
            ("e2", "a proxy failure", "proxy failure", "failure"),
            ("e3", "took Roblox offline", "Roblox offline", "impact"),
        ],
        [
            ("e1", "e2", "caused", "A bad feature file caused a proxy failure."),
            ("e2", "e3", "took", "The proxy failure took Roblox offline."),
        ],
    ),
]


@pytest.fixture(scope="module")
def merged() -> nx.DiGraph:
    return corpus_graph(REPORTS)


def test_graph_report_graph_keeps_nodes_edges_and_evidence() -> None:
    graph = report_graph(IncidentReport.model_validate(REPORTS[0]))
    assert sorted(graph) == ["e1", "e2", "e3", "e4", "e5"]
    assert graph.nodes["e1"]["type"] == "root_cause" and graph.nodes["e1"]["category"] == "dns"
    assert AWS_EN[graph.nodes["e3"]["start"] : graph.nodes["e3"]["end"]] == "a DynamoDB outage"
    edge = graph.edges["e2", "e3"]
    assert (edge["cue"], edge["confidence"], edge["doc_id"]) == ("caused", 0.8, "en-aws")
    assert AWS_EN[edge["evidence_start"] : edge["evidence_end"]] == edge["evidence"]


def test_graph_report_graph_accepts_gold_style_dicts_without_labels() -> None:
    gold = {
        "doc_id": "g",
        "causal_chain": {
            "nodes": [
                {"id": "e1", "text": "one two three four five six seven eight nine ten", "type": "root_cause"},
                {"id": "e2", "text": "outage", "type": "failure"},
            ],
            "edges": [{"source": "e1", "target": "e2", "cue": "x"}],
        },
    }
    graph = report_graph(gold)
    assert graph.nodes["e1"]["label"] == "one two three four five six seven eight …"
    assert graph.edges["e1", "e2"]["evidence"] == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DynamoDB outage!", "dynamodb outage"),
        ("  Gangguan   layanan ", "gangguan layanan"),
        ("Pemadaman é", "pemadaman e"),
    ],
)
def test_graph_normalize_label(text: str, expected: str) -> None:
    assert normalize_label(text) == expected


def test_graph_corpus_merges_equal_events_across_languages(merged: nx.DiGraph) -> None:
    outage = next(n for n, a in merged.nodes(data=True) if a["label"].startswith("DynamoDB outage"))
    assert merged.nodes[outage]["doc_ids"] == ["en-aws", "id-aws"]
    assert {(m["doc_id"], m["node"]) for m in merged.nodes[outage]["mentions"]} == {("en-aws", "e3"), ("id-aws", "e2")}
    # Root causes worded differently merge on provider + category + month.
    roots = [n for n, a in merged.nodes(data=True) if a["type"] == "root_cause"]
    assert len(roots) == 2
    aws_root = next(n for n in roots if merged.nodes[n]["category"] == "dns")
    assert merged.nodes[aws_root]["doc_ids"] == ["en-aws", "id-aws"]
    # "Roblox offline" is one event per provider, not one across providers.
    roblox = [n for n, a in merged.nodes(data=True) if a["label"] == "Roblox offline"]
    assert len(roblox) == 2
    edge = merged.edges[outage, next(n for n in roblox if merged.nodes[n]["doc_ids"] == ["en-aws", "id-aws"])]
    assert edge["doc_ids"] == ["en-aws", "id-aws"] and edge["count"] == 2
    assert sorted(e["evidence"] for e in edge["evidence"]) == [
        "Gangguan itu melumpuhkan Roblox.",
        "The DynamoDB outage took Roblox offline.",
    ]
    assert edge["cues"] == ["melumpuhkan", "took"]


def test_graph_corpus_without_provider_scope_merges_across_providers() -> None:
    graph = corpus_graph(REPORTS, by_provider=False)
    roblox = [n for n, a in graph.nodes(data=True) if a["label"] == "Roblox offline"]
    assert len(roblox) == 1 and graph.nodes[roblox[0]]["doc_ids"] == ["en-aws", "en-cf", "id-aws"]


def test_graph_layout_puts_types_left_to_right_and_mitigation_below() -> None:
    graph = report_graph(REPORTS[0])
    pos = layout(graph)
    xs = [pos[n][0] for n in ("e1", "e2", "e3", "e4")]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert pos["e5"][1] < min(pos[n][1] for n in ("e1", "e2", "e3", "e4"))


def test_graph_writes_graphml_read_back(merged: nx.DiGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    assert write_graph(merged, path) == "graphml"
    back = nx.read_graphml(path)
    assert sorted(back) == sorted(merged) and back.number_of_edges() == merged.number_of_edges()
    node = next(n for n in back if back.nodes[n]["label"] == "DynamoDB outage")
    assert json.loads(back.nodes[node]["doc_ids"]) == ["en-aws", "id-aws"]


def test_graph_writes_node_link_json_read_back(merged: nx.DiGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    write_graph(merged, path)
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert nx.utils.graphs_equal(back, merged)


def test_graph_writes_dot_with_every_edge(merged: nx.DiGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.dot"
    write_graph(merged, path)
    dot = path.read_text(encoding="utf-8")
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    for source, target in merged.edges:
        assert f'"{source}" -> "{target}"' in dot


def test_graph_writes_png_and_svg(merged: nx.DiGraph, tmp_path: Path) -> None:
    write_graph(merged, tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    write_graph(merged, tmp_path / "g.svg")
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "DynamoDB outage" in svg


def test_graph_writes_standalone_html(merged: nx.DiGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.html"
    write_graph(merged, path, "html")
    page = path.read_text(encoding="utf-8")
    assert "<svg" in page
    for fetch in ("<script", "<link", "src=", 'href="http', "url(http", "@import"):
        assert fetch not in page
    for label in (
        "DynamoDB outage",
        "Roblox offline",
        "proxy failure",
        "The empty DNS record caused a DynamoDB outage.",
    ):
        assert label in page


def test_graph_cli_draws_one_report_or_the_corpus(tmp_path: Path) -> None:
    reports = tmp_path / "reports.jsonl"
    reports.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    assert main(["graph", str(reports), "-o", str(tmp_path / "all.json")]) == 0
    corpus = nx.node_link_graph(json.loads((tmp_path / "all.json").read_text(encoding="utf-8")), edges="edges")
    assert corpus.number_of_nodes() == corpus_graph(REPORTS).number_of_nodes()
    assert main(["graph", str(reports), "-o", str(tmp_path / "one.out"), "--format", "dot", "--doc-id", "id-aws"]) == 0
    assert (tmp_path / "one.out").read_text(encoding="utf-8").count("->") == 2
    assert main(["graph", str(reports), "-o", str(tmp_path / "x.out")]) == 2  # no format from the suffix
    assert main(["graph", str(reports), "-o", str(tmp_path / "y.json"), "--doc-id", "missing"]) == 2


def _with_inferred_link(report: dict, source: str, target: str) -> dict:
    """The report with one more link, inferred by the chain linker (no cue, method "model")."""
    text = report["text"]
    edge = {
        "source": source,
        "target": target,
        "cue": None,
        "evidence": text,
        "evidence_start": 0,
        "evidence_end": len(text),
        "confidence": 0.4,
        "method": "model",
    }
    chain = {**report["causal_chain"], "edges": [*report["causal_chain"]["edges"], edge]}
    return IncidentReport.model_validate({**report, "causal_chain": chain}).model_dump(mode="json")


def test_graph_marks_links_only_the_linker_inferred(tmp_path: Path) -> None:
    report = _with_inferred_link(REPORTS[0], "e1", "e4")
    graph = corpus_graph([report])
    methods = {(graph.nodes[u]["label"], graph.nodes[v]["label"]): a["method"] for u, v, a in graph.edges(data=True)}
    assert methods[("race condition in DNS automation", "Roblox offline")] == "model"
    assert methods[("empty DNS record", "DynamoDB outage")] == "rule"
    write_graph(graph, tmp_path / "g.dot")
    dashed = [line for line in (tmp_path / "g.dot").read_text(encoding="utf-8").splitlines() if "style=dashed" in line]
    assert len(dashed) == 1 and "roblox offline" in dashed[0].lower()
    write_graph(graph, tmp_path / "g.html", "html")
    assert "(inferred)" in (tmp_path / "g.html").read_text(encoding="utf-8")
    # a link that a cue states in another report is no longer only inferred
    stated = _with_inferred_link(REPORTS[0], "e1", "e2")
    merged = corpus_graph([stated, REPORTS[0]])
    assert all(a["method"] == "rule" for _, _, a in merged.edges(data=True))
