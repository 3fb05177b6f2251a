"""Finished reports out to other shapes: pandas frames, JSON, JSONL, CSV, Parquet and a GraphML causal graph.

Nothing here touches spaCy: everything starts from `IncidentReport`s (or their JSON). The
GraphML export is the corpus causal graph of `pipeline.graph.corpus_graph` (equal events
merged across reports).

`reports_to_frames(reports)` returns one DataFrame per table below, always with these
columns in this order and these dtypes, also when empty (the full table, with what every
column means, is in `docs/frames.md`). Lists inside a cell are joined with "; ".

- `incidents`, one row per report: doc_id, language, language_confidence, title, published,
  url, source, is_incident, providers, n_providers, affected_services, n_affected, locations,
  start_date, start_datetime, end_date, duration_hours, duration_approximate, duration_text,
  root_cause_category, root_cause_text, root_cause_confidence, root_cause_speculative,
  n_entities, n_nodes, n_edges, warnings, n_chars.
- `providers`, one row per provider of a report: doc_id, language, name, kb_id, aliases,
  n_mentions, first_start, confidence.
- `services`, one row per affected service of a report: doc_id, language, name, kind,
  provider, kb_id, n_mentions, first_start.
- `entities`, one row per entity mention: doc_id, language, index, text, label, canonical,
  kb_id, role, source, start, end, sentence.
- `causal_nodes`, one row per chain node: doc_id, language, id, type, label, text, start, end,
  sentence.
- `causal_edges`, one row per chain edge: doc_id, language, source, target, source_type,
  target_type, source_text, target_text, cue, cue_start, cue_end, evidence, evidence_start,
  evidence_end, confidence, method.

Dates (`published`, `start_date`, `end_date`) are `datetime64[ns]` (NaT when missing or not a
YYYY-MM-DD date); `root_cause_category` is a categorical over every schema category; counts are
`int64`; optional integers are `Int64`; optional flags are `boolean`; text is `string`.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd
from pydantic import ValidationError

from pipeline.errors import Errors, InsidenError
from pipeline.schema import ROOT_CAUSE_CATEGORIES, ErrorRecord, IncidentReport

JOIN = "; "
"""Separator of the lists joined into one cell (providers, services, warnings, ...)."""
FORMATS = ("json", "jsonl", "csv", "parquet", "graphml")
FRAME_FORMATS = ("csv", "parquet")
ROOT_CAUSE_DTYPE = pd.CategoricalDtype(list(ROOT_CAUSE_CATEGORIES))

ReportLike = IncidentReport | ErrorRecord | dict

# (column, dtype) per frame; the dtype names are pandas', except "date" (datetime64[ns] parsed
# from YYYY-MM-DD) and "root_cause" (the categorical above).
FRAME_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "incidents": (
        ("doc_id", "string"),
        ("language", "string"),
        ("language_confidence", "float64"),
        ("title", "string"),
        ("published", "date"),
        ("url", "string"),
        ("source", "string"),
        ("is_incident", "bool"),
        ("providers", "string"),
        ("n_providers", "int64"),
        ("affected_services", "string"),
        ("n_affected", "int64"),
        ("locations", "string"),
        ("start_date", "date"),
        ("start_datetime", "string"),
        ("end_date", "date"),
        ("duration_hours", "float64"),
        ("duration_approximate", "boolean"),
        ("duration_text", "string"),
        ("root_cause_category", "root_cause"),
        ("root_cause_text", "string"),
        ("root_cause_confidence", "float64"),
        ("root_cause_speculative", "boolean"),
        ("n_entities", "int64"),
        ("n_nodes", "int64"),
        ("n_edges", "int64"),
        ("warnings", "string"),
        ("n_chars", "Int64"),
    ),
    "providers": (
        ("doc_id", "string"),
        ("language", "string"),
        ("name", "string"),
        ("kb_id", "string"),
        ("aliases", "string"),
        ("n_mentions", "int64"),
        ("first_start", "Int64"),
        ("confidence", "float64"),
    ),
    "services": (
        ("doc_id", "string"),
        ("language", "string"),
        ("name", "string"),
        ("kind", "string"),
        ("provider", "string"),
        ("kb_id", "string"),
        ("n_mentions", "int64"),
        ("first_start", "Int64"),
    ),
    "entities": (
        ("doc_id", "string"),
        ("language", "string"),
        ("index", "int64"),
        ("text", "string"),
        ("label", "string"),
        ("canonical", "string"),
        ("kb_id", "string"),
        ("role", "string"),
        ("source", "string"),
        ("start", "int64"),
        ("end", "int64"),
        ("sentence", "Int64"),
    ),
    "causal_nodes": (
        ("doc_id", "string"),
        ("language", "string"),
        ("id", "string"),
        ("type", "string"),
        ("label", "string"),
        ("text", "string"),
        ("start", "int64"),
        ("end", "int64"),
        ("sentence", "Int64"),
    ),
    "causal_edges": (
        ("doc_id", "string"),
        ("language", "string"),
        ("source", "string"),
        ("target", "string"),
        ("source_type", "string"),
        ("target_type", "string"),
        ("source_text", "string"),
        ("target_text", "string"),
        ("cue", "string"),
        ("cue_start", "Int64"),
        ("cue_end", "Int64"),
        ("evidence", "string"),
        ("evidence_start", "int64"),
        ("evidence_end", "int64"),
        ("confidence", "float64"),
        ("method", "string"),
    ),
}
FRAME_NAMES = tuple(FRAME_COLUMNS)


# --- reading -------------------------------------------------------------------------------


def read_reports(path: str | os.PathLike[str]) -> Iterator[IncidentReport]:
    """Stream the reports of a JSONL file (plain, or gzip when the name ends in .gz).

    Raises:
        InsidenError: E031 for a line that is not a valid incident report (with file and line).
    """
    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        handle = opener(path, "rt", encoding="utf-8")
    except OSError as err:
        raise InsidenError(Errors.E031.format(where=path, problem=f"cannot open: {err}")) from err
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield IncidentReport.model_validate_json(line)
            except ValidationError as err:
                first = err.errors()[0]
                where = "/".join(map(str, first["loc"])) or "<root>"
                raise InsidenError(
                    Errors.E031.format(
                        where=f"{path}:{line_no}", problem=f"not an incident report: {where}: {first['msg']}"
                    )
                ) from err


def _as_reports(reports: Iterable[ReportLike]) -> Iterator[IncidentReport]:
    """Reports as models; error records (from `analyze_many`) are passed over."""
    for item in reports:
        if isinstance(item, IncidentReport):
            yield item
        elif isinstance(item, dict):
            yield IncidentReport.model_validate(item)
        elif not isinstance(item, ErrorRecord):
            raise TypeError(f"expected IncidentReport, ErrorRecord or dict, got {type(item).__name__}")


# --- frames --------------------------------------------------------------------------------


def reports_to_frames(reports: Iterable[ReportLike]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table of `FRAME_COLUMNS` (see the module docstring and docs/frames.md).

    Args:
        reports: reports, their JSON dicts, or an `analyze_many` stream (error records are skipped).
    """
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FRAME_NAMES}
    for report in _as_reports(reports):
        for name, builder in _ROW_BUILDERS.items():
            rows[name].extend(builder(report))
    return {name: _frame(rows[name], FRAME_COLUMNS[name]) for name in FRAME_NAMES}


