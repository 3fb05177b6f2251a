"""The Python API: analyse texts, read report files, and tabulate reports with pandas.

    >>> from pipeline import analyze, analyze_many, read_reports, to_frames
    >>> report = analyze(text, title="AWS outage", published="2021-12-08")
    >>> reports = list(analyze_many([{"id": "a", "text": text_a}, {"id": "b", "text": text_b}]))
    >>> frames = to_frames(reports)  # {"incidents": DataFrame, "entities": ..., ...}

Texts go through the same normalisation as files read by `insiden extract` (HTML main-text
extraction, mojibake repair; `pipeline.io`), so the offsets in a report index into
`report.text` exactly as they would for the same text read from a JSONL file. The
extractor (and its spaCy pipelines) is built on the first call and reused.

Errors: `analyze` raises `DocumentError` (with the D-code of `pipeline.errors.DocErrors`) for
a text that cannot become a report. `analyze_many` never raises for one bad item: it yields
an `ErrorRecord` in that item's place, so the stream stays aligned with its input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.errors import DocErrors, DocumentError
from pipeline.export import read_reports, reports_to_frames
from pipeline.io import DEFAULT_MAX_BYTES, Record, RecordReader
from pipeline.schema import ErrorRecord, IncidentReport

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.export import ReportLike
    from pipeline.extractor import Extractor

__all__ = ["analyze", "analyze_many", "get_extractor", "read_reports", "to_frames"]

API_SOURCE = "<api>"
"""The `source` of reports made from texts passed to the API."""
PARTITION_SIZE = 8
"""Records per task when `analyze_many` runs worker processes."""

RecordLike = str | Mapping[str, object] | Record


@lru_cache(maxsize=4)
def get_extractor(include_text: bool = True) -> Extractor:
    """The extractor the API uses (built once per process and setting)."""
    from pipeline.extractor import Extractor

    return Extractor(include_text=include_text)


def analyze(
    text: str,
    *,
    title: str | None = None,
    published: str | date | None = None,
    language: str | None = None,
    doc_id: str | None = None,
    url: str | None = None,
) -> IncidentReport:
    """The incident report of one text.

    Args:
        text: plain text, Markdown or an HTML page.
        title: the headline; by default the first line of the text (as for .txt files).
        published: publication date (YYYY-MM-DD or a date), which anchors relative dates.
        language: ISO 639-1 code; skips language detection.
        doc_id: the report's id; by default `text-` and a hash of the text.
        url: where the text came from.

    Raises:
        DocumentError: the text is empty, too large, or an HTML page without main text (D-codes).
    """
    fields: dict[str, object] = {"text": text, "published": published, "language": language, "url": url}
    if title is not None:
        fields["title"] = title
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    record = _RecordBuilder().build(fields, doc_id or f"text-{digest}")
    outcome = next(iter(get_extractor().process([record])))
    if outcome.error is not None:
        raise DocumentError(outcome.error.code, outcome.error.reason)
    assert outcome.report is not None
    return outcome.report


def analyze_many(
    records: Iterable[RecordLike], *, workers: int = 1, include_text: bool = True
) -> Iterator[IncidentReport | ErrorRecord]:
    """One report per input item, lazily and in input order.

    Items are texts, dicts with `text` and optionally `id` (or `doc_id`), `title`,
    `published`, `url`, `language` (the fields of a JSONL input line), or `pipeline.io.Record`s
    (as `read_records` yields them). An item without an id gets `doc-<index>`.

    Args:
        records: the items; consumed lazily.
        workers: processes to run the pipeline in (1: in this process).
        include_text: keep the text in the reports.

    Yields:
        An `IncidentReport`, or an `ErrorRecord` (code and reason; `position` is the item's
        index) for an item that cannot become one: no text, a duplicate id, a failure in
        the pipeline. Use `isinstance` to tell them apart; `to_frames` skips error records.
    """
    built = _build_records(records)
    if workers <= 1:
        for outcome in get_extractor(include_text).process(built):
            yield outcome.report if outcome.report is not None else outcome.error  # type: ignore[misc]
        return
    from pipeline.batch import ExtractionSettings, LocalEngine, partitions

    settings = ExtractionSettings(include_text=include_text)
    for part in LocalEngine(workers).map(partitions(built, PARTITION_SIZE), settings):
        for _, is_error, line in part:
            yield ErrorRecord.model_validate_json(line) if is_error else IncidentReport.model_validate_json(line)


def to_frames(reports: Iterable[ReportLike]) -> dict[str, pd.DataFrame]:
    """pandas DataFrames of reports, one per table, with stable columns and dtypes.

    The tables are `incidents` (one row per report), `providers`, `services`, `entities`,
    `causal_nodes` and `causal_edges`; their columns are listed in `pipeline.export` and
    explained in docs/frames.md.

    Args:
        reports: reports, their JSON dicts, or an `analyze_many` stream (error records are skipped).
    """
    return reports_to_frames(reports)


def _build_records(items: Iterable[RecordLike]) -> Iterator[Record]:
    builder = _RecordBuilder()
    for index, item in enumerate(items):
        if isinstance(item, Record):
            record = item
        elif isinstance(item, str):
            record = builder.build({"text": item}, f"doc-{index}")
        elif isinstance(item, Mapping):
            record = builder.build(item, f"doc-{index}")
        else:
            raise TypeError(f"analyze_many takes texts, dicts or Records, not {type(item).__name__}")
        # The extractor matches outcomes to records by position: number them by stream index.
        record.position = index
        yield record


class _RecordBuilder:
    """Builds `Record`s from API fields through `pipeline.io`'s own normalisation and id checks."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.reader = RecordReader(max_bytes=max_bytes)

    def build(self, fields: Mapping[str, object], fallback_id: str) -> Record:
        raw_id = fields.get("id", fields.get("doc_id"))
        doc_id = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else fallback_id
        text = fields.get("text")
        if not isinstance(text, str) or not text.strip():
            what = "no 'text' field" if text is None else "'text' is empty or not a string"
            return self.reader.error(doc_id, API_SOURCE, DocErrors.NO_TEXT, f"record has {what}")
        if len(text.encode("utf-8", "surrogatepass")) > self.reader.max_bytes:
            reason = f"size exceeds the limit of {self.reader.max_bytes} bytes"
            return self.reader.error(doc_id, API_SOURCE, DocErrors.TOO_LARGE, reason)
        clean = {key: _iso(value) for key, value in fields.items() if key in {"title", "published", "url", "language"}}
        return self.reader.from_text(text, doc_id=doc_id, source=API_SOURCE, html=False, repaired=False, fields=clean)


def _iso(value: object) -> object:
    return value.isoformat()[:10] if isinstance(value, date) else value
