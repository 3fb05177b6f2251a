"""Train the chain linker on the gold dev split and write `models/chain_linker/linker.json`.

    python scripts/train_chain_linker.py                         # cross-validate, pick the threshold, fit, save
    python scripts/train_chain_linker.py --gold corpora/gold/dev --folds 5 --output /tmp/linker

The pipeline runs with the linker off; folds group documents by incident. The threshold kept is the one
with the best cross-validated edge recall among those at which no language's edge F1 falls below
its F1 without the linker; the model saved is fitted on every document. The cross-validated
scores (with and without the linker) go into the model's meta.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.backends.linker_train import (  # noqa: E402
    LINKER_OFF,
    best_threshold,
    collect_views,
    cross_validate,
    fit_logistic,
    labelled_pairs,
)
from pipeline.evaluation.gold import load_gold  # noqa: E402
from pipeline.stages.chain_linker import MODEL_FILE, LinkerModel  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(REPO / "corpora" / "gold" / "dev"), help="gold folder to train on")
    parser.add_argument("--output", default=str(REPO / "models" / "chain_linker"), help="model folder")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-sentences", type=int, default=4, help="pairs at most this many sentences apart")
    args = parser.parse_args(argv)

    documents = collect_views(load_gold(args.gold), LINKER_OFF)
    print(f"{len(documents)} documents", file=sys.stderr)
    cv = cross_validate(documents, args.folds, args.max_sentences)
    threshold = best_threshold(cv["without"], cv["by_threshold"])
    rows = [row for document in documents for row in labelled_pairs(document, args.max_sentences)]
    meta = {
        "trained_on": _shown(Path(args.gold)),
        "documents": len(documents),
        "pairs": len(rows),
        "positive_pairs": sum(label for _, label in rows),
        "folds": args.folds,
        "cross_validated": {"without_linker": cv["without"], "with_linker": cv["by_threshold"][str(threshold)]},
    }
    model = LinkerModel(fit_logistic(rows), threshold, args.max_sentences, meta)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / MODEL_FILE).write_text(model.to_json(), encoding="utf-8")
    print(json.dumps({"threshold": threshold, **meta, "by_threshold": cv["by_threshold"]}, indent=1))
    return 0


def _shown(path: Path) -> str:
    """The path relative to the repository when it lies inside it (the meta stays the same on every machine)."""
    resolved = path.resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)


if __name__ == "__main__":
    raise SystemExit(main())
