"""Drawings of causal graphs for people: a layered matplotlib figure (PNG/SVG) and a standalone HTML page.

The layout is layered left to right by node type, root_cause -> trigger -> failure ->
impact; a cascade inside one type (failure -> failure) opens extra columns within that
type's band, so arrows keep pointing right. Mitigations are not links in the chain: they
sit in a row of their own under it. matplotlib is imported only here, through `Figure`
(never pyplot), so drawing neither needs a display nor changes the backend of a notebook.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections import defaultdict
from typing import Any

import networkx as nx

from pipeline.errors import Errors, InsidenError
from pipeline.graph import inferred

LAYER_ORDER: tuple[str, ...] = ("root_cause", "trigger", "failure", "impact")
TYPE_COLOURS: dict[str, str] = {
    "root_cause": "#f4a6a6",
    "trigger": "#fcd29f",
    "failure": "#fff0a0",
    "impact": "#b9d6f2",
    "mitigation": "#bfe5c2",
    "other": "#dddddd",
}
WRAP_WIDTH = 22
WRAP_LINES = 3
COLUMN_WIDTH = 2.7  # inches per layer column
ROW_HEIGHT = 1.0  # inches per node row
MAX_INCHES = 60.0
MAX_DRAW_NODES = 150  # beyond this a drawing is unreadable: draw the most-reported chains, tables keep all
DPI = 110
FONT_SIZE = 8
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)  # RDF boilerplate, no use inline


def wrap_label(label: str, width: int = WRAP_WIDTH, lines: int = WRAP_LINES) -> str:
    """A label wrapped onto at most `lines` lines of `width` characters."""
    return "\n".join(textwrap.wrap(label, width=width, max_lines=lines, placeholder=" …")) or label


def layout(graph: nx.DiGraph) -> dict[Any, tuple[float, float]]:
    """Positions (column, row) of every node: layered by type, one connected chain under the other.

    Columns are shared by the whole graph, so every root cause lines up on the left; each
    weakly connected component (largest first) gets its own rows, and its mitigations a
    row under it.
    """
    main = [n for n in graph if graph.nodes[n].get("type") != "mitigation"]
    band = {n: _band(graph.nodes[n].get("type")) for n in main}
    depth = _depth_within_band(graph, main, band)
    widths: dict[int, int] = defaultdict(int)
    for node in main:
        widths[band[node]] = max(widths[band[node]], depth[node] + 1)
    offsets, total = {}, 0
    for b in sorted(widths):
        offsets[b], total = total, total + widths[b]
    column = {n: offsets[band[n]] + depth[n] for n in main}
    pos: dict[Any, tuple[float, float]] = {}
    top = 0.0
    for component in _components(graph):
        rows = 0
        for col in sorted({column[n] for n in component if n in column}):
            nodes = [n for n in component if column.get(n) == col]
            # Barycentre ordering: a node sits near the nodes that point at it, so arrows cross less.
            nodes.sort(key=lambda n: (_barycentre(graph, n, pos), str(graph.nodes[n].get("label", n))))
            for row, node in enumerate(nodes):
                pos[node] = (float(col), top - row)
            rows = max(rows, len(nodes))
        # Mitigations go under the part of the chain they answer, so their links stay short.
        mitigations = sorted(
            (n for n in component if n not in column),
            key=lambda n: (_mean_x(graph, n, pos), str(graph.nodes[n].get("label", n))),
        )
        floor = top - rows - (0.5 if rows else 0.0)
        span = max(total - 1, 1)
        for i, node in enumerate(mitigations):
            pos[node] = (span * (i + 0.5) / len(mitigations) if len(mitigations) > 1 else 0.0, floor)
        top = (floor - 1.0 if mitigations else top - rows) - 0.6
    return pos


def _components(graph: nx.DiGraph) -> list[list[Any]]:
    """Weakly connected components, largest first, each in a stable node order."""
    parts = [sorted(c, key=str) for c in nx.weakly_connected_components(graph)]
    return sorted(parts, key=lambda c: (-len(c), str(c[0])))


def largest_part(graph: nx.DiGraph, max_nodes: int) -> nx.DiGraph:
    """The graph itself, or, when it is larger, its most-reported components up to `max_nodes` nodes."""
    if graph.number_of_nodes() <= max_nodes:
        return graph
    weight = {n: graph.nodes[n].get("count", 1) for n in graph}
    parts = sorted(_components(graph), key=lambda c: (-sum(weight[n] for n in c), -len(c), str(c[0])))
    keep: list[Any] = []
    for part in parts:
        if len(keep) + len(part) <= max_nodes:
            keep.extend(part)
    return graph.subgraph(keep or parts[0][:max_nodes]).copy()


def _mean_x(graph: nx.DiGraph, node: Any, pos: dict) -> float:
    xs = [pos[n][0] for n in (*graph.predecessors(node), *graph.successors(node)) if n in pos]
    return sum(xs) / len(xs) if xs else float("inf")


def _band(node_type: str | None) -> int:
    return LAYER_ORDER.index(node_type) if node_type in LAYER_ORDER else len(LAYER_ORDER)


def _depth_within_band(graph: nx.DiGraph, nodes: list, band: dict) -> dict:
    """Longest path from a band's entry nodes over same-band edges (cycles cut at a back edge)."""
    inner = nx.DiGraph()
    inner.add_nodes_from(nodes)
    inner.add_edges_from((u, v) for u, v in graph.edges if u in band and v in band and band[u] == band[v])
    while not nx.is_directed_acyclic_graph(inner):
        inner.remove_edge(*nx.find_cycle(inner)[-1])
    depth = dict.fromkeys(nodes, 0)
    for node in nx.topological_sort(inner):
        for child in inner.successors(node):
            depth[child] = max(depth[child], depth[node] + 1)
    return depth


