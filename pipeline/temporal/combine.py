"""Joining neighbouring candidates: a weekday and its date, a date and its clock time, and
giving a lone clock time the date its sentence or paragraph states."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import replace

from pipeline.temporal.candidates import Cand
from pipeline.temporal.intervals import finish
from pipeline.temporal.lexicon import HISTORY, Lexicon

MAX_GAP = 30
"""Most characters between two candidates that are still one expression."""
FAR_DAY = 40
"""Characters after a clock time beyond which a day in its sentence yields to an earlier stated day."""
_CLOSE_PAREN = re.compile(r"\s*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")
# A single letter before a full stop is an initial ("J. Smith"); a single digit ends a date ("December 6.").
_ABBREVIATION = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b(?:\w\.)+\w?|\b[^\W\d])\.$")


def merge_weekday_dates(cands: list[Cand], text: str, lex: Lexicon) -> list[Cand]:
    """A weekday right before a date is that date: "Senin (20/10/2025)", "Rabu malam (19/6/2024)"."""
    out: list[Cand] = []
    i = 0
    while i < len(cands):
        cand = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if (
            nxt is not None
            and cand.weekday is not None
            and nxt.kind in ("date", "datetime", "interval")
            and not nxt.relative
            and nxt.start - cand.end <= MAX_GAP
            and lex.pattern("weekday_gap").fullmatch(text, cand.end, nxt.start)
        ):
            end = nxt.end
            if "(" in text[cand.end : nxt.start] and (close := _CLOSE_PAREN.match(text, end)):
                end = close.end()
            out.append(replace(nxt, start=cand.start, end=end))
            i += 2
            continue
        out.append(cand)
        i += 1
    return out


def merge_date_clocks(cands: list[Cand], text: str, lex: Lexicon) -> list[Cand]:
    """A date and its clock time: "20 Oktober 2025 pukul 14.48 WIB", "11:48 PM PDT on October 19"."""
    gap_ok = lex.pattern("date_clock_gap")
    out: list[Cand] = []
    i = 0
    while i < len(cands):
        cand = cands[i]
        if cand.kind == "time":
            prev = out[-1] if out else None
            nxt = cands[i + 1] if i + 1 < len(cands) else None
            if _is_day(prev) and _gap(text, prev.end, cand.start, gap_ok):  # type: ignore[union-attr]
                out[-1] = _with_clock(prev, cand, prev.start, cand.end)  # type: ignore[arg-type]
                i += 1
                continue
            if _is_day(nxt) and _gap(text, cand.end, nxt.start, gap_ok):  # type: ignore[union-attr]
                out.append(_with_clock(nxt, cand, cand.start, nxt.end))  # type: ignore[arg-type]
                i += 2
                continue
        out.append(cand)
        i += 1
    return out


def _is_day(cand: Cand | None) -> bool:
    return (
        cand is not None
        and cand.kind in ("date", "relative_date")
        and cand.clock is None
        and cand.end_date is None
        and (cand.date is not None or not cand.resolved)
    )


def _gap(text: str, start: int, end: int, pattern: re.Pattern[str]) -> bool:
    return end - start <= MAX_GAP and pattern.fullmatch(text, start, end) is not None


def _with_clock(day: Cand, clock: Cand, start: int, end: int) -> Cand:
    return replace(
        day,
        start=start,
        end=end,
        kind="datetime",
        clock=clock.clock,
        zone=clock.zone,
        tz=clock.tz,
        approximate=day.approximate or clock.approximate,
        confident=True,
    )


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of `text` (a light splitter that skips "a.m." and "Oct.")."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("\n") or not _ABBREVIATION.search(text, max(0, match.start() - 6), match.start()):
            starts.append(match.end())
    return starts


def attach_context_dates(cands: list[Cand], text: str, published: dt.date | None, lex: Lexicon) -> None:
    """Give clock times and clock intervals without a date the single day stated nearest to them.

    The same sentence is searched first (either side), then everything before it: post-mortems
    state the date once ("On February 28, ...") and the times after it. A day that restates the time
    in another zone ("pukul 08.00 WIB, atau Selasa malam waktu Amerika Serikat") is its day only when no
    other is near (`align_conversions` then moves it to the time's own zone). A document that states
    no day at all, such as a status update ("Pukul 10.15 WIB kami menerima laporan"), speaks of
    its publication day.
    """
    # An approximate day ("February 2019", "pekan lalu") names no single day; an approximate clock
    # time on a stated day ("February 4, at approximately 02:50 UTC") still does.
    days = [
        c
        for c in cands
        if c.date is not None
        and c.end_date is None
        and c.kind != "duration"
        and not (c.approximate and c.clock is None)
    ]
    if not days:
        if published is not None:
            for cand in cands:
                if cand.date is None and cand.clock is not None and cand.kind in ("time", "interval"):
                    cand.date, cand.context_date = published, True
                    finish(cand)
        return
    starts = sentence_bounds(text)
    conversion = lex.pattern("conversion_gap")
    day_starts = [d.start for d in days]
    latest = max(d.date for d in days if d.date is not None)
    for cand in cands:
        if cand.date is not None or cand.clock is None or cand.kind not in ("time", "interval"):
            continue
        sentence = bisect.bisect_right(starts, cand.start) - 1
        lo = starts[sentence]
        hi = starts[sentence + 1] if sentence + 1 < len(starts) else len(text)
        i = bisect.bisect_left(day_starts, cand.start)
        near = [d for d in days[max(0, i - 1) : i + 1] if lo <= d.start < hi]
        # A day far after the time in its sentence is often another event's ("began at 10:15
        # p.m. ET, lasted 40 minutes, Google said in a statement early Wednesday"): an earlier
        # stated day is then the time's, as in post-mortems that state the date once.
        near = [d for d in near if d.start < cand.start or d.start - cand.end <= FAR_DAY or i == 0]
        restating = [d for d in near if d.start > cand.start and conversion.fullmatch(text, cand.end, d.start)]
        near = [d for d in near if d not in restating] or near  # the restatement's day is aligned later
        if near:
            source = min(near, key=lambda d: abs(d.start - cand.start))
        elif i > 0:
            # from an earlier sentence, the latest day that is not an earlier incident's ("the first
            # ground stop since Sept. 11, 2001" does not date the next sentence's "8:50 a.m.")
            current = [d for d in days[:i] if d.date is not None and d.date >= latest - HISTORY]
            source = current[-1] if current else days[i - 1]
        else:
            continue
        cand.date = source.date
        cand.resolved = cand.resolved and source.resolved
        cand.context_date = True
        finish(cand)


def align_conversions(cands: list[Cand], text: str, lex: Lexicon) -> None:
    """A clock time dated from context that restates a dated time in another zone ("pukul 14.22 PST,
    atau Rabu (8/12/2021) pukul 05.22 WIB") is the same instant: it takes that instant's day in its
    own zone (Tuesday in PST), when the two clocks agree."""
    gap = lex.pattern("conversion_gap")
    for left, right in itertools.pairwise(cands):
        if not gap.fullmatch(text, left.end, right.start):
            continue
        for timed, dated in ((left, right), (right, left)):
            if not (timed.context_date and timed.kind == "time" and dated.kind == "datetime"):
                continue
            clock, zone = timed.clock, timed.tz
            if clock is None or zone is None or dated.date is None or dated.clock is None or dated.tz is None:
                continue
            local = dt.datetime.combine(dated.date, dated.clock, tzinfo=dated.tz).astimezone(zone)
            if (local.hour, local.minute) == (clock.hour, clock.minute):
                timed.date = local.date()
