"""Repairs as chain nodes: what was done to stop or fix the incident ("Engineers removed the card and
installed filters"), found from mitigation cues and the parse, as `mitigation` nodes without links.

A cue in the passive ("the gateway was disabled") states a condition, not a repair, and is left out;
so is a cue inside an event the chain has already. Without a dependency parse nothing is added.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

ACTION_WORDS = 15
"""Longest repair span, in words."""
PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass"})
SUBJECT_POS = frozenset({"NOUN", "PROPN"})
_WORD = re.compile(r"\S+")
_STRIP = " \t\n.,;:!?\"'()[]"


def repair_spans(
    doc: Doc, text: str, taken: list[tuple[int, int]], clause_end: re.Pattern[str]
) -> list[tuple[int, int]]:
    """Character spans of the repairs the mitigation cues of `doc` (whose `text` the caller has read) state,
    in text order."""
    if not doc.has_annotation("DEP"):
        return []
    found: list[tuple[int, int]] = []
    for cue in doc._.cues or []:
        if cue["key"] != "mitigation":
            continue
        start, end = int(cue["start"]), int(cue["end"])
        if any(a <= start < b for a, b in taken + found):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or _passive(span.root):
            continue
        subject = next((c for c in span.root.children if c.dep_ == "nsubj" and c.pos_ in SUBJECT_POS), None)
        begin = subject.left_edge.idx if subject is not None and subject.idx < start else start
        stop = _clause_stop(text, end, span.root.sent.end_char, clause_end)
        words = list(_WORD.finditer(text, begin, stop))
        if len(words) > ACTION_WORDS:
            stop = words[ACTION_WORDS - 1].end()
        while stop > begin and text[stop - 1] in _STRIP:
            stop -= 1
        if stop > end:
            found.append((begin, stop))
    return sorted(found)


def _passive(verb: Token) -> bool:
    return any(child.dep_ in PASSIVE_DEPS for child in verb.children)


def _clause_stop(text: str, cue_end: int, sentence_end: int, clause_end: re.Pattern[str]) -> int:
    match = clause_end.search(text, cue_end, sentence_end)
    return match.start() if match is not None else sentence_end
