"""Batch extraction: stream records through the extractor in order, in parallel, resumably.

The output is the same bytes whatever the engine or worker count: documents are cut into
partitions of consecutive records, each partition is processed by `process_partition`
(in this process, in a pool of worker processes, or on Dask), and results are written
back in input order. Every input document ends as one line of the reports file or of the
errors file. At most `2 x workers` partitions are in flight, so memory stays bounded
whatever the size of the archive.

Resuming: a checkpoint `<out>.progress` is saved before the first partition and after each
partition is written. It records how many input positions are done, the byte length of
both output files and the counts so far. `--resume` truncates the files to those lengths
(dropping any line written after the last checkpoint, whole or torn by a SIGKILL) and
skips the positions already done.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import DocErrors, InsidenError
from pipeline.io import DEFAULT_MAX_BYTES, Record, iter_input_files, read_records

DEFAULT_PARTITION_SIZE = 32
"""Documents per partition: one extractor batch, small enough to keep every worker busy to the end."""
CHECKPOINT_SUFFIX = ".progress"
WINDOW_PER_WORKER = 2
"""Partitions in flight per worker: enough to keep workers busy, few enough to bound memory."""
FORKSERVER_PRELOAD = ["pipeline.factories"]
"""Imported once in the fork server (spaCy, thinc, torch: ~4 s), so each worker starts warm."""


@dataclass
class ExtractionSettings:
    """What every worker needs to build the same extractor."""

    include_text: bool = True
    overrides: dict[str, object] = field(default_factory=dict)
    batch_size: int = 32


@dataclass
class Summary:
    """Counts of a run, including the part done before a resume."""

    documents: int = 0
    reports: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    errors_by_code: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_second(self) -> float:
        """Documents processed in this run (not counting resumed ones) per second."""
        done = self.documents - self.skipped
        return done / self.seconds if self.seconds > 0 else 0.0


PartitionResult = list[tuple[int, bool, str]]
"""(input position, is_error, JSON line) per document of a partition."""
PartitionFn = Callable[[Sequence[Record], "ExtractionSettings"], Any]

_WORKER_EXTRACTORS: dict[str, Any] = {}
# spaCy pipelines are not documented as thread-safe; Dask workers may run several threads.
_WORKER_LOCK = threading.Lock()


def _extractor_for(settings: ExtractionSettings) -> Any:
    from pipeline.extractor import Extractor

    key = json.dumps(asdict(settings), sort_keys=True, default=str)
    extractor = _WORKER_EXTRACTORS.get(key)
    if extractor is None:
        extractor = Extractor(
            overrides=settings.overrides, include_text=settings.include_text, batch_size=settings.batch_size
        )
        _WORKER_EXTRACTORS[key] = extractor
    return extractor


def process_partition(records: Sequence[Record], settings: ExtractionSettings) -> PartitionResult:
    """Process consecutive records; the one function every engine runs.

    The extractor (and the spaCy pipeline of each language, on first use) is built once
    per process and reused for every later partition.
    """
    with _WORKER_LOCK:
        outcomes = list(_extractor_for(settings).process(records))
    return [_outcome_line(outcome) for outcome in outcomes]


def _outcome_line(outcome: Any) -> tuple[int, bool, str]:
    try:
        return outcome.position, outcome.error is not None, outcome.to_json()
    except Exception as err:  # a report that cannot be serialised must not stop the batch
        from pipeline.schema import ErrorRecord

        doc_id = outcome.report.doc_id if outcome.report is not None else outcome.error.doc_id
        error = ErrorRecord(
            doc_id=doc_id.encode("utf-8", "replace").decode("utf-8"),
            position=outcome.position,
            code=DocErrors.PIPELINE,
            reason=f"report cannot be serialised: {type(err).__name__}",
        )
        return outcome.position, True, error.model_dump_json()


def preload_worker(settings: ExtractionSettings, languages: Sequence[str] | None = None) -> None:
    """Build this process's extractor and load the pipeline of each language (all by default)."""
    extractor = _extractor_for(settings)
    for lang in languages if languages is not None else extractor.languages:
        extractor.nlp(lang)


