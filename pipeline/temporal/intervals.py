"""Intervals between two points ("from 11:48 PM PDT on October 19 to 2:20 PM PDT on October 20",
"sejak pukul 07.00 hingga 21.00 WIB") and ranges between two durations ("30 menit hingga 1 jam").

A side without a zone takes the other side's; a side without a date takes the other side's,
moved a day where the clock runs past midnight; durations are computed in UTC when zones are
known, so an interval that crosses midnight or days has its true length.
"""

from __future__ import annotations

import datetime as dt

from pipeline.temporal.candidates import Cand
from pipeline.temporal.dates import set_day_span
from pipeline.temporal.lexicon import Lexicon

_REFERENCE_DAY = dt.date(2000, 1, 3)
"""Stand-in date for intervals with clock times only, to measure them (zones still apply)."""


def merge_intervals(cands: list[Cand], text: str, lex: Lexicon) -> list[Cand]:
    """Join adjacent points linked by an interval connector, and adjacent durations linked by a range one."""
    out: list[Cand] = []
    i = 0
    while i < len(cands):
        first = cands[i]
        second = cands[i + 1] if i + 1 < len(cands) else None
        merged = _pair(first, second, text, lex) if second is not None else None
        if merged is not None:
            out.append(merged)
            i += 2
        else:
            out.append(first)
            i += 1
    return out


def _pair(a: Cand, b: Cand, text: str, lex: Lexicon) -> Cand | None:
    gap = text[a.end : b.start]
    if len(gap) > 30:
        return None
    if a.kind == b.kind == "duration":
        # The connector may have been read as the second duration's cue: "30 menit hingga 1 jam".
        lead = lex.pattern("range_lead").match(text, a.end)
        joined = lex.pattern("range_gap").fullmatch(gap) or (lead is not None and b.start <= lead.end() < b.end)
        return _duration_range(a, b) if joined else None
    if a.kind == "duration" or b.kind == "duration" or not (a.confident or b.confident):
        return None
    clocks = a.clock is not None and b.clock is not None
    dates = (
        a.clock is None
        and b.clock is None
        and a.date is not None
        and b.date is not None
        and a.date < b.date
        and a.end_date is None
        and b.end_date is None
    )
    if not (clocks or dates):
        return None
    lo = max(0, a.start - 30)
    between = lex.pattern("between_before").search(text, lo, a.start)
    if not (lex.pattern("interval_gap").fullmatch(gap) or (between and lex.pattern("between_gap").fullmatch(gap))):
        return None
    opener = between or lex.pattern("opener_before").search(text, lo, a.start)
    start = opener.start() if opener else a.start
    cand = Cand(start, b.end, "interval", approximate=a.approximate or b.approximate)
    cand.resolved = a.resolved and b.resolved
    if dates:
        cand.date, cand.end_date = a.date, b.date
        set_day_span(cand)
        return cand
    cand.clock, cand.end_clock = a.clock, b.clock
    cand.zone, cand.tz = a.zone or b.zone, a.tz or b.tz
    cand.end_zone, cand.end_tz = b.zone or a.zone, b.tz or a.tz
    cand.date, cand.end_date = a.date, b.date
    if cand.date is None and cand.end_date is not None:
        cand.date = cand.end_date
        if _measure(cand.date, cand.clock, cand.tz, cand.end_date, cand.end_clock, cand.end_tz) < 0:
            cand.date -= dt.timedelta(days=1)
    finish(cand)
    return cand


def finish(cand: Cand) -> None:
    """Fill in a clock interval's end date (across midnight) and its length in seconds."""
    if cand.clock is None or cand.end_clock is None:
        return
    start_day = cand.date or _REFERENCE_DAY
    end_day = cand.end_date or start_day
    seconds = _measure(start_day, cand.clock, cand.tz, end_day, cand.end_clock, cand.end_tz)
    if seconds < 0 and cand.end_date is None:
        end_day += dt.timedelta(days=1)
        seconds += 86400
    if seconds < 0:
        return
    if cand.date is not None and cand.end_date is None and end_day != cand.date:
        cand.end_date = end_day
    cand.seconds = seconds


def _measure(
    day: dt.date, clock: dt.time, tz: dt.tzinfo | None, end_day: dt.date, end_clock: dt.time, end_tz: dt.tzinfo | None
) -> float:
    start = dt.datetime.combine(day, clock, tzinfo=tz)
    end = dt.datetime.combine(end_day, end_clock, tzinfo=end_tz)
    if (tz is None) != (end_tz is None):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return (end - start).total_seconds()


def _duration_range(a: Cand, b: Cand) -> Cand | None:
    plain = a.min_seconds is None and a.max_seconds is None and b.min_seconds is None and b.max_seconds is None
    if not plain or a.seconds is None or b.seconds is None or a.seconds >= b.seconds:
        return None
    low, high = a.seconds, b.seconds
    return Cand(
        a.start, b.end, "duration", seconds=(low + high) / 2, min_seconds=low, max_seconds=high, approximate=True
    )
