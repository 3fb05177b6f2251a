"""Training of the USE causal-sentence head, and what every causal trainer shares (seeding, JSON).

Trainers pick their epoch (and, for USE, their head) on a validation split carved from
the training documents; the evaluation split is only scored at the end. They are seeded
and run torch in deterministic mode, so one command reproduces the committed models.
The MiniLM trainer is `pipeline.backends.causal_train_minilm`.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.backends import causal_use
from pipeline.backends.causal_data import Example, binary_scores

LOGGER = logging.getLogger(__name__)
CNC_NAME = "Causal News Corpus V2, subtask 1 (CC0)"


@dataclass
class USEConfig:
    """Settings of the USE head search: each (hidden, weight decay) pair is trained, the best on validation kept."""

    hidden: tuple[int, ...] = (0, 256)
    weight_decay: tuple[float, ...] = (1e-4, 1e-2)
    epochs: int = 60
    batch_size: int = 64
    lr: float = 1e-3
    dropout: float = 0.2
    seed: int = 13
    threads: int = 1


def seed_everything(seed: int, threads: int) -> None:
    """Seed python, numpy and torch, fix torch's threads and ask torch for deterministic kernels."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def _use_head(dim: int, hidden: int, dropout: float) -> Any:
    import torch

    if hidden == 0:
        return torch.nn.Sequential(torch.nn.Linear(dim, 1))
    return torch.nn.Sequential(
        torch.nn.Dropout(dropout),
        torch.nn.Linear(dim, hidden),
        torch.nn.ReLU(),
        torch.nn.Dropout(dropout),
        torch.nn.Linear(hidden, 1),
    )


def _fit_use_head(
    x: Any, y: Any, xv: Any, yv: Sequence[int], hidden: int, weight_decay: float, config: USEConfig
) -> tuple:
    """Train one head; returns (best val F1, best epoch, layers as numpy pairs, history)."""
    import torch

    torch.manual_seed(config.seed)
    model = _use_head(x.shape[1], hidden, config.dropout)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=weight_decay)
    gen = torch.Generator().manual_seed(config.seed)
    best: tuple[float, int, list] = (-1.0, 0, [])
    for epoch in range(1, config.epochs + 1):
        model.train()
        for idx in torch.randperm(len(y), generator=gen).split(config.batch_size):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x[idx]).squeeze(-1), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.inference_mode():
            probs = torch.sigmoid(model(xv).squeeze(-1)).tolist()
        f1 = binary_scores(yv, probs)["f1"]
        if f1 > best[0]:
            linears = [m for m in model if isinstance(m, torch.nn.Linear)]
            layers = [(m.weight.detach().T.numpy().copy(), m.bias.detach().numpy().copy()) for m in linears]
            best = (f1, epoch, layers)
    return best


def train_use(
    fit: Sequence[Example], val: Sequence[Example], out_dir: Path, config: USEConfig, encoder: Any = None
) -> dict:
    """Train heads over USE embeddings, keep the best on validation, save it to `out_dir`.

    Args:
        fit: training sentences (any language USE covers).
        val: validation sentences, used to choose head, weight decay and epoch.
        out_dir: model directory to write (`classifier.npz` and `meta.json`).
        config: the search's settings.
        encoder: a USE-like encoder; the shipped one when None.

    Returns:
        The run's record: every candidate's validation F1, timings and the meta written.
    """
    import torch

    started = time.perf_counter()
    seed_everything(config.seed, config.threads)
    encoder = encoder or causal_use.load_encoder(config.threads)
    x = torch.from_numpy(np.asarray(encoder.encode([ex.text for ex in fit]), dtype=np.float32))
    xv = torch.from_numpy(np.asarray(encoder.encode([ex.text for ex in val]), dtype=np.float32))
    embed_seconds = time.perf_counter() - started
    y = torch.tensor([float(ex.label) for ex in fit])
    yv = [ex.label for ex in val]
    candidates = []
    best: tuple[float, int, list, dict] | None = None
    for hidden in config.hidden:
        for weight_decay in config.weight_decay:
            f1, epoch, layers = _fit_use_head(x, y, xv, yv, hidden, weight_decay, config)
            setting = {"hidden": hidden, "weight_decay": weight_decay, "best_epoch": epoch, "val_f1": f1}
            candidates.append(setting)
            LOGGER.info("use head %s", setting)
            if best is None or f1 > best[0]:
                best = (f1, epoch, layers, setting)
    assert best is not None
    weights = causal_use.save_mlp(Path(out_dir) / causal_use.WEIGHTS_FILE, best[2])
    meta = {
        "backend": "use",
        "encoder": {
            "package": causal_use.ENCODER_PACKAGE,
            "version": importlib.metadata.version(causal_use.ENCODER_PACKAGE),
        },
        "stored": f"{weights.name}: float32 layers w0,b0[,w1,b1] over 512-d USE embeddings (ReLU between, sigmoid out)",
        "weights_bytes": weights.stat().st_size,
        "head": best[3],
        "seed": config.seed,
        "config": asdict(config),
        "train_sentences": len(fit),
        "val_sentences": len(val),
        "data": CNC_NAME + " (English only; transfer to other languages rests on USE's shared space)",
        "training_seconds": round(time.perf_counter() - started, 1),
        "embedding_seconds": round(embed_seconds, 1),
    }
    write_json(Path(out_dir) / "meta.json", meta)
    return {"meta": meta, "candidates": candidates}


def write_json(path: Path, data: dict) -> None:
    """Write pretty, key-stable JSON with a trailing newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
