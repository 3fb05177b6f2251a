"""Diagnostic: how linearly separable causal sentences are in each layer of the frozen MiniLM.

Mean-pools every hidden layer of the shipped all-MiniLM-L6-v2 (no fine-tuning), fits a
logistic regression per layer on the training split (C chosen on the validation split) and
scores CNC dev. Needs scikit-learn (not a dependency of insiden). Figures: RESULTS.md.

    python training/causal/probe_layers.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from pipeline.backends import causal_minilm  # noqa: E402
from pipeline.backends.causal_data import (  # noqa: E402
    CNC_DEV,
    CNC_DIR,
    CNC_TRAIN,
    Example,
    binary_scores,
    group_split,
    read_cnc,
)


def pooled_layers(tokenizer, bert, examples: list[Example]) -> np.ndarray:
    """(n, layers + 1, dim): the mean-pooled embeddings output and every layer's output."""
    texts = [ex.text for ex in examples]
    out: list = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            idx = order[start : start + 64]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True, max_length=96, return_tensors="pt")
            states = bert(**enc, output_hidden_states=True).hidden_states
            pooled = torch.stack([causal_minilm.mean_pool(h, enc["attention_mask"]) for h in states], 1)
            for row, i in enumerate(idx):
                out[i] = pooled[row].numpy()
    return np.stack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    cnc = Path(args.data) / CNC_DIR
    fit, val = group_split(read_cnc(cnc / CNC_TRAIN), 0.1, 13)
    dev = read_cnc(cnc / CNC_DEV)
    tokenizer, bert = causal_minilm.load_base()
    feats = {name: pooled_layers(tokenizer, bert, exs) for name, exs in (("fit", fit), ("val", val), ("dev", dev))}
    labels = {name: [ex.label for ex in exs] for name, exs in (("fit", fit), ("val", val), ("dev", dev))}
    for layer in range(feats["fit"].shape[1]):
        best = None
        for c in (0.1, 1.0, 10.0):
            model = LogisticRegression(C=c, max_iter=2000).fit(feats["fit"][:, layer], labels["fit"])
            f1 = binary_scores(labels["val"], model.predict_proba(feats["val"][:, layer])[:, 1].tolist())["f1"]
            if best is None or f1 > best[0]:
                best = (f1, c, model)
        dev_f1 = binary_scores(labels["dev"], best[2].predict_proba(feats["dev"][:, layer])[:, 1].tolist())["f1"]
        print(f"layer {layer}: C={best[1]} val F1 {best[0]:.4f} dev F1 {dev_f1:.4f}")


if __name__ == "__main__":
    main()
