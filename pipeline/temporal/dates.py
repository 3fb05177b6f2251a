"""Absolute and relative dates, resolved against the publication date ("20/10/2025", "Senin lalu").

dateparser is used where it is right: to give a year to a written date that has none
("20 Oktober", "October 19"), always with the publication date as RELATIVE_BASE. The rules
here cover what it misses or reads too slowly for every token: numeric dates in the text's
order, "Senin (20/10)", "Senin lalu", "pekan lalu", "earlier this week".
Without a publication date nothing relative is guessed from today's clock: the candidate
stays unresolved.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from pipeline.temporal.candidates import Cand
from pipeline.temporal.clock import tz_from_value
from pipeline.temporal.data import MONTH_NUMBERS, RELATIVE_DAY_OFFSETS, UNIT_SECONDS, WEEKDAY_NUMBERS
from pipeline.temporal.lexicon import REPORT_AFTER, REPORT_BEFORE, Lexicon, norm
from pipeline.temporal.senses import sense_allows

FUTURE_GRACE = dt.timedelta(days=7)
"""A yearless date up to this far after publication is read as this year's, not last year's."""
DAY = dt.timedelta(days=1)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


PERIODS: dict[str, Callable[[dt.date], tuple[dt.date, dt.date]]] = {
    "last_week": lambda p: (_monday(p) - 7 * DAY, _monday(p) - DAY),
    "this_week_earlier": lambda p: (_monday(p), max(_monday(p), p - DAY)),
    "this_week": lambda p: (_monday(p), p),
    "last_month": lambda p: (_month_back(p.replace(day=1), 1), p.replace(day=1) - DAY),
    "this_month": lambda p: (p.replace(day=1), p),
    "last_year": lambda p: (dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31)),
}
"""Canonical relative periods -> (first, last) day, given the publication date."""


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None when the parts make no calendar date."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def shift_back(published: dt.date, unit: str, amount: float) -> dt.date:
    """The date `amount` units before `published` ("14 years ago", "dua hari lalu")."""
    if unit == "year":
        return _month_back(published, round(amount * 12))
    if unit == "month":
        return _month_back(published, round(amount))
    seconds = amount * UNIT_SECONDS[unit]
    return published - dt.timedelta(days=int(seconds // 86400))


@lru_cache(maxsize=4096)
def _dateparser_date(span: str, code: str, published: dt.date, order: str) -> dt.date | None:
    import dateparser  # imported on first need: it is slow to import and to load a language

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
        "DATE_ORDER": order.upper(),
    }
    try:
        parsed = dateparser.parse(span, languages=[code], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is fine here
        return None
    return parsed.date() if parsed else None


def _latest_by(published: dt.date, month: int, day: int) -> dt.date | None:
    """This day and month in the publication's year, or the year before when that lies after publication
    (beyond a week's grace); None for a day the month lacks."""
    date = make_date(published.year, month, day)
    if date is not None and date > published + FUTURE_GRACE:
        date = make_date(published.year - 1, month, day)
    return date


def infer_year(span: str, lex: Lexicon, month: int, day: int, published: dt.date | None) -> dt.date | None:
    """The full date of a yearless day and month, relative to the publication date (None without one)."""
    if published is None:
        return None
    parsed = _dateparser_date(norm(span), lex.code, published, lex.data.date_order)
    if parsed is None or (parsed.month, parsed.day) != (month, day):
        parsed = _latest_by(published, month, day)
    this_year = make_date(published.year, month, day)
    if this_year is not None and published < this_year <= published + FUTURE_GRACE:
        return this_year
    return parsed


def set_end_day(cand: Cand) -> None:
    """The end date of a day range within one month ("20-22 Oktober"), once the start date is known."""
    if cand.date is not None and cand.end_day is not None:
        cand.end_date = make_date(cand.date.year, cand.date.month, cand.end_day)
        set_day_span(cand)


def set_day_span(cand: Cand) -> None:
    """The length of a range of whole days ("from October 27 to October 29", "20-22 Oktober").

    Convention: both days count in full, so "October 27 to 29" is three days (259 200 s); a
    range of days states no clock time, and the incident may fill either end day.
    """
    if cand.clock is None and cand.date is not None and cand.end_date is not None and cand.end_date > cand.date:
        cand.seconds = float(((cand.end_date - cand.date).days + 1) * 86400)


NARRATIVE_REACH = 14
"""Days before publication within which an explicit date anchors the bare weekdays told after it."""
WEEKDAY_MATCH_REACH = dt.timedelta(days=7)
"""How far before its own week a bare weekday may name an explicit date of that weekday."""
YEAR_AFTER_REACH = 30
"""A full date at most this many characters after a yearless one lends it its year despite a publication date."""
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def anchor_years(cands: list[Cand], text: str) -> None:
    """Give a yearless date ("May 22", "20 Oktober") the year of the nearest full date written before it.

    A document that states "May 21, 2021" and later "May 22" means 2021 even when it was
    published years later. With no full date before it, the nearest one after it is used when
    it closes the same phrase ("Between March 26 and April 10, 2019") or when the publication
    date gave no reading: a year stated later in a text is more often a
    recalled incident ("the first ground stop since Sept. 11, 2001") than this one's. Of the
    anchor's year and its neighbours, the one that puts the day closest to the anchor wins
    ("December 31, 2024 ... January 2" is 2025). A month named without its year ("until July") took its
    year from the publication date and anchors nothing.
    """
    anchors = [
        c
        for c in cands
        if c.date is not None
        and c.month_day is None
        and not c.relative
        and c.kind != "duration"
        and not (c.approximate and not _YEAR.search(text, c.start, c.end))
    ]
    if not anchors:
        return
    for cand in cands:
        if cand.month_day is None:
            continue
        anchor = _anchor_for(cand, anchors)
        if anchor.start > cand.start and cand.date is not None and anchor.start - cand.end > YEAR_AFTER_REACH:
            continue
        month, day = cand.month_day
        options = [make_date(anchor.date.year + y, month, day) for y in (-1, 0, 1)]  # type: ignore[union-attr]
        if _take_nearest(cand, options, anchor.date):  # type: ignore[arg-type]
            set_end_day(cand)


def _take_nearest(cand: Cand, options: list[dt.date | None], anchor: dt.date) -> bool:
    """Give the candidate the valid option closest to the anchor's day; False when none is valid."""
    valid = [d for d in options if d is not None]
    if not valid:
        return False
    cand.date = min(valid, key=lambda d: abs((d - anchor).days))
    cand.resolved = True
    return True


def _anchor_for(cand: Cand, anchors: list[Cand]) -> Cand:
    """The last anchor written before the candidate, else the nearest one after it."""
    before = [a for a in anchors if a.start < cand.start]
    return before[-1] if before else min(anchors, key=lambda a: a.start - cand.start)


def anchor_month_days(cands: list[Cand]) -> None:
    """Give a day stated without its month ("the 21st", "tanggal 21") the month of the nearest full date.

    The nearest date written before it is the anchor (else the nearest after it); of the days
    numbered so in the anchor's month and its neighbours, the closest to the anchor wins ("On
    October 30 ... restored on the 2nd" is November 2). Without an anchor the day keeps the
    reading from the publication date (`_month_days`).
    """
    anchors = [c for c in cands if c.date is not None and not c.relative and c.month_less_day is None]
    if not anchors:
        return
    for cand in cands:
        if cand.month_less_day is None:
            continue
        anchor = _anchor_for(cand, anchors)
        base = anchor.date.replace(day=1)  # type: ignore[union-attr]
        months = (_month_back(base, 1), base, (base + dt.timedelta(days=31)).replace(day=1))
        _take_nearest(cand, [make_date(m.year, m.month, cand.month_less_day) for m in months], anchor.date)  # type: ignore[arg-type]


def _explicit_days(cands: list[Cand]) -> list[Cand]:
    """Candidates that state one day outright: not relative ("Tuesday", "kemarin"), not a range, and not a
    month alone ("February 2017" names no weekday)."""
    return [c for c in cands if c.date is not None and not c.relative and c.end_date is None and not c.approximate]


def match_weekdays(cands: list[Cand], published: dt.date | None) -> None:
    """A bare weekday names the same day as an explicit date of that weekday in the text.

    "Layanan BSI Terganggu Sejak Senin" in a headline and "sejak Senin (8/5/2023)" in the body
    are one Monday, even when the article was published on a later Monday. A date further back
    (a feature "added on May 29", a Thursday, told in a story of "Thursday" two weeks later) is
    another day's, unless the weekday points back to it ("that Thursday").
    """
    explicit = [c.date for c in _explicit_days(cands)]
    if not explicit:
        return
    for cand in cands:
        if not cand.bare or cand.weekday is None:
            continue
        own = None if cand.told else cand.date
        same = [d for d in explicit if d.weekday() == cand.weekday and _may_name(own, d, published)]
        if same:
            cand.date = max(same)
            cand.resolved = True


def _may_name(own: dt.date | None, explicit: dt.date, published: dt.date | None) -> bool:
    """Whether a bare weekday resolved to `own` may name the explicit date instead."""
    if published is not None and explicit > published:
        return False
    return own is None or own - WEEKDAY_MATCH_REACH <= explicit


def follow_narrative_weekdays(cands: list[Cand], text: str, lex: Lexicon, published: dt.date | None) -> None:
    """A bare weekday told after a recent explicit date is the first such day after it.

    "began at 5:47 p.m. on May 9 ... Early the next morning ... by 6:31 a.m. on Tuesday", published on
    Tuesday, May 17: the story's Tuesday is May 10, not the day of publication. Only a date at most
    NARRATIVE_REACH days before publication anchors, and a weekday that dates a statement ("said on
    Tuesday") keeps the publication's week.
    """
    if published is None:
        return
    anchors = sorted((c.end, c.date) for c in _explicit_days(cands))
    report = lex.pattern("report_context")
    stated = {day for _, day in anchors}
    for cand in cands:
        if not cand.bare or cand.weekday is None or cand.date is None or cand.date in stated:
            continue
        before = [day for end, day in anchors if end <= cand.start]
        if not before or report.search(text, max(0, cand.start - REPORT_BEFORE), cand.end + REPORT_AFTER):
            continue
        anchor = before[-1]
        if not dt.timedelta(0) <= published - anchor <= dt.timedelta(days=NARRATIVE_REACH):
            continue
        following = anchor + dt.timedelta(days=(cand.weekday - anchor.weekday()) % 7 or 7)
        cand.date = min(cand.date, following)


def find_dates(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    """Every date candidate: numeric, written, weekday and relative."""
    return (
        _numeric(text, lex)
        + _written(text, lex, published)
        + _weekdays(text, lex, published)
        + _relative(text, lex, published)
        + _month_days(text, lex, published)
        + _months_alone(text, lex, published)
        + _holidays(text, lex, published)
    )


def _holidays(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    """Days named by a fixed-date holiday ("on Christmas Eve", "malam tahun baru"), a yearless day and month."""
    found = []
    for m in lex.pattern("holiday").finditer(text):
        month, day = (int(part) for part in lex.holidays[norm(m.group())].split("-"))
        cand = Cand(m.start(), m.end(), "date", month_day=(month, day))
        cand.date = _latest_by(published, month, day) if published is not None else None
        cand.resolved = cand.date is not None
        found.append(cand)
    return found


def _month_days(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    """Days of the month stated alone ("the 19th"): the latest such day up to publication."""
    found = []
    for m in lex.pattern("day_of_month").finditer(text):
        day = int(m.group("d"))
        if not 1 <= day <= 31:
            continue
        cand = Cand(m.start(), m.end(), "date", month_less_day=day, resolved=published is not None)
        if published is not None:
            month = published if day <= published.day else _month_back(published.replace(day=1), 1)
            cand.date = make_date(month.year, month.month, day)
            cand.resolved = cand.date is not None
        found.append(cand)
    return found


def _numeric(text: str, lex: Lexicon) -> list[Cand]:
    found = []
    for m in lex.pattern("date_numeric").finditer(text):
        if m.group("iy"):
            date = make_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
            if date is None:
                continue
            cand = Cand(m.start(), m.end(), "date", date=date)
            if m.group("iH"):
                cand.kind = "datetime"
                cand.clock = dt.time(int(m.group("iH")), int(m.group("iM")), int(m.group("iS") or 0))
                zone = m.group("iz")
                if zone:
                    hours = 0.0 if zone.upper() == "Z" else _offset_hours(zone)
                    cand.zone = "UTC" if hours == 0 else f"UTC{zone[0]}{zone[1:3]}:{zone[-2:]}"
                    cand.tz = tz_from_value(hours)
                elif m.group("izn"):
                    cand.zone = m.group("izn")
                    cand.tz = tz_from_value(lex.timezones[cand.zone])
            found.append(cand)
            continue
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        year += 2000 if year < 100 else 0
        day_first = m.group("sep") != "/" or a > 12 or (b <= 12 and lex.data.date_order == "dmy")
        day, month = (a, b) if day_first else (b, a)
        date = make_date(year, month, day)
        if date is not None:
            found.append(Cand(m.start(), m.end(), "date", date=date))
    return found


def _offset_hours(zone: str) -> float:
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * (int(digits[:2]) + int(digits[2:]) / 60)


def _written(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    found = []
    for name in ("date_dmy", "date_mdy"):
        for m in lex.pattern(name).finditer(text):
            if not sense_allows(text, m.start("mon"), m.end("mon"), lex, "month"):
                continue
            month = MONTH_NUMBERS[lex.months[norm(m.group("mon"))]]
            day = int(m.group("d"))
            cand = Cand(m.start(), m.end(), "date")
            end_day, year = m.group("dd"), m.group("y")
            if end_day and int(end_day) <= day and name == "date_mdy":
                # "on November 19 to 11:45 UTC": no range of days, the date alone
                cand.end, end_day, year = m.end("d"), None, None
            if year:
                cand.date = make_date(int(year), month, day)
                if cand.date is None:
                    continue
            else:
                if make_date(2000, month, day) is None:  # 2000 is a leap year: 29 February passes
                    continue
                cand.month_day = (month, day)
                cand.date = infer_year(text[m.start() : m.end()], lex, month, day, published)
                cand.resolved = cand.date is not None
            if end_day:
                cand.end_day = int(end_day)
                if cand.end_day <= day or make_date(2000, month, cand.end_day) is None:
                    continue
                cand.kind = "interval"
                set_end_day(cand)
                lo = max(0, m.start() - 30)  # the opener belongs to the range: "between 3 and 5 March"
                lead = None
                for key in ("between_before", "opener_before"):
                    lead = lead or lex.pattern(key).search(text, lo, m.start())
                if lead is not None:
                    cand.start = lead.start()
            found.append(cand)
    for m in lex.pattern("date_my").finditer(text):
        if sense_allows(text, m.start("mon"), m.end("mon"), lex, "month"):
            month = MONTH_NUMBERS[lex.months[norm(m.group("mon"))]]
            date = dt.date(int(m.group("y")), month, 1)
            found.append(Cand(m.start(), m.end(), "date", date=date, approximate=True))
    return found


def _months_alone(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    """A month named alone ("in February"): the latest such month up to publication, approximate."""
    if published is None:
        return []
    found = []
    for m in lex.pattern("date_month").finditer(text):
        if not sense_allows(text, m.start("mon"), m.end("mon"), lex, "month"):
            continue
        month = MONTH_NUMBERS[lex.months[norm(m.group("mon"))]]
        year = published.year if month <= published.month else published.year - 1
        first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        found.append(Cand(m.start("mon"), m.end(), "date", date=first, end_date=last, approximate=True))
    return found


def _weekdays(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    found = []
    for m in lex.pattern("weekday").finditer(text):
        if not sense_allows(text, m.start("wd"), m.end("wd"), lex, "weekday") or _generic_weekday(text, m.start(), lex):
            continue
        weekday = WEEKDAY_NUMBERS[lex.weekdays[norm(m.group("wd"))]]
        if m.group("sd"):
            day, month = int(m.group("sd")), int(m.group("sm"))
            if make_date(2000, month, day) is None:
                continue
            date = infer_year(f"{day}/{month}", lex, month, day, published)
            found.append(Cand(m.start(), m.end(), "date", date=date, resolved=date is not None, month_day=(month, day)))
            continue
        past = bool(m.group("pre") or m.group("suf"))
        cand = Cand(m.start(), m.end(), "relative_date", weekday=weekday, relative=True)
        if published is None:
            cand.resolved = False
        elif m.group("week"):  # "Kamis pekan lalu": that weekday in the week before publication
            cand.date = _monday(published) - 7 * DAY + dt.timedelta(days=weekday)
        else:
            back = (published.weekday() - weekday) % 7
            cand.date = published - dt.timedelta(days=back or (7 if past else 0))
        cand.bare = not (past or m.group("week"))
        cand.told = _told_weekday(text, m.start(), m.end(), lex)
        found.append(cand)
    return found


def _generic_weekday(text: str, start: int, lex: Lexicon) -> bool:
    """Whether the weekday is any such day ("opened its branches on a Sunday", "setiap Senin"), no date."""
    return bool(lex.pattern("generic_weekday_before").search(text[max(0, start - 16) : start]))


def _told_weekday(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether a weekday is one the text has dated already: "that Thursday", "Kamis itu"."""
    before = lex.pattern("told_weekday_before").search(text, max(0, start - 20), start)
    return bool(before or lex.pattern("told_weekday_after").match(text, end))


def _relative(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    found = []
    for m in lex.pattern("relative").finditer(text):
        cand = Cand(m.start(), m.end(), "relative_date", relative=True, resolved=published is not None)
        if m.group("rel"):
            if published is not None:
                cand.date = published + dt.timedelta(days=RELATIVE_DAY_OFFSETS[lex.relative_days[norm(m.group())]])
        else:
            if not sense_allows(text, m.start(), m.end(), lex, "unit"):
                continue
            cand.approximate = True
            if published is not None:
                cand.date, cand.end_date = PERIODS[lex.periods[norm(m.group())]](published)
        found.append(cand)
    return found
