"""Temporal tagging: dates, clock times, durations and intervals, normalised, and the incident's timing.

Public API:
    extract_time_expressions(text, lang, published) -> list[TimeExpression]
    select_incident_timing(text, expressions, lang) -> IncidentTiming
    to_iso8601(seconds) / from_iso8601(value)
"""

from __future__ import annotations

from pipeline.temporal.durations import from_iso8601, to_iso8601
from pipeline.temporal.extract import extract_time_expressions
from pipeline.temporal.selection import WARNING_MESSAGES, IncidentTiming, select_incident_timing

__all__ = [
    "WARNING_MESSAGES",
    "IncidentTiming",
    "extract_time_expressions",
    "from_iso8601",
    "select_incident_timing",
    "to_iso8601",
]
