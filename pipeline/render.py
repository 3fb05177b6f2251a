"""HTML view of one incident report for Jupyter: highlighted text, a table of facts, the causal chain as SVG.

`report_to_html(report)` builds the view; `IncidentReport` gets it as `_repr_html_` through
`ReportHtmlMixin`, so a report shown in a notebook cell renders itself. The text view is
displaCy's span markup (`spacy.displacy.render(style="span", manual=True)`): entity mentions
and causal-chain nodes are spans over whitespace tokens, so overlapping spans stack instead of
being dropped. The chain is drawn as inline SVG, laid out by `pipeline.graph_draw.layout`
(layered left to right by node type), with no graphviz.

This module imports nothing from `pipeline.schema` at run time, because `schema.py` imports the
mixin from here.
"""

from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.schema import CausalChain, ChainEdge, ChainNode, IncidentReport

NODE_TYPES = ("root_cause", "trigger", "failure", "impact", "mitigation")
"""Chain node types; in the text view their spans are labelled with the upper-cased type."""
ENTITY_COLORS: dict[str, str] = {
    "PROVIDER": "#7aecec",
    "SERVICE": "#bfeeb7",
    "CLOUD_REGION": "#feca74",
    "AVAILABILITY_ZONE": "#feca74",
    "PLACE": "#ff9561",
}
"""Colours of insiden's own entity labels; spaCy's defaults cover ORG, PRODUCT, PERSON, EVENT, ..."""

_TOKEN = re.compile(r"\S+")
_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _MARGIN = 180, 50, 80, 18, 12
_LABEL_CHARS, _LABEL_LINES = 26, 3


class ReportHtmlMixin:
    """Gives `IncidentReport` its notebook rendering (a plain mixin: no fields, no schema change)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return report_to_html(self)  # type: ignore[arg-type]


def report_to_html(report: IncidentReport) -> str:
    """The whole view of one report: header, highlighted text, facts table and chain drawing.

    Every piece of text from the report is HTML-escaped.
    """
    uid = "insiden-" + hashlib.blake2b(report.doc_id.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    title = report.title or report.doc_id
    parts = [
        f'<div class="insiden-report" id="{uid}" style="font-family: sans-serif; max-width: 1100px">',
        f'<h3 style="margin: 0.2em 0">{html.escape(title)}</h3>',
        f'<p style="color: #555; margin: 0 0 0.5em 0">{html.escape(report.doc_id)} · {html.escape(report.language)}'
        f"{' · not an incident' if not report.is_incident else ''}</p>",
        facts_table(report),
        '<h4 style="margin: 0.8em 0 0.2em 0">Causal chain</h4>',
        chain_svg(report.causal_chain, uid=uid),
        '<h4 style="margin: 0.8em 0 0.2em 0">Text</h4>',
        text_html(report, uid=uid),
        "</div>",
    ]
    return "\n".join(parts)


def highlight_spans(report: IncidentReport) -> list[tuple[int, int, str, str]]:
    """The spans the text view highlights: (start, end, LABEL, note), entities first, then chain nodes.

    Entities carry their label (PROVIDER, SERVICE, ...) and kb id; chain nodes carry their
    type upper-cased (ROOT_CAUSE, TRIGGER, FAILURE, IMPACT, MITIGATION) and node id, at each of
    their mentions ("the outage" joined to the event it restates is highlighted as that node).
    """
    spans = [(e.start, e.end, e.label.upper(), e.kb_id or "") for e in report.entities]
    spans += [(m.start, m.end, n.type.upper(), n.id) for n in report.causal_chain.nodes for m in (n.mentions or [n])]
    return [span for span in spans if span[1] > span[0]]


def text_html(report: IncidentReport, *, uid: str = "insiden") -> str:
    """The report text with entity and chain-node spans highlighted in displaCy span style.

    The text is rendered one line at a time, so line and paragraph breaks survive; a span
    that runs over a line break is drawn on each line it covers.
    """
    text = report.text
    if not text:
        return '<p style="color: #888">(the report carries no text: it was extracted with --no-text)</p>'
    from spacy import displacy

    from pipeline.graph_draw import TYPE_COLOURS

    spans = highlight_spans(report)
    blocks = [_block(match.start(), match.group(), spans, uid) for match in re.finditer(r"[^\n]+", text)]
    blocks = [block for block in blocks if block["tokens"]]
    colors = {**{t.upper(): TYPE_COLOURS[t] for t in NODE_TYPES}, **ENTITY_COLORS}
    markup = displacy.render(blocks, style="span", manual=True, jupyter=False, options={"colors": colors})
    return f'<div class="insiden-text">{markup}</div>'


def _block(offset: int, line: str, spans: Sequence[tuple[int, int, str, str]], uid: str) -> dict:
    """One line as displaCy's manual span input: whitespace tokens and token-indexed spans."""
    tokens = [(offset + m.start(), offset + m.end(), m.group()) for m in _TOKEN.finditer(line)]
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    block_spans = []
    for start, end, label, note in spans:
        first = bisect_right(ends, start)  # first token ending after the span starts
        last = bisect_left(starts, end)  # tokens before this one start before the span ends
        if first < last:
            span = {"start_token": first, "end_token": last, "label": label}
            if note:
                # displaCy shows kb_id as a link; chain nodes link to their box in the drawing.
                span.update(kb_id=note, kb_url=f"#{uid}-{note}" if label.lower() in NODE_TYPES else "#")
            block_spans.append(span)
    return {"text": line, "tokens": [t[2] for t in tokens], "spans": block_spans}


