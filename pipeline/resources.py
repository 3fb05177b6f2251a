"""Where insiden finds its bundled resources: configs and local model weights."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_DIR = PACKAGE_DIR / "configs"
MODELS_ENV = "INSIDEN_MODELS"


def models_dir() -> Path:
    """The folder of trained weights: $INSIDEN_MODELS, else `models/` beside the package."""
    override = os.environ.get(MODELS_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return PACKAGE_DIR.parent / "models"


def config_path(lang: str) -> Path:
    """The spaCy config that assembles the pipeline for one language."""
    return CONFIG_DIR / f"{lang}.cfg"


def configured_languages() -> tuple[str, ...]:
    """Languages that have a pipeline config."""
    return tuple(sorted(p.stem for p in CONFIG_DIR.glob("*.cfg")))
