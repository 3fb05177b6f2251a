"""The `insiden` command line: extract, schema, and the analysis commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import Errors, InsidenError

EXIT_OK, EXIT_DOC_ERRORS, EXIT_FAILURE = 0, 1, 2


def _parse_overrides(extra: Sequence[str]) -> dict[str, object]:
    """spaCy-style config overrides: `--components.incident_cues.overwrite true`."""
    overrides: dict[str, object] = {}
    items = list(extra)
    while items:
        key = items.pop(0)
        if not key.startswith("--") or "." not in key:
            raise InsidenError(Errors.E009.format(arg=key))
        name, _, inline = key[2:].partition("=")
        raw = inline if inline else (items.pop(0) if items else "true")
        try:
            overrides[name] = json.loads(raw)
        except json.JSONDecodeError:
            overrides[name] = raw
    return overrides


def cmd_extract(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Write one report per input document (and one error line per refused document)."""
    from pipeline.batch import DaskEngine, ExtractionSettings, LocalEngine, run_extraction

    out_path = Path(args.output)
    errors_path = Path(args.errors) if args.errors else out_path.with_name(out_path.stem + ".errors.jsonl")
    settings = ExtractionSettings(include_text=not args.no_text, overrides=_parse_overrides(extra))
    workers = args.workers or os.cpu_count() or 1
    engine = DaskEngine(workers, args.scheduler) if args.engine == "dask" else LocalEngine(workers)
    show_progress = not args.quiet and sys.stderr.isatty()
    summary = run_extraction(
        args.inputs,
        out_path,
        errors_path,
        settings=settings,
        engine=engine,
        resume=args.resume,
        progress=show_progress,
        max_bytes=args.max_bytes,
    )
    if not args.quiet:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(summary.errors_by_code.items())) or "none"
        print(
            f"insiden: {summary.documents} documents ({summary.skipped} done before resume), "
            f"{summary.reports} reports -> {out_path}, {summary.errors} errors -> {errors_path} [{codes}], "
            f"{summary.seconds:.1f} s, {summary.docs_per_second:.1f} docs/s",
            file=sys.stderr,
        )
        if args.summary:
            from pipeline.summary import print_summary_table

            print_summary_table(out_path)
    return EXIT_DOC_ERRORS if summary.errors else EXIT_OK