def worker_state() -> dict[str, int]:
    """This process's id and how many language pipelines it has loaded so far (diagnostics)."""
    from pipeline.extractor import _cached_pipeline

    return {"pid": os.getpid(), "pipeline_loads": _cached_pipeline.cache_info().misses}


def probe_partition(records: Sequence[Record], settings: ExtractionSettings) -> dict[str, int]:
    """Run `process_partition`, then return `worker_state()`: shows which worker ran it and its loads."""
    process_partition(records, settings)
    return worker_state()


def partitions(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Cut a record stream into lists of `size` consecutive records."""
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Engine(Protocol):
    """Runs a partition function over partitions and yields the results in input order."""

    def map(
        self, parts: Iterable[list[Record]], settings: ExtractionSettings, func: PartitionFn = process_partition
    ) -> Iterator[Any]: ...


class LocalEngine:
    """In this process (workers=1) or in a pool of worker processes on this machine.

    Used as a context manager, the worker pool (and the pipelines loaded in it) lives
    across several runs; otherwise each `map` starts and stops its own pool.

    Args:
        workers: worker processes; 1 runs everything in this process.
        preload: load every language pipeline when a worker starts, not on first use.
    """

    def __init__(self, workers: int = 1, *, preload: bool = False) -> None:
        self.workers = max(1, workers)
        self.preload = preload
        self._executor: Any = None
        self._entered = False

    def __enter__(self) -> LocalEngine:
        self._entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        self._entered = False
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map(
        self, parts: Iterable[list[Record]], settings: ExtractionSettings, func: PartitionFn = process_partition
    ) -> Iterator[Any]:
        if self.workers == 1:
            if self.preload:
                preload_worker(settings)
            for part in parts:
                yield func(part, settings)
            return
        executor = self._pool(settings)
        try:
            yield from _ordered_window(
                parts, lambda part: executor.submit(func, part, settings), WINDOW_PER_WORKER * self.workers
            )
        finally:
            if not self._entered:
                self.close()

    def _pool(self, settings: ExtractionSettings) -> Any:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # A dead worker raises BrokenProcessPool here instead of hanging, as multiprocessing.Pool would.
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context(_start_method()),
                initializer=preload_worker if self.preload else None,
                initargs=(settings,) if self.preload else (),
            )
        return self._executor


class DaskEngine:
    """On dask.distributed: a cluster at `scheduler`, or a LocalCluster of `workers` processes.

    Each Dask worker process builds its extractor once and keeps it for every partition
    it runs; results come back in input order, so the output equals the local engine's.
    Used as a context manager, the connection (and a LocalCluster) lives across runs.

    Args:
        workers: worker processes of the LocalCluster (ignored with a scheduler).
        scheduler: address of a running scheduler, e.g. "tcp://10.0.0.5:8786".
        connect_timeout: seconds to wait for the scheduler.
    """

    def __init__(self, workers: int = 1, scheduler: str | None = None, *, connect_timeout: float = 30.0) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self._client: Any = None
        self._cluster: Any = None
        self._entered = False

    def __enter__(self) -> DaskEngine:
        self._entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        self._entered = False
        self.close()

    def close(self) -> None:
        """Disconnect from the scheduler; stop the LocalCluster if this engine started one."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map(
        self, parts: Iterable[list[Record]], settings: ExtractionSettings, func: PartitionFn = process_partition
    ) -> Iterator[Any]:
        client = self._connect()
        try:
            threads = sum(client.nthreads().values()) or self.workers
            yield from _ordered_window(
                parts, lambda part: client.submit(func, part, settings, pure=False), WINDOW_PER_WORKER * threads
            )
        finally:
            if not self._entered:
                self.close()

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise InsidenError(
                'E004: the "dask" extra is needed for --engine dask: pip install "insiden[dask]"'
            ) from err
        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout=f"{self.connect_timeout}s")
            except OSError as err:
                raise InsidenError(f"E011: cannot reach the Dask scheduler at {self.scheduler}: {err}") from err
        else:
            import dask

            # Worker processes come from the same warm fork server as LocalEngine's (spawn would
            # import spaCy and torch again in each of them).
            method = _start_method(["distributed", *FORKSERVER_PRELOAD])
            with dask.config.set({"distributed.worker.multiprocessing-method": method}):
                self._cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            self._client = Client(self._cluster)
        return self._client


