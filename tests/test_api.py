"""The Python API: analyze, analyze_many, read_reports, to_frames (on the real pipelines)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import pipeline
from pipeline import api, export
from pipeline.errors import DocErrors, DocumentError
from pipeline.extractor import Extractor
from pipeline.io import read_records
from pipeline.schema import ErrorRecord, IncidentReport

ID_TEXT = (
    "Layanan AWS di region us-east-1 mengalami gangguan selama sekitar 14 jam pada Selasa.\n\n"
    "Gangguan itu dipicu oleh proses otomatis yang menambah kapasitas jaringan internal."
)
EN_TEXT = "Microsoft Teams and Outlook went down for about five hours after a faulty network configuration change."
HTML_PAGE = (
    "<html><head><title>Azure down</title></head><body><nav>Home | News</nav><article><h1>Azure down</h1>"
    f"<p>{EN_TEXT}</p><p>Engineers rolled the change back in the afternoon.</p></article></body></html>"
)


def test_api_analyze_keeps_the_metadata() -> None:
    report = pipeline.analyze(ID_TEXT, title="Gangguan AWS", published=date(2021, 12, 8), language="id", doc_id="d1")
    assert isinstance(report, IncidentReport)
    assert (report.doc_id, report.title, report.published, report.language) == (
        "d1",
        "Gangguan AWS",
        "2021-12-08",
        "id",
    )
    assert report.source == api.API_SOURCE and report.text == ID_TEXT
    assert report.is_incident


def test_api_analyze_matches_a_jsonl_input(tmp_path: Path) -> None:
    """The same text through the API and through a JSONL file gives the same report, offsets included."""
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "same", "text": HTML_PAGE, "published": "2023-01-25"}) + "\n", encoding="utf-8")
    (record,) = read_records([path])
    (outcome,) = Extractor().process([record])
    via_api = pipeline.analyze(HTML_PAGE, doc_id="same", published="2023-01-25")
    assert outcome.report is not None
    assert via_api.model_dump(exclude={"source"}) == outcome.report.model_dump(exclude={"source"})
    assert "<p>" not in (via_api.text or "") and "W009" in {w.code for w in via_api.warnings}


def test_api_analyze_default_id_is_stable() -> None:
    assert pipeline.analyze(EN_TEXT).doc_id == pipeline.analyze(EN_TEXT).doc_id
    assert pipeline.analyze(EN_TEXT).doc_id.startswith("text-")


@pytest.mark.parametrize(("text", "code"), [("", DocErrors.NO_TEXT), ("   \n", DocErrors.NO_TEXT)])
def test_api_analyze_raises_for_no_text(text: str, code: str) -> None:
    with pytest.raises(DocumentError) as info:
        pipeline.analyze(text)
    assert info.value.code == code


def test_api_analyze_many_keeps_order_and_yields_errors_in_place() -> None:
    items = [
        EN_TEXT,
        {"id": "no-text"},
        {"id": "a", "text": ID_TEXT, "title": "T", "published": "2021-12-08"},
        {"id": "a", "text": EN_TEXT},
        {"doc_id": "b", "text": "  "},
    ]
    out = list(pipeline.analyze_many(items))
    assert [type(item).__name__ for item in out] == [
        "IncidentReport",
        "ErrorRecord",
        "IncidentReport",
        "ErrorRecord",
        "ErrorRecord",
    ]
    assert [item.doc_id for item in out] == ["doc-0", "no-text", "a", "a", "b"]
    errors = [item for item in out if isinstance(item, ErrorRecord)]
    assert [(e.code, e.position) for e in errors] == [
        (DocErrors.NO_TEXT, 1),
        (DocErrors.DUPLICATE_ID, 3),
        (DocErrors.NO_TEXT, 4),
    ]
    assert (out[2].language, out[2].title, out[2].published) == ("id", "T", "2021-12-08")


def test_api_analyze_many_reads_records(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("AWS outage\n" + EN_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    out = list(pipeline.analyze_many(read_records([tmp_path]), include_text=False))
    assert isinstance(out[0], IncidentReport) and out[0].title == "AWS outage" and out[0].text is None
    assert isinstance(out[1], ErrorRecord) and out[1].code == DocErrors.EMPTY


def test_api_analyze_many_refuses_other_items() -> None:
    with pytest.raises(TypeError, match="texts, dicts or Records"):
        list(pipeline.analyze_many([3]))


@pytest.mark.slow
def test_api_analyze_many_workers_give_the_same_stream() -> None:
    items = [EN_TEXT, {"id": "x"}, ID_TEXT, {"id": "y", "text": HTML_PAGE}] * 3
    serial = list(pipeline.analyze_many(items))
    parallel = list(pipeline.analyze_many(items, workers=2))
    assert parallel == serial


def test_api_to_frames_of_an_analyze_many_stream() -> None:
    frames = pipeline.to_frames(pipeline.analyze_many([{"id": "a", "text": ID_TEXT}, {"id": "bad"}]))
    incidents = frames["incidents"]
    assert list(incidents["doc_id"]) == ["a"]
    assert incidents["n_nodes"].iloc[0] == len(frames["causal_nodes"])


def test_api_read_reports_round_trips(tmp_path: Path) -> None:
    report = pipeline.analyze(ID_TEXT, doc_id="r1")
    path = tmp_path / "reports.jsonl"
    path.write_text(report.model_dump_json() + "\n", encoding="utf-8")
    assert list(pipeline.read_reports(path)) == [report]
    assert pipeline.read_reports is export.read_reports


def test_api_import_loads_no_pipeline() -> None:
    """`from pipeline import to_frames, read_reports` must not import spaCy or torch."""
    code = (
        "import sys; from pipeline import read_reports, to_frames; print(sorted({'spacy', 'torch'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
