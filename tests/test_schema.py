"""The schema is the export contract: the committed JSON Schema must match the models."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.schema import SCHEMA_VERSION, Duration, IncidentReport, Mention, json_schema

REPO_ROOT = Path(__file__).resolve().parent.parent

COMMITTED = REPO_ROOT / "schema" / "incident_report.schema.json"


def test_schema_committed_copy_is_in_sync() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `make schema` and commit schema/incident_report.schema.json"


def test_schema_has_the_contract_fields() -> None:
    properties = json_schema()["properties"]
    for name in (
        "schema_version",
        "doc_id",
        "language",
        "title",
        "published",
        "url",
        "providers",
        "affected_services",
        "locations",
        "start",
        "end",
        "duration",
        "root_cause",
        "causal_chain",
        "entities",
        "warnings",
    ):
        assert name in properties


def test_schema_report_round_trips() -> None:
    report = IncidentReport(
        doc_id="d1",
        language="id",
        duration=Duration(seconds=50400, iso8601="PT14H", approximate=True, text="sekitar 14 jam", start=5, end=19),
    )
    assert IncidentReport.model_validate_json(report.model_dump_json()) == report
    assert report.schema_version == SCHEMA_VERSION


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=40), start=st.integers(0, 10_000))
def test_schema_mentions_round_trip(text: str, start: int) -> None:
    mention = Mention(text=text, start=start, end=start + len(text))
    assert Mention.model_validate_json(mention.model_dump_json()) == mention
