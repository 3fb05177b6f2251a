"""News-style paragraphs: the incident's start date and duration after extraction and selection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pipeline.evaluation.metrics import duration_close
from pipeline.temporal import extract_time_expressions, select_incident_timing

HERE = Path(__file__).parent


def _params() -> list:
    params = []
    for lang in ("en", "id"):
        table = yaml.safe_load((HERE / f"news_{lang}.yaml").read_text(encoding="utf-8"))
        for case in table["cases"]:
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            params.append(pytest.param(lang, case, id=f"{lang}-{case['id']}", marks=marks))
    return params


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


@pytest.mark.parametrize(("lang", "case"), _params())
def test_temporal_news_start_and_duration(lang: str, case: dict) -> None:
    text = " ".join(case["text"].split())
    expressions = extract_time_expressions(text, lang, case["published"])
    timing = select_incident_timing(text, expressions, lang)
    start = timing.start.date if timing.start is not None else None
    seconds = timing.duration.seconds if timing.duration is not None else None
    found = {"start": start, "duration": seconds, "duration_text": timing.duration and timing.duration.text}
    assert start == _iso(case["start"]), found
    expected = case["duration"]
    if expected is None:
        assert seconds is None, found
    else:
        assert seconds is not None, found
        assert duration_close(expected, seconds), found  # the gold evaluation's tolerance


@pytest.mark.parametrize(
    ("text", "tuesday"),
    [
        # told after a recent date: the story's Tuesday
        ("The breaker failed on May 9. By 6:31 a.m. on Tuesday the instance was down.", "2016-05-10"),
        # the day of a statement: the publication's week
        ("The breaker failed on May 9, the company said on Tuesday.", "2016-05-17"),
        # a date long before publication anchors nothing
        ("The breaker failed on March 3. By Tuesday the instance was down.", "2016-05-17"),
    ],
)
def test_temporal_news_weekday_after_a_recent_date(text: str, tuesday: str) -> None:
    expressions = extract_time_expressions(text, "en", dt.date(2016, 5, 17))
    dates = [str(e.date) for e in expressions if "Tuesday" in e.text]
    assert dates == [tuesday]
