"""Batch extraction: stream records through the extractor in order, in parallel, resumably.

The output is the same bytes whatever the engine or worker count: documents are cut into
partitions of consecutive records, each partition is processed by `process_partition`
(in this process, in a pool of worker processes, or on Dask), and results are written
back in input order. Every input document ends as one line of the reports file or of the
errors file.

Resuming: after each partition is written, a checkpoint `<out>.progress` records how many
input positions are done and the byte length of both output files. `--resume` truncates
the files to those lengths (dropping any line written after the last checkpoint, whole or
torn by a SIGKILL) and skips the positions already done.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from pipeline.errors import InsidenError
from pipeline.io import DEFAULT_MAX_BYTES, Record, iter_input_files, read_records

DEFAULT_PARTITION_SIZE = 64
CHECKPOINT_SUFFIX = ".progress"


@dataclass
class ExtractionSettings:
    """What every worker needs to build the same extractor."""

    include_text: bool = True
    overrides: dict[str, object] = field(default_factory=dict)
    batch_size: int = 32


@dataclass
class Summary:
    """Counts of a finished run."""

    documents: int = 0
    reports: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    errors_by_code: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0


PartitionResult = list[tuple[int, bool, str]]
"""(input position, is_error, JSON line) per document of a partition."""

_WORKER_EXTRACTORS: dict[str, object] = {}


def process_partition(records: Sequence[Record], settings: ExtractionSettings) -> PartitionResult:
    """Process consecutive records; the one function every engine runs."""
    from pipeline.extractor import Extractor

    key = json.dumps(asdict(settings), sort_keys=True, default=str)
    extractor = _WORKER_EXTRACTORS.get(key)
    if extractor is None:
        extractor = Extractor(
            overrides=settings.overrides, include_text=settings.include_text, batch_size=settings.batch_size
        )
        _WORKER_EXTRACTORS[key] = extractor
    return [(o.position, o.error is not None, o.to_json()) for o in extractor.process(records)]  # type: ignore[attr-defined]


def partitions(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Cut a record stream into lists of `size` consecutive records."""
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Engine(Protocol):
    """Runs `process_partition` over partitions and yields results in input order."""

    def map(self, parts: Iterable[list[Record]], settings: ExtractionSettings) -> Iterator[PartitionResult]: ...


class LocalEngine:
    """In this process (workers=1) or in a pool of processes, with a bounded window in flight."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def map(self, parts: Iterable[list[Record]], settings: ExtractionSettings) -> Iterator[PartitionResult]:
        if self.workers == 1:
            for part in parts:
                yield process_partition(part, settings)
            return
        import multiprocessing

        context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "forkserver")
        with context.Pool(self.workers) as pool:
            yield from _ordered_window(
                parts, lambda part: pool.apply_async(process_partition, (part, settings)), 2 * self.workers
            )


class DaskEngine:
    """On dask.distributed: a cluster at `scheduler`, or a LocalCluster of `workers` processes."""

    def __init__(self, workers: int = 1, scheduler: str | None = None) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler

    def map(self, parts: Iterable[list[Record]], settings: ExtractionSettings) -> Iterator[PartitionResult]:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise InsidenError(
                'E004: the "dask" extra is needed for --engine dask: pip install "insiden[dask]"'
            ) from err
        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            yield from _ordered_window(
                parts, lambda part: client.submit(process_partition, part, settings, pure=False), 2 * self.workers
            )
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _ordered_window(parts: Iterable[list[Record]], submit, window: int) -> Iterator[PartitionResult]:
    """Keep at most `window` partitions in flight; yield their results in submission order."""
    pending: deque = deque()
    for part in parts:
        pending.append(submit(part))
        if len(pending) >= window:
            yield _result(pending.popleft())
    while pending:
        yield _result(pending.popleft())


def _result(future) -> PartitionResult:
    return future.get() if hasattr(future, "get") and not hasattr(future, "result") else future.result()


@dataclass
class Checkpoint:
    """How far a run got: positions done and the byte length of both outputs then."""

    fingerprint: str
    next_position: int = 0
    out_bytes: int = 0
    err_bytes: int = 0

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        if not path.is_file():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.replace(tmp, path)


def run_fingerprint(inputs: Sequence[str], settings: ExtractionSettings, max_bytes: int) -> str:
    """Identifies a run's inputs and settings, so --resume never mixes two different runs."""
    payload = json.dumps(
        {"inputs": [str(i) for i in inputs], "settings": asdict(settings), "max_bytes": max_bytes},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def count_documents(inputs: Sequence[str]) -> int | None:
    """The number of input documents when it can be known cheaply (None with stdin or gzip)."""
    total = 0
    for path in iter_input_files(inputs):
        if path == "-" or str(path).endswith(".gz"):
            return None
        if Path(path).suffix.lower() in {".jsonl", ".ndjson"}:
            with open(path, "rb") as handle:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda h=handle: h.read(1 << 20), b""))
        else:
            total += 1
    return total


