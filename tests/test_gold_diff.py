"""scripts/gold_diff.py: the per-document differences it prints."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("gold_diff", REPO_ROOT / "scripts" / "gold_diff.py")
gold_diff = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(gold_diff)  # type: ignore[union-attr]

GOLD = {
    "providers": [{"name": "Amazon Web Services"}],
    "affected_services": [{"name": "Roblox"}, {"name": "Venmo"}],
    "start": {"date": "2025-10-20", "text": "Senin (20/10)"},
    "duration": {"seconds": 50400, "text": "sekitar 14 jam"},
    "root_cause": {"category": "dns", "text": "entri DNS kosong"},
}


def test_gold_diff_reports_only_what_differs():
    pred = {
        "providers": [{"name": "amazon web services"}],  # folded: same
        "affected_services": [{"name": "Roblox"}],
        "start": {"date": "2025-10-20", "text": "Senin"},
        "duration": {"seconds": 3600, "text": "satu jam"},
        "root_cause": {"category": "software_bug", "text": "bug"},
    }
    assert gold_diff.document_lines(GOLD, pred, "all") == [
        "  affected_services: gold=['Roblox', 'Venmo'] pred=['Roblox']",
        "  duration: gold=50400 (sekitar 14 jam) pred=3600 (satu jam)",
        "  root gold=[dns] entri DNS kosong",
        "       pred=[software_bug] bug",
    ]
    assert gold_diff.document_lines(GOLD, pred, "providers") == []


def test_gold_diff_command_line(tmp_path, capsys):
    split = tmp_path / "dev" / "id"
    split.mkdir(parents=True)
    (split / "doc-a.txt").write_text("teks", encoding="utf-8")
    (split / "doc-a.json").write_text(json.dumps({"doc_id": "doc-a", **GOLD}), encoding="utf-8")
    (split / "doc-b.txt").write_text("teks", encoding="utf-8")
    (split / "doc-b.json").write_text(json.dumps({"doc_id": "doc-b", **GOLD}), encoding="utf-8")
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps({"doc_id": "doc-a", **GOLD}) + "\n", encoding="utf-8")
    assert gold_diff.main([str(tmp_path / "dev"), str(predictions), "--field", "time"]) == 0
    assert capsys.readouterr().out.splitlines() == ["===== doc-a", "===== doc-b", "  no prediction"]
