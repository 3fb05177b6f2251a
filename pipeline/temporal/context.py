"""The context of a time expression that selection scores: its sentence and the cue words around it."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import cached_property

from pipeline.schema import TimeExpression
from pipeline.stages.sentences import dateline_spans
from pipeline.temporal.combine import sentence_bounds
from pipeline.temporal.lexicon import REPORT_AFTER, REPORT_BEFORE, Lexicon

_STAMP_LABEL = re.compile(r"\s*(?:(?:[^\W\d_][\w ]{0,30}?)?\s*[–—:|-]\s*)?")
"""What may stand before a timestamp on its own line: nothing, or a short label and a dash."""
_YEAR = re.compile(r"(?<![\w.,:/-])(?:19|20)\d\d(?![\w/-]|[.,:]\d)")
"""A year written alone ("since 2021", "A 2021 outage"): a marker of an earlier incident."""
NEAR = 60
"""Characters either side of an expression that count as its immediate context."""
OTHER_INCIDENT_REACH = 45
"""Characters before a position searched for words that make it another incident's time."""


class SelectionContext:
    """A document's text and language data, with the context tests that score its time expressions."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.starts = sentence_bounds(text)
        self.dated: list[TimeExpression] = []
        self.spans: list[tuple[int, int]] = []

    @cached_property
    def datelines(self) -> list[tuple[int, int]]:
        """The news datelines of the text ("MEXICO CITY, May 9 (Agency) -"), found when first asked for."""
        return dateline_spans(self.text)

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[i], self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def has(self, key: str, lo: int, hi: int) -> bool:
        return self.lex.pattern(key).search(self.text, max(0, lo), max(0, hi)) is not None

    def outage_score(self, expr: TimeExpression, *, tail: int = 15) -> float:
        lo, hi = self.sentence(expr.start)
        score = 2.0 if self.has("outage_context", lo, hi) else 0.0
        if self.has("outage_context", max(lo, expr.start - NEAR), min(hi, expr.end + NEAR)):
            score += 1.0
        elif score == 0 and lo > 0 and self.has("outage_context", self.sentence(lo - 1)[0], lo):
            score += 1.0  # the sentence before names the outage: "AWS went down. It lasted 14 hours."
        if self.has("non_outage_context", *self.clause(expr, max(lo, expr.start - 25), min(hi, expr.end + tail))):
            score -= 3.0
        return score

    def clause(self, expr: TimeExpression, lo: int, hi: int) -> tuple[int, int]:
        """The window `lo`..`hi` cut at clause breaks (;) on either side of the expression."""
        cut = self.text.rfind(";", lo, expr.start)
        if cut >= 0:
            lo = cut + 1
        cut = self.text.find(";", expr.end, hi)
        return lo, cut if cut >= 0 else hi

    def before(self, key: str, expr: TimeExpression, width: int = 40) -> bool:
        # A cue belongs to the nearest expression: "from 07:34 to 10:07 UTC and again from 12:40"
        # gives the second interval its own "from", not the first one's.
        lo, _ = self.sentence(expr.start)
        i = bisect.bisect_left(self.spans, (expr.start, expr.start)) - 1
        previous = self.spans[i][1] if i >= 0 and self.spans[i][1] <= expr.start else 0
        return self.has(key, max(lo, previous, expr.start - width), expr.start)

    def after(self, key: str, expr: TimeExpression, width: int = 30) -> bool:
        _, hi = self.sentence(expr.start)
        i = bisect.bisect_left(self.spans, (expr.end, expr.end))
        following = self.spans[i][0] if i < len(self.spans) else len(self.text)
        return self.has(key, expr.end, min(hi, following, expr.end + width))

    def since_start(self, expr: TimeExpression) -> bool:
        """Whether a length counts from the outage's start to its resolution ("restored about 90 minutes later").

        The length is followed by an offset word (`offset_after`) and its clause, before it, says
        the service came back (`resolution_context`). An offset after anything else ("a week after
        the attack", "pulled the update 80 minutes later") is no length of the outage.
        """
        if not self.lex.pattern("offset_next").match(self.text, expr.end):
            return False
        lo, _ = self.clause(expr, self.sentence(expr.start)[0], expr.end)
        return self.has("resolution_context", lo, expr.start)

    def history_before(self, expr: TimeExpression, history: list[TimeExpression], latest: dt.date | None) -> bool:
        """Whether the nearest date or year stated before `expr` in its sentence is an earlier incident's.

        "... since 2021, when its apps were offline for more than six hours", "A 2021 outage
        lasted about seven hours", "Tahun lalu, gangguan serupa berlangsung dua jam": the length
        belongs to the incident recalled, not to this one. A bare year counts when it is before
        the year of the document's latest date.
        """
        lo, _ = self.sentence(expr.start)
        markers = [(e.start, any(e is h for h in history)) for e in self.dated if lo <= e.start < expr.start]
        if latest is not None:
            for match in _YEAR.finditer(self.text, lo, expr.start):
                inside = any(a <= match.start() < b for a, b in self.spans)
                if not inside and int(match.group()) < latest.year:
                    markers.append((match.start(), True))
        return bool(markers) and max(markers)[1]

    def other_incident(self, start: int, width: int = OTHER_INCIDENT_REACH) -> bool:
        """Whether the expression starting at `start` is another incident's ("two days after a 40-minute
        outage on Saturday", "followed a far larger outage on Dec. 7").

        Unlike `before`, the window runs across other expressions in the sentence: the cue may
        stand before an offset ("two days after a") that is an expression of its own.
        """
        lo, _ = self.sentence(start)
        return self.has("other_incident_context", max(lo, start - width), start)

    def opened(self, expr: TimeExpression) -> bool:
        """Whether an interval opener stands right before the expression ("from 07:34", "sejak pukul 07.00")."""
        return self.lex.pattern("opener_before").search(self.text, max(0, expr.start - 20), expr.start) is not None

    def reported(self, expr: TimeExpression) -> bool:
        """Whether the expression dates a statement ("said on Monday", "on Thursday published", "told a
        panel at the forum on Wednesday that ...") or the story, in its dateline ("MEXICO CITY, May 9 (Agency) -")."""
        if any(start <= expr.start and expr.end <= end for start, end in self.datelines):
            return True
        lo, _ = self.sentence(expr.start)
        told = self.lex.pattern("said_next").match(self.text, expr.end) and self.has("report_context", lo, expr.start)
        return (
            bool(told)
            or self.before("report_context", expr, width=REPORT_BEFORE)
            or self.after("report_context", expr, width=REPORT_AFTER)
        )

    def stamp(self, expr: TimeExpression) -> bool:
        """Whether the expression is an update's timestamp on a line of its own ("Menyelidiki – 14.20 WIB")."""
        line_start = self.text.rfind("\n", 0, expr.start) + 1
        line_end = self.text.find("\n", expr.end)
        line_end = len(self.text) if line_end < 0 else line_end
        return bool(_STAMP_LABEL.fullmatch(self.text, line_start, expr.start)) and not self.text[
            expr.end : line_end
        ].strip(" .")
