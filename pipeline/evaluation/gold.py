"""Load gold annotations (`corpora/gold/<split>/<lang>/<doc>.{txt,json}`) and turn them into pipeline input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GoldDocument:
    """One annotated document: its text and its annotation dict (report field names)."""

    doc_id: str
    language: str
    text: str
    annotation: dict

    @property
    def published(self) -> str | None:
        return self.annotation.get("published")


def load_gold(root: str | Path) -> list[GoldDocument]:
    """Every gold document under `root` (a split folder or the whole gold folder), sorted by id."""
    documents = []
    for json_path in sorted(Path(root).rglob("*.json")):
        txt_path = json_path.with_suffix(".txt")
        if not txt_path.is_file():
            continue
        annotation = json.loads(json_path.read_text(encoding="utf-8"))
        documents.append(
            GoldDocument(
                doc_id=annotation.get("doc_id") or json_path.stem,
                language=annotation.get("language") or json_path.parent.name,
                text=txt_path.read_text(encoding="utf-8"),
                annotation=annotation,
            )
        )
    return sorted(documents, key=lambda d: d.doc_id)


def write_pipeline_input(documents: list[GoldDocument], path: Path) -> None:
    """A JSONL file the pipeline reads: id, text and published date of every gold document.

    The language is not passed: detecting it is part of what is measured.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for doc in documents:
            record = {"id": doc.doc_id, "text": doc.text, "published": doc.published}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
