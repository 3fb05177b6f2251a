"""The tagger's working record of one temporal expression, overlap resolution, and export to the schema."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from pipeline.schema import TimeExpression

KIND_RANK = {"interval": 0, "datetime": 1, "date": 2, "relative_date": 3, "duration": 4, "time": 5}
"""Which kind wins when two candidates cover equally long spans."""


@dataclass(slots=True)
class Cand:
    """A candidate expression with its parsed parts; `start`/`end` are offsets into the text."""

    start: int
    end: int
    kind: str
    date: dt.date | None = None
    end_date: dt.date | None = None
    clock: dt.time | None = None
    end_clock: dt.time | None = None
    zone: str | None = None
    tz: dt.tzinfo | None = None
    end_zone: str | None = None
    end_tz: dt.tzinfo | None = None
    seconds: float | None = None
    min_seconds: float | None = None
    max_seconds: float | None = None
    approximate: bool = False
    resolved: bool = True
    confident: bool = True
    weekday: int | None = None
    relative: bool = False
    context_date: bool = False
    month_day: tuple[int, int] | None = None
    bare: bool = False
    told: bool = False
    end_day: int | None = None
    month_less_day: int | None = None

    @property
    def length(self) -> int:
        """Number of characters covered."""
        return self.end - self.start


def resolve_overlaps(cands: list[Cand]) -> list[Cand]:
    """Keep the longest candidate wherever candidates overlap (ties: by kind rank, then earliest)."""
    starts: list[int] = []  # kept spans, sorted by start; they never overlap, so ends are sorted too
    ends: list[int] = []
    kept: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (-c.length, KIND_RANK.get(c.kind, 9), c.start)):
        if cand.length <= 0:
            continue
        i = bisect.bisect_right(starts, cand.start)
        if (i > 0 and ends[i - 1] > cand.start) or (i < len(starts) and starts[i] < cand.end):
            continue
        starts.insert(i, cand.start)
        ends.insert(i, cand.end)
        kept.insert(i, cand)
    return kept


def local_iso(date: dt.date, clock: dt.time, tz: dt.tzinfo | None) -> str:
    """ISO 8601 of a local date and clock time: in UTC ("Z") when the zone is known, else naive."""
    naive = dt.datetime.combine(date, clock)
    if tz is None:
        return naive.isoformat(timespec="seconds")
    aware = naive.replace(tzinfo=tz).astimezone(dt.UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%SZ")


def to_expression(cand: Cand, text: str) -> TimeExpression:
    """The schema record of a candidate; its `text` is exactly `text[start:end]`."""
    datetime_iso = end_iso = None
    if cand.date is not None and cand.clock is not None:
        datetime_iso = local_iso(cand.date, cand.clock, cand.tz)
    end_day = cand.end_date or (cand.date if cand.kind == "interval" else None)
    if end_day is not None and cand.end_clock is not None:
        end_iso = local_iso(end_day, cand.end_clock, cand.end_tz or cand.tz)
    return TimeExpression(
        start=cand.start,
        end=cand.end,
        text=text[cand.start : cand.end],
        kind=cand.kind,  # type: ignore[arg-type]
        date=cand.date.isoformat() if cand.date else None,
        datetime=datetime_iso,
        end_date=cand.end_date.isoformat() if cand.end_date else None,
        end_datetime=end_iso,
        seconds=cand.seconds,
        min_seconds=cand.min_seconds,
        max_seconds=cand.max_seconds,
        approximate=cand.approximate,
        timezone=cand.zone,
        resolved=cand.resolved,
    )
