"""Sentence boundaries at line breaks: headlines, datelines and status lines end without a full stop.

Runs before the parser (English) or after the sentencizer (Indonesian) and only ever
adds boundaries; the parser keeps boundaries that are already set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


class LineBreakSentencizer:
    """spaCy component: a token after a line break starts a sentence."""

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
        return doc
