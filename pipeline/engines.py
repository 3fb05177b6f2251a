"""Engines: where partitions run (this process, a pool of local processes, a Dask cluster).

Each engine maps a partition function (`process_partition`) over partitions and yields
the results in submission order, with a bounded number of partitions in flight.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, Self

from pipeline.errors import InsidenError
from pipeline.io import Record
from pipeline.partition import (
    ExtractionSettings,
    PartitionFn,
    init_worker,
    limit_threads,
    preload_worker,
    process_partition,
)

WINDOW_PER_WORKER = 2
"""Partitions in flight per worker: enough to keep workers busy, few enough to bound memory."""
FORKSERVER_PRELOAD = ["pipeline.factories"]
"""Imported once in the fork server (spaCy, thinc, torch: ~4 s), so each worker starts warm."""


class Engine(Protocol):
    """Runs a partition function over partitions and yields the results in input order."""

    def map(
        self, parts: Iterable[list[Record]], settings: ExtractionSettings, func: PartitionFn = process_partition
    ) -> Iterator[Any]: ...


class _Lifecycle:
    """`with engine:` keeps its workers for several runs and stops them at the end."""

    _entered = False

    def __enter__(self) -> Self:
        self._entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        self._entered = False
        self.close()

    def close(self) -> None:
        """Stop what the engine started."""


class LocalEngine(_Lifecycle):
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
                initializer=init_worker,
                initargs=(os.getpid(), settings, self.preload, max(1, (os.cpu_count() or 1) // self.workers)),
            )
        return self._executor


class DaskEngine(_Lifecycle):
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
            client.run(limit_threads, 1)  # one task per worker thread: one torch thread each
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
    """The start method of worker processes: a fork server where there is one, else spawn.

    The fork server is started now, with `preload` (spaCy, torch) imported once, so workers
    forked from it start warm. Never plain "fork": spaCy/torch state and threads do not survive it.
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