def _frame(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[name for name, _ in columns])
    for name, dtype in columns:
        frame[name] = _coerce(frame[name], dtype)
    return frame


def _coerce(series: pd.Series, dtype: str) -> pd.Series:
    """Give a column its documented dtype, from Python values or from CSV strings."""
    if dtype == "date":
        return pd.to_datetime(series.astype("string"), format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    if dtype == "root_cause":
        return series.astype("string").astype(ROOT_CAUSE_DTYPE)
    if dtype in {"bool", "boolean"}:
        flags = series.map(lambda v: {"True": True, "False": False}.get(v, v) if isinstance(v, str) else v)
        return flags.astype("boolean") if dtype == "boolean" else flags.fillna(False).astype(bool)
    if dtype in {"int64", "Int64", "float64"}:
        numbers = pd.to_numeric(series, errors="coerce") if series.dtype == object else series
        return numbers.astype(dtype)
    return series.astype(dtype)


def _incident_row(report: IncidentReport) -> Iterator[dict[str, Any]]:
    duration, root, start, end = report.duration, report.root_cause, report.start, report.end
    yield {
        "doc_id": report.doc_id,
        "language": report.language,
        "language_confidence": report.language_confidence,
        "title": report.title,
        "published": report.published,
        "url": report.url,
        "source": report.source,
        "is_incident": report.is_incident,
        "providers": _joined(p.name for p in report.providers),
        "n_providers": len(report.providers),
        "affected_services": _joined(s.name for s in report.affected_services),
        "n_affected": len(report.affected_services),
        "locations": _joined(loc.code or loc.name for loc in report.locations),
        "start_date": _date(start),
        "start_datetime": start.datetime if start else None,
        "end_date": _date(end),
        "duration_hours": duration.seconds / 3600 if duration else None,
        "duration_approximate": duration.approximate if duration else None,
        "duration_text": duration.text if duration else None,
        "root_cause_category": root.category if root else None,
        "root_cause_text": root.text if root else None,
        "root_cause_confidence": root.confidence if root else None,
        "root_cause_speculative": root.speculative if root else None,
        "n_entities": len(report.entities),
        "n_nodes": len(report.causal_chain.nodes),
        "n_edges": len(report.causal_chain.edges),
        "warnings": _joined(w.code for w in report.warnings),
        "n_chars": len(report.text) if report.text is not None else None,
    }


def _provider_rows(report: IncidentReport) -> Iterator[dict[str, Any]]:
    for provider in report.providers:
        yield {
            "doc_id": report.doc_id,
            "language": report.language,
            "name": provider.name,
            "kb_id": provider.kb_id,
            "aliases": _joined(provider.aliases),
            "n_mentions": len(provider.mentions),
            "first_start": min((m.start for m in provider.mentions), default=None),
            "confidence": provider.confidence,
        }


def _service_rows(report: IncidentReport) -> Iterator[dict[str, Any]]:
    for service in report.affected_services:
        yield {
            "doc_id": report.doc_id,
            "language": report.language,
            "name": service.name,
            "kind": service.kind,
            "provider": service.provider,
            "kb_id": service.kb_id,
            "n_mentions": len(service.mentions),
            "first_start": min((m.start for m in service.mentions), default=None),
        }


def _entity_rows(report: IncidentReport) -> Iterator[dict[str, Any]]:
    for index, entity in enumerate(report.entities):
        yield {"doc_id": report.doc_id, "language": report.language, "index": index} | entity.model_dump(
            include={"text", "label", "canonical", "kb_id", "role", "source", "start", "end", "sentence"}
        )


def _node_rows(report: IncidentReport) -> Iterator[dict[str, Any]]:
    for node in report.causal_chain.nodes:
        yield {"doc_id": report.doc_id, "language": report.language} | node.model_dump(
            include={"id", "type", "label", "text", "start", "end", "sentence"}
        )


def _edge_rows(report: IncidentReport) -> Iterator[dict[str, Any]]:
    nodes = {node.id: node for node in report.causal_chain.nodes}
    for edge in report.causal_chain.edges:
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        yield {
            "doc_id": report.doc_id,
            "language": report.language,
            "source": edge.source,
            "target": edge.target,
            "source_type": source.type if source else None,
            "target_type": target.type if target else None,
            "source_text": source.text if source else None,
            "target_text": target.text if target else None,
        } | edge.model_dump(exclude={"source", "target"})


_ROW_BUILDERS = {
    "incidents": _incident_row,
    "providers": _provider_rows,
    "services": _service_rows,
    "entities": _entity_rows,
    "causal_nodes": _node_rows,
    "causal_edges": _edge_rows,
}


def _joined(values: Iterable[str]) -> str | None:
    return JOIN.join(values) or None


def _date(point) -> str | None:
    if point is None:
        return None
    return point.date or (point.datetime[:10] if point.datetime else None)


# --- frame files ---------------------------------------------------------------------------


def frame_paths(out: str | os.PathLike[str], fmt: str) -> dict[str, Path]:
    """Where the frames of one export go.

    `out` ending in `.csv` / `.parquet` is a prefix: `reports.csv` -> `reports_incidents.csv`,
    `reports_entities.csv`, ... beside it. Any other `out` is a folder holding
    `incidents.csv`, `entities.csv`, ...
    """
    out = Path(out)
    if out.suffix == f".{fmt}":
        return {name: out.with_name(f"{out.stem}_{name}.{fmt}") for name in FRAME_NAMES}
    return {name: out / f"{name}.{fmt}" for name in FRAME_NAMES}


def write_frames(frames: dict[str, pd.DataFrame], out: str | os.PathLike[str], fmt: str) -> list[Path]:
    """Write every frame as CSV (UTF-8, dates as YYYY-MM-DD) or Parquet; returns the paths written."""
    if fmt not in FRAME_FORMATS:
        raise InsidenError(Errors.E032.format(fmt=fmt, choices=" or ".join(FRAME_FORMATS)))
    paths = frame_paths(out, fmt)
    written = []
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            frames[name].to_csv(path, index=False, date_format="%Y-%m-%d")
        else:
            frames[name].to_parquet(path, index=False)
        written.append(path)
    return written


def read_frames(out: str | os.PathLike[str], fmt: str) -> dict[str, pd.DataFrame]:
    """Read back what `write_frames` wrote, with the documented dtypes.

    CSV cannot tell an empty string from a missing value: both come back as <NA>.
    """
    frames = {}
    for name, path in frame_paths(out, fmt).items():
        if fmt == "csv":
            raw = pd.read_csv(path, dtype=object, keep_default_na=False, na_values=[""])
            frames[name] = _frame(raw.to_dict("records"), FRAME_COLUMNS[name])
        else:
            frames[name] = pd.read_parquet(path)
    return frames


# --- JSON ----------------------------------------------------------------------------------


@dataclass
class ExportSummary:
    """What one export wrote."""

    reports: int = 0
    paths: list[Path] = field(default_factory=list)


def write_reports_json(
    reports: Iterable[IncidentReport], out: TextIO, *, lines: bool, include_text: bool = True
) -> int:
    """Write reports as JSONL (`lines=True`) or one JSON array, each checked against the published schema.

    Returns:
        The number of reports written.

    Raises:
        InsidenError: E030 when a report does not validate (nothing more is written).
    """
    from pipeline.validate import report_problems

    count = 0
    if not lines:
        out.write("[")
    for report in reports:
        data = report.model_dump(mode="json")
        if not include_text:
            data["text"] = None
        problems = report_problems(data, where=f"report {count} ({report.doc_id})")
        if problems:
            raise InsidenError(Errors.E030.format(problems="\n".join(problems[:20])))
        line = json.dumps(data, ensure_ascii=False)
        out.write(line + "\n" if lines else ("\n" if count == 0 else ",\n") + line)
        count += 1
    if not lines:
        out.write("\n]\n" if count else "]\n")
    return count


# --- one call per format -------------------------------------------------------------------


def export_reports(
    inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *, fmt: str, include_text: bool = True
) -> ExportSummary:
    """Convert report files (JSONL, plain or .gz) into one export format; backs `insiden export`.

    Args:
        inputs: report files, read in order.
        out: the output file (json, jsonl, graphml; "-" is standard output for json and jsonl),
            or the folder or prefix of the frame files (csv, parquet; see `frame_paths`).
        fmt: one of `FORMATS`.
        include_text: keep the document text in json and jsonl output.

    Raises:
        InsidenError: E030 a report breaks the schema, E031 an input line is not a report,
            E032 an unknown format.
    """
    if fmt not in FORMATS:
        raise InsidenError(Errors.E032.format(fmt=fmt, choices=", ".join(FORMATS)))

    def reports() -> Iterator[IncidentReport]:
        for path in inputs:
            yield from read_reports(path)

    if fmt in FRAME_FORMATS:
        items = list(reports())
        return ExportSummary(len(items), write_frames(reports_to_frames(items), out, fmt))
    if fmt == "graphml":
        from pipeline.graph import corpus_graph, write_graphml

        items = list(reports())
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        write_graphml(corpus_graph(items), out)
        return ExportSummary(len(items), [Path(out)])
    if str(out) == "-":
        import sys

        return ExportSummary(write_reports_json(reports(), sys.stdout, lines=fmt == "jsonl", include_text=include_text))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            count = write_reports_json(reports(), handle, lines=fmt == "jsonl", include_text=include_text)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return ExportSummary(count, [out])