def run_extraction(
    inputs: Sequence[str],
    out_path: Path,
    errors_path: Path,
    *,
    settings: ExtractionSettings | None = None,
    engine: Engine | None = None,
    resume: bool = False,
    progress: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    partition_size: int = DEFAULT_PARTITION_SIZE,
) -> Summary:
    """Extract reports for every document under `inputs` into `out_path` (errors into `errors_path`)."""
    settings = settings or ExtractionSettings()
    engine = engine or LocalEngine()
    checkpoint_path = out_path.with_name(out_path.name + CHECKPOINT_SUFFIX)
    checkpoint = _start_checkpoint(
        checkpoint_path, run_fingerprint(inputs, settings, max_bytes), resume, out_path, errors_path
    )
    summary = Summary(skipped=checkpoint.next_position)
    started = time.perf_counter()
    records = (r for r in read_records(inputs, max_bytes=max_bytes) if r.position >= checkpoint.next_position)
    bar = _progress_bar(inputs, checkpoint.next_position) if progress else None
    mode = "a" if resume else "w"
    with out_path.open(mode, encoding="utf-8") as out, errors_path.open(mode, encoding="utf-8") as err:
        for result in engine.map(partitions(records, partition_size), settings):
            for _position, is_error, line in result:
                (err if is_error else out).write(line + "\n")
                _count(summary, is_error, line)
            out.flush()
            err.flush()
            checkpoint.next_position = result[-1][0] + 1
            checkpoint.out_bytes, checkpoint.err_bytes = out.tell(), err.tell()
            checkpoint.save(checkpoint_path)
            if bar is not None:
                bar.update(len(result))
                bar.set_postfix(errors=summary.errors, refresh=False)
    if bar is not None:
        bar.close()
    summary.seconds = time.perf_counter() - started
    checkpoint_path.unlink(missing_ok=True)
    return summary


def _start_checkpoint(path: Path, fingerprint: str, resume: bool, out_path: Path, errors_path: Path) -> Checkpoint:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    errors_path.parent.mkdir(parents=True, exist_ok=True)
    previous = Checkpoint.load(path) if resume else None
    if previous is None:
        if resume and out_path.exists() and out_path.stat().st_size:
            raise InsidenError(f"E007: cannot resume: no checkpoint {path} (the run finished, or never started)")
        for target in (out_path, errors_path):
            target.write_text("", encoding="utf-8")
        return Checkpoint(fingerprint)
    if previous.fingerprint != fingerprint:
        raise InsidenError("E008: cannot resume: inputs or settings differ from the interrupted run")
    for target, size in ((out_path, previous.out_bytes), (errors_path, previous.err_bytes)):
        with target.open("ab") as handle:
            handle.truncate(size)
    return previous


def _count(summary: Summary, is_error: bool, line: str) -> None:
    summary.documents += 1
    if is_error:
        summary.errors += 1
        code = json.loads(line).get("code", "?")
        summary.errors_by_code[code] = summary.errors_by_code.get(code, 0) + 1
    else:
        summary.reports += 1


def _progress_bar(inputs: Sequence[str], done: int):
    from tqdm import tqdm

    total = count_documents(inputs)
    return tqdm(total=total, initial=done, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
