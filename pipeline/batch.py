"""Batch extraction: stream records through the extractor in order, in parallel, resumably.

The output is the same bytes whatever the engine or worker count: documents are cut into
partitions of consecutive records, each partition is processed by `process_partition`
(`pipeline.partition`) on an engine (`pipeline.engines`: this process, a pool of worker
processes, or Dask), and results are written back in input order. Every input document
ends as one line of the reports file or of the errors file. At most `2 x workers`
partitions are in flight, so memory stays bounded whatever the size of the archive.

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
import time
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.engines import DaskEngine, Engine, LocalEngine
from pipeline.errors import InsidenError
from pipeline.io import DEFAULT_MAX_BYTES, iter_input_files, read_records
from pipeline.partition import (
    ExtractionSettings,
    PartitionResult,
    partitions,
    preload_worker,
    probe_partition,
    process_partition,
    worker_state,
)

__all__ = [
    "DaskEngine",
    "Engine",
    "ExtractionSettings",
    "LocalEngine",
    "PartitionResult",
    "Summary",
    "partitions",
    "preload_worker",
    "probe_partition",
    "process_partition",
    "run_extraction",
    "worker_state",
]

DEFAULT_PARTITION_SIZE = 32
"""Documents per partition: one extractor batch, small enough to keep every worker busy to the end."""
CHECKPOINT_SUFFIX = ".progress"


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
    records = read_records(inputs, max_bytes=max_bytes, skip=start)
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
