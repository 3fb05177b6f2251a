"""Train, evaluate and save the Indonesian NER pipeline (`models/id_ner`).

Usage: python scripts/train_id_ner.py [--data ../shared/data] [--output models/id_ner]
       [--build build/id_ner] [--config training/id_ner/config.cfg]

Steps: convert IndoNLU NERGrit and NERP into DocBins (`convert_indonlu.py`), train
with `training/id_ner/config.cfg` (early stopping on a dev split carved from train),
score the best model on each dataset's `valid_preprocess.txt` separately, then copy
the best model to `--output` with `scores.json` beside its `meta.json`.

Scoring is exact-span, exact-label P/R/F1 on the label-mapped gold. On each dataset,
predictions with a label that dataset does not annotate (for example EVENT on
NERGrit) are left out of the figures and counted under `ignored_predictions`.
"""

from __future__ import annotations

import os

# Keep BLAS to one thread: the machine's cores are shared. Set before numpy loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402
from spacy.cli.train import train as spacy_train  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, DocBin  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert_indonlu import (  # noqa: E402
    DEFAULT_DATA,
    DEFAULT_LABELS,
    REPO_ROOT,
    convert,
    corpus_root,
    load_label_config,
)

DEFAULT_CONFIG = REPO_ROOT / "training" / "id_ner" / "config.cfg"
DEFAULT_BUILD = REPO_ROOT / "build" / "id_ner"
DEFAULT_OUTPUT = REPO_ROOT / "models" / "id_ner"
SCORES_FILE = "scores.json"
# Licence texts that must travel with anything derived from the corpora
# (the NERGRIT notice says its contributors and licence must be included).
NOTICES = {"LICENSE": "INDONLU_LICENSE", "nergrit_ner-grit/NERGRIT_NOTICE.md": "NERGRIT_NOTICE.md"}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def score_entities(pairs: Iterable[tuple[Doc, Doc]], labels: list[str]) -> dict[str, object]:
    """Exact-match entity P/R/F1, overall (micro) and per label.

    Args:
        pairs: `(predicted, gold)` Docs with identical tokenization.
        labels: The labels the gold annotates; predictions with other labels are
            ignored and counted.

    Returns:
        `{"overall": {...}, "per_label": {label: {...}}, "ignored_predictions": {...}}`
        where each figure holds p, r, f, tp, pred and gold counts.
    """
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for predicted, reference in pairs:
        gold_spans = {(e.start, e.end, e.label_) for e in reference.ents}
        for ent in predicted.ents:
            if ent.label_ not in labels:
                ignored[ent.label_] += 1
                continue
            pred[ent.label_] += 1
            tp[ent.label_] += (ent.start, ent.end, ent.label_) in gold_spans
        for _, _, label in gold_spans:
            gold[label] += 1
    return {
        "overall": _prf(sum(tp.values()), sum(pred.values()), sum(gold.values())),
        "per_label": {lab: _prf(tp[lab], pred[lab], gold[lab]) for lab in labels},
        "ignored_predictions": dict(ignored),
    }


def evaluate(nlp: Language, docbin_path: Path, labels: list[str], lowercase: bool = False) -> dict:
    """Run `nlp` on the gold tokens of a DocBin and score its entities.

    Args:
        nlp: The trained pipeline.
        docbin_path: Gold Docs.
        labels: Labels the gold annotates.
        lowercase: Lowercase the words first (to measure how much casing matters).

    Returns:
        The output of `score_entities`, plus the number of sentences.
    """
    golds = list(DocBin().from_disk(docbin_path).get_docs(nlp.vocab))
    inputs = (
        Doc(
            nlp.vocab,
            words=[t.text.lower() if lowercase else t.text for t in g],
            spaces=[bool(t.whitespace_) for t in g],
        )
        for g in golds
    )
    preds = list(nlp.pipe(inputs, batch_size=256))
    result = score_entities(zip(preds, golds, strict=True), labels)
    result["sentences"] = len(golds)
    return result


def _replace_dir(src: Path, dst: Path) -> None:
    # Only ever delete a previous model folder, never an arbitrary one.
    if dst.exists():
        if any(dst.iterdir()) and not (dst / "meta.json").exists():
            raise SystemExit(f"{dst} exists and is not a spaCy model folder; refusing to overwrite it")
        shutil.rmtree(dst)
    shutil.copytree(src, dst)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="final model folder")
    parser.add_argument("--build", type=Path, default=DEFAULT_BUILD, help="git-ignored work folder")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="spaCy training config")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="label mapping YAML")
    parser.add_argument("--seed", type=int, default=0, help="seed of the dev split")
    args = parser.parse_args(argv)

    corpus_dir = args.build / "corpus"
    training_dir = args.build / "training"
    summary = convert(args.data, corpus_dir, args.labels, seed=args.seed)
    print(json.dumps({k: v["sentences"] for k, v in summary.items()}), flush=True)

    started = time.perf_counter()
    spacy_train(
        args.config,
        training_dir,
        overrides={"paths.train": str(corpus_dir / "train.spacy"), "paths.dev": str(corpus_dir / "dev.spacy")},
    )
    train_seconds = time.perf_counter() - started

    best = training_dir / "model-best"
    nlp = spacy.load(best)
    datasets = load_label_config(args.labels)["datasets"]
    scores: dict[str, object] = {
        "metric": "exact-span exact-label micro P/R/F1 on label-mapped gold; "
        "predictions of labels a dataset does not annotate are ignored",
        "train_seconds": round(train_seconds, 1),
        "dev_ents_f": nlp.meta.get("performance", {}).get("ents_f"),
    }
    for name, spec in datasets.items():
        valid = corpus_dir / f"{name}_valid.spacy"
        scores[f"{name}_valid"] = evaluate(nlp, valid, spec["annotates"])
        scores[f"{name}_valid_lowercased"] = evaluate(nlp, valid, spec["annotates"], lowercase=True)

    nlp.meta.update(
        {
            "name": "id_ner",
            "description": "Indonesian NER (CNN tok2vec + transition NER) trained on IndoNLU "
            "NERGrit and NERP train splits; labels PER, LOC, ORG, EVENT. "
            "Built by scripts/train_id_ner.py.",
            "license": "CC BY-SA 4.0",
            "sources": [
                {
                    "name": "IndoNLU NERGrit (grit-id/nergrit-corpus)",
                    "url": "https://github.com/indobenchmark/indonlu",
                    "license": "MIT; NERGRIT notice",
                },
                {
                    "name": "IndoNLU NERP (Hoesen & Purwarianti 2018, Prosa.ai)",
                    "url": "https://github.com/indobenchmark/indonlu",
                    "license": "treated as CC BY-SA 4.0",
                },
            ],
        }
    )
    nlp.to_disk(best)
    _replace_dir(best, args.output)
    notices = args.output / "licenses"
    notices.mkdir(exist_ok=True)
    for source, name in NOTICES.items():
        shutil.copyfile(corpus_root(args.data) / source, notices / name)
    (args.output / SCORES_FILE).write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v["overall"] for k, v in scores.items() if isinstance(v, dict)}, indent=2))


if __name__ == "__main__":
    main()
