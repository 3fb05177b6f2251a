"""The per-language temporal data files: valid, and with the same canonical keys."""

from __future__ import annotations

import re

import pytest

from pipeline.lang.loader import load_lang_file
from pipeline.temporal.clock import tz_from_value
from pipeline.temporal.data import VAGUE_RANGES, TemporalData

LANGS = ["id", "en"]
KEYED = ["units", "approximation", "vague_durations", "months", "weekdays", "relative_days", "relative_periods"]


@pytest.mark.parametrize("lang", LANGS)
def test_data_file_validates(lang: str) -> None:
    data = load_lang_file(lang, "temporal", TemporalData)
    assert data.outage_context and data.duration_context


@pytest.mark.parametrize("table", KEYED)
def test_data_languages_define_the_same_keys(table: str) -> None:
    keys = [set(getattr(load_lang_file(lang, "temporal", TemporalData), table)) for lang in LANGS]
    assert keys[0] == keys[1]


@pytest.mark.parametrize("lang", LANGS)
def test_data_values_are_usable(lang: str) -> None:
    data = load_lang_file(lang, "temporal", TemporalData)
    assert set(data.vague_durations) <= set(VAGUE_RANGES)
    for value in data.timezones.values():
        assert tz_from_value(value) is not None
    for word, entry in data.ambiguous.items():
        assert entry.default in {*entry.senses, "none"}, word
        assert all(rule.sense in entry.senses for rule in entry.rules), word
    for surfaces in data.units.values():
        assert all(re.fullmatch(r"[\w\- ]+", s) for s in surfaces)
