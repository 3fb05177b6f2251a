"""Choosing the incident's start, end and duration among several expressions in one text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.errors import Warnings
from pipeline.temporal import extract_time_expressions, select_incident_timing

PUBLISHED = dt.date(2025, 10, 24)
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "000_891fe8a33821abd4.txt"


def _timing(text: str, lang: str, published: dt.date | None = PUBLISHED):
    return select_incident_timing(text, extract_time_expressions(text, lang, published), lang)


@pytest.mark.parametrize(
    ("lang", "text", "seconds", "approximate", "evidence"),
    [
        (
            "id",
            "Pemadaman layanan berlangsung selama berjam-jam. Gangguan meluas hingga sekitar 14 jam.",
            50400,
            True,
            "hingga sekitar 14 jam",
        ),
        ("en", "Engineers held a two-hour meeting. The outage lasted about 14 hours.", 50400, True, "about 14 hours"),
        (
            "en",
            "Founded 14 years ago, the company saw its service go down on Monday for 3 hours.",
            10800,
            False,
            "3 hours",
        ),
        (
            "en",
            "From 11:48 PM PDT on October 19 to 2:20 PM PDT on October 20, DynamoDB had increased error rates.",
            52320,
            False,
            "From 11:48 PM PDT on October 19 to 2:20 PM PDT on October 20",
        ),
        (
            "id",
            "Layanan terganggu sejak pukul 07.00 hingga 21.00 WIB pada Senin (20/10/2025).",
            50400,
            False,
            "sejak pukul 07.00 hingga 21.00 WIB pada Senin (20/10/2025)",
        ),
        ("id", "Gangguan terjadi setiap 5 menit selama 2 jam.", 7200, False, "2 jam"),
        ("en", "The outage lasted several hours; the postmortem call took 30 minutes.", 10800, True, "several hours"),
    ],
)
def test_selection_picks_the_outage_duration(
    lang: str, text: str, seconds: float, approximate: bool, evidence: str
) -> None:
    timing = _timing(text, lang)
    assert timing.duration is not None
    assert timing.duration.seconds == pytest.approx(seconds)
    assert timing.duration.approximate is approximate
    assert timing.duration.text == evidence
    assert text[timing.duration.start : timing.duration.end] == evidence


def test_selection_interval_gives_start_end_and_utc_times() -> None:
    text = "From 11:48 PM PDT on October 19 to 2:20 PM PDT on October 20, DynamoDB had increased error rates."
    timing = _timing(text, "en")
    assert timing.start is not None and timing.end is not None
    assert timing.start.date == "2025-10-19"
    assert timing.start.datetime == "2025-10-20T06:48:00Z"
    assert timing.start.text == text[timing.start.start : timing.start.end] == "11:48 PM PDT on October 19"
    assert timing.end.text == text[timing.end.start : timing.end.end] == "2:20 PM PDT on October 20"
    assert timing.end.date == "2025-10-20"
    assert timing.end.datetime == "2025-10-20T21:20:00Z"
    assert timing.duration is not None and timing.duration.iso8601 == "PT14H32M"
    assert timing.warnings == []


def test_selection_start_prefers_outage_day_to_history() -> None:
    text = "Amazon launched the service 14 years ago. The outage began last Monday and lasted 5 hours."
    timing = _timing(text, "en")
    assert timing.start is not None
    assert timing.start.date == "2025-10-20"
    assert timing.start.text == "last Monday"


def test_selection_start_prefers_day_to_month() -> None:
    text = "Laporan Oktober 2025. Gangguan layanan terjadi pada Senin (20/10/2025) dan berlangsung 3 jam."
    timing = _timing(text, "id")
    assert timing.start is not None
    assert timing.start.date == "2025-10-20"
    assert timing.start.text == "Senin (20/10/2025)"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Layanan padam sejak pukul 07.00 hingga 21.00 WIB.", "pukul 07.00", "21.00 WIB"),
        ("Layanan padam pukul 07.00-21.00 WIB.", "pukul 07.00", "21.00 WIB"),
        ("Layanan padam antara pukul 10.00 dan 12.00 WIB.", "pukul 10.00", "12.00 WIB"),
    ],
)
def test_selection_interval_sides_are_the_start_and_end_evidence(text: str, start: str, end: str) -> None:
    timing = _timing(text, "id")
    assert timing.start is not None and timing.end is not None
    assert (timing.start.text, timing.end.text) == (start, end)
    assert text[timing.start.start : timing.start.end] == start
    assert timing.duration is not None and text[timing.duration.start : timing.duration.end] == timing.duration.text


def test_selection_start_is_not_the_day_of_a_statement() -> None:
    text = "Atlassian said on Monday that it had restored the sites lost in an outage that began on April 5."
    timing = _timing(text, "en", dt.date(2022, 4, 19))
    assert timing.start is not None
    assert (timing.start.text, timing.start.date) == ("April 5", "2022-04-05")


def test_selection_bare_weekday_is_the_dated_one() -> None:
    text = "Layanan Bank Terganggu Sejak Senin\nNasabah tidak dapat bertransaksi sejak Senin (8/5/2023)."
    expressions = extract_time_expressions(text, "id", dt.date(2023, 5, 15))
    assert [(e.text, e.date) for e in expressions] == [("Senin", "2023-05-08"), ("Senin (8/5/2023)", "2023-05-08")]
    timing = select_incident_timing(text, expressions, "id")
    assert timing.start is not None and timing.start.date == "2023-05-08"


@pytest.mark.parametrize(
    ("text", "language", "published", "expected"),
    [
        (  # an explicit Thursday two weeks back is another day's
            "The outage began on Thursday. The feature had been added on May 29.",
            "en",
            dt.date(2025, 6, 14),
            [("Thursday", "2025-06-12"), ("May 29", "2025-05-29")],
        ),
        (  # "that Thursday" points back to the dated one
            "The subscription expired on May 2. The fund went offline that Thursday.",
            "en",
            dt.date(2024, 5, 27),
            [("May 2", "2024-05-02"), ("Thursday", "2024-05-02")],
        ),
        (
            "Kontrak berakhir pada 2 Mei 2024. Layanan padam Kamis itu.",
            "id",
            dt.date(2024, 5, 27),
            [("2 Mei 2024", "2024-05-02"), ("Kamis", "2024-05-02")],
        ),
        (
            "Kontrak berakhir pada 2 Mei 2024. Layanan padam Kamis.",
            "id",
            dt.date(2024, 5, 27),
            [("2 Mei 2024", "2024-05-02"), ("Kamis", "2024-05-23")],
        ),
    ],
)
def test_selection_bare_weekday_names_a_dated_one_only_near_its_week(
    text: str, language: str, published: dt.date, expected: list[tuple[str, str]]
) -> None:
    expressions = extract_time_expressions(text, language, published)
    assert [(e.text, e.date) for e in expressions if e.kind != "duration"] == expected


def test_selection_skips_status_page_timestamps() -> None:
    text = (
        "Investigating – 20 Oct 2025, 14:20 UTC\nUsers cannot log in.\n"
        "Resolved – 21 Oct 2025, 05:10 UTC\n"
        "All services have been back to normal since 04:35 UTC. We apologise for the hours-long disruption."
    )
    timing = _timing(text, "en", dt.date(2025, 10, 21))
    assert timing.start is None
    assert timing.end is not None
    assert (timing.end.text, timing.end.datetime) == ("04:35 UTC", "2025-10-21T04:35:00Z")
    assert timing.duration is not None
    assert (timing.duration.text, timing.duration.seconds) == ("hours-long", 10800)


@pytest.mark.parametrize(
    ("lang", "text", "evidence"),
    [
        (
            "en",
            "Facebook went down on Tuesday for about two hours. The outage was shorter than the one in "
            "October 2021, which lasted nearly six hours.",
            "about two hours",
        ),
        (
            "id",
            "Sepekan setelah serangan, layanan masih lumpuh. Gangguan telah berlangsung berhari-hari.",
            "berhari-hari",
        ),
        ("en", "Two hours after the update, the site went down. The outage lasted 40 minutes.", "40 minutes"),
    ],
)
def test_selection_skips_history_and_offsets(lang: str, text: str, evidence: str) -> None:
    timing = _timing(text, lang, dt.date(2024, 3, 6))
    assert timing.duration is not None
    assert timing.duration.text == evidence


def test_selection_computes_duration_from_start_and_end() -> None:
    text = "The outage began at 09:00 UTC on March 3, 2024. Service was restored at 13:30 UTC."
    timing = _timing(text, "en")
    assert timing.start is not None and timing.start.datetime == "2024-03-03T09:00:00Z"
    assert timing.end is not None and timing.end.datetime == "2024-03-03T13:30:00Z"
    assert timing.duration is not None
    assert timing.duration.seconds == 16200
    assert timing.duration.approximate is False
    assert Warnings.W006 not in timing.warnings


def test_selection_refines_start_date_to_its_clock_time() -> None:
    text = "On December 5, 2007, shortly after the release at 22:04 GMT, players reported the outage."
    timing = _timing(text, "en", None)
    assert timing.start is not None
    assert timing.start.date == "2007-12-05"
    assert timing.start.datetime == "2007-12-05T22:04:00Z"


def test_selection_without_published_date_leaves_relative_start_unresolved() -> None:
    text = "Gangguan layanan terjadi pada Senin lalu selama sekitar 14 jam."
    timing = _timing(text, "id", None)
    assert timing.start is not None
    assert timing.start.date is None
    assert timing.start.text == "Senin lalu"
    assert Warnings.W003 in timing.warnings
    assert timing.duration is not None and timing.duration.seconds == 50400


def test_selection_warns_when_no_duration_is_stated() -> None:
    timing = _timing("The outage hit users on October 20, 2025.", "en")
    assert timing.duration is None
    assert timing.start is not None and timing.start.date == "2025-10-20"
    assert timing.warnings == [Warnings.W006]


def test_selection_ignores_durations_of_texts_without_an_outage() -> None:
    timing = _timing("The quarterly meeting lasted two hours on October 20, 2025.", "en")
    assert timing.duration is None
    assert timing.start is None
    assert Warnings.W006 in timing.warnings


def test_selection_unknown_language_gives_nothing() -> None:
    timing = select_incident_timing("down for 14 hours", [], "xx")
    assert (timing.start, timing.end, timing.duration) == (None, None, None)
    assert timing.warnings == [Warnings.W006]


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed article is not available")
@pytest.mark.parametrize("published", [None, PUBLISHED])
def test_selection_seed_article_duration_is_14_hours_approximate(published: dt.date | None) -> None:
    text = SEED.read_text(encoding="utf-8")
    timing = _timing(text, "id", published)
    assert timing.duration is not None
    assert timing.duration.seconds == 50400
    assert timing.duration.iso8601 == "PT14H"
    assert timing.duration.approximate is True
    assert text[timing.duration.start : timing.duration.end] == timing.duration.text


def test_selection_approximate_clock_still_names_the_start_day() -> None:
    text = (
        "On February 4, 2019, at approximately 02:50 UTC, customers experienced degraded access.\n"
        "Kibana access was disrupted from 02:50 to 09:28 UTC."
    )
    timing = _timing(text, "en", dt.date(2019, 3, 4))
    assert timing.start is not None and timing.start.date == "2019-02-04"
    assert timing.start.datetime == "2019-02-04T02:50:00Z"
    assert timing.duration is not None
    assert (timing.duration.text, timing.duration.seconds) == ("from 02:50 to 09:28 UTC", 23880)


def test_selection_start_cue_belongs_to_the_nearest_expression() -> None:
    text = "Scribe could not join calls during the outage from 07:34 to 10:07 UTC and again from 12:40 to 17:37 UTC."
    timing = _timing(text, "en", dt.date(2025, 10, 20))
    assert timing.start is not None and timing.start.text == "07:34"


def test_selection_refines_a_headline_date_through_its_restatement() -> None:
    text = (
        "Cloudflare outage on November 18, 2025\n"
        "On November 18, 2025, the network began experiencing failures at 11:20 UTC. "
        "All services were fully restored by 17:06 UTC."
    )
    timing = _timing(text, "en", None)
    assert timing.start is not None and timing.start.datetime == "2025-11-18T11:20:00Z"
    assert timing.duration is not None and timing.duration.seconds == 20760


def test_selection_end_tie_goes_to_the_latest_time() -> None:
    text = (
        "The outage began at 07:00 UTC on October 4, 2023. The web service was restored by 11:02 UTC. "
        "The API service was restored by 10:30 UTC."
    )
    timing = _timing(text, "en", None)
    assert timing.end is not None and timing.end.datetime == "2023-10-04T11:02:00Z"


@pytest.mark.parametrize(
    ("lang", "text", "seconds"),
    [
        (  # a stated length far shorter than the stated start and end is a phase
            "en",
            "On May 21, 2021, starting at 13:30 UTC, customers experienced blocked jobs. Consumers on the "
            "service queue were disconnected after 15 minutes. The incident was resolved by 01:18 UTC on May 22.",
            42480,
        ),
        (
            "en",
            "The outage started at 21:25 UTC on March 11, 2014. Mitigation led to an additional 25 minutes "
            "of downtime between 23:05 UTC and 23:30 UTC. By 23:34 UTC, the site was fully restored.",
            7740,
        ),
        (  # unless a whole-length word introduces it
            "en",
            "On March 13, 2018, the service had a major outage starting at 12:14 UTC, lasting approximately "
            "5.5 hours. All affected tokens were revoked by 14:22 UTC on March 14.",
            19800,
        ),
        (
            "id",
            "Gangguan layanan dimulai pada Senin (20/10/2025) pukul 10.00 WIB dan berlangsung selama 2 jam. "
            "Semua akun dipulihkan pada Selasa (21/10/2025) pukul 12.00 WIB.",
            7200,
        ),
    ],
)
def test_selection_phase_loses_to_start_and_end(lang: str, text: str, seconds: float) -> None:
    timing = _timing(text, lang, None)
    assert timing.duration is not None
    assert timing.duration.seconds == seconds


def test_selection_sentence_bounds_split_after_a_day_number() -> None:
    from pipeline.temporal.combine import sentence_bounds

    text = "It was pulled at 03:40 GMT on December 6. A fix followed. Ask J. Smith."
    assert sentence_bounds(text) == [0, text.index("A fix"), text.index("Ask")]


@pytest.mark.parametrize(
    ("lang", "text", "start", "end", "seconds"),
    [
        (  # several windows of one outage: from the first start to the last end (GUIDELINES 4.2)
            "en",
            "On October 20, 2025, the service was disrupted (07:11 to 10:53 UTC). Calls failed from 07:34 "
            "to 10:07 UTC and again from 12:40 to 17:37 UTC.",
            "2025-10-20T07:11:00Z",
            "2025-10-20T17:37:00Z",
            37560,
        ),
        (
            "id",
            "Pada Senin (20/10/2025) layanan terganggu pukul 07.00-09.00 WIB dan kembali terganggu pukul "
            "12.00-14.00 WIB.",
            "2025-10-20T00:00:00Z",
            "2025-10-20T07:00:00Z",
            25200,
        ),
    ],
)
def test_selection_windows_run_from_first_start_to_last_end(
    lang: str, text: str, start: str, end: str, seconds: float
) -> None:
    timing = _timing(text, lang, None)
    assert timing.start is not None and timing.start.datetime == start
    assert timing.end is not None and timing.end.datetime == end
    assert timing.duration is not None and timing.duration.seconds == seconds


def test_selection_window_without_repeat_word_is_not_the_end() -> None:
    text = (
        "On October 20, 2025, the service was disrupted from 07:11 to 10:53 UTC. "
        "A scheduled backup ran from 12:40 to 17:37 UTC."
    )
    timing = _timing(text, "en", None)
    assert timing.duration is not None and timing.duration.seconds == 13320


@pytest.mark.parametrize(
    ("lang", "text", "start"),
    [
        (  # "at approximately" and a distant "from" date any event, not the outage's start
            "en",
            "On December 5, 2007, shortly after the release at 22:04 GMT, players began reporting failures. "
            "Upon discovery, the faulty upgrade was pulled from Tranquility at approximately 03:40 GMT on "
            "December 6. A fix was implemented by 06:08 GMT the same day.",
            "2007-12-05",
        ),
        (
            "id",
            "Pada Rabu (5/12/2007) pukul 22.04 WIB pengguna mulai melaporkan gangguan. Pembaruan itu ditarik "
            "dari server sekitar pukul 03.40 WIB pada Kamis (6/12/2007). Perbaikan dipasang pukul 06.08 WIB.",
            "2007-12-05",
        ),
    ],
)
def test_selection_later_event_is_not_the_start(lang: str, text: str, start: str) -> None:
    timing = _timing(text, lang, None)
    assert timing.start is not None and timing.start.date == start


@pytest.mark.parametrize(
    ("lang", "text", "seconds", "evidence"),
    [
        ("en", "The outage lasted from October 27 to October 29, 2013.", 259200, "from October 27 to October 29, 2013"),
        ("en", "Sites were unavailable between 3 and 5 March 2024.", 259200, "between 3 and 5 March 2024"),
        ("id", "Gangguan berlangsung dari 27 hingga 29 Oktober 2025.", 259200, "dari 27 hingga 29 Oktober 2025"),
        ("id", "Layanan terganggu sejak Senin hingga Rabu.", 259200, "sejak Senin hingga Rabu"),
    ],
)
def test_selection_range_of_days_is_the_duration(lang: str, text: str, seconds: float, evidence: str) -> None:
    timing = _timing(text, lang)
    assert timing.duration is not None
    assert (timing.duration.seconds, timing.duration.text) == (seconds, evidence)


def test_selection_latest_full_recovery_is_the_end() -> None:
    text = (
        "On December 7th, 2021, at 7:30 AM PST, an automated scaling activity triggered network congestion. "
        "Congestion improved by 1:34 PM PST, with all network devices fully recovered by 2:22 PM PST, though "
        "some services had extended recovery times, with full recovery of affected services at 6:40 PM PST."
    )
    timing = _timing(text, "en", None)
    assert timing.end is not None and timing.end.datetime == "2021-12-08T02:40:00Z"
    assert timing.duration is not None and timing.duration.seconds == 40200


@pytest.mark.parametrize(
    ("lang", "text", "published", "month", "history"),
    [
        # the month of a day stated outright names the same days: not an earlier incident
        (
            "id",
            "Platform itu lumpuh tiga hari pada Oktober. Gangguan dimulai Kamis (28/10/2021). "
            "Laporannya dirilis pekan ini.",
            dt.date(2022, 1, 21),
            "Oktober",
            False,
        ),
        # a month no stated day falls in, long before the latest date: an earlier incident
        (
            "en",
            "Verizon's network failed on Monday. In February, an AT&T outage lasted more than 12 hours.",
            dt.date(2024, 10, 1),
            "February",
            True,
        ),
    ],
)
def test_history_dates_month_named_alone(lang: str, text: str, published: dt.date, month: str, history: bool) -> None:
    from pipeline.temporal.selection import _history_dates

    expressions = extract_time_expressions(text, lang, published)
    assert any(e.text == month for e in expressions)
    assert any(e.text == month for e in _history_dates(expressions)) is history


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (  # the PST time restates a WIB one dated the next day: the same instant, on Tuesday in PST
            "Layanan pulih pada pukul 14.22 PST, atau Rabu (8/12/2021) pukul 05.22 WIB.",
            "id",
            ("pukul 14.22 PST", "2021-12-07", "2021-12-07T22:22:00Z"),
        ),
        (
            "Service was restored at 2:22 p.m. PST, or 05:22 WIB on December 8, 2021.",
            "en",
            ("2:22 p.m. PST", "2021-12-07", "2021-12-07T22:22:00Z"),
        ),
    ],
)
def test_selection_time_restated_in_another_zone_is_the_same_instant(
    text: str, language: str, expected: tuple[str, str, str]
) -> None:
    expressions = extract_time_expressions(text, language, dt.date(2021, 12, 11))
    assert (expressions[0].text, expressions[0].date, expressions[0].datetime) == expected


def test_a_month_without_its_year_anchors_no_yearless_day() -> None:
    # "July" took its year from the publication date; "Friday 25 April" keeps the nearest reading (2025)
    text = "Online orders will stay paused until July. On Friday 25 April the company paused all orders."
    expressions = extract_time_expressions(text, "en", dt.date(2025, 5, 21))
    assert {e.text: e.date for e in expressions}["Friday 25 April"] == "2025-04-25"