def _barycentre(graph: nx.DiGraph, node: Any, pos: dict) -> float:
    placed = [pos[p][1] for p in graph.predecessors(node) if p in pos]
    return -sum(placed) / len(placed) if placed else 0.0


def _matplotlib() -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:  # the `notebook` extra brings matplotlib
        raise InsidenError(Errors.E004.format(extra="notebook", what="drawing graphs")) from err
    return Figure, FigureCanvasAgg


def draw(graph: nx.DiGraph, *, title: str | None = None) -> Any:
    """A matplotlib `Figure` of the graph (boxes coloured by type, arrows thicker with confidence)."""
    from matplotlib.patches import FancyArrowPatch, Patch

    figure_cls, canvas_cls = _matplotlib()
    shown = largest_part(graph, MAX_DRAW_NODES)
    if shown is not graph:
        note = f"showing {shown.number_of_nodes()} of {graph.number_of_nodes()} events (the most-reported chains)"
        title = f"{title} — {note}" if title else note
        graph = shown
    pos = layout(graph)
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    width = min(MAX_INCHES, COLUMN_WIDTH * (max(xs) - min(xs) + 1) + 1.0)
    height = min(MAX_INCHES, ROW_HEIGHT * (max(ys) - min(ys) + 1) + 1.6)
    fig = figure_cls(figsize=(max(width, 6.0), max(height, 3.0)), dpi=DPI)
    canvas = canvas_cls(fig)
    inches = fig.get_size_inches()[1]
    ax = fig.add_axes((0.01, 0.1 / inches, 0.98, 1.0 - (0.9 if title else 0.5) / inches))  # fixed top margin
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.axis("off")
    boxes = {}
    for node, (x, y) in pos.items():
        attrs = graph.nodes[node]
        colour = TYPE_COLOURS.get(attrs.get("type", ""), TYPE_COLOURS["other"])
        count = attrs.get("count", 1)
        text = wrap_label(str(attrs.get("label") or node)) + (f"\n×{count}" if count > 1 else "")
        boxes[node] = ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": colour, "edgecolor": "#555555", "linewidth": 0.8},
        )
    # Measure the text boxes once, so the arrows can start and end at their edges.
    renderer = canvas.get_renderer()
    to_data = ax.transData.inverted()
    pad = 0.4 * FONT_SIZE * fig.dpi / 72.0  # the boxstyle pad, in pixels
    extents = {n: to_data.transform(box.get_window_extent(renderer).padded(pad)) for n, box in boxes.items()}
    for source, target, attrs in graph.edges(data=True):
        confidence = float(attrs.get("confidence", 1.0))
        start, end = _clip(pos[target], pos[source], extents[source]), _clip(pos[source], pos[target], extents[target])
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=12,
                zorder=2,
                shrinkA=1,
                shrinkB=1,
                color="#444444",
                linewidth=0.6 + 1.6 * confidence,
                linestyle="--" if inferred(attrs) else "-",
                alpha=0.5 + 0.5 * confidence,
                # Links that skip a column or leave the chain bend, so they pass beside the boxes in between.
                connectionstyle=f"arc3,rad={0.0 if pos[target][0] - pos[source][0] == 1 else 0.15}",
            )
        )
    present = [t for t in (*LAYER_ORDER, "mitigation") if any(graph.nodes[n].get("type") == t for n in graph)]
    handles = [Patch(facecolor=TYPE_COLOURS[t], edgecolor="#555555", label=t.replace("_", " ")) for t in present]
    if handles:
        fig.legend(handles=handles, loc="upper right", ncol=len(handles), fontsize=8, frameon=False)
    if title:
        fig.suptitle(title, x=0.01, y=1.0 - 0.15 / inches, ha="left", va="top", fontsize=10)
    return fig


