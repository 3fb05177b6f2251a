"""The per-language tables of temporal expressions and their normalised values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pipeline.temporal import extract_time_expressions

HERE = Path(__file__).parent
FIELDS = {
    "kind": "kind",
    "seconds": "seconds",
    "min": "min_seconds",
    "max": "max_seconds",
    "date": "date",
    "end_date": "end_date",
    "datetime": "datetime",
    "end_datetime": "end_datetime",
    "timezone": "timezone",
}
MIN_CASES = 150


def _load(lang: str) -> tuple[dt.date, list[dict]]:
    table = yaml.safe_load((HERE / f"cases_{lang}.yaml").read_text(encoding="utf-8"))
    return table["published"], table["cases"]


def _params() -> list:
    params = []
    for lang in ("id", "en"):
        published, cases = _load(lang)
        for i, case in enumerate(cases):
            params.append(pytest.param(lang, published, case, id=f"{lang}-{i:03d}-{case['text'][:40]}"))
    return params


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("lang", ["id", "en"])
def test_temporal_tables_are_large_enough(lang: str) -> None:
    assert len(_load(lang)[1]) >= MIN_CASES


@pytest.mark.parametrize(("lang", "published", "case"), _params())
def test_temporal_table_case(lang: str, published: dt.date, case: dict) -> None:
    text = case["text"]
    base = case.get("published", published)
    found = extract_time_expressions(text, lang, base)
    if case.get("none"):
        assert found == [], [e.text for e in found]
        return
    span = case.get("span", text)
    matches = [e for e in found if e.text == span]
    assert matches, f"no expression {span!r}; found {[e.text for e in found]}"
    expr = matches[0]
    assert text[expr.start : expr.end] == expr.text
    for key, field in FIELDS.items():
        if key in case:
            expected = _plain(case[key])
            actual = getattr(expr, field)
            if isinstance(expected, int | float) and not isinstance(expected, bool):
                assert actual == pytest.approx(expected), field
            else:
                assert actual == expected, field
    assert expr.approximate is case.get("approximate", False)
    assert expr.resolved is case.get("resolved", True)
