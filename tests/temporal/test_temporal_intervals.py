"""Intervals: start, end and length across midnight, days and time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.temporal import extract_time_expressions

PUBLISHED = dt.date(2025, 10, 24)


def _interval(text: str, lang: str, published: dt.date | None = PUBLISHED):
    found = [e for e in extract_time_expressions(text, lang, published) if e.kind == "interval"]
    assert len(found) == 1, [e.text for e in extract_time_expressions(text, lang, published)]
    return found[0]


@pytest.mark.parametrize(
    ("lang", "text", "seconds", "date", "end_date", "start_utc", "end_utc"),
    [
        # across days, zone on both ends
        (
            "en",
            "from 11:48 PM PDT on October 19 to 2:20 PM PDT on October 20",
            52320,
            "2025-10-19",
            "2025-10-20",
            "2025-10-20T06:48:00Z",
            "2025-10-20T21:20:00Z",
        ),
        # across midnight, the end date derived from the clock
        (
            "en",
            "On October 20, 2025 the API failed from 11:30 PM to 1:15 AM EDT.",
            6300,
            "2025-10-20",
            "2025-10-21",
            "2025-10-21T03:30:00Z",
            "2025-10-21T05:15:00Z",
        ),
        (
            "id",
            "Senin (20/10/2025) layanan padam pukul 22.00 hingga 03.00 WIB.",
            18000,
            "2025-10-20",
            "2025-10-21",
            "2025-10-20T15:00:00Z",
            "2025-10-20T20:00:00Z",
        ),
        # zone given once, at the end
        (
            "id",
            "Pada 20 Oktober 2025 layanan terganggu sejak pukul 07.00 hingga 21.00 WIB.",
            50400,
            "2025-10-20",
            None,
            "2025-10-20T00:00:00Z",
            "2025-10-20T14:00:00Z",
        ),
        # two zones
        (
            "id",
            "20 Oktober 2025 pukul 10.00 WIB hingga pukul 13.00 WITA",
            7200,
            "2025-10-20",
            None,
            "2025-10-20T03:00:00Z",
            "2025-10-20T05:00:00Z",
        ),
        # a start without a date takes the end's date, moved back over midnight
        (
            "en",
            "from 11 PM to 2:00 AM UTC on October 21, 2025",
            10800,
            "2025-10-20",
            "2025-10-21",
            "2025-10-20T23:00:00Z",
            "2025-10-21T02:00:00Z",
        ),
    ],
)
def test_intervals_dated(
    lang: str, text: str, seconds: float, date: str, end_date: str | None, start_utc: str, end_utc: str
) -> None:
    expr = _interval(text, lang)
    assert expr.seconds == pytest.approx(seconds)
    assert expr.date == date
    assert expr.end_date == end_date
    assert expr.datetime == start_utc
    assert expr.end_datetime == end_utc
    assert text[expr.start : expr.end] == expr.text


@pytest.mark.parametrize(
    ("lang", "text", "seconds"),
    [
        ("id", "sejak pukul 07.00 hingga 21.00 WIB", 50400),
        ("id", "pukul 23.00-01.30 WIB", 9000),
        ("en", "between 9:16 PM and 11:16 PM PDT", 7200),
        ("en", "from 10 PM to 6 AM", 28800),
        ("en", "from 14:00 UTC to 17:00 CEST", 3600),
    ],
)
def test_intervals_clock_only_lengths(lang: str, text: str, seconds: float) -> None:
    expr = _interval(text, lang, None)
    assert expr.seconds == pytest.approx(seconds)
    assert expr.date is None and expr.datetime is None


def test_intervals_without_any_date_fall_on_the_publication_day() -> None:
    expr = _interval("Status: gangguan pukul 23.00-01.30 WIB.", "id")
    assert (expr.date, expr.end_date) == ("2025-10-24", "2025-10-25")
    assert expr.datetime == "2025-10-24T16:00:00Z"
    assert expr.end_datetime == "2025-10-24T18:30:00Z"


def test_intervals_date_range_counts_both_days() -> None:
    # Convention (dates.set_day_span): a range of whole days includes both end days.
    expr = _interval("20-22 Oktober 2025", "id")
    assert (expr.date, expr.end_date, expr.seconds) == ("2025-10-20", "2025-10-22", 259200)
    expr = _interval("from October 20 to October 22, 2025", "en")
    assert (expr.date, expr.end_date, expr.seconds) == ("2025-10-20", "2025-10-22", 259200)


def test_intervals_opener_is_part_of_the_span() -> None:
    expr = _interval("Layanan padam sejak pukul 07.00 hingga 21.00 WIB.", "id")
    assert expr.text == "sejak pukul 07.00 hingga 21.00 WIB"


def test_intervals_clock_time_takes_the_latest_day_that_is_no_earlier_incident() -> None:
    # the sentence before the clock time ends on a comparison date; the time is the incident's day
    text = (
        "On Jan. 11 the FAA halted all departures, the first nationwide ground stop since the Sept. 11, 2001, "
        "attacks. The FAA lifted the ground stop at about 8:50 a.m. Eastern time."
    )
    expressions = extract_time_expressions(text, "en", dt.date(2023, 1, 12))
    clock = next(e for e in expressions if e.text.startswith("8:50"))
    assert clock.date == "2023-01-11"
