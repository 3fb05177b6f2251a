"""Sentence boundaries at line breaks: headlines, datelines and status lines end without a full stop.

Runs before the parser (English) or after the sentencizer (Indonesian) and only ever
adds boundaries; the parser keeps boundaries that are already set.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

DATELINE = re.compile(
    r"^[^\S\n]*(?:[A-Z][\w .'-]{1,40},[^\S\n]*[^\n,–—-]{1,60}|[A-Z][A-Z .'-]{2,40}(?:,[^\S\n]*[^\n,–—-]{1,40})?)"
    r"[^\S\n]*(?:[–—]|-(?=\s|$))"
)
"""A news dateline at the start of a paragraph: 'Jakarta, Outlet –' or 'SEATTLE —'; a hyphen ends one only
before a space, so a reduplicated word ("layanan-layanan") after an opening comma is none."""


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Spans of news datelines ('Jakarta, Outlet –', 'SEATTLE —') opening a paragraph."""
    spans = []
    for line in re.finditer(r"[^\n]+", text[:3000]):
        match = DATELINE.match(line.group())
        if match:
            spans.append((line.start(), line.start() + match.end()))
    return spans


class LineBreakSentencizer:
    """spaCy component: a token after a line break, or after a dateline, starts a sentence."""

    def __init__(self, nlp: object = None, name: str = "incident_line_breaks") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        after_break = False
        for token in doc:
            if token.i == 0:
                token.is_sent_start = True
            elif after_break and not token.is_space:
                token.is_sent_start = True
                after_break = False
            elif token.is_space and "\n" in token.text:
                after_break = True
            if "\n" in token.whitespace_:
                after_break = True
        for _, end in dateline_spans(doc.text):
            span = doc.char_span(end, len(doc.text), alignment_mode="expand")
            first = next((t for t in span if not t.is_space), None) if span is not None else None
            if first is not None and first.i > 0:
                first.is_sent_start = True
        return doc
