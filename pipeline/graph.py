"""Causal-chain graphs (networkx) from finished reports: one per report, one for a corpus, and their writers.

Graphs are built from `IncidentReport` objects or plain report dicts (a JSONL line, or a
gold annotation whose nodes lack labels), never from spaCy Docs [textacy
`representations/network.py` works the same way on finished data].

Node attributes: `label`, `text`, `type` (root_cause, trigger, failure, impact, mitigation),
`start`/`end` offsets, `doc_id`; root-cause nodes also carry `category`. Edge attributes:
`cue`, `confidence`, `evidence` (the sentence stating the link), `evidence_start`/`evidence_end`.

In the corpus graph a node is an event shared by reports: nodes merge when their
normalised labels are equal under the same provider, and the root-cause nodes of reports
with the same provider, root-cause category and month merge into one. Merged nodes keep
`doc_ids` and `mentions` (doc id, node id, text, offsets); merged edges keep `doc_ids` and
`evidence` (one item per report stating the link).

Writers: GraphML, node-link JSON, DOT, PNG/SVG (matplotlib, layered left to right by
node type) and a standalone HTML page; `write_graph(graph, path, fmt)` picks by format.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel

from pipeline.errors import Errors, InsidenError

NODE_TYPES: tuple[str, ...] = ("root_cause", "trigger", "failure", "impact", "mitigation")
LABEL_WORDS = 8
_PUNCT = re.compile(r"[^\w\s]+")


def as_report_dict(report: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """A report as a plain dict (pydantic models are dumped in JSON mode)."""
    if isinstance(report, BaseModel):
        return report.model_dump(mode="json")
    return dict(report)


def normalize_label(text: str) -> str:
    """Case-folded label without diacritics, punctuation or repeated spaces: the key equal events share."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_PUNCT.sub(" ", folded).split())


def short_label(text: str) -> str:
    """The first words of an event's text, for nodes that come without a label."""
    words = text.split()
    return " ".join(words[:LABEL_WORDS]) + (" …" if len(words) > LABEL_WORDS else "")


def report_graph(report: BaseModel | Mapping[str, Any]) -> nx.DiGraph:
    """The causal chain of one report as a DiGraph keyed by the chain's node ids.

    Args:
        report: An `IncidentReport` or a report dict.

    Returns:
        A graph with report-level attributes (`doc_id`, `language`, `title`, `provider`,
        `root_cause_category`) and the node and edge attributes listed in the module docstring.
    """
    data = as_report_dict(report)
    doc_id = str(data.get("doc_id") or "")
    root = data.get("root_cause") or {}
    chain = data.get("causal_chain") or {}
    providers = [p.get("name", "") for p in data.get("providers") or [] if p.get("name")]
    graph = nx.DiGraph(
        doc_id=doc_id,
        language=data.get("language") or "",
        title=data.get("title") or "",
        provider=providers[0] if providers else "",
        root_cause_category=root.get("category") or "",
    )
    for node in chain.get("nodes") or []:
        text = node.get("text") or ""
        attrs: dict[str, Any] = {
            "text": text,
            "label": node.get("label") or short_label(text),
            "type": node.get("type") or "failure",
            "start": node.get("start"),
            "end": node.get("end"),
            "doc_id": doc_id,
        }
        if attrs["type"] == "root_cause" and root.get("category"):
            attrs["category"] = root["category"]
        graph.add_node(node["id"], **{k: v for k, v in attrs.items() if v is not None})
    for edge in chain.get("edges") or []:
        if edge["source"] not in graph or edge["target"] not in graph:
            continue
        attrs = {
            "cue": edge.get("cue") or "",
            "confidence": float(edge.get("confidence", 1.0)),
            "evidence": edge.get("evidence") or "",
            "evidence_start": edge.get("evidence_start"),
            "evidence_end": edge.get("evidence_end"),
            "method": edge.get("method") or "",
            "doc_id": doc_id,
        }
        graph.add_edge(edge["source"], edge["target"], **{k: v for k, v in attrs.items() if v is not None})
    return graph


def _report_month(data: Mapping[str, Any]) -> str:
    start = data.get("start") or {}
    date = start.get("date") or (start.get("datetime") or "")[:10] or data.get("published") or ""
    return date[:7]


