"""Durations ("sekitar 14 jam", "2-3 jam", "an hour and a half", "berjam-jam") and ISO 8601 durations."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.temporal.candidates import Cand
from pipeline.temporal.data import APPROX_BOUND, UNIT_SECONDS, VAGUE_RANGES
from pipeline.temporal.dates import shift_back
from pipeline.temporal.lexicon import Lexicon, norm
from pipeline.temporal.numbers import parse_digits, parse_number
from pipeline.temporal.senses import sense_allows

_ISO = re.compile(
    r"P(?:(?P<Y>\d+)Y)?(?:(?P<MO>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<MI>\d+)M)?(?:(?P<S>\d+(?:\.\d+)?)S)?)?"
)
_ISO_SECONDS = {"Y": 31536000, "MO": 2592000, "W": 604800, "D": 86400, "H": 3600, "MI": 60, "S": 1}


def to_iso8601(seconds: float) -> str:
    """ISO 8601 duration of a number of seconds, in days and clock parts: "PT14H", "PT2H30M", "P3D"."""
    total = round(seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    out = "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
    return out if out != "P" else "PT0S"


def from_iso8601(value: str) -> float:
    """Seconds in an ISO 8601 duration (a month is 30 days, a year 365).

    Raises:
        ValueError: when `value` is not an ISO 8601 duration.
    """
    match = _ISO.fullmatch(value.strip())
    if match is None or value.strip() in ("P", "PT") or value.strip().endswith("T"):
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    return float(sum(float(v) * _ISO_SECONDS[k] for k, v in match.groupdict().items() if v))


def find_durations(text: str, lex: Lexicon, published: dt.date | None) -> list[Cand]:
    """Duration candidates; a duration followed by an 'ago' word becomes a relative date."""
    found = []
    for match in lex.pattern("duration").finditer(text):
        cand = _numeric(match, text, lex, published)
        if cand is not None:
            found.append(cand)
    for match in lex.pattern("vague").finditer(text):
        seconds, low, high = VAGUE_RANGES[lex.vague[norm(match.group())]]
        found.append(
            Cand(
                match.start(),
                match.end(),
                "duration",
                seconds=seconds,
                min_seconds=low,
                max_seconds=high,
                approximate=True,
            )
        )
    return found


def _head(match: re.Match[str], lex: Lexicon) -> tuple[str, str, float | None, float | None] | None:
    """(unit group name, unit key, first number, second number of a range) of a duration match."""
    data = lex.data
    if match.group("unit"):
        n2 = parse_number(match.group("n2"), lex) if match.group("n2") else None
        return "unit", lex.units[norm(match.group("unit"))], parse_number(match.group("n1"), lex), n2
    if match.group("abbr"):
        return "abbr", lex.units[norm(match.group("abbr"))], parse_digits(match.group("dn")), None
    if match.group("bunit"):
        first, second = parse_number(match.group("bn1"), lex), parse_number(match.group("bn2"), lex)
        return "bunit", lex.units[norm(match.group("bunit"))], first, second
    if match.group("aunit"):
        unit = lex.units[norm(match.group("aunit"))]
        if unit in data.article_units_excluded or norm(match.group("aunit")) in lex.plural_units:
            return None
        value = data.article_numbers.get(norm(match.group("art")), 1.0)
        if match.group("fr"):
            value *= lex.numbers[norm(match.group("fr"))]
        return "aunit", unit, value, None
    return "fused", lex.fused[norm(match.group("fused"))], 1.0, None


def _numeric(match: re.Match[str], text: str, lex: Lexicon, published: dt.date | None) -> Cand | None:
    head = _head(match, lex)
    if head is None:
        return None
    group, unit, first, second = head
    if first is None or first <= 0 or not sense_allows(text, match.start(group), match.end(group), lex, "unit"):
        return None
    if match.group("ufs"):
        first += lex.data.unit_fraction_suffixes.get(norm(match.group("ufs")), 0.0)
    if match.group("mul"):
        first *= int(match.group("mul"))  # "2 x 24 jam"
    unit_seconds = UNIT_SECONDS[unit]
    total = first * unit_seconds
    end = match.end()
    keys = [lex.approx[norm(c)] for c in lex.pattern("cue_token").findall(match.group("cues") or "")]
    if match.group("plus"):
        keys.append("more_than")
    suffix = match.group("suf")
    if second is None and not (match.group("ufs") or match.group("adj") or suffix):
        total, end = _continue(text, end, lex, unit_seconds, total)
        tail = lex.pattern("suffix").match(text, end)
        if tail is not None and end > match.end():
            suffix, end = tail.group("suf"), tail.end()
    if suffix:
        keys.append(lex.approx_suffix[norm(suffix)])
    cand = Cand(match.start(), end, "duration", seconds=total)
    if second is not None:
        low, high = sorted((first * unit_seconds, second * unit_seconds))
        if high > low:
            cand.seconds, cand.min_seconds, cand.max_seconds = (low + high) / 2, low, high
            cand.approximate = True
    if keys:
        cand.approximate = True
        bound = next((APPROX_BOUND[k] for k in keys if APPROX_BOUND[k]), None)
        if bound == "min" and cand.min_seconds is None:
            cand.min_seconds = cand.seconds
        elif bound == "max" and cand.max_seconds is None:
            cand.max_seconds = cand.seconds
    return _as_ago(cand, text, lex, published, unit, first)


def _continue(text: str, pos: int, lex: Lexicon, last_unit: int, total: float) -> tuple[float, int]:
    """Extend "2 jam" over "30 menit" and "2 hours and 30 minutes": smaller units only."""
    piece = lex.pattern("piece")
    while (match := piece.match(text, pos)) is not None:
        surface = match.group("unit") or match.group("abbr")
        number = parse_number(match.group("n") or match.group("dn"), lex)
        unit_seconds = UNIT_SECONDS[lex.units[norm(surface)]]
        if number is None or unit_seconds >= last_unit:
            break
        total += number * unit_seconds
        pos, last_unit = match.end(), unit_seconds
    return total, pos


def _as_ago(cand: Cand, text: str, lex: Lexicon, published: dt.date | None, unit: str, amount: float) -> Cand:
    ago = lex.pattern("ago").match(text, cand.end)
    if ago is None:
        return cand
    # Indonesian "lalu" is also "then": "selama 2 jam lalu pulih" is a duration, not "2 hours ago".
    if lex.pattern("duration_before").search(text, max(0, cand.start - 30), cand.start):
        return cand
    rel = Cand(cand.start, ago.end(), "relative_date", relative=True, resolved=published is not None)
    rel.approximate = cand.approximate or unit in ("month", "year")
    if published is not None:
        try:
            rel.date = shift_back(published, unit, amount)
        except (ValueError, OverflowError):  # "9999 tahun lalu": before the calendar begins
            return cand
    return rel
