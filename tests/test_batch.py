"""Batch runs: lossless, resumable after SIGKILL, the same bytes on every engine and worker count."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline import partition
from pipeline.batch import Checkpoint, run_extraction
from pipeline.cli import main
from pipeline.engines import DaskEngine, LocalEngine
from pipeline.errors import InsidenError
from pipeline.io import read_records
from pipeline.partition import ExtractionSettings, partitions, probe_partition

EN_TEMPLATE = (
    "{provider} outage disrupts {service}\n{provider} said a {cause} caused an outage of {service} in {place} "
    "on {day}. Customers could not log in for about {hours} hours before engineers restored the service."
)
ID_TEMPLATE = (
    "Gangguan {service} di {place}\nLayanan {service} milik {provider} mati total selama sekitar {hours} jam "
    "pada hari {day} akibat {cause}. Pengguna tidak dapat mengakses aplikasi hingga layanan dipulihkan."
)
SLOTS = {
    "en": {
        "provider": ["AWS", "Cloudflare", "Microsoft", "Google Cloud", "Fastly"],
        "service": ["the storage service", "DNS resolution", "the email service", "the CDN", "the login API"],
        "cause": ["configuration change", "power failure", "software bug", "BGP leak"],
        "place": ["Virginia", "Frankfurt", "Singapore", "Jakarta"],
        "day": ["Monday", "Tuesday", "Friday"],
    },
    "id": {
        "provider": ["Telkom", "BSI", "PLN", "Indosat", "BCA"],
        "service": ["internet", "mobile banking", "listrik", "ATM", "pembayaran digital"],
        "cause": ["kebakaran pusat data", "serangan siber", "kerusakan kabel laut", "pemadaman listrik"],
        "place": ["Jakarta", "Surabaya", "Medan", "Makassar"],
        "day": ["Senin", "Selasa", "Jumat"],
    },
}
# The batch tests check the batch machinery, so most of them run the pipeline without its
# transformer edge classifier (8x cheaper per document); the engine test runs the full one.
LIGHT_OVERRIDES = {"components.incident_chain.classifier": None}
LIGHT = ExtractionSettings(overrides=LIGHT_OVERRIDES)
LIGHT_ARGS = ["--components.incident_chain.classifier", "null"]
FULL = ExtractionSettings()
BIG = 200
BROKEN_LINES = {37: '{"id": "broken-json", "text": "unterminated', 121: '{"id": "no-text"}', 150: "[1, 2]"}


def archive_lines(count: int) -> Iterator[str]:
    """Deterministic JSONL lines: alternating languages, slots picked by index, a few bad lines."""
    for i in range(count):
        if i in BROKEN_LINES:
            yield BROKEN_LINES[i]
            continue
        lang = "en" if i % 2 else "id"
        slots = {name: values[(i * (k + 3)) % len(values)] for k, (name, values) in enumerate(SLOTS[lang].items())}
        text = (EN_TEMPLATE if lang == "en" else ID_TEMPLATE).format(hours=2 + i % 11, **slots)
        yield json.dumps({"id": f"gen-{i:04d}", "text": text, "published": f"2024-03-0{1 + i % 9}"})


def write_archive(path: Path, count: int) -> Path:
    path.write_text("".join(line + "\n" for line in archive_lines(count)), encoding="utf-8")
    return path


def run_bytes(
    archive: Path, out_dir: Path, engine: object, settings: ExtractionSettings = LIGHT, **kwargs: object
) -> tuple[bytes, bytes]:
    out, err = out_dir / "reports.jsonl", out_dir / "errors.jsonl"
    run_extraction([str(archive)], out, err, engine=engine, settings=settings, **kwargs)  # type: ignore[arg-type]
    return out.read_bytes(), err.read_bytes()


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_archive(tmp_path_factory.mktemp("big") / "archive.jsonl", BIG)


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_archive(tmp_path_factory.mktemp("small") / "archive.jsonl", 40)


@pytest.fixture(scope="module")
def big_reference(big_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    return run_bytes(big_archive, tmp_path_factory.mktemp("big_ref"), LocalEngine(1))


@pytest.fixture(scope="module")
def small_reference(small_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    return run_bytes(small_archive, tmp_path_factory.mktemp("small_ref"), LocalEngine(1), partition_size=5)


@pytest.fixture(scope="module")
def small_full_reference(small_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    return run_bytes(small_archive, tmp_path_factory.mktemp("full_ref"), LocalEngine(1), FULL, partition_size=5)


@pytest.fixture(scope="module")
def tiny_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_archive(tmp_path_factory.mktemp("tiny") / "archive.jsonl", 12)


def test_batch_reference_run_is_lossless(big_archive: Path, big_reference: tuple[bytes, bytes]) -> None:
    reports = [json.loads(line) for line in big_reference[0].decode().splitlines()]
    errors = [json.loads(line) for line in big_reference[1].decode().splitlines()]
    assert [r["doc_id"] for r in reports] == [f"gen-{i:04d}" for i in range(BIG) if i not in BROKEN_LINES]
    assert [(e["position"], e["doc_id"], e["code"]) for e in errors] == [
        (37, f"{big_archive}:38", "D004"),
        (121, "no-text", "D005"),
        (150, f"{big_archive}:151", "D004"),
    ]
    assert {r["language"] for r in reports} == {"en", "id"}


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)


def _done_positions(checkpoint: Path) -> int:
    try:
        saved = Checkpoint.load(checkpoint)
    except (OSError, ValueError):  # replaced or removed while being read
        return 0
    return saved.next_position if saved is not None else 0


def test_batch_resume_after_sigkill_matches_clean_run(
    big_archive: Path, big_reference: tuple[bytes, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    psutil = pytest.importorskip("psutil")
    out, err = tmp_path / "reports.jsonl", tmp_path / "errors.jsonl"
    checkpoint = tmp_path / "reports.jsonl.progress"
    args = ["extract", str(big_archive), "-o", str(out), "--errors", str(err), *LIGHT_ARGS]
    killed = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args, "--workers", "2"],
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _done_positions(checkpoint) > 0 and out.stat().st_size > 0, killed)
        helpers = psutil.Process(killed.pid).children(recursive=True)
        os.kill(killed.pid, signal.SIGKILL)  # the run only: its workers must notice and stop
        killed.wait()
        _, left = psutil.wait_procs(helpers, timeout=20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(killed.pid, signal.SIGKILL)  # whatever is left of the session this test started
    assert killed.returncode == -signal.SIGKILL
    assert len(helpers) >= 3 and left == []  # fork server and two workers (and a resource tracker)
    done = Checkpoint.load(checkpoint)
    assert done is not None and 0 < done.next_position < BIG
    assert out.stat().st_size >= done.out_bytes > 0

    code = main([*args, "--workers", "1", "--resume"])  # here, where the pipelines are loaded already

    assert code == 1  # three documents failed
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith(f"insiden: {BIG} documents ({done.next_position} done before resume)")
    assert "3 errors" in summary and "D004: 2, D005: 1" in summary
    assert (out.read_bytes(), err.read_bytes()) == big_reference
    assert not checkpoint.exists()


class _Crash(Exception):
    pass


class _CrashingEngine(LocalEngine):
    """Dies after a number of partitions, like a run killed between two writes."""

    def __init__(self, partitions_before_crash: int) -> None:
        super().__init__(1)
        self.left = partitions_before_crash

    def map(self, parts, settings, func=None):  # type: ignore[no-untyped-def]
        for result in super().map(parts, settings):
            if self.left == 0:
                raise _Crash
            self.left -= 1
            yield result


def test_batch_resume_drops_torn_lines_after_the_checkpoint(
    small_archive: Path, small_reference: tuple[bytes, bytes], tmp_path: Path
) -> None:
    out, err = tmp_path / "reports.jsonl", tmp_path / "errors.jsonl"
    with pytest.raises(_Crash):
        run_extraction([str(small_archive)], out, err, engine=_CrashingEngine(3), settings=LIGHT, partition_size=5)
    done = Checkpoint.load(tmp_path / "reports.jsonl.progress")
    assert done is not None and done.next_position == 15
    for path in (out, err):  # half a line, as a SIGKILL in the middle of a write leaves it
        with path.open("ab") as handle:
            handle.write(b'{"schema_version":"1.0.0","doc_id":"gen-00')
    summary = run_extraction(
        [str(small_archive)], out, err, engine=LocalEngine(1), settings=LIGHT, resume=True, partition_size=5
    )
    assert (out.read_bytes(), err.read_bytes()) == small_reference
    assert (summary.documents, summary.skipped, summary.errors) == (40, 15, 1)


def test_batch_resume_refuses_other_inputs(big_archive: Path, small_archive: Path, tmp_path: Path) -> None:
    out, err = tmp_path / "reports.jsonl", tmp_path / "errors.jsonl"
    with pytest.raises(_Crash):
        run_extraction([str(small_archive)], out, err, engine=_CrashingEngine(1), settings=LIGHT, partition_size=5)
    with pytest.raises(InsidenError, match="E008"):
        run_extraction([str(big_archive)], out, err, settings=LIGHT, resume=True)
    with pytest.raises(InsidenError, match="E008"):  # same inputs, other settings
        run_extraction([str(small_archive)], out, err, settings=FULL, resume=True)


def test_batch_refuses_output_among_inputs(small_archive: Path) -> None:
    out = small_archive.parent / "reports.jsonl"
    with pytest.raises(InsidenError, match="E012"):
        run_extraction([str(small_archive.parent)], out, small_archive.parent / "errors.jsonl")


@pytest.mark.parametrize(
    "make_engine",
    [pytest.param(lambda: LocalEngine(2), id="local-2-workers"), pytest.param(lambda: DaskEngine(2), id="dask-2")],
)
def test_batch_engines_write_the_same_bytes(
    make_engine: Callable[[], LocalEngine | DaskEngine],
    small_archive: Path,
    small_full_reference: tuple[bytes, bytes],
    tmp_path: Path,
) -> None:
    assert small_full_reference[0].count(b"\n") == 39 and small_full_reference[1].count(b"\n") == 1
    with make_engine() as engine:
        assert run_bytes(small_archive, tmp_path, engine, FULL, partition_size=5) == small_full_reference
        # The same workers again: each loaded each language pipeline once, on first use.
        parts = partitions(read_records([small_archive]), 5)
        states = list(engine.map(parts, FULL, func=probe_partition))
    by_worker: dict[int, int] = {}
    for state in states:
        by_worker[state["pid"]] = max(by_worker.get(state["pid"], 0), state["pipeline_loads"])
    assert os.getpid() not in by_worker
    assert 1 <= len(by_worker) <= 2
    assert all(1 <= loads <= 2 for loads in by_worker.values())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "quiet", "bar_shown"), [(True, False, True), (False, False, False), (True, True, False)]
)
def test_batch_progress_bar_only_on_a_terminal(
    tiny_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool, bar_shown: bool
) -> None:
    stderr = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    argv = ["extract", str(tiny_archive), "-o", str(tmp_path / "r.jsonl"), "--workers", "1", *LIGHT_ARGS]
    assert main(argv + (["--quiet"] if quiet else [])) == 0
    shown = stderr.getvalue()
    assert ("12/12" in shown and "doc/s" in shown and "errors=0" in shown) is bar_shown
    assert ("insiden: 12 documents" in shown) is not quiet


@pytest.mark.slow
def test_batch_benchmark_quick_mode_reports_every_figure() -> None:
    bench = Path(__file__).resolve().parent.parent / "bench" / "throughput.py"
    if not (bench.parent.parent.parent / "shared" / "data" / "icco_postmortems").is_dir():
        pytest.skip("../shared/data/icco_postmortems is not here")
    run = subprocess.run([sys.executable, str(bench), "--quick"], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    for row in ("ratio full / bare spaCy", "speedup 2 workers / 1 worker", "RSS growth 30 -> 60 docs"):
        assert row in run.stdout
    (counts,) = [line.split()[3:6] for line in run.stdout.splitlines() if line.startswith("reports / errors")]
    assert int(counts[0]) > 0 and int(counts[0]) + int(counts[2]) == 30


def test_batch_dask_unreachable_scheduler_is_a_clear_error(small_archive: Path, tmp_path: Path) -> None:
    engine = DaskEngine(scheduler="tcp://127.0.0.1:9", connect_timeout=1)
    with pytest.raises(InsidenError, match=r"E011: cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        run_extraction([str(small_archive)], tmp_path / "r.jsonl", tmp_path / "e.jsonl", engine=engine, settings=LIGHT)


def test_batch_reloaded_pipelines_write_the_same_bytes(
    small_archive: Path, small_reference: tuple[bytes, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "RELOAD_AFTER_DOCUMENTS", 25)
    monkeypatch.setitem(partition._WORKER_STATE, "documents", 0)
    reloads = partition.worker_state()["reloads"]
    assert run_bytes(small_archive, tmp_path, LocalEngine(1), partition_size=5) == small_reference
    assert partition.worker_state()["reloads"] == reloads + 1  # after document 25
    assert partition.worker_state()["pipeline_loads"] <= 2  # since the last reload: each language once
