"""Choose the incident's start, end and duration among every time expression of a document.

Each candidate is scored on its context, with the words of the language's temporal.yaml:
outage words in its sentence or next to it (`outage_context`), a word that introduces a
length right before it (`duration_context`: selama, for), a start or end word before it,
and words that make it something else's time (`non_outage_context`: rapat, meeting, every,
later). A stated number beats a vague phrase, a clock time beats a bare date, and a date far
before the document's other dates ("14 years ago", an earlier incident recalled) is history,
not the incident. The day of a statement ("said on Monday", `report_context`), an update's
own timestamp on a status page, and an offset ("sepekan setelah serangan", `offset_after`)
are not the incident's start or length, unless the offset runs from the start to the
resolution ("service was restored about 90 minutes later", `resolution_context`). A date or
length named right after a past year or another incident ("since 2021, when ...", "a similar
outage on August 20th", `other_incident_context`) is that incident's. With both a start and an
end in UTC and no strongly stated length, the duration is their difference; an end stated
without a zone is measured in the start's ("began at 8 a.m. BST ... fixed by midday").
The context tests live in `context.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.errors import Warnings
from pipeline.schema import Duration, TimeExpression, TimePoint
from pipeline.temporal.clock import tz_from_value
from pipeline.temporal.context import SelectionContext
from pipeline.temporal.durations import to_iso8601
from pipeline.temporal.lexicon import HISTORY, get_lexicon, has_language, norm

WARNING_MESSAGES = {
    Warnings.W003: "a relative date was left unresolved: the document has no published date",
    Warnings.W006: "no duration of the incident is stated",
}
MAX_DURATION_SPAN = 400
"""Longest stretch of text a duration computed from a start and an end may point at."""
STRONG = 3.0
"""Score from which a stated duration is preferred to one computed from the start and end."""
WINDOWS = dt.timedelta(days=2)
"""Longest stretch from an incident's start to the end of a later window of the same outage."""
PHASE = 0.5
"""A stated duration under this share of the stated start-to-end span is a phase of the incident."""
EARLIER_DAY_REACH = dt.timedelta(days=2)
EARLIER_DAY_MARGIN = 1.5
"""A day at most EARLIER_DAY_REACH before the best start, scoring at most this much less, is when it began."""


@dataclass
class IncidentTiming:
    """The incident's start, end and duration, each with its evidence, and warning codes."""

    start: TimePoint | None = None
    end: TimePoint | None = None
    duration: Duration | None = None
    warnings: list[str] = field(default_factory=list)


def select_incident_timing(text: str, expressions: list[TimeExpression], lang: str) -> IncidentTiming:
    """The incident's start, end and duration among `expressions` found in `text`.

    Args:
        text: the text the expressions' offsets index into.
        expressions: the output of `extract_time_expressions` for `text`.
        lang: the language of `text`.

    Returns:
        The timing; `warnings` holds W003 when a relative date stayed unresolved and W006 when
        no duration was found.
    """
    timing = IncidentTiming()
    if any(not e.resolved for e in expressions):
        timing.warnings.append(Warnings.W003)
    if has_language(lang) and expressions:
        ctx = SelectionContext(text, get_lexicon(lang))
        ctx.dated = [e for e in expressions if e.date and e.kind != "duration"]
        ctx.spans = sorted((e.start, e.end) for e in expressions)
        if ctx.has("outage_context", 0, len(text)):
            stated, score, cued = _duration(ctx, expressions)
            ends = _end_candidates(ctx, expressions)
            start_expr = _start(ctx, expressions, ends)
            if start_expr is not None:
                timing.start = _point(ctx, start_expr, end=False)
            end_expr = _end(ends, start_expr)
            window = _last_window(ctx, expressions, start_expr, end_expr)
            if window is not None:
                end_expr = window
                if stated is not None and any(e.kind == "interval" and e.start == stated.start for e in expressions):
                    stated = None  # the length of one window, not of the incident
            if end_expr is not None:
                timing.end = _point(ctx, end_expr, end=end_expr.kind == "interval")
            same = start_expr is not None and start_expr is end_expr  # one interval: its own length is stated
            zoned_end = _zoned_end(ctx, start_expr, end_expr, timing.end)
            computed = None if same else _computed_duration(text, timing.start, zoned_end)
            if computed is not None and start_expr is not None and end_expr is not None:
                computed.approximate = start_expr.approximate or end_expr.approximate
            # A stated duration in outage context wins; a weak one loses to a stated start and end,
            # and so does one far shorter than them: a phase of the incident ("an additional 25
            # minutes of downtime", "disconnected after 15 minutes"), not its length, unless a
            # whole-length word introduces it ("lasting approximately 5.5 hours").
            phase = stated is not None and computed is not None and stated.seconds < PHASE * computed.seconds
            if computed is not None and (score < STRONG or (phase and not cued)):
                stated = None
            timing.duration = stated or computed
    if timing.duration is None:
        timing.warnings.append(Warnings.W006)
    return timing