def _start_method(preload: Sequence[str] = FORKSERVER_PRELOAD) -> str:
    """ "forkserver" (started now, with spaCy and torch imported once) where there is one, else "spawn".

    Never "fork": spaCy/torch state and threads do not survive it.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return "spawn"
    from multiprocessing import forkserver

    # Dask sets its own preload list when it starts the server; starting it first keeps ours.
    multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
    forkserver.ensure_running()
    return "forkserver"


def _ordered_window(parts: Iterable[list[Record]], submit: Callable[[list[Record]], Any], window: int) -> Iterator:
    """Keep at most `window` partitions in flight; yield their results in submission order."""
    pending: deque = deque()
    for part in parts:
        pending.append(submit(part))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@dataclass
class Checkpoint:
    """How far a run got: positions done, the byte length of both outputs, and the counts then."""

    fingerprint: str
    next_position: int = 0
    out_bytes: int = 0
    err_bytes: int = 0
    reports: int = 0
    errors: int = 0
    errors_by_code: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        """The checkpoint saved at `path`, or None when there is none."""
        if not path.is_file():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        """Write atomically: a kill leaves the old checkpoint or the new one, never half of one."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


def run_fingerprint(inputs: Sequence[str], settings: ExtractionSettings, max_bytes: int) -> str:
    """Identifies a run's inputs (paths, sizes, modification times) and settings.

    --resume refuses to continue when it changed, so two different runs are never mixed.
    """
    files = []
    for path in iter_input_files(inputs):
        if path == "-":
            files.append(["-"])
        else:
            stat = Path(path).stat()
            files.append([str(path), stat.st_size, stat.st_mtime_ns])
    payload = json.dumps(
        {"inputs": [str(i) for i in inputs], "files": files, "settings": asdict(settings), "max_bytes": max_bytes},
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
    """Extract reports for every document under `inputs` into `out_path` (errors into `errors_path`).

    Args:
        inputs: files, folders or "-" (see `pipeline.io.read_records`).
        out_path: the reports file, one JSON line per report, in input order.
        errors_path: the errors file, one JSON line per refused document, in input order.
        settings: extractor settings, the same in every worker.
        engine: where partitions run (default: this process).
        resume: continue the interrupted run whose checkpoint is `<out_path>.progress`.
        progress: show a progress bar on standard error.
        max_bytes: refuse documents larger than this.
        partition_size: documents per partition (does not change the output).

    Returns:
        The counts of the whole run, including documents done before a resume.

    Raises:
        InsidenError: E007/E008 when a resume is impossible, E012 when an output lies among the
            inputs, E013 when a worker process dies (the checkpoint is kept for --resume).
    """
    settings = settings or ExtractionSettings()
    engine = engine or LocalEngine()
    _refuse_output_among_inputs(inputs, (out_path, errors_path))
    checkpoint_path = out_path.with_name(out_path.name + CHECKPOINT_SUFFIX)
    fingerprint = run_fingerprint(inputs, settings, max_bytes)
    checkpoint = _start_checkpoint(checkpoint_path, fingerprint, resume, out_path, errors_path)
    start = checkpoint.next_position
    summary = Summary(
        documents=start,
        reports=checkpoint.reports,
        errors=checkpoint.errors,
        skipped=start,
        errors_by_code=dict(checkpoint.errors_by_code),
    )
    started = time.perf_counter()
    records = (r for r in read_records(inputs, max_bytes=max_bytes) if r.position >= start)
    bar = _progress_bar(inputs, start, summary.errors) if progress else None
    try:
        with _open_append(out_path) as out, _open_append(errors_path) as err:
            for result in engine.map(partitions(records, partition_size), settings):
                report_lines = "".join(line + "\n" for _, is_error, line in result if not is_error).encode()
                error_lines = [line for _, is_error, line in result if is_error]
                error_bytes = "".join(line + "\n" for line in error_lines).encode()
                _write_whole(out, report_lines)
                _write_whole(err, error_bytes)
                _count(summary, len(result), error_lines)
                checkpoint.next_position = result[-1][0] + 1
                checkpoint.out_bytes += len(report_lines)
                checkpoint.err_bytes += len(error_bytes)
                checkpoint.reports, checkpoint.errors = summary.reports, summary.errors
                checkpoint.errors_by_code = dict(summary.errors_by_code)
                checkpoint.save(checkpoint_path)
                if bar is not None:
                    bar.set_postfix(errors=summary.errors, refresh=False)
                    bar.update(len(result))
    except BrokenExecutor as err:
        raise InsidenError(
            f"E013: a worker process died ({err}); out of memory? The output is kept: rerun with --resume"
        ) from err
    finally:
        if bar is not None:
            bar.close()
    summary.seconds = time.perf_counter() - started
    checkpoint_path.unlink(missing_ok=True)
    return summary


def _refuse_output_among_inputs(inputs: Sequence[str], outputs: Sequence[Path]) -> None:
    # Writing into a folder that is being read would feed the reports back in as documents.
    for raw in inputs:
        if raw == "-":
            continue
        source = Path(raw).resolve()
        for output in outputs:
            target = output.resolve()
            if target == source or (source.is_dir() and target.is_relative_to(source)):
                raise InsidenError(f"E012: output {output} lies among the inputs ({raw}); write it elsewhere")


def _open_append(path: Path) -> Any:
    # Unbuffered: each partition reaches the file in one write, never split across buffer flushes.
    return path.open("ab", buffering=0)


def _write_whole(handle: Any, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = handle.write(view)
        view = view[written:]


def _start_checkpoint(path: Path, fingerprint: str, resume: bool, out_path: Path, errors_path: Path) -> Checkpoint:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    errors_path.parent.mkdir(parents=True, exist_ok=True)
    previous = Checkpoint.load(path) if resume else None
    if previous is None:
        if resume and out_path.exists() and out_path.stat().st_size:
            raise InsidenError(f"E007: cannot resume: no checkpoint {path} (the run finished, or never started)")
        for target in (out_path, errors_path):
            target.write_bytes(b"")
        checkpoint = Checkpoint(fingerprint)
        checkpoint.save(path)  # from the start, so a run killed before its first partition resumes too
        return checkpoint
    if previous.fingerprint != fingerprint:
        raise InsidenError("E008: cannot resume: inputs or settings differ from the interrupted run")
    for target, size in ((out_path, previous.out_bytes), (errors_path, previous.err_bytes)):
        with target.open("ab") as handle:
            handle.truncate(size)
    return previous


def _count(summary: Summary, documents: int, error_lines: Sequence[str]) -> None:
    summary.documents += documents
    summary.errors += len(error_lines)
    summary.reports += documents - len(error_lines)
    for line in error_lines:
        code = json.loads(line).get("code", "?")
        summary.errors_by_code[code] = summary.errors_by_code.get(code, 0) + 1


def _progress_bar(inputs: Sequence[str], done: int, errors: int) -> Any:
    """Documents, docs/s, errors, and the ETA when the number of documents is known."""
    from tqdm import tqdm

    total = count_documents(inputs)
    bar = tqdm(
        total=total, initial=done, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1, mininterval=0.5
    )
    bar.set_postfix(errors=errors, refresh=False)
    return bar
