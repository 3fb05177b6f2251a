"""The HTML view of a report: highlighted spans on the right text, facts, a well-formed chain drawing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from pipeline import render
from pipeline.schema import (
    CausalChain,
    ChainEdge,
    ChainNode,
    Duration,
    Entity,
    IncidentReport,
    Mention,
    Provider,
    RootCause,
    json_schema,
)

TEXT = "Layanan Azure <lumpuh> selama 5 jam.\n\nGangguan dipicu oleh perubahan konfigurasi\njaringan di Microsoft."
SVG = "{http://www.w3.org/2000/svg}"


def _span(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def build_report(**changes: object) -> IncidentReport:
    cause, failure = _span("perubahan konfigurasi\njaringan"), _span("Layanan Azure <lumpuh>")
    cue, sentence = _span("dipicu oleh"), _span("Gangguan dipicu oleh perubahan konfigurasi\njaringan di Microsoft.")
    report = IncidentReport(
        doc_id="en-azure-1",
        language="id",
        title="Azure <down> & out",
        is_incident=True,
        providers=[Provider(name="Microsoft")],
        duration=Duration(seconds=18000, iso8601="PT5H", text="selama 5 jam"),
        root_cause=RootCause(text="perubahan konfigurasi jaringan", category="config_change"),
        entities=[
            Entity(text="Azure", start=_span("Azure")[0], end=_span("Azure")[1], label="SERVICE", role="affected"),
            Entity(
                text="Microsoft",
                start=_span("Microsoft")[0],
                end=_span("Microsoft")[1],
                label="PROVIDER",
                kb_id="microsoft",
                role="provider",
            ),
        ],
        causal_chain=CausalChain(
            nodes=[
                ChainNode(
                    id="n1",
                    text=TEXT[cause[0] : cause[1]],
                    label="perubahan konfigurasi jaringan",
                    type="root_cause",
                    start=cause[0],
                    end=cause[1],
                ),
                ChainNode(
                    id="n2",
                    text="Layanan Azure <lumpuh>",
                    label="Azure <lumpuh>",
                    type="failure",
                    start=failure[0],
                    end=failure[1],
                ),
            ],
            edges=[
                ChainEdge(
                    source="n1",
                    target="n2",
                    cue="dipicu oleh",
                    cue_start=cue[0],
                    cue_end=cue[1],
                    evidence=TEXT[sentence[0] : sentence[1]],
                    evidence_start=sentence[0],
                    evidence_end=sentence[1],
                    confidence=0.8,
                ),
            ],
        ),
        text=TEXT,
    )
    return report.model_copy(update=changes)


def _highlighted(report: IncidentReport) -> dict[str, list[str]]:
    """label -> the token text each displaCy span covers, line by line."""
    found: dict[str, list[str]] = {}
    spans = render.highlight_spans(report)
    offset = 0
    for line in TEXT.split("\n"):
        block = render._block(offset, line, spans, "u")
        for span in block["spans"]:
            found.setdefault(span["label"], []).append(
                " ".join(block["tokens"][span["start_token"] : span["end_token"]])
            )
        offset += len(line) + 1
    return found


def test_render_spans_cover_the_right_tokens() -> None:
    assert _highlighted(build_report()) == {
        "SERVICE": ["Azure"],
        "PROVIDER": ["Microsoft."],
        "FAILURE": ["Layanan Azure <lumpuh>"],
        # a span over a line break is drawn on both lines
        "ROOT_CAUSE": ["perubahan konfigurasi", "jaringan"],
    }


def test_render_spans_mark_every_mention_of_a_node() -> None:
    # "Gangguan" restates the failure: highlighted as that node too
    report = build_report()
    failure = report.causal_chain.nodes[1]
    restated = _span("Gangguan")
    mentions = [
        Mention(text=failure.text, start=failure.start, end=failure.end, sentence=0),
        Mention(text="Gangguan", start=restated[0], end=restated[1], sentence=1),
    ]
    report.causal_chain.nodes[1] = failure.model_copy(update={"mentions": mentions})
    assert _highlighted(report)["FAILURE"] == ["Layanan Azure <lumpuh>", "Gangguan"]
    assert (restated[0], restated[1], "FAILURE", "n2") in render.highlight_spans(report)


def test_render_html_shows_labels_and_escaped_text() -> None:
    html = render.report_to_html(build_report())
    for label in ("SERVICE", "PROVIDER", "ROOT_CAUSE", "FAILURE"):
        assert f"\n        {label}\n" in html, label
    assert "&lt;lumpuh&gt;" in html and "<lumpuh>" not in html
    assert "Azure &lt;down&gt; &amp; out" in html and "<down>" not in html
    assert 'href="#insiden-' in html  # chain-node spans link to their box in the drawing
    assert "config_change: perubahan konfigurasi jaringan" in html
    assert "5.0 h (selama 5 jam)" in html


def test_render_report_renders_itself_in_jupyter() -> None:
    report = build_report()
    assert report._repr_html_() == render.report_to_html(report)
    assert "_repr_html_" not in json.dumps(json_schema()) and "ReportHtmlMixin" not in json.dumps(json_schema())


def test_render_chain_svg_is_well_formed_and_left_to_right() -> None:
    svg = ET.fromstring(render.chain_svg(build_report().causal_chain, uid="u"))
    boxes = {g.get("id"): g.find(f"{SVG}rect") for g in svg.iter(f"{SVG}g") if g.get("class") == "insiden-node"}
    assert set(boxes) == {"u-n1", "u-n2"}
    assert float(boxes["u-n1"].get("x")) < float(boxes["u-n2"].get("x"))  # cause left of its effect
    edges = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "insiden-edge"]
    assert len(edges) == 1 and edges[0].find(f"{SVG}text").text == "dipicu oleh"
    assert "Gangguan dipicu oleh" in edges[0].find(f"{SVG}title").text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"text": None}, "the report carries no text"),
        ({"causal_chain": CausalChain()}, "no causal chain found"),
        ({"is_incident": False}, "not an incident"),
    ],
)
def test_render_degrades_gracefully(changes: dict, expected: str) -> None:
    assert expected in render.report_to_html(build_report(**changes))


@pytest.mark.parametrize(
    ("text", "width", "lines", "expected"),
    [
        ("short label", 26, 3, ["short label"]),
        ("one two three four", 9, 3, ["one two", "three", "four"]),
        ("one two three four five six", 9, 2, ["one two", "three…"]),
        ("averyveryverylongword", 8, 3, ["averyve…"]),
    ],
)
def test_render_wrap(text: str, width: int, lines: int, expected: list[str]) -> None:
    assert render._wrap(text, width, lines) == expected
