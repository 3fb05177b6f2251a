"""Properties of the temporal tagger: it never raises, its offsets slice the text, ISO 8601 round trips."""

from __future__ import annotations

import datetime as dt
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.schema import TimeExpression
from pipeline.temporal import extract_time_expressions, from_iso8601, select_incident_timing, to_iso8601
from pipeline.temporal.lexicon import get_lexicon

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = ["14", "14.48", "07.00", "2,5", "20/10/2025", "(20/10)", "2025", "-", "–", "(", ")", ",", ".", "\n", "±", "+"]


@cache
def _vocabulary() -> list[str]:
    words: set[str] = set(PIECES)
    for code in ("id", "en"):
        data = get_lexicon(code).data.model_dump()
        for value in data.values():
            words.update(_strings(value))
    return sorted(words)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _texts() -> st.SearchStrategy[str]:
    token = st.one_of(st.sampled_from(_vocabulary()), st.text(max_size=6))
    return st.one_of(st.text(max_size=300), st.lists(token, max_size=30).map(" ".join))


LANGS = st.sampled_from(["id", "en", "xx"])
DATES = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))


@SETTINGS
@given(text=_texts(), lang=LANGS, published=DATES)
def test_properties_extraction_never_raises_and_offsets_slice(text: str, lang: str, published: dt.date | None) -> None:
    found = extract_time_expressions(text, lang, published)
    last_end = 0
    for expr in found:
        assert 0 <= expr.start < expr.end <= len(text)
        assert text[expr.start : expr.end] == expr.text
        assert expr.start >= last_end  # in text order, never overlapping
        last_end = expr.end
        if expr.kind == "duration":
            assert expr.seconds is not None and expr.seconds > 0
        if not expr.resolved:
            assert expr.date is None
    timing = select_incident_timing(text, found, lang)
    for point in (timing.start, timing.end, timing.duration):
        if point is not None and point.start is not None:
            assert text[point.start : point.end] == point.text


@SETTINGS
@given(text=_texts(), lang=st.sampled_from(["id", "en"]), published=DATES)
def test_properties_schema_json_round_trip(text: str, lang: str, published: dt.date | None) -> None:
    for expr in extract_time_expressions(text, lang, published):
        assert TimeExpression.model_validate_json(expr.model_dump_json()) == expr


@settings(max_examples=300, deadline=None)
@given(seconds=st.integers(min_value=0, max_value=10**9))
def test_properties_iso8601_round_trip(seconds: int) -> None:
    iso = to_iso8601(seconds)
    assert iso.startswith("P")
    assert from_iso8601(iso) == seconds


def test_properties_iso8601_examples() -> None:
    assert to_iso8601(50400) == "PT14H"
    assert to_iso8601(9000) == "PT2H30M"
    assert to_iso8601(259200) == "P3D"
    assert to_iso8601(0) == "PT0S"
    assert from_iso8601("P1W") == 604800
