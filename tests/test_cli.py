"""The `insiden` CLI: extract writes a report or an error per document; schema prints and validates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main

DOCS = [
    {
        "id": "id-1",
        "text": "Gangguan layanan bank\nLayanan perbankan daring mati total selama sekitar tiga jam "
        "pada Senin (20/10/2025) akibat gangguan jaringan di pusat data.",
        "published": "2025-10-21",
    },
    {
        "id": "en-1",
        "text": "Cloud outage\nA configuration change at a cloud provider caused an outage that took "
        "banking apps offline for about three hours on Monday.",
        "published": "2025-10-21",
    },
    {
        "id": "de-1",
        "text": "Der Ausfall dauerte mehrere Stunden und betraf viele Nutzer in ganz Europa, sagte das "
        "Unternehmen am Montag.",
    },
    {"id": "bad"},
]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    body = "\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n{broken json\n"
    path.write_text(body, encoding="utf-8")
    return path


def test_cli_extract_writes_every_document_to_reports_or_errors(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "reports.jsonl"
    code = main(["extract", str(corpus), "-o", str(out), "--workers", "1", "--quiet"])
    reports, errors = _lines(out), _lines(out.with_name("reports.errors.jsonl"))
    assert code == 1  # some documents failed
    assert [r["doc_id"] for r in reports] == ["id-1", "en-1", "de-1"]
    assert [r["language"] for r in reports] == ["id", "en", "de"]
    assert any(w["code"] == "W001" for w in reports[2]["warnings"])
    assert [(e["doc_id"], e["code"]) for e in errors] == [("bad", "D005"), (f"{corpus}:5", "D004")]
    assert len(reports) + len(errors) == len(DOCS) + 1


def test_cli_schema_prints_and_validates(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "IncidentReport"
    out = tmp_path / "r.jsonl"
    main(["extract", str(corpus), "-o", str(out), "--workers", "1", "--quiet"])
    assert main(["schema", "--validate", str(out)]) == 0
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"doc_id": "x", "language": 3}) + "\n", encoding="utf-8")
    assert main(["schema", "--validate", str(broken)]) == 1


def test_cli_rejects_unknown_override_syntax(corpus: Path, tmp_path: Path) -> None:
    assert main(["extract", str(corpus), "-o", str(tmp_path / "r.jsonl"), "--quiet", "bogus"]) == 2


def test_cli_sample_corpus_reports_validate_against_the_schema(tmp_path: Path) -> None:
    """What `make run` writes: every sample document becomes a report that the published schema accepts."""
    samples = Path(__file__).resolve().parent.parent / "corpora" / "samples"
    out = tmp_path / "reports.jsonl"
    assert main(["extract", str(samples), "-o", str(out), "--workers", "1", "--quiet"]) == 0
    reports = _lines(out)
    assert len(reports) == 6 and {r["language"] for r in reports} == {"id", "en"}
    assert main(["schema", "--validate", str(out)]) == 0