def _clip(outside: tuple[float, float], centre: tuple[float, float], extent: Any) -> tuple[float, float]:
    """Where the segment from `centre` towards `outside` leaves the box `extent` ((x0, y0), (x1, y1))."""
    (x0, y0), (x1, y1) = extent
    dx, dy = outside[0] - centre[0], outside[1] - centre[1]
    scales = [abs((x1 - x0) / 2 / dx) if dx else float("inf"), abs((y1 - y0) / 2 / dy) if dy else float("inf")]
    scale = min(1.0, *scales)
    return centre[0] + dx * scale, centre[1] + dy * scale


def render(graph: nx.DiGraph, fmt: str, *, title: str | None = None) -> bytes:
    """The drawing as PNG or SVG bytes (SVG keeps its text as text, and ids are stable across runs)."""
    import matplotlib

    fig = draw(graph, title=title if title is not None else graph.graph.get("title") or None)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "insiden", "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; margin-top: 1em; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }}
th {{ background: #f3f3f3; }}
.type {{ padding: 0 0.3em; border-radius: 3px; }}
</style></head><body>
<h1>{title}</h1>
<p>{summary}</p>
<figure>{svg}</figure>
<h2>Causal links</h2>
<table><thead><tr><th>Cause</th><th>Effect</th><th>Cue</th><th>Confidence</th><th>Evidence</th><th>Documents</th></tr></thead>
<tbody>
{edges}
</tbody></table>
<h2>Events</h2>
<table><thead><tr><th>Event</th><th>Type</th><th>Text</th><th>Documents</th></tr></thead>
<tbody>
{nodes}
</tbody></table>
</body></html>
"""


def _docs(attrs: dict) -> str:
    return html.escape(", ".join(attrs.get("doc_ids") or [attrs.get("doc_id", "")]))


def _evidence(attrs: dict) -> str:
    items = attrs.get("evidence")
    if isinstance(items, list):
        return "<br>".join(
            f"<b>{html.escape(i.get('doc_id') or '')}</b>: {html.escape(i.get('evidence') or '')}" for i in items
        )
    return html.escape(items or "")


def _type_cell(node_type: str) -> str:
    colour = TYPE_COLOURS.get(node_type, TYPE_COLOURS["other"])
    return f'<span class="type" style="background:{colour}">{html.escape(node_type.replace("_", " "))}</span>'


def to_html(graph: nx.DiGraph, *, title: str | None = None) -> str:
    """A standalone page: the drawing as inline SVG, then tables of links (with evidence) and events.

    Nothing is fetched from the network: styles are inline and the SVG is embedded.
    """
    page_title = title or graph.graph.get("title") or graph.graph.get("doc_id") or "Causal graph"
    svg = render(graph, "svg", title="").decode("utf-8")
    svg = _METADATA.sub("", svg[svg.index("<svg") :])
    label = {n: str(a.get("label") or n) for n, a in graph.nodes(data=True)}
    edges = "\n".join(
        f"<tr><td>{html.escape(label[u])}</td><td>{html.escape(label[v])}</td>"
        f"<td>{html.escape(a.get('cue') or ('(inferred)' if inferred(a) else ''))}</td>"
        f"<td>{float(a.get('confidence', 1.0)):.2f}</td>"
        f"<td>{_evidence(a)}</td><td>{_docs(a)}</td></tr>"
        for u, v, a in graph.edges(data=True)
    )
    nodes = "\n".join(
        f"<tr><td>{html.escape(label[n])}</td><td>{_type_cell(a.get('type', ''))}</td>"
        f"<td>{html.escape(a.get('text') or '')}</td><td>{_docs(a)}</td></tr>"
        for n, a in graph.nodes(data=True)
    )
    summary = f"{graph.number_of_nodes()} events, {graph.number_of_edges()} causal links."
    return _PAGE.format(title=html.escape(str(page_title)), summary=summary, svg=svg, edges=edges, nodes=nodes)
