"""What the chain linker costs: its time against the rest of the pipeline's, in one process.

The pipeline (linker off) runs over the gold documents once and keeps each chain; the linker then
links every chain `--rounds` times, and the fastest round is compared with the pipeline's time.

    .venv/bin/python bench/chain_linker.py                    # every gold document
    .venv/bin/python bench/chain_linker.py --gold corpora/gold/test
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.backends.linker_train import LINKER_OFF, collect_views  # noqa: E402
from pipeline.evaluation.gold import load_gold  # noqa: E402
from pipeline.resources import models_dir  # noqa: E402
from pipeline.stages.chain_linker import LinkerModel, link  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(REPO_ROOT / "corpora" / "gold"), help="gold folder")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    documents = load_gold(args.gold)
    collect_views(documents[:2], LINKER_OFF)  # load the pipelines before the clock starts
    started = time.perf_counter()
    views = [d.view for d in collect_views(documents, LINKER_OFF)]
    pipeline_seconds = time.perf_counter() - started
    model = LinkerModel.load(models_dir() / "chain_linker")
    rounds = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        links = sum(len(link(view, model)) for view in views)
        rounds.append(time.perf_counter() - started)
    linker_seconds = min(rounds)
    events = sum(len(view.nodes) for view in views)
    print(f"{len(views)} documents, {events} events, {links} links added")
    print(f"pipeline (linker off): {pipeline_seconds:.2f} s")
    print(f"linker: {linker_seconds * 1000:.1f} ms (best of {args.rounds} rounds)")
    print(f"ratio linker / pipeline: {linker_seconds / pipeline_seconds:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