def _node_key(graph: nx.DiGraph, node: str, scope: str, month: str) -> str:
    attrs = graph.nodes[node]
    category = attrs.get("category")
    if attrs["type"] == "root_cause" and scope and category and category != "unknown":
        # Articles word one root cause differently; within one provider and month the
        # category is what identifies it.
        return f"{scope}|root_cause:{category}:{month}"
    return f"{scope}|{normalize_label(attrs['label']) or normalize_label(attrs['text'])}"


def corpus_graph(reports: Iterable[BaseModel | Mapping[str, Any]], *, by_provider: bool = True) -> nx.DiGraph:
    """One graph over many reports, merging equal events.

    Args:
        reports: `IncidentReport` objects or report dicts.
        by_provider: Merge equal labels only under the same (canonical) provider, so that
            "services went down" at two companies stays two nodes.

    Returns:
        A graph keyed by `<provider>|<normalised label>`; nodes carry `doc_ids`, `count`
        and `mentions`, edges `doc_ids`, `count`, `cues` and `evidence` (lists, sorted).
    """
    from pipeline.merge import provider_key

    members: dict[str, list[dict[str, Any]]] = {}
    links: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for report in reports:
        data = as_report_dict(report)
        graph = report_graph(data)
        doc_id = graph.graph["doc_id"]
        scope = provider_key(graph.graph["provider"]) if by_provider and graph.graph["provider"] else ""
        keys = {n: _node_key(graph, n, scope, _report_month(data)) for n in graph}
        for node, attrs in graph.nodes(data=True):
            members.setdefault(keys[node], []).append({**attrs, "node": node, "provider": graph.graph["provider"]})
        for source, target, attrs in graph.edges(data=True):
            if keys[source] != keys[target]:
                links.setdefault((keys[source], keys[target]), []).append({**attrs, "doc_id": doc_id})
    merged = nx.DiGraph(name="insiden corpus graph")
    for key in sorted(members):
        merged.add_node(key, **_merge_nodes(members[key]))
    for source, target in sorted(links):
        merged.add_edge(source, target, **_merge_edges(links[(source, target)]))
    return merged


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else ""


def _merge_nodes(items: list[dict[str, Any]]) -> dict[str, Any]:
    items = sorted(items, key=lambda a: (a["doc_id"], a["node"]))
    types = Counter(a["type"] for a in items)
    attrs = {
        "label": _most_common(a["label"] for a in items),
        "text": _most_common(a["text"] for a in items),
        "type": min(types, key=lambda t: (-types[t], NODE_TYPES.index(t) if t in NODE_TYPES else len(NODE_TYPES))),
        "provider": _most_common(a["provider"] for a in items),
        "doc_ids": sorted({a["doc_id"] for a in items}),
        "count": len(items),
        "mentions": [{k: a.get(k) for k in ("doc_id", "node", "text", "start", "end")} for a in items],
    }
    category = _most_common(a.get("category", "") for a in items)
    if category:
        attrs["category"] = category
    return attrs


def _merged_method(methods: list[str]) -> str:
    """The method of merged links: the most common stated one, "model" when the linker alone inferred all."""
    stated = [m for m in methods if m != "model"]
    return _most_common(stated) if stated else "model"


def _merge_edges(items: list[dict[str, Any]]) -> dict[str, Any]:
    items = sorted(items, key=lambda a: (a["doc_id"], a.get("evidence_start") or 0))
    return {
        "cue": _most_common(a.get("cue", "") for a in items),
        "cues": sorted({a["cue"] for a in items if a.get("cue")}),
        "method": _merged_method([a.get("method", "") for a in items]),
        "confidence": max(a.get("confidence", 1.0) for a in items),
        "doc_ids": sorted({a["doc_id"] for a in items}),
        "count": len(items),
        "evidence": [
            {k: a.get(k) for k in ("doc_id", "cue", "confidence", "evidence", "evidence_start", "evidence_end")}
            for a in items
        ],
    }


# -- writers ------------------------------------------------------------------


def _flat(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """GraphML holds scalars only: lists and dicts become JSON strings, None is left out."""
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        out[key] = json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, list | dict) else value
    return out