def facts_table(report: IncidentReport) -> str:
    """The report's main facts as a two-column HTML table."""
    rows = [
        ("Provider", "; ".join(p.name for p in report.providers)),
        ("Affected", "; ".join(s.name for s in report.affected_services)),
        ("Locations", "; ".join(loc.code or loc.name for loc in report.locations)),
        ("Published", report.published or ""),
        ("Start", _time_point(report.start)),
        ("End", _time_point(report.end)),
        ("Duration", _duration(report)),
        ("Root cause", _root_cause(report)),
        ("Chain", f"{len(report.causal_chain.nodes)} nodes, {len(report.causal_chain.edges)} edges"),
        ("Language", f"{report.language} ({report.language_confidence:.2f})"),
        ("Warnings", "; ".join(f"{w.code} {w.message}" for w in report.warnings)),
    ]
    cells = "".join(
        f'<tr><th style="text-align: left; padding: 2px 8px">{html.escape(name)}</th>'
        f'<td style="text-align: left; padding: 2px 8px">{html.escape(value) or "–"}</td></tr>'
        for name, value in rows
    )
    return f'<table class="insiden-facts" style="border-collapse: collapse; font-size: 0.9em">{cells}</table>'


def _duration(report: IncidentReport) -> str:
    duration = report.duration
    if duration is None:
        return ""
    return f"{'~' if duration.approximate else ''}{duration.seconds / 3600:.1f} h ({duration.text})"


def _root_cause(report: IncidentReport) -> str:
    root = report.root_cause
    if root is None:
        return ""
    return f"{root.category}: {root.text}" + (" (speculative)" if root.speculative else "")


def _time_point(point) -> str:
    if point is None:
        return ""
    when = point.datetime or point.date or ""
    return f"{when} ({point.text})" if when else point.text


