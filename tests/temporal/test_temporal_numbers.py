"""Numbers in digits and words, and the sense of ambiguous words."""

from __future__ import annotations

import pytest

from pipeline.temporal.lexicon import get_lexicon
from pipeline.temporal.numbers import parse_number
from pipeline.temporal.senses import sense_of


@pytest.mark.parametrize(
    ("lang", "phrase", "value"),
    [
        ("id", "14", 14),
        ("id", "1,5", 1.5),
        ("en", "1.5", 1.5),
        ("en", "2,500", 2500),
        ("id", "1.000", 1000),
        ("id", "empat belas", 14),
        ("id", "dua puluh empat", 24),
        ("id", "dua ratus lima puluh", 250),
        ("id", "seratus dua", 102),
        ("id", "dua ribu", 2000),
        ("id", "satu setengah", 1.5),
        ("id", "setengah", 0.5),
        ("en", "twenty-four", 24),
        ("en", "one hundred and twenty", 120),
        ("en", "two and a half", 2.5),
        ("en", "a couple of", 2),
        ("en", "half a dozen", 6),
        ("en", "three thousand", 3000),
    ],
)
def test_numbers_parse(lang: str, phrase: str, value: float) -> None:
    assert parse_number(phrase, get_lexicon(lang)) == pytest.approx(value)


@pytest.mark.parametrize("phrase", ["", "hello", "and"])
def test_numbers_parse_rejects_non_numbers(phrase: str) -> None:
    assert parse_number(phrase, get_lexicon("en")) is None


@pytest.mark.parametrize(
    ("lang", "text", "word", "sense"),
    [
        ("id", "selama dua minggu", "minggu", "unit"),
        ("id", "selama 3 minggu", "minggu", "unit"),
        ("id", "pada hari Minggu kemarin", "Minggu", "weekday"),
        ("id", "Minggu (19/10/2025) pagi", "Minggu", "weekday"),
        ("id", "Layanan pulih Minggu sore.", "Minggu", "weekday"),
        ("id", "minggu lalu layanan terganggu", "minggu", "unit"),
        ("id", "Minggu lalu layanan terganggu", "Minggu", "unit"),
        ("en", "They will march on.", "march", "none"),
        ("en", "On March 3 it failed.", "March", "month"),
        ("en", "It may fail.", "may", "none"),
    ],
)
def test_senses_follow_the_data_rules(lang: str, text: str, word: str, sense: str) -> None:
    start = text.index(word)
    assert sense_of(text, start, start + len(word), get_lexicon(lang)) == sense
