"""Load per-language YAML data files lazily, validate them, and cache them.

Each language is a folder `pipeline/lang/<code>/` holding YAML files
(`cues.yaml`, `lexicon.yaml`, `temporal.yaml`, ...). A stage asks for one file
through `load_lang_file(code, name, model)`, where `model` is the pydantic model
that validates it; the stage only ever sees canonical, language-neutral keys.
Language-neutral data (the provider knowledge base) lives in `pipeline/lang/kb/`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.errors import Errors, InsidenError

LANG_DIR = Path(__file__).parent
KB_DIR = LANG_DIR / "kb"
ModelT = TypeVar("ModelT", bound=BaseModel)


def available_languages() -> tuple[str, ...]:
    """Codes of every language folder: a folder is a language when it has a `langid.yaml`."""
    return tuple(sorted(p.parent.name for p in LANG_DIR.glob("*/langid.yaml")))


@cache
def read_yaml(path: Path) -> object:
    """Parse one YAML file once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~7x faster where libyaml exists
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # a safe loader: CSafeLoader or SafeLoader


def load_lang_file(code: str, name: str, model: type[ModelT]) -> ModelT:
    """Load `pipeline/lang/<code>/<name>.yaml` and validate it against `model`.

    Raises:
        InsidenError: E001 when the language has no such file, E002 when it is invalid.
    """
    return _load_validated(LANG_DIR / code / f"{name}.yaml", model)


def load_kb_file(name: str, model: type[ModelT]) -> ModelT:
    """Load the language-neutral `pipeline/lang/kb/<name>.yaml`, validated against `model`."""
    return _load_validated(KB_DIR / f"{name}.yaml", model)


@cache
def _load_validated(path: Path, model: type[ModelT]) -> ModelT:
    if not path.is_file():
        raise InsidenError(Errors.E001.format(path=path))
    try:
        return model.model_validate(read_yaml(path))
    except (ValidationError, yaml.YAMLError) as err:
        raise InsidenError(Errors.E002.format(path=path, err=err)) from err