def chain_svg(chain: CausalChain, *, uid: str = "insiden") -> str:
    """The causal chain as an inline SVG: boxes coloured by node type, arrows labelled with their cue.

    Positions come from `pipeline.graph_draw.layout` (layered left to right by node type,
    mitigations in a row below), the same layout as the matplotlib drawings of `insiden graph`.
    Each box carries `id="<uid>-<node id>"` and a tooltip with the node's full text; each
    arrow a tooltip with its evidence sentence.
    """
    if not chain.nodes:
        return '<p style="color: #888">(no causal chain found)</p>'
    import networkx as nx

    from pipeline.graph_draw import TYPE_COLOURS, layout

    nodes = {node.id: node for node in chain.nodes}
    graph = nx.DiGraph()
    graph.add_nodes_from((node.id, {"type": node.type, "label": node.label}) for node in chain.nodes)
    graph.add_edges_from((e.source, e.target) for e in chain.edges if e.source in nodes and e.target in nodes)
    positions = layout(graph)
    min_x = min(x for x, _ in positions.values())
    max_x = max(x for x, _ in positions.values())
    max_y = max(y for _, y in positions.values())
    min_y = min(y for _, y in positions.values())
    width = round(2 * _MARGIN + (max_x - min_x) * (_BOX_W + _GAP_X) + _BOX_W)
    height = round(2 * _MARGIN + (max_y - min_y) * (_BOX_H + _GAP_Y) + _BOX_H + 24)
    corners = {
        node_id: (
            round(_MARGIN + (x - min_x) * (_BOX_W + _GAP_X)),
            round(_MARGIN + (max_y - y) * (_BOX_H + _GAP_Y)),
        )
        for node_id, (x, y) in positions.items()
    }
    parts = [
        f'<svg class="insiden-chain" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    parts += [_edge_svg(edge, corners, uid) for edge in chain.edges if edge.source in nodes and edge.target in nodes]
    parts += [_node_svg(node, corners[node.id], TYPE_COLOURS, uid) for node in chain.nodes]
    legend_y = height - 8
    for i, kind in enumerate(NODE_TYPES):
        x = _MARGIN + i * 95
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{TYPE_COLOURS[kind]}" stroke="#444"/>'
            f'<text x="{x + 14}" y="{legend_y}">{kind}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _edge_svg(edge: ChainEdge, corners: dict[str, tuple[int, int]], uid: str) -> str:
    (sx, sy), (tx, ty) = corners[edge.source], corners[edge.target]
    x1, y1 = sx + _BOX_W, sy + _BOX_H // 2
    x2, y2 = tx, ty + _BOX_H // 2
    if tx <= sx:  # same column or backwards (a cycle, a mitigation): leave from the bottom instead
        x1, y1 = sx + _BOX_W // 2, sy + _BOX_H
    bend = max(30, abs(x2 - x1) // 2)
    tooltip = html.escape(f"{edge.cue or 'link'} ({edge.confidence:.2f}): {edge.evidence.strip()}")
    cue = (
        f'<text x="{(x1 + x2) // 2}" y="{(y1 + y2) // 2 - 4}" text-anchor="middle" fill="#333" '
        f'font-style="italic">{html.escape(_shorten(edge.cue, 22))}</text>'
        if edge.cue
        else ""
    )
    return (
        f'<g class="insiden-edge"><title>{tooltip}</title>'
        f'<path d="M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}" fill="none" stroke="#555" '
        f'stroke-width="1.5" marker-end="url(#{uid}-arrow)"/>{cue}</g>'
    )


def _node_svg(node: ChainNode, corner: tuple[int, int], colours: dict[str, str], uid: str) -> str:
    x, y = corner
    lines = _wrap(node.label or node.text, _LABEL_CHARS, _LABEL_LINES)
    first_y = y + _BOX_H // 2 - (len(lines) - 1) * 6 + 4
    text = "".join(
        f'<tspan x="{x + _BOX_W // 2}" y="{first_y + i * 12}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="insiden-node" id="{uid}-{html.escape(node.id)}"><title>'
        f"{html.escape(f'{node.id} {node.type}: {node.text}')}</title>"
        f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
        f'fill="{colours.get(node.type, colours["other"])}" stroke="#444"/>'
        f'<text text-anchor="middle" fill="#000">{text}</text></g>'
    )


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines; an ellipsis marks text left out."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    lines = [_shorten(line, width) for line in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip(" …") + "…"
    return lines


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
