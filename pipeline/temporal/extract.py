"""Find every temporal expression in a text: the finders, then overlap resolution and joining."""

from __future__ import annotations

import datetime as dt

from pipeline.schema import TimeExpression
from pipeline.temporal.candidates import resolve_overlaps, to_expression
from pipeline.temporal.clock import find_clocks
from pipeline.temporal.combine import (
    align_conversions,
    attach_context_dates,
    merge_date_clocks,
    merge_weekday_dates,
)
from pipeline.temporal.dates import (
    anchor_month_days,
    anchor_years,
    find_dates,
    follow_narrative_weekdays,
    match_weekdays,
)
from pipeline.temporal.durations import find_durations
from pipeline.temporal.intervals import merge_intervals
from pipeline.temporal.lexicon import get_lexicon, has_language


def extract_time_expressions(text: str, lang: str, published: dt.date | None) -> list[TimeExpression]:
    """Every date, time, duration, interval and relative date in `text`, normalised.

    Args:
        text: the document text; offsets index into it, so `text[e.start:e.end] == e.text`.
        lang: ISO 639-1 code of a language with a `temporal.yaml`; any other gives no expressions.
        published: the publication date, the base of every relative date. Without it relative
            dates are returned with `resolved=False` and no date.

    Returns:
        The expressions in text order, none overlapping.
    """
    if not text or not has_language(lang):
        return []
    lex = get_lexicon(lang)
    cands = find_durations(text, lex, published) + find_dates(text, lex, published) + find_clocks(text, lex)
    cands = resolve_overlaps(cands)
    anchor_years(cands, text)
    anchor_month_days(cands)
    match_weekdays(cands, published)
    follow_narrative_weekdays(cands, text, lex, published)
    cands = merge_weekday_dates(cands, text, lex)
    cands = merge_date_clocks(cands, text, lex)
    cands = merge_intervals(cands, text, lex)
    cands = [c for c in cands if c.confident]
    attach_context_dates(cands, text, published, lex)
    align_conversions(cands, text, lex)
    return [to_expression(c, text) for c in cands]
