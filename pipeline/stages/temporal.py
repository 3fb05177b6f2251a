"""The temporal tagger stage: normalised time expressions and the incident's start, end and duration."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pipeline.lang.loader import available_languages
from pipeline.temporal import WARNING_MESSAGES, extract_time_expressions, select_incident_timing
from pipeline.temporal.lexicon import get_lexicon, has_language

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class TemporalTagger:
    """Finds dates, times, durations and intervals, and picks the incident's timing.

    Reads `doc._.lang` and `doc._.meta["published"]` ("YYYY-MM-DD" or None). Sets
    `doc._.time_expressions` (a list of `schema.TimeExpression` dicts) and `doc._.timing`
    (`{"start", "end", "duration"}`, each a schema dict or None), and appends W003 (a relative
    date left unresolved) and W006 (no duration) to `doc._.warnings`.
    """

    def __init__(self, nlp: Language | None = None, name: str = "incident_temporal") -> None:
        self.name = name

    def initialize(self, get_examples: object = None, *, nlp: Language | None = None) -> None:
        """Load and compile the temporal data of every language that has it (otherwise done on first use)."""
        for code in available_languages():
            if has_language(code):
                get_lexicon(code)

    def __call__(self, doc: Doc) -> Doc:
        lang = doc._.lang or ""
        published = _published(doc._.meta)
        expressions = extract_time_expressions(doc.text, lang, published)
        timing = select_incident_timing(doc.text, expressions, lang)
        doc._.time_expressions = [e.model_dump() for e in expressions]
        doc._.timing = {
            "start": timing.start.model_dump() if timing.start else None,
            "end": timing.end.model_dump() if timing.end else None,
            "duration": timing.duration.model_dump() if timing.duration else None,
        }
        warnings = doc._.warnings
        if warnings is None:
            warnings = doc._.warnings = []
        for code in timing.warnings:
            entry = {"code": code, "message": WARNING_MESSAGES[code]}
            if entry not in warnings:
                warnings.append(entry)
        return doc


def _published(meta: dict | None) -> dt.date | None:
    """The publication date in the record metadata, or None when absent or unreadable."""
    value = (meta or {}).get("published")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
