"""The per-partition work every engine runs, and the worker-process state it keeps.

A worker process builds one extractor per settings and loads the spaCy pipeline of each
language on first use; `process_partition` then reuses them for every partition it is given.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

from pipeline.errors import DocErrors
from pipeline.io import Record

RELOAD_AFTER_DOCUMENTS = 20_000
"""A worker reloads its pipelines after this many documents (about 4 s each time): spaCy's string
store keeps every string it has seen, so on an endless stream of news it would grow without bound."""


@dataclass
class ExtractionSettings:
    """What every worker needs to build the same extractor."""

    include_text: bool = True
    overrides: dict[str, object] = field(default_factory=dict)
    batch_size: int = 32


PartitionResult = list[tuple[int, bool, str]]
"""(input position, is_error, JSON line) per document of a partition."""
PartitionFn = Callable[[Sequence[Record], ExtractionSettings], Any]

_WORKER_EXTRACTORS: dict[str, Any] = {}
_WORKER_STATE = {"documents": 0, "reloads": 0}  # documents since the pipelines were (re)loaded here
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
    per process and reused for every later partition, until `RELOAD_AFTER_DOCUMENTS`.
    """
    with _WORKER_LOCK:
        if _WORKER_STATE["documents"] >= RELOAD_AFTER_DOCUMENTS:
            _drop_pipelines()
        outcomes = list(_extractor_for(settings).process(records))
        _WORKER_STATE["documents"] += len(records)
    return [_outcome_line(outcome) for outcome in outcomes]


def _drop_pipelines() -> None:
    import gc

    from pipeline.extractor import _cached_pipeline

    _WORKER_EXTRACTORS.clear()
    _cached_pipeline.cache_clear()
    gc.collect()  # the pipelines hold reference cycles; free their string stores now
    _WORKER_STATE["documents"] = 0
    _WORKER_STATE["reloads"] += 1


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


def init_worker(parent_pid: int, settings: ExtractionSettings, preload: bool, threads: int) -> None:
    """Start a pool worker: its share of CPU threads, a watchdog, and optionally its pipelines.

    A run killed with SIGKILL cannot stop its workers, and they would go on for minutes with
    the partitions they hold (keeping the fork server alive too), beside the resumed run: the
    watchdog stops this process when `parent_pid` is gone.
    """
    limit_threads(threads)
    watchdog = threading.Thread(target=_exit_when_gone, args=(parent_pid,), name="insiden-watchdog", daemon=True)
    watchdog.start()
    if preload:
        preload_worker(settings)


def limit_threads(threads: int) -> None:
    """Let torch (the transformer causal classifiers) use at most `threads` threads in this process.

    By default each process takes every core: N workers would run N x cores threads on cores
    cores, and lose about half their throughput to the contention.
    """
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(max(1, threads))


def _exit_when_gone(pid: int, interval: float = 1.0) -> None:
    while not _process_gone(pid):
        time.sleep(interval)
    os._exit(1)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed process stays a zombie until its own parent reaps it
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in {"Z", "X"}
    except (OSError, IndexError):
        return False


def worker_state() -> dict[str, int]:
    """This process's id, the language pipelines it has loaded since its last reload, and its
    reloads (diagnostics)."""
    from pipeline.extractor import _cached_pipeline

    return {"pid": os.getpid(), "pipeline_loads": _cached_pipeline.cache_info().misses, **_WORKER_STATE}


def probe_partition(records: Sequence[Record], settings: ExtractionSettings) -> dict[str, int]:
    """Run `process_partition`, then return `worker_state()`: shows which worker ran it and its loads."""
    process_partition(records, settings)
    return worker_state()


def partitions(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Cut a record stream into lists of `size` consecutive records."""
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk
