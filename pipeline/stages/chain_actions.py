"""Repairs as chain nodes: what was done to stop or fix the incident ("Engineers removed the card and
installed filters"), found from mitigation cues and the parse, as `mitigation` nodes without links.

A cue in the passive ("the gateway was disabled") states a condition, not a repair, and is left out;
so is a cue inside an event the chain has already. With a dependency parse a repair opens at the cue
verb's subject; without one (Indonesian), at the start of the cue's clause when at most SUBJECT_WORDS
words stand there ("Perusahaan juga menonaktifkan sistem koreksi otomatis itu"), else at the cue.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

ACTION_WORDS = 15
"""Longest repair span, in words."""
SUBJECT_WORDS = 4
"""Without a parse, at most this many words between a clause's start and a mitigation cue are its subject."""
NEGATION_REACH = 12
"""A negation ending this many characters before a mitigation cue denies the repair."""
PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass"})
SUBJECT_POS = frozenset({"NOUN", "PROPN"})
_WORD = re.compile(r"\S+")
_STRIP = " \t\n.,;:!?\"'()[]"


def repair_spans(
    doc: Doc, text: str, taken: list[tuple[int, int]], clause_end: re.Pattern[str], body_start: int = 0
) -> list[tuple[int, int]]:
    """Character spans of the repairs the mitigation cues of `doc` (whose `text` the caller has read) state,
    in text order; none in the headline (before `body_start`) or right after a negation ("tidak bisa
    dialihkan", "could not be restored")."""
    parsed = doc.has_annotation("DEP")
    sentences = (
        [] if parsed or not doc.has_annotation("SENT_START") else [(s.start_char, s.end_char) for s in doc.sents]
    )
    found: list[tuple[int, int]] = []
    negations = [int(c["end"]) for c in doc._.cues or [] if c["key"] == "negation"]
    for cue in doc._.cues or []:
        if cue["key"] != "mitigation":
            continue
        start, end = int(cue["start"]), int(cue["end"])
        if start < body_start or any(a <= start < b for a, b in taken + found):
            continue
        if any(start - NEGATION_REACH <= at <= start for at in negations):
            continue
        bounds = _parsed_bounds(doc, start, end) if parsed else _clause_bounds(text, sentences, start, clause_end)
        if bounds is None:
            continue
        begin, sentence_end = bounds
        stop = _clause_stop(text, end, sentence_end, clause_end)
        words = list(_WORD.finditer(text, begin, stop))
        if len(words) > ACTION_WORDS:
            stop = words[ACTION_WORDS - 1].end()
        while stop > begin and text[stop - 1] in _STRIP:
            stop -= 1
        if stop > end:
            found.append((begin, stop))
    return sorted(found)


def _parsed_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Where a repair at a cue opens (its verb's subject, or the cue) and its sentence's end; None for a
    cue in the passive."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or _passive(span.root):
        return None
    subject = next((c for c in span.root.children if c.dep_ == "nsubj" and c.pos_ in SUBJECT_POS), None)
    begin = subject.left_edge.idx if subject is not None and subject.idx < start else start
    return begin, span.root.sent.end_char


def _clause_bounds(
    text: str, sentences: list[tuple[int, int]], cue_start: int, clause_end: re.Pattern[str]
) -> tuple[int, int]:
    """Where a repair at a cue opens without a parse (`_clause_begin`) and its sentence's end."""
    sentence_start, sentence_end = next(((a, b) for a, b in sentences if a <= cue_start < b), (0, len(text)))
    return _clause_begin(text, sentence_start, cue_start, clause_end), sentence_end


def _clause_begin(text: str, sentence_start: int, cue_start: int, clause_end: re.Pattern[str]) -> int:
    """Where a repair at a cue opens without a parse: its clause's start when a short subject stands
    there ("Teknisi mencopot ..."), else the cue."""
    begin = sentence_start
    for match in clause_end.finditer(text, sentence_start, cue_start):
        begin = match.end()
    subject = _WORD.findall(text, begin, cue_start)
    if len(subject) > SUBJECT_WORDS:
        return cue_start
    return next((m.start() for m in _WORD.finditer(text, begin, cue_start)), cue_start)


def _passive(verb: Token) -> bool:
    return any(child.dep_ in PASSIVE_DEPS for child in verb.children)


def _clause_stop(text: str, cue_end: int, sentence_end: int, clause_end: re.Pattern[str]) -> int:
    match = clause_end.search(text, cue_end, sentence_end)
    return match.start() if match is not None else sentence_end