def write_graphml(graph: nx.DiGraph, path: str | Path) -> None:
    """GraphML; list-valued attributes (`doc_ids`, `mentions`, `evidence`) are stored as JSON strings."""
    flat = nx.DiGraph(**_flat(graph.graph))
    flat.add_nodes_from((n, _flat(a)) for n, a in graph.nodes(data=True))
    flat.add_edges_from((u, v, _flat(a)) for u, v, a in graph.edges(data=True))
    nx.write_graphml(flat, str(path), encoding="utf-8")


def node_link(graph: nx.DiGraph) -> dict[str, Any]:
    """The node-link dict (`nodes`, `edges`); read back with `nx.node_link_graph(data, edges="edges")`."""
    return nx.node_link_data(graph, edges="edges")


def write_json(graph: nx.DiGraph, path: str | Path) -> None:
    """Node-link JSON."""
    text = json.dumps(node_link(graph), ensure_ascii=False, indent=1, sort_keys=True)
    Path(path).write_text(text + "\n", encoding="utf-8")


def _dot_quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def inferred(attrs: dict[str, Any]) -> bool:
    """Whether a link was inferred by the chain linker alone (no cue states it): drawn dashed."""
    return attrs.get("method") == "model"


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT text (left to right, nodes filled by type, edges labelled with their cue, dashed when
    only the chain linker inferred them)."""
    from pipeline.graph_draw import TYPE_COLOURS, wrap_label

    lines = [
        "digraph insiden {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    for node, attrs in graph.nodes(data=True):
        colour = TYPE_COLOURS.get(attrs.get("type", ""), TYPE_COLOURS["other"])
        label = wrap_label(attrs.get("label") or str(node))
        tooltip = attrs.get("text") or ""
        lines.append(
            f"  {_dot_quote(node)} [label={_dot_quote(label)}, fillcolor={_dot_quote(colour)}, "
            f"tooltip={_dot_quote(tooltip)}, type={_dot_quote(attrs.get('type', ''))}];"
        )
    for source, target, attrs in graph.edges(data=True):
        cue = attrs.get("cue") or ""
        width = 0.5 + 2.0 * float(attrs.get("confidence", 1.0))
        style = ", style=dashed" if inferred(attrs) else ""
        lines.append(
            f"  {_dot_quote(source)} -> {_dot_quote(target)} [label={_dot_quote(cue)}, penwidth={width:.2f}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(graph: nx.DiGraph, path: str | Path) -> None:
    """Graphviz DOT (written directly; pygraphviz is not needed)."""
    Path(path).write_text(to_dot(graph), encoding="utf-8")


def _write_png(graph: nx.DiGraph, path: str | Path) -> None:
    from pipeline.graph_draw import render

    Path(path).write_bytes(render(graph, "png"))


def _write_svg(graph: nx.DiGraph, path: str | Path) -> None:
    from pipeline.graph_draw import render

    Path(path).write_bytes(render(graph, "svg"))


def _write_html(graph: nx.DiGraph, path: str | Path) -> None:
    from pipeline.graph_draw import to_html

    Path(path).write_text(to_html(graph), encoding="utf-8")


WRITERS = {
    "graphml": write_graphml,
    "json": write_json,
    "dot": write_dot,
    "png": _write_png,
    "svg": _write_svg,
    "html": _write_html,
}
SUFFIX_FORMATS = {
    ".graphml": "graphml",
    ".json": "json",
    ".dot": "dot",
    ".gv": "dot",
    ".png": "png",
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The output format: `fmt` when given, else the one the file suffix names."""
    if fmt:
        if fmt not in WRITERS:
            raise InsidenError(Errors.E020.format(fmt=fmt, choices=", ".join(WRITERS)))
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise InsidenError(
            Errors.E020.format(fmt=Path(path).suffix, choices=", ".join(SUFFIX_FORMATS)) + "; pass --format"
        )
    return SUFFIX_FORMATS[suffix]


def write_graph(graph: nx.DiGraph, path: str | Path, fmt: str | None = None) -> str:
    """Write `graph` to `path` in `fmt` (default: from the suffix); returns the format used."""
    chosen = format_for(path, fmt)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    WRITERS[chosen](graph, path)
    return chosen
