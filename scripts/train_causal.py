"""Train (or evaluate) the causal-sentence classifiers on the Causal News Corpus V2.

    python scripts/train_causal.py --which all                 # train both, score on CNC dev
    python scripts/train_causal.py --which en --layers 6 --top-layers 6 --name causal_en_l6   # the 6-layer model
    python scripts/train_causal.py --which xx --eval-tsv corpora/gold/causal_id.tsv   # score saved model(s)
    python scripts/train_causal.py --bench                     # one-thread speed of the saved models

Training carves a validation split (10 % of the training documents) for epoch and head
choice; CNC dev is scored once, at the end. Each model directory gets `meta.json` and
`scores.json` (dev scores, validation history, one-thread speed).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.backends.causal_data import (  # noqa: E402
    CNC_DEV,
    CNC_DIR,
    CNC_TRAIN,
    Example,
    binary_scores,
    group_split,
    measure_speed,
    read_cnc,
    read_labelled_tsv,
)

PUBLISHED = {
    "case2022_best_binary_f1": 86.19,
    "organisers_bert_base_v2_dev_binary_f1": 84.24,
}
MODEL_DIRS = {"en": "causal_en", "xx": "causal_xx"}
VAL_FRACTION = 0.1
MINILM_OPTIONS = ("layers", "top_layers", "lora_rank", "epochs", "lr_layers")


def _classifier(model_dir: Path):
    from pipeline.backends.causal import CAUSAL_BACKENDS, read_meta

    return CAUSAL_BACKENDS[read_meta(model_dir)["backend"]](model_dir)


def _score(clf, examples: list[Example]) -> dict:
    return binary_scores([ex.label for ex in examples], clf.predict_proba([ex.text for ex in examples]))


def _speed(model_dir: Path, sentences: list[str], repeats: int = 1) -> dict:
    """One-thread throughput on a fresh classifier (torch and BLAS limited to one thread)."""
    import torch

    torch.set_num_threads(1)
    clf = _classifier(model_dir)
    return {"threads": 1, **measure_speed(clf.predict_proba, sentences, repeats=repeats)}


def model_dir(which: str, args: argparse.Namespace) -> Path:
    """The model directory a run reads or writes: `--name`, else the language's default."""
    return Path(args.models_dir) / (args.name or MODEL_DIRS[which])


def bench(which: str, args: argparse.Namespace) -> dict:
    """Measure a saved model's one-thread speed on CNC dev and record it in scores.json."""
    from pipeline.backends.causal_train import write_json

    out = model_dir(which, args)
    dev = read_cnc(Path(args.data) / CNC_DIR / CNC_DEV)
    speed = _speed(out, [ex.text for ex in dev], repeats=3)
    scores_path = out / "scores.json"
    scores = json.loads(scores_path.read_text(encoding="utf-8")) if scores_path.is_file() else {}
    scores["speed_cnc_dev"] = speed
    write_json(scores_path, scores)
    return speed


def _train_minilm(fit: list[Example], val: list[Example], out: Path, args: argparse.Namespace) -> dict:
    from pipeline.backends import causal_train_minilm

    overrides = {k: v for k, v in vars(args).items() if k in MINILM_OPTIONS and v is not None}
    config = causal_train_minilm.MiniLMConfig(seed=args.seed, threads=args.threads, **overrides)
    return causal_train_minilm.train_minilm(fit, val, out, config)


def _train_use(fit: list[Example], val: list[Example], out: Path, args: argparse.Namespace) -> dict:
    from pipeline.backends import causal_train

    return causal_train.train_use(fit, val, out, causal_train.USEConfig(seed=args.seed, threads=args.threads))


TRAINERS = {"en": _train_minilm, "xx": _train_use}


def train(which: str, args: argparse.Namespace) -> dict:
    """Train one model, score it on CNC dev, time it, and write meta.json and scores.json."""
    from pipeline.backends import causal_train

    cnc = Path(args.data) / CNC_DIR
    fit, val = group_split(read_cnc(cnc / CNC_TRAIN), VAL_FRACTION, args.seed)
    dev = read_cnc(cnc / CNC_DEV)
    out = model_dir(which, args)
    record = TRAINERS[which](fit, val, out, args)
    dev_scores = _score(_classifier(out), dev)
    meta = record["meta"]
    meta["dev"] = dev_scores
    causal_train.write_json(out / "meta.json", meta)
    scores = {
        "model": out.name,
        "command": " ".join(["python", "scripts/train_causal.py", *sys.argv[1:]]),
        "cnc_dev": dev_scores,
        "published_on_cnc_v2_dev": PUBLISHED,
        "validation": {k: v for k, v in record.items() if k != "meta"},
        "training_seconds": meta["training_seconds"],
        "speed_cnc_dev": _speed(out, [ex.text for ex in dev]),
    }
    causal_train.write_json(out / "scores.json", scores)
    return scores


def evaluate_tsv(which: str, args: argparse.Namespace) -> dict:
    """Score a saved model on a `text<TAB>label` file; optionally record it in scores.json."""
    from pipeline.backends.causal_train import write_json

    out = model_dir(which, args)
    result = _score(_classifier(out), read_labelled_tsv(Path(args.eval_tsv)))
    if args.record:
        scores_path = out / "scores.json"
        scores = json.loads(scores_path.read_text(encoding="utf-8")) if scores_path.is_file() else {}
        scores.setdefault("tsv", {})[args.record] = {"path": str(args.eval_tsv), **result}
        write_json(scores_path, scores)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=str(REPO.parent / "shared" / "data"), help="public datasets folder (../shared/data)"
    )
    parser.add_argument("--which", choices=["en", "xx", "all"], default="all")
    parser.add_argument("--models-dir", default=str(REPO / "models"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--threads", type=int, default=1, help="torch threads (1: on the shared 2-core box, 2 threads ran 2x slower)"
    )
    parser.add_argument("--layers", type=int, help="MiniLM encoder layers to keep, of 6, from the bottom (default 3)")
    parser.add_argument("--top-layers", type=int, help="MiniLM layers to adapt, from the top of those kept (default 3)")
    parser.add_argument("--name", help="model directory name under --models-dir (default causal_en / causal_xx)")
    parser.add_argument(
        "--lora-rank", type=int, help="LoRA rank; 0 fine-tunes the top layers' full weights (default 8)"
    )
    parser.add_argument("--epochs", type=int, help="MiniLM epochs; the best validation epoch is kept (default 4)")
    parser.add_argument("--lr-layers", type=float, help="learning rate of the adapted layers (default 5e-4)")
    parser.add_argument("--eval-tsv", help="score the saved model(s) on this text<TAB>label file instead of training")
    parser.add_argument("--bench", action="store_true", help="only measure the saved model(s)' one-thread speed")
    parser.add_argument("--record", help="with --eval-tsv: store the scores under this name in scores.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    whiches = ["en", "xx"] if args.which == "all" else [args.which]
    if args.bench or args.eval_tsv:
        action = bench if args.bench else evaluate_tsv
        print(json.dumps({which: action(which, args) for which in whiches}, indent=2))
    else:
        print(json.dumps({which: train(which, args)["cnc_dev"] for which in whiches}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