def cmd_schema(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Print (or write) the JSON Schema of the incident report; optionally validate report files."""
    from pipeline.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.validate:
        from pipeline.validate import validate_reports

        problems = validate_reports(args.validate)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"insiden: {'invalid' if problems else 'valid'}: {', '.join(args.validate)}", file=sys.stderr)
        return EXIT_DOC_ERRORS if problems else EXIT_OK
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Score predicted reports against a gold folder; print the table, write JSON, guard a baseline."""
    from pipeline.evaluation import evaluate, load_gold
    from pipeline.evaluation.gold import write_pipeline_input
    from pipeline.evaluation.report import format_table, headline, regressions

    gold = load_gold(args.gold)
    if not gold:
        raise InsidenError(Errors.E010.format(path=args.gold))
    pred_path = Path(args.predictions) if args.predictions else None
    if pred_path is None:
        from pipeline.batch import ExtractionSettings, LocalEngine, run_extraction

        work = Path(args.workdir)
        write_pipeline_input(gold, work / "gold_input.jsonl")
        pred_path = work / "predictions.jsonl"
        run_extraction(
            [str(work / "gold_input.jsonl")],
            pred_path,
            work / "predictions.errors.jsonl",
            settings=ExtractionSettings(),
            engine=LocalEngine(args.workers or 1),
        )
    with pred_path.open(encoding="utf-8") as handle:
        predictions = {r["doc_id"]: r for r in map(json.loads, filter(str.strip, handle))}
    scores = evaluate(gold, predictions)
    print(format_table(scores, markdown=args.markdown))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(scores, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if args.write_baseline:
        Path(args.write_baseline).write_text(
            json.dumps(headline(scores), indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    if args.baseline:
        baseline = json.loads(Path(args.baseline).read_text(encoding="utf-8"))
        problems = regressions(scores, baseline, args.tolerance)
        for problem in problems:
            print(f"regression: {problem}", file=sys.stderr)
        if problems:
            return EXIT_DOC_ERRORS
    return EXIT_OK


def _read_report_lines(path: str) -> list[dict]:
    """Report dicts from a JSONL file (blank lines skipped), with a coded error for a missing file."""
    source = Path(path)
    if not source.is_file():
        raise InsidenError(Errors.E005.format(path=path))
    with source.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cmd_graph(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Draw or export the causal graph of one report (--doc-id) or of the whole file, equal events merged."""
    from pipeline.graph import corpus_graph, format_for, report_graph, write_graph

    fmt = format_for(args.output, args.format)
    reports = _read_report_lines(args.reports)
    if args.doc_id:
        chosen = [r for r in reports if r.get("doc_id") == args.doc_id]
        if not chosen:
            raise InsidenError(Errors.E021.format(doc_id=args.doc_id, path=args.reports))
        graph = report_graph(chosen[0])
    else:
        graph = corpus_graph(reports, by_provider=not args.across_providers)
    write_graph(graph, args.output, fmt)
    print(
        f"insiden: graph of {graph.number_of_nodes()} events, {graph.number_of_edges()} links -> {args.output} ({fmt})",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_merge(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Group reports about the same incident (any language) into incident records, one JSON line each."""
    from pipeline.merge import MergeSettings, merge_reports

    settings = MergeSettings(window_days=args.window_days, threshold=args.threshold)
    reports = _read_report_lines(args.reports)
    records = merge_reports(reports, settings=settings, include_non_incidents=args.include_non_incidents)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record.model_dump_json() + "\n")
    merged = sum(1 for r in records if len(r.doc_ids) > 1)
    print(
        f"insiden: {len(reports)} reports -> {len(records)} incidents ({merged} from several reports) -> {out}",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Convert report files to JSON, JSONL, CSV or Parquet tables, or the corpus causal graph as GraphML."""
    from pipeline.export import export_reports

    summary = export_reports(args.reports, args.output, fmt=args.format, include_text=not args.no_text)
    if not args.quiet:
        where = ", ".join(map(str, summary.paths)) or "stdout"
        print(f"insiden: {summary.reports} reports -> {where} ({args.format})", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="insiden",
        description="Structured incident reports from Indonesian and English outage news and post-mortems.",
    )
    parser.add_argument("--version", action="version", version=f"insiden {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = sub.add_parser(
        "extract",
        help="extract one incident report per document",
        description="Extract one incident report per input document (JSONL, .txt/.md, .html, any of them "
        "gzipped, folders, or - for stdin). Reports are written in input order; refused documents go to the "
        "errors file with their reason. Extra --section.key value arguments override the pipeline config.",
    )
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or - (stdin)")
    extract.add_argument("-o", "--output", default="out/reports.jsonl", help="reports file (default: %(default)s)")
    extract.add_argument("--errors", help="errors file (default: <output stem>.errors.jsonl beside the output)")
    extract.add_argument("--workers", type=int, default=0, help="worker processes (default: the machine's cores)")
    extract.add_argument("--engine", choices=["local", "dask"], default="local", help="where partitions run")
    extract.add_argument("--scheduler", help="dask scheduler address (default: a LocalCluster)")
    extract.add_argument("--resume", action="store_true", help="continue an interrupted run with the same inputs")
    extract.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    extract.add_argument("--summary", action="store_true", help="print a table of the reports at the end")
    extract.add_argument("--no-text", action="store_true", help="leave the document text out of the reports")
    extract.add_argument(
        "--max-bytes", type=int, default=2_000_000, help="refuse larger documents (default: %(default)s)"
    )
    extract.set_defaults(handler=cmd_extract)

    schema = sub.add_parser("schema", help="print the incident report JSON Schema, or validate reports against it")
    schema.add_argument("-o", "--output", help="write the schema to this file instead of stdout")
    schema.add_argument("--validate", nargs="+", metavar="REPORTS", help="validate JSONL report files")
    schema.set_defaults(handler=cmd_schema)

    evaluate = sub.add_parser(
        "evaluate",
        help="score reports against gold annotations",
        description="Score predicted reports (JSONL) against a gold folder (corpora/gold/<split>). Without PRED, "
        "run the pipeline on the gold texts first. With --baseline, exit 1 when a headline figure drops more "
        "than --tolerance points below it.",
    )
    evaluate.add_argument("gold", metavar="GOLD", help="gold folder, e.g. corpora/gold/test")
    evaluate.add_argument("predictions", metavar="PRED", nargs="?", help="reports JSONL (default: run the pipeline)")
    evaluate.add_argument("-o", "--output", help="write all scores as JSON to this file")
    evaluate.add_argument("--workdir", default="out/eval", help="where the pipeline run writes (default: %(default)s)")
    evaluate.add_argument("--workers", type=int, default=1, help="worker processes for the pipeline run")
    evaluate.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    evaluate.add_argument("--baseline", help="baseline JSON of headline figures to guard")
    evaluate.add_argument("--tolerance", type=float, default=3.0, help="allowed drop in points (default: %(default)s)")
    evaluate.add_argument("--write-baseline", metavar="FILE", help="write the headline figures as a new baseline")
    evaluate.set_defaults(handler=cmd_evaluate)
    graph = sub.add_parser(
        "graph",
        help="export or draw the causal graph of reports",
        description="Build the causal graph of a reports file (equal events merged across reports, per "
        "provider) or of one report (--doc-id), and write it as GraphML, node-link JSON, DOT, PNG, SVG or a "
        "standalone HTML page. The format comes from the output suffix unless --format names it.",
    )
    graph.add_argument("reports", metavar="REPORTS", help="reports JSONL")
    graph.add_argument("-o", "--output", required=True, help="output file (.graphml, .json, .dot, .png, .svg, .html)")
    graph.add_argument("--format", choices=["graphml", "json", "dot", "png", "svg", "html"], help="output format")
    graph.add_argument("--doc-id", help="draw this report only")
    graph.add_argument("--across-providers", action="store_true", help="merge equal events of different providers")
    graph.set_defaults(handler=cmd_graph)

    merge = sub.add_parser(
        "merge",
        help="group reports about the same incident into incident records",
        description="Group reports about the same incident (same provider, close dates, shared services, "
        "similar root cause across languages) into one JSON line per incident, keeping every source and "
        "resolving conflicting fields with their evidence.",
    )
    merge.add_argument("reports", metavar="REPORTS", help="reports JSONL")
    merge.add_argument("-o", "--output", default="out/incidents.jsonl", help="incidents JSONL (default: %(default)s)")
    merge.add_argument("--window-days", type=int, default=3, help="start dates this close may merge (default: 3)")
    merge.add_argument("--threshold", type=float, default=0.6, help="merge score threshold (default: 0.6)")
    merge.add_argument("--include-non-incidents", action="store_true", help="keep is_incident=false reports")
    merge.set_defaults(handler=cmd_merge)

    export = sub.add_parser(
        "export",
        help="convert reports to JSON, JSONL, CSV, Parquet or GraphML",
        description="Convert report files (JSONL, plain or .gz) to one JSON array or JSONL (each report "
        "validated against the published JSON Schema), to the pandas tables as CSV or Parquet (one file per "
        "table: OUT/incidents.csv, ... or, when OUT ends in .csv/.parquet, OUT_incidents.csv, ...; see "
        "docs/frames.md), or to the corpus causal graph as GraphML.",
    )
    export.add_argument("reports", nargs="+", metavar="REPORTS", help="reports JSONL files (.gz allowed)")
    export.add_argument(
        "--format", required=True, choices=["json", "jsonl", "csv", "parquet", "graphml"], help="output format"
    )
    export.add_argument("-o", "--output", required=True, help="output file, folder or prefix; - is stdout for json")
    export.add_argument("--no-text", action="store_true", help="leave the document text out of json/jsonl")
    export.add_argument("--quiet", action="store_true", help="no summary line")
    export.set_defaults(handler=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `insiden` console script."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "extract":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.handler(args, extra)
    except InsidenError as err:
        print(f"insiden: error: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("insiden: interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
