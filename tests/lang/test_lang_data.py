"""Every language folder validates and defines the same files and keys: a new language is a new folder."""

from __future__ import annotations

import pytest
import yaml

from pipeline.lang.loader import LANG_DIR, available_languages, load_lang_file
from pipeline.stages.cues import CueData
from pipeline.stages.entities import EntityData
from pipeline.stages.langid import LangIdData
from pipeline.stages.rootcause import RootCauseData
from pipeline.temporal.data import TemporalData

MODELS = {
    "langid": LangIdData,
    "cues": CueData,
    "entities": EntityData,
    "rootcause": RootCauseData,
    "rootcause_objects": RootCauseData,
    "temporal": TemporalData,
}
LANGUAGES = available_languages()
KEY_DEPTH = {"cues": 2, "langid": 1, "entities": 1, "rootcause": 1, "rootcause_objects": 1, "temporal": 1}
"""How deep keys must agree; deeper levels are surface words of the language (or its NER's labels)."""


def test_lang_data_supported_languages() -> None:
    assert set(LANGUAGES) >= {"en", "id"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(MODELS))
def test_lang_data_file_validates(lang: str, name: str) -> None:
    load_lang_file(lang, name, MODELS[name])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_lang_data_languages_define_the_same_keys(name: str) -> None:
    keys = {}
    for lang in LANGUAGES:
        data = yaml.safe_load((LANG_DIR / lang / f"{name}.yaml").read_text(encoding="utf-8"))
        keys[lang] = _key_paths(data, depth=KEY_DEPTH[name])
    reference = keys[LANGUAGES[0]]
    for lang, found in keys.items():
        assert found == reference, f"{lang}/{name}.yaml keys differ: {sorted(found ^ reference)}"


def test_lang_data_every_language_has_every_file() -> None:
    for lang in LANGUAGES:
        assert {p.stem for p in (LANG_DIR / lang).glob("*.yaml")} == set(MODELS), lang


def _key_paths(data: object, depth: int, prefix: str = "") -> set[str]:
    if not isinstance(data, dict) or depth == 0:
        return set()
    paths = set()
    for key, value in data.items():
        if isinstance(key, (int, float)):  # weights of cue groups differ per language
            continue
        path = f"{prefix}{key}"
        paths.add(path)
        paths |= _key_paths(value, depth - 1, path + ".")
    return paths
