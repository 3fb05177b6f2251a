"""Export: report tables (columns, dtypes, values), report files, and `insiden export` in every format."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from pipeline import export
from pipeline.cli import main
from pipeline.errors import InsidenError
from pipeline.export import FRAME_COLUMNS, FRAME_NAMES, read_frames, read_reports, reports_to_frames, write_frames
from pipeline.schema import (
    AffectedService,
    CausalChain,
    ChainEdge,
    ChainNode,
    Duration,
    Entity,
    ErrorRecord,
    IncidentReport,
    Mention,
    Provider,
    RootCause,
    TimePoint,
)
from pipeline.validate import report_problems

REPO_ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Gangguan AWS di region us-east-1 berlangsung sekitar 14 jam pada Selasa.\n"
    "Gangguan dipicu oleh perubahan konfigurasi jaringan. Layanan EC2 dan Lambda ikut terganggu."
)


def _span(text: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return start, start + len(text)


def _mention(text: str) -> Mention:
    start, end = _span(text)
    return Mention(text=text, start=start, end=end, sentence=0)


def build_report(doc_id: str = "id-aws-1", **changes: object) -> IncidentReport:
    """A report with every field the tables read, offsets taken from TEXT."""
    aws, region = _span("AWS"), _span("us-east-1")
    cause, failure = _span("perubahan konfigurasi jaringan"), _span("Gangguan AWS")
    cue = _span("dipicu oleh")
    sentence = _span("Gangguan dipicu oleh perubahan konfigurasi jaringan.")
    report = IncidentReport(
        doc_id=doc_id,
        language="id",
        language_confidence=0.99,
        title="Gangguan AWS",
        published="2021-12-08",
        url="https://news.example/aws",
        source="input.jsonl:1",
        is_incident=True,
        providers=[Provider(name="Amazon Web Services", kb_id="aws", aliases=["AWS"], mentions=[_mention("AWS")])],
        affected_services=[
            AffectedService(
                name="EC2", provider="Amazon Web Services", kind="provider_service", mentions=[_mention("EC2")]
            ),
            AffectedService(name="Lambda", mentions=[_mention("Lambda")]),
        ],
        start=TimePoint(date="2021-12-07", text="Selasa", start=_span("Selasa")[0], end=_span("Selasa")[1]),
        duration=Duration(seconds=50400, iso8601="PT14H", approximate=True, text="sekitar 14 jam"),
        root_cause=RootCause(
            text="perubahan konfigurasi jaringan", category="config_change", start=cause[0], end=cause[1]
        ),
        causal_chain=CausalChain(
            nodes=[
                ChainNode(
                    id="n1",
                    text="perubahan konfigurasi jaringan",
                    label="perubahan konfigurasi",
                    type="root_cause",
                    start=cause[0],
                    end=cause[1],
                    sentence=1,
                ),
                ChainNode(
                    id="n2",
                    text="Gangguan AWS",
                    label="Gangguan AWS",
                    type="failure",
                    start=failure[0],
                    end=failure[1],
                    sentence=0,
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
        entities=[
            Entity(
                text="AWS",
                start=aws[0],
                end=aws[1],
                label="PROVIDER",
                canonical="Amazon Web Services",
                kb_id="aws",
                role="provider",
                sentence=0,
            ),
            Entity(text="us-east-1", start=region[0], end=region[1], label="CLOUD_REGION", role="location", sentence=0),
        ],
        text=TEXT,
    )
    return report.model_copy(update=changes)


def _write_jsonl(path: Path, reports: list[IncidentReport]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for report in reports:
            handle.write(report.model_dump_json() + "\n")
    return path


def test_export_incidents_row_has_the_report_values() -> None:
    row = reports_to_frames([build_report()])["incidents"].iloc[0]
    expected = {
        "doc_id": "id-aws-1",
        "language": "id",
        "providers": "Amazon Web Services",
        "n_providers": 1,
        "affected_services": "EC2; Lambda",
        "n_affected": 2,
        "published": pd.Timestamp("2021-12-08"),
        "start_date": pd.Timestamp("2021-12-07"),
        "duration_hours": 14.0,
        "duration_approximate": True,
        "duration_text": "sekitar 14 jam",
        "root_cause_category": "config_change",
        "root_cause_text": "perubahan konfigurasi jaringan",
        "root_cause_speculative": False,
        "n_entities": 2,
        "n_nodes": 2,
        "n_edges": 1,
        "is_incident": True,
        "n_chars": len(TEXT),
    }
    assert {key: row[key] for key in expected} == expected
    assert pd.isna(row["end_date"]) and pd.isna(row["start_datetime"]) and pd.isna(row["warnings"])


def test_export_frames_have_one_row_per_item() -> None:
    frames = reports_to_frames([build_report("a"), build_report("b", entities=[])])
    assert {name: len(frame) for name, frame in frames.items()} == {
        "incidents": 2,
        "providers": 2,
        "services": 4,
        "entities": 2,
        "causal_nodes": 4,
        "causal_edges": 2,
    }
    assert list(frames["incidents"]["doc_id"]) == ["a", "b"]


def test_export_causal_edges_carry_node_texts_and_offsets() -> None:
    edge = reports_to_frames([build_report()])["causal_edges"].iloc[0]
    assert (edge["source_type"], edge["target_type"]) == ("root_cause", "failure")
    assert (edge["source_text"], edge["cue"], edge["target_text"]) == (
        "perubahan konfigurasi jaringan",
        "dipicu oleh",
        "Gangguan AWS",
    )
    assert TEXT[edge["cue_start"] : edge["cue_end"]] == "dipicu oleh"
    assert TEXT[edge["evidence_start"] : edge["evidence_end"]] == edge["evidence"]


def test_export_entities_and_services_tables() -> None:
    frames = reports_to_frames([build_report()])
    entities = frames["entities"]
    assert list(entities["label"]) == ["PROVIDER", "CLOUD_REGION"]
    assert all(TEXT[s:e] == t for s, e, t in zip(entities["start"], entities["end"], entities["text"], strict=True))
    services = frames["services"]
    assert list(services["name"]) == ["EC2", "Lambda"]
    assert services["provider"].iloc[0] == "Amazon Web Services" and pd.isna(services["provider"].iloc[1])
    assert frames["providers"].iloc[0]["aliases"] == "AWS"


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_export_frames_keep_columns_and_dtypes_when_empty(name: str) -> None:
    empty = reports_to_frames([])[name]
    full = reports_to_frames([build_report()])[name]
    assert list(empty.columns) == [column for column, _ in FRAME_COLUMNS[name]] == list(full.columns)
    assert empty.empty
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()


def test_export_frame_dtypes_are_the_documented_ones() -> None:
    incidents = reports_to_frames([build_report()])["incidents"]
    assert str(incidents["published"].dtype) == "datetime64[ns]"
    assert list(incidents["root_cause_category"].cat.categories)[:2] == ["config_change", "software_bug"]
    assert str(incidents["n_chars"].dtype) == "Int64"
    assert str(incidents["duration_approximate"].dtype) == "boolean"
    assert incidents["is_incident"].dtype == bool


def test_export_frames_skip_error_records_and_accept_dicts() -> None:
    error = ErrorRecord(doc_id="bad", position=1, code="D005", reason="no text")
    frames = reports_to_frames([build_report("a"), error, build_report("b").model_dump(mode="json")])
    assert list(frames["incidents"]["doc_id"]) == ["a", "b"]


def test_export_missing_values_stay_missing() -> None:
    report = build_report(duration=None, root_cause=None, start=None, published="not a date", text=None)
    row = reports_to_frames([report])["incidents"].iloc[0]
    for column in (
        "duration_hours",
        "duration_approximate",
        "root_cause_category",
        "start_date",
        "published",
        "n_chars",
    ):
        assert pd.isna(row[column]), column


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_export_frames_are_documented(name: str) -> None:
    doc = (REPO_ROOT / "docs" / "frames.md").read_text(encoding="utf-8")
    section = doc.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \| (\S+) \|", section, flags=re.MULTILINE)
    dtype_names = {"root_cause": "category"}
    assert documented == [(column, dtype_names.get(dtype, dtype)) for column, dtype in FRAME_COLUMNS[name]]
    module_doc = export.__doc__ or ""
    assert all(column in module_doc for column, _ in FRAME_COLUMNS[name])


@pytest.mark.parametrize(
    ("fmt", "out"), [("csv", "tables"), ("parquet", "tables"), ("csv", "r.csv"), ("parquet", "r.parquet")]
)
def test_export_frames_round_trip(tmp_path: Path, fmt: str, out: str) -> None:
    frames = reports_to_frames([build_report("a"), build_report("b", duration=None, text=None)])
    written = write_frames(frames, tmp_path / out, fmt)
    assert len(written) == len(FRAME_NAMES) and all(path.is_file() for path in written)
    if out.endswith(fmt):
        assert (tmp_path / f"r_incidents.{fmt}").is_file()
    back = read_frames(tmp_path / out, fmt)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(back[name], frames[name], check_dtype=True)


@pytest.mark.parametrize("name", ["reports.jsonl", "reports.jsonl.gz"])
def test_export_read_reports_plain_and_gzip(tmp_path: Path, name: str) -> None:
    reports = [build_report("a"), build_report("b")]
    path = _write_jsonl(tmp_path / name, reports)
    assert list(read_reports(path)) == reports


def test_export_read_reports_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text(build_report().model_dump_json() + "\n\n" + '{"doc_id": "x", "language": 3}\n', encoding="utf-8")
    with pytest.raises(InsidenError, match=r"E031: .*reports.jsonl:3: not an incident report"):
        list(read_reports(path))


def _run_export(tmp_path: Path, fmt: str, out: Path, *extra: str) -> int:
    source = _write_jsonl(tmp_path / "reports.jsonl", [build_report("a"), build_report("b", language="en")])
    return main(["export", str(source), "--format", fmt, "-o", str(out), "--quiet", *extra])


def test_export_cli_json_is_valid_against_the_schema(tmp_path: Path) -> None:
    assert _run_export(tmp_path, "json", tmp_path / "out.json") == 0
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [item["doc_id"] for item in data] == ["a", "b"]
    assert all(report_problems(item) == [] for item in data)
    assert IncidentReport.model_validate(data[0]) == build_report("a")


def test_export_cli_jsonl_round_trips_without_text(tmp_path: Path) -> None:
    assert _run_export(tmp_path, "jsonl", tmp_path / "out.jsonl", "--no-text") == 0
    back = list(read_reports(tmp_path / "out.jsonl"))
    assert [r.doc_id for r in back] == ["a", "b"] and all(r.text is None for r in back)
    assert back[0] == build_report("a", text=None)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_cli_tables_read_back(tmp_path: Path, fmt: str) -> None:
    assert _run_export(tmp_path, fmt, tmp_path / "tables") == 0
    frames = read_frames(tmp_path / "tables", fmt)
    assert list(frames["incidents"]["language"]) == ["id", "en"]
    assert frames["causal_edges"]["cue"].tolist() == ["dipicu oleh", "dipicu oleh"]


def test_export_cli_graphml_reads_back(tmp_path: Path) -> None:
    assert _run_export(tmp_path, "graphml", tmp_path / "graph.graphml") == 0
    graph = nx.read_graphml(tmp_path / "graph.graphml")
    types = sorted(attrs["type"] for _, attrs in graph.nodes(data=True))
    assert types == ["failure", "root_cause"]  # the two reports' equal events are merged
    ((_, _, edge),) = graph.edges(data=True)
    assert edge["cue"] == "dipicu oleh"


def test_export_cli_refuses_a_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    assert main(["export", str(bad), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")]) == 2
    assert "E031" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.partial").exists()


def test_export_json_stops_at_a_report_that_breaks_the_schema(tmp_path: Path) -> None:
    broken = IncidentReport.model_construct(**{**build_report().__dict__, "language_confidence": 2.0})
    with open(tmp_path / "out.json", "w", encoding="utf-8") as handle, pytest.raises(InsidenError, match="E030"):
        export.write_reports_json([build_report(), broken], handle, lines=False)
