"""Data-driven sense choice for ambiguous temporal words (Indonesian `minggu`: Sunday or week).

The rules come from the `ambiguous` table of each language's temporal.yaml and are tried in
order; the first whose conditions all hold gives the sense, else the entry's default does.
"""

from __future__ import annotations

import re

from pipeline.temporal.data import SenseRule
from pipeline.temporal.lexicon import Lexicon, norm

_PREV_WORD = re.compile(r"(\w+)\W*$")
_NEXT_WORD = re.compile(r"\W*(\w+)")
_SENTENCE_OPENERS = frozenset(".!?\n\"“‘'([")


def sense_of(text: str, start: int, end: int, lex: Lexicon) -> str:
    """The sense of the ambiguous word `text[start:end]` in its context ('none' if not temporal)."""
    entry = lex.ambiguous.get(norm(text[start:end]))
    if entry is None:
        return "none"
    for rule in entry.rules:
        if _holds(rule, text, start, end, lex):
            return rule.sense
    return entry.default


def sense_allows(text: str, start: int, end: int, lex: Lexicon, wanted: str) -> bool:
    """Whether each ambiguous word inside `text[start:end]` that can mean `wanted` means it here."""
    if not lex.ambiguous:
        return True
    for match in lex.pattern("ambiguous").finditer(text, start, end):
        entry = lex.ambiguous[norm(match.group())]
        if wanted in entry.senses and sense_of(text, match.start(), match.end(), lex) != wanted:
            return False
    return True


def _holds(rule: SenseRule, text: str, start: int, end: int, lex: Lexicon) -> bool:
    before = text[max(0, start - 40) : start]
    if rule.prev_number and not lex.pattern("number_at_end").search(before):
        return False
    if rule.prev_words:
        prev = _PREV_WORD.search(before)
        if prev is None or norm(prev.group(1)) not in {norm(w) for w in rule.prev_words}:
            return False
    if rule.next_words:
        nxt = _NEXT_WORD.match(text, end, min(len(text), end + 40))
        if nxt is None or norm(nxt.group(1)) not in {norm(w) for w in rule.next_words}:
            return False
    if rule.next_date and not lex.pattern("next_date").match(text, end):
        return False
    if (rule.capitalized or rule.capitalized_mid_sentence) and not text[start].isupper():
        return False
    if rule.capitalized_mid_sentence:
        stripped = before.rstrip()
        if not stripped or stripped[-1] in _SENTENCE_OPENERS:
            return False
    return True
