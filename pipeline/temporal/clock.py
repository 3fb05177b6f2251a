"""Clock times with day periods and time zones ("pukul 14.48 WIB", "11:48 PM PDT", "noon UTC")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

from pipeline.temporal.candidates import Cand
from pipeline.temporal.lexicon import SPACE, Lexicon, norm

DAY_PERIOD_HOURS: dict[str, Callable[[int], int]] = {
    # How a day-period word moves a 12-hour clock reading onto the 24-hour clock.
    "am": lambda h: 0 if h == 12 else h,
    "pm": lambda h: h if h >= 12 else h + 12,
    # Indonesian "siang" spans late morning to mid-afternoon: "pukul 2 siang" is 14:00, "11 siang" is 11:00.
    "midday": lambda h: h + 12 if 1 <= h <= 5 else h,
    # "pukul 8 malam" is 20:00, "12 malam" midnight, "2 malam" (small hours) stays 02:00.
    "night": lambda h: h + 12 if 6 <= h <= 11 else (0 if h == 12 else h),
}


@lru_cache(maxsize=256)
def tz_from_value(value: float | str) -> dt.tzinfo:
    """A tzinfo from a data-file value: an offset in hours, or an IANA zone name."""
    if isinstance(value, str):
        return ZoneInfo(value)
    return dt.timezone(dt.timedelta(hours=value))


def zone_of(match: re.Match[str], lex: Lexicon) -> tuple[str | None, dt.tzinfo | None]:
    """The zone label as written and its tzinfo, from a match of `lex.re_zone`'s groups."""
    if match.group("utc"):
        sign = -1 if match.group("osign") in "-−" else 1
        hours = int(match.group("oh"))
        minutes = int(match.group("om") or 0)
        if hours > 14 or minutes > 59:
            return None, None
        label = f"{match.group('utc').upper()}{'+' if sign > 0 else '-'}{hours:02d}:{minutes:02d}"
        return label, dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    name = match.group("zone")
    if not name:
        return None, None
    label = SPACE.sub(" ", name)
    value = lex.timezones.get(label)
    if value is None:
        return None, None
    return label, tz_from_value(value)


def find_clocks(text: str, lex: Lexicon) -> list[Cand]:
    """Clock-time candidates; bare readings ("07.00") are kept, not confident, only before a connector."""
    found: list[Cand] = []
    connector_ahead = lex.pattern("connector_ahead")
    for match in lex.pattern("clock").finditer(text):
        cand = _clock(match, text, lex)
        if cand is None:
            continue
        if not cand.confident and not connector_ahead.match(text, cand.end):
            continue
        found.append(cand)
    return found


def _clock(match: re.Match[str], text: str, lex: Lexicon) -> Cand | None:
    strong, weak = match.group("sp"), match.group("wp")
    zone, tz = zone_of(match, lex)
    if match.group("cw"):
        hour, minute = (int(x) for x in lex.clock_words[norm(match.group("cw"))].split(":"))
        clock = dt.time(hour, minute)
        confident = True
        begin = match.start() if strong else match.start("cw")
    else:
        hour = int(match.group("h"))
        minute = int(match.group("m") or 0)
        second = int(match.group("s") or 0)
        if hour > 24 or minute > 59 or second > 59:
            return None
        period = match.group("per")
        if period:
            # "13:20 PM" is already on the 24-hour clock: the period word adds nothing.
            hour = DAY_PERIOD_HOURS[lex.day_periods[norm(period)]](hour) if hour <= 12 else hour
        if hour == 24:
            if minute or second:
                return None
            hour = 0
        clock = dt.time(hour, minute, second)
        if match.group("m") is None:
            confident = bool(strong or period or zone)
        elif match.group("sep") == ":":
            confident = True
        else:
            confident = bool(strong or weak or period or zone)
        begin = match.start() if strong else match.start("h")
    approximate = bool(lex.pattern("approx_before").search(text, max(0, begin - 30), begin))
    return Cand(
        start=begin,
        end=match.end(),
        kind="time",
        clock=clock,
        zone=zone,
        tz=tz,
        confident=confident,
        approximate=approximate,
    )