def _latest_day(expressions: list[TimeExpression]) -> dt.date | None:
    """The latest day any of the expressions states."""
    return max((d for e in expressions if (d := _day(e)) is not None), default=None)


def _history_dates(expressions: list[TimeExpression]) -> list[TimeExpression]:
    """Dated expressions far older than the document's latest date: other, earlier incidents.

    A month named alone ("pada Oktober") is not, when a day of that month is stated outright: it
    names the same days.
    """
    latest = _latest_day(expressions)
    if latest is None:
        return []
    days = [d for e in expressions if e.kind == "date" and not e.approximate and (d := _day(e)) is not None]
    return [
        e
        for e in expressions
        if (d := _day(e)) is not None and d < latest - HISTORY and not _month_of_stated_days(e, days)
    ]


def _month_of_stated_days(expr: TimeExpression, days: list[dt.date]) -> bool:
    """Whether `expr` is a span of days ("Oktober") one of the stated `days` falls in."""
    if expr.kind != "date" or not expr.end_date or not expr.date:
        return False
    first, last = dt.date.fromisoformat(expr.date), dt.date.fromisoformat(expr.end_date)
    return any(first <= day <= last for day in days)


def _near_history(ctx: SelectionContext, expr: TimeExpression, history: list[TimeExpression]) -> bool:
    """Whether the closest date stated before `expr` in its paragraph, or in its sentence, is history."""
    lo, hi = ctx.sentence(expr.start)
    paragraph = ctx.text.rfind("\n", 0, expr.start) + 1
    if any(lo <= h.start < hi for h in history):
        return True
    dated = [e for e in ctx.dated if paragraph <= e.start < expr.start]
    return bool(dated) and any(dated[-1] is h for h in history)


def _is_vague(expr: TimeExpression) -> bool:
    return bool(expr.min_seconds and expr.max_seconds and expr.max_seconds >= 2.5 * expr.min_seconds)


def _duration(ctx: SelectionContext, expressions: list[TimeExpression]) -> tuple[Duration | None, float, bool]:
    """The best stated duration, its score, and whether a whole-length word introduces it ("lasted")."""
    best: tuple[float, TimeExpression, bool] | None = None
    history = _history_dates(expressions)
    latest = _latest_day(expressions)
    for expr in expressions:
        if expr.seconds is None or expr.seconds <= 0 or expr.kind not in ("duration", "interval"):
            continue
        if ctx.before("forecast_before", expr, width=30):
            continue  # "it could take several days": a forecast, not how long it lasted
        since_start = ctx.since_start(expr)
        # "restored about 90 minutes later": the offset word is no sign of something else's time.
        score = ctx.outage_score(expr, tail=0 if since_start else 15)
        cued = since_start or ctx.before("total_before", expr, width=25)
        if cued or ctx.before("duration_before", expr, width=25):
            score += 1.0
        elif norm(expr.text) in ctx.lex.vague_needing_cue:
            continue  # "stopped working overnight": when, not how long
        elif ctx.lex.pattern("offset_next").match(ctx.text, expr.end):
            score -= 3.0  # "sepekan setelah serangan", "two hours into the outage": an offset
        if ctx.history_before(expr, history, latest) or ctx.other_incident(expr.start):
            score -= 6.0  # the length of the earlier incident named just before it
        elif _near_history(ctx, expr, history):
            score -= 3.0  # the length of an earlier incident recalled for comparison
        if expr.seconds >= 28 * 86400:
            score -= 2.0
        elif expr.seconds < 60:
            score -= 0.5
        if expr.kind == "interval":
            score += 0.5
        if score <= 0:
            continue
        if _is_vague(expr):
            score -= 1.5  # a stated number beats "berjam-jam", but a vague length beats none
        # On a tie the longer one: the incident's length spans its phases ("42 minutes of full
        # downtime, then 1 hour 35 minutes of partial downtime").
        if best is None or (score, expr.seconds) > (best[0], best[1].seconds):
            best = (score, expr, cued)
    if best is None:
        return None, 0.0, False
    score, expr, cued = best
    return (
        Duration(
            seconds=expr.seconds,
            iso8601=to_iso8601(expr.seconds),  # type: ignore[arg-type]
            approximate=expr.approximate,
            text=expr.text,
            min_seconds=expr.min_seconds,
            max_seconds=expr.max_seconds,
            start=expr.start,
            end=expr.end,
        ),
        score,
        cued,
    )


def _day(expr: TimeExpression) -> dt.date | None:
    return dt.date.fromisoformat(expr.date) if expr.date else None


def _vague_day(expr: TimeExpression) -> bool:
    """Whether the expression names a month or a week rather than a day ("February 2019", "pekan lalu").

    An approximate clock time on a stated day ("February 4, at approximately 02:50 UTC") names a day.
    """
    return expr.approximate and expr.kind in ("date", "relative_date")


def _moment(expr: TimeExpression, *, end: bool) -> tuple[dt.date, str]:
    """A sort key of when a point is: its day, then its UTC time where stated."""
    stamp = (expr.end_datetime if end else None) or expr.datetime or ""
    day = _day(expr) if not (end and expr.end_date) else dt.date.fromisoformat(expr.end_date)  # type: ignore[arg-type]
    return day or dt.date.min, stamp if stamp.endswith("Z") else ""


def _start(
    ctx: SelectionContext, expressions: list[TimeExpression], ends: list[tuple[float, TimeExpression]]
) -> TimeExpression | None:
    # An end ("kembali normal sejak pukul 04.35 WIB") is no start, unless it is a whole interval.
    end_ids = {id(e) for _, e in ends if e.kind != "interval"}
    points = [
        e
        for e in expressions
        if e.kind != "duration" and (e.date or not e.resolved) and not ctx.stamp(e) and id(e) not in end_ids
    ]
    reported = {id(e) for e in points if ctx.reported(e)}
    # The day of a statement ("the bank said on Tuesday, four months after ...") is no incident day to
    # measure history from.
    latest = _latest_day([e for e in points if id(e) not in reported]) or _latest_day(points)
    first = next((e for e in points if e.date and not _vague_day(e) and id(e) not in reported), None)
    scored: list[tuple[float, TimeExpression]] = []
    for expr in points:
        score = ctx.outage_score(expr)
        if id(expr) in reported:
            score -= 2.0  # "Atlassian said on Monday": the day of the statement
        if expr is first:
            score += 1.0  # reports state the day of the incident first, its background later
        if _end(ends, expr) is not None:
            score += 1.0
        if ctx.before("start_context", expr) or ctx.opened(expr):
            # A start word ("first reported late Friday") outweighs coming first: a lead may
            # name the day of the worst impact before the day the problems began.
            score += 1.5
        if ctx.other_incident(expr.start):
            score -= 3.0  # "a similar outage that occurred on August 20th": another incident's day
        if ctx.before("end_context", expr, width=30) and expr.kind != "interval":
            score -= 2.0
        if expr.datetime or expr.kind == "interval":
            score += 1.0
        if _vague_day(expr):
            score -= 1.5  # a month ("February 2019") or a week ("pekan lalu"), not a day
        if not expr.resolved:
            score -= 0.5
        day = _day(expr)
        if day is not None and latest is not None and day < latest - HISTORY:
            score -= 3.0
        if score > 0:
            scored.append((score, expr))
    if not scored:
        return None
    best = max(scored, key=lambda s: s[0])  # the first of equal scores
    return _refine(ctx, expressions, _earliest_close(scored, best))


def _earliest_close(scored: list[tuple[float, TimeExpression]], best: tuple[float, TimeExpression]) -> TimeExpression:
    """The best start, or a day shortly before it that scores nearly as well: "struggled on Friday after the
    cables went down early on Thursday" began on Thursday."""
    day = _day(best[1])
    if day is None or best[1].datetime:
        return best[1]  # a stated clock time is the start ("00:51 UTC on November 19", not the US evening before)
    close = [
        (d, expr)
        for score, expr in scored
        if (d := _day(expr)) is not None
        and day - EARLIER_DAY_REACH <= d < day
        and score >= best[0] - EARLIER_DAY_MARGIN
        and not _vague_day(expr)
    ]
    return min(close, key=lambda c: (c[0], c[1].start))[1] if close else best[1]


def _refine(ctx: SelectionContext, expressions: list[TimeExpression], start: TimeExpression) -> TimeExpression:
    """A start date made precise: "On December 5, 2007, ... at 22:04 GMT" starts at 22:04 GMT.

    The clock time is looked for in the date's paragraph, and in the paragraph of each later
    restatement of the same day: a headline that names the day ("... outage on October 20,
    2025") is a paragraph of its own, and the body restates the day with its times.
    """
    if start.datetime or start.date is None:
        return start
    limit = _paragraph_end(ctx.text, start.end)
    for expr in expressions:
        if expr.start < start.end or expr.date != start.date:
            continue
        if expr.start >= limit:
            if expr.kind == "date":
                limit = _paragraph_end(ctx.text, expr.end)  # the day restated: search its paragraph too
                continue
            if expr.kind != "datetime":
                break
        if expr.datetime and not ctx.before("end_context", expr, width=20):
            return expr
    return start


def _paragraph_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return end if end >= 0 else len(text)


def _end_candidates(ctx: SelectionContext, expressions: list[TimeExpression]) -> list[tuple[float, TimeExpression]]:
    """Dated points next to an end word ("until ...", "... pulih"), with their scores, in text order."""
    ends = []
    for expr in expressions:
        if expr.kind == "duration" or not expr.date or ctx.stamp(expr) or ctx.reported(expr):
            continue  # a statement's day ("Published December 17, 2014, by the team") ends nothing
        # "sejak" may have been joined inside the expression: "Minggu (29/6/2025) sejak pukul
        # 14.00 WIB hingga sore" starts at 14.00; the "hingga" after it opens the end.
        started = ctx.before("start_context", expr) or ctx.has("start_context", expr.start, expr.end)
        if ctx.before("end_context", expr) or (ctx.after("end_context_after", expr) and not started):
            ends.append((2.0 + ctx.outage_score(expr) + (1.0 if expr.datetime else 0.0), expr))
    return ends


def _end(ends: list[tuple[float, TimeExpression]], start: TimeExpression | None) -> TimeExpression | None:
    """The best end after `start` (any end when the text states no start)."""
    if start is not None and start.kind == "interval" and (start.end_date or start.end_datetime):
        return start
    begin = _day(start) if start is not None else None
    best: tuple[tuple[float, tuple[dt.date, str]], TimeExpression] | None = None
    for score, expr in ends:
        if start is not None and (expr is start or expr.start < start.end):
            continue
        if begin is not None and _day(expr) < begin:  # type: ignore[operator]
            continue
        # On a tie the latest, in time and then in the text: "fully restored by" comes last.
        key = (score, _moment(expr, end=True))
        if best is None or key >= best[0]:
            best = (key, expr)
    return best[1] if best else None


def _last_window(
    ctx: SelectionContext, expressions: list[TimeExpression], start: TimeExpression | None, end: TimeExpression | None
) -> TimeExpression | None:
    """The last of several outage windows ("07:34 to 10:07 UTC and again from 12:40 to 17:37 UTC").

    Convention (GUIDELINES 4.2, "from start to resolution"): an outage stated in several
    windows starts with its first and ends with its last, so a later window introduced by a
    repeat word (`repeat_context`: and again, dan kembali) that ends after the chosen end, within
    `WINDOWS` of the start, becomes the end; the gaps between windows count in the duration.
    """
    if start is None or not (start.datetime or start.kind == "interval"):
        return None
    begin = _moment(start, end=False)
    if not begin[1]:
        return None
    latest = _moment(end, end=True) if end is not None else begin
    limit = (dt.datetime.fromisoformat(begin[1]) + WINDOWS).strftime("%Y-%m-%dT%H:%M:%SZ")
    best = None
    for expr in expressions:
        if expr.kind != "interval" or expr.start < start.end or not ctx.before("repeat_context", expr, width=25):
            continue
        moment = _moment(expr, end=True)
        if not moment[1] or moment <= latest or moment[1] > limit or _moment(expr, end=False) < begin:
            continue
        if ctx.outage_score(expr) <= 0:
            continue
        best, latest = expr, moment
    return best


def _point(ctx: SelectionContext, expr: TimeExpression, *, end: bool) -> TimePoint:
    """The start or end point stated by `expr`; of an interval, the side that states it."""
    date = (expr.end_date or expr.date) if expr.kind == "interval" and end else expr.date
    stamp = (expr.end_datetime if end else expr.datetime) or ""
    lo, hi = expr.start, expr.end
    if expr.kind == "interval" and (sides := _interval_sides(ctx, expr)) is not None:
        lo, hi = sides[1] if end else sides[0]
    return TimePoint(
        date=date,
        datetime=stamp if stamp.endswith("Z") else None,
        text=ctx.text[lo:hi],
        start=lo,
        end=hi,
    )


def _interval_sides(ctx: SelectionContext, expr: TimeExpression) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The spans of an interval's two sides: split at a connector word, else at a dash."""
    for key in ("split_words", "split_marks"):
        for link in ctx.lex.pattern(key).finditer(ctx.text, expr.start, expr.end):
            left, right = ctx.text[expr.start : link.start()], ctx.text[link.end() : expr.end]
            if any(c.isdigit() for c in left) and any(c.isdigit() for c in right):
                opener = ctx.lex.pattern("opener_lead").match(ctx.text, expr.start, link.start())
                begin = opener.end() if opener else expr.start
                return (begin, link.start()), (link.end(), expr.end)
    return None


def _zoned_end(
    ctx: SelectionContext, start: TimeExpression | None, end: TimeExpression | None, point: TimePoint | None
) -> TimePoint | None:
    """The end point, in UTC on the start's zone when only the start states one, to measure the length.

    News states the zone once: "began at 8 a.m. BST ... fixed by midday" ends at 12:00 BST.
    The exported end keeps no UTC time (GUIDELINES 4.1: only a clock time with a zone has one);
    only the duration is measured with it.
    """
    if point is None or point.datetime or start is None or end is None or end.kind not in ("time", "datetime"):
        return point
    label = start.timezone
    if not (start.datetime and end.datetime and label) or end.timezone or label not in ctx.lex.timezones:
        return point
    local = dt.datetime.fromisoformat(end.datetime)
    aware = local.replace(tzinfo=tz_from_value(ctx.lex.timezones[label])).astimezone(dt.UTC)
    return point.model_copy(update={"datetime": aware.strftime("%Y-%m-%dT%H:%M:%SZ")})


def _computed_duration(text: str, start: TimePoint | None, end: TimePoint | None) -> Duration | None:
    """A duration from a start and an end that both have a UTC time, when the text states none."""
    if start is None or end is None or not (start.datetime and end.datetime):
        return None
    seconds = (dt.datetime.fromisoformat(end.datetime) - dt.datetime.fromisoformat(start.datetime)).total_seconds()
    if seconds <= 0:
        return None
    if start.start is not None and end.end is not None and 0 < end.end - start.start <= MAX_DURATION_SPAN:
        span = text[start.start : end.end]
        return Duration(seconds=seconds, iso8601=to_iso8601(seconds), text=span, start=start.start, end=end.end)
    # Far apart: the evidence is the two mentions, and no single span of the text holds it.
    return Duration(seconds=seconds, iso8601=to_iso8601(seconds), text=f"{start.text} … {end.text}")
