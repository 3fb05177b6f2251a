"""Root-cause categories from per-language keyword data (`lang/<code>/rootcause.yaml`).

A keyword hit is worth a point, and a multiword keyword more ("configuration change" is
more specific than the two loose words "backbone routers"). A category scores its hits inside
the root-cause span, half inside the root's sentence and a quarter anywhere in the document's
causal arguments. The category with the best score inside the span itself wins, then the one
named first in the span (the head of the phrase: "a violent storm ... cut power"), then the best
overall score, then the order of the file. No keyword at all gives `unknown`. A keyword right
after a negation or denial cue ("found no evidence of a cyberattack") does not count.

Words that name only the thing that failed or who acted (`lang/<code>/rootcause_objects.yaml`:
router, vendor, script, engineer) count for less than words that say how it failed: "the new
router had been configured incorrectly" is a human error, "a firewall supplied by an outside
vendor failed" a hardware failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import RootModel

from pipeline.lang.loader import load_lang_file
from pipeline.schema import ROOT_CAUSE_CATEGORIES
from pipeline.stages.causal_base import EVENT_NEGATION_REACH

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPAN_WEIGHT, SENTENCE_WEIGHT, DOCUMENT_WEIGHT = 1.0, 0.5, 0.25
EXTRA_WORD_WEIGHT = 1.5
"""What each word of a multiword keyword after its first adds to a hit."""
OBJECT_WEIGHT = 0.5
"""What a word naming only the failed thing or the actor is worth beside a keyword."""
NEGATION_KEYS = frozenset({"negation", "denial"})
_ACRONYM_GAP = re.compile(r"\s*\(")
"""What stands between a name and its short form in brackets: "Domain Name System (DNS)"."""
_CLAUSE_BREAK = re.compile(r"[.;:!?]|,\s+(?:but|tetapi|namun)\b")


class RootCauseData(RootModel[dict[str, list[str]]]):
    """Schema of `lang/<code>/rootcause.yaml`: category -> keywords."""

    def model_post_init(self, context: object) -> None:
        unknown = set(self.root) - set(ROOT_CAUSE_CATEGORIES)
        if unknown:
            raise ValueError(f"unknown root-cause categories: {sorted(unknown)}")


@lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]:
    """Per category: one pattern of its keywords and object words, and the object words (lower case)."""
    keywords = load_lang_file(lang, "rootcause", RootCauseData).root
    objects = load_lang_file(lang, "rootcause_objects", RootCauseData).root
    compiled = []
    for category, words in keywords.items():
        own_objects = objects.get(category, [])
        alternatives = "|".join(re.escape(w) for w in sorted({*words, *own_objects}, key=len, reverse=True))
        # a word's plural is the same word ("network devices")
        pattern = re.compile(rf"(?<![\w-])(?:{alternatives})s?(?![\w-])", re.IGNORECASE)
        compiled.append((category, pattern, frozenset(w.lower() for w in own_objects)))
    return tuple(compiled)


def _hits(
    pattern: re.Pattern[str], objects: frozenset[str], text: str, start: int, end: int, negations: Sequence[int] = ()
) -> float:
    """Keyword hits in `text[start:end]`, a multiword one worth more, an object word less; a negated one
    ("not a cyberattack") is none; a name and its short form in brackets ("Domain Name System (DNS)")
    are one hit."""
    matches = [m for m in pattern.finditer(text, start, end) if not _negated(text, m.start(), negations)]
    total = 0.0
    for index, match in enumerate(matches):
        weight = _weight(match.group(), objects)
        if index and _ACRONYM_GAP.fullmatch(text, matches[index - 1].end(), match.start()):
            weight = max(0.0, weight - _weight(matches[index - 1].group(), objects))  # the pair counts as its best
        total += weight
    return total


def _weight(word: str, objects: frozenset[str]) -> float:
    weight = 1 + EXTRA_WORD_WEIGHT * (len(word.split()) - 1)
    return OBJECT_WEIGHT * weight if _is_object(word, objects) else weight


def _is_object(word: str, objects: frozenset[str]) -> bool:
    folded = word.lower()
    return folded in objects or folded.removesuffix("s") in objects


def _negated(text: str, position: int, negations: Sequence[int]) -> bool:
    """Whether a negation cue ends at most EVENT_NEGATION_REACH characters before `position`, in the same clause."""
    return any(
        0 <= position - end <= EVENT_NEGATION_REACH and not _CLAUSE_BREAK.search(text, end, position)
        for end in negations
    )


class RootCauseClassifier:
    """Keyword scorer of root-cause categories for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def scores(
        self,
        text: str,
        start: int,
        end: int,
        sentence: tuple[int, int] | None,
        arguments: list[tuple[int, int]],
        negations: Sequence[int] = (),
    ) -> dict[str, float]:
        """Category scores of the span `text[start:end]`, in its sentence and document.

        `negations` are the end offsets of negation cues: a keyword right after one is denied.
        """
        scores: dict[str, float] = {}
        for category, pattern, objects in _patterns(self.lang):
            score = SPAN_WEIGHT * _hits(pattern, objects, text, start, end, negations)
            if sentence is not None:
                score += SENTENCE_WEIGHT * _hits(pattern, objects, text, *sentence, negations)
            score += DOCUMENT_WEIGHT * sum(_hits(pattern, objects, text, s, e, negations) for s, e in arguments)
            if score:
                scores[category] = score
        return scores

    def _first_hits(self, text: str, start: int, end: int, negations: Sequence[int]) -> dict[str, int]:
        """Where each category's first keyword inside the span starts: the head of a phrase comes first
        ("a violent storm ... cut power", "a firewall supplied by an outside vendor failed")."""
        first: dict[str, int] = {}
        for category, pattern, _ in _patterns(self.lang):
            hits = (m.start() for m in pattern.finditer(text, start, end))
            hit = next((at for at in hits if not _negated(text, at, negations)), None)
            if hit is not None:
                first[category] = hit
        return first

    def evidence(self, text: str, start: int, end: int) -> float:
        """How strongly a span reads as a root cause (keyword hits inside it, an object word half)."""
        return 0.5 * sum(
            OBJECT_WEIGHT if _is_object(m.group(), objects) else 1.0
            for _, pattern, objects in _patterns(self.lang)
            for m in pattern.finditer(text, start, end)
        )

    def classify(
        self, text: str, start: int, end: int, sentence: int | None, doc: Doc, relations: list[dict]
    ) -> tuple[str, float]:
        """The category of the root-cause span and a confidence in [0, 1]; the causal arguments of
        `relations` (this incident's links) count a little too."""
        bounds = None
        if sentence is not None and doc.has_annotation("SENT_START"):
            sents = list(doc.sents)
            if 0 <= sentence < len(sents):
                bounds = (sents[sentence].start_char, sents[sentence].end_char)
        arguments = [(int(r["cause"]["start"]), int(r["cause"]["end"])) for r in relations]
        negations = sorted(int(c["end"]) for c in doc._.cues or [] if c["key"] in NEGATION_KEYS)
        scores = self.scores(text, start, end, bounds, arguments, negations)
        if not scores:
            return "unknown", 0.3
        order = {c: i for i, (c, _, _) in enumerate(_patterns(self.lang))}
        in_span = self.scores(text, start, end, None, [], negations)
        first = self._first_hits(text, start, end, negations)
        best = max(scores, key=lambda c: (in_span.get(c, 0.0), -first.get(c, end), scores[c], -order[c]))
        confidence = scores[best] / sum(scores.values())
        return best, round(min(0.95, 0.4 + 0.55 * confidence), 4)
