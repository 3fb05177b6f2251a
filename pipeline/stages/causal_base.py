"""Shared pieces of the causal stage: the Relation record, per-document state, sentence bounds."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_ANAPHOR_WORDS = 4
ANAPHOR_STEM = 4
"""Leading characters an anaphor's noun shares with a word of the previous sentence ("race" ~ "raced")."""
ANAPHOR_SENTENCES = 3
"""Sentences back an anaphoric noun ("the failover") looks for its antecedent, nearest first."""
COPULA_REACH = 8
"""Words between a copular cue and its verb ("The root cause | of the outage on Monday | was X")."""
INCIDENT_WORDS = 3
"""An effect of at most this many words whose last names the incident ("the initial problem") is the incident."""
EVENT_NEGATION_REACH = 25
"""A negation this many characters before an event or a keyword denies it ("not a cyberattack")."""
STRIP = " \t\n,.;:!?\"'“”‘’()[]–—-"
HEADING_WORDS = 6
"""A line of its own this short, with no closing punctuation, is a section heading ("Root cause")."""
SENTENCE_END = ".!?:;\"'”’)"
"""Characters that close a sentence or a quote: a line ending in one is no heading."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A cause -> effect link found in the text, with its evidence and prior confidence."""

    cause: tuple[int, int]
    effect: tuple[int, int]
    cue: str
    cue_start: int
    cue_end: int
    evidence: tuple[int, int]
    prior: float
    sentence: int
    root: bool = False

    def as_dict(self, text: str) -> dict[str, object]:
        return {
            "cause": {"start": self.cause[0], "end": self.cause[1], "text": text[self.cause[0] : self.cause[1]]},
            "effect": {"start": self.effect[0], "end": self.effect[1], "text": text[self.effect[0] : self.effect[1]]},
            "cue": self.cue,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
            "evidence_start": self.evidence[0],
            "evidence_end": self.evidence[1],
            "prior": self.prior,
            "sentence": self.sentence,
            "root": self.root,
        }


@dataclass(frozen=True, slots=True)
class State:
    """What the relations of one document share: causal cue spans, the ends of fronted clauses by
    sentence, the last effect stated in each sentence so far, and the cause of the last participial
    effect in each sentence ("..., grounding flights, disrupting hospitals": one cause)."""

    causal_edges: list[tuple[int, int]]
    fronted_commas: dict[int, int]
    last_effects: dict[int, tuple[int, int]]
    participle_causes: dict[int, tuple[int, tuple[int, int]]]


class Sentences:
    """Character bounds of sentences, from the Doc's sentence boundaries."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text  # spaCy joins the tokens on every `doc.text`: read it once
        if doc.has_annotation("SENT_START"):
            self.bounds = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            self.bounds = [(0, len(self.text))]
        self.starts = [start for start, _ in self.bounds]
        self.blank = [
            not self.text[start:end].strip(STRIP) or (i > 0 and self._heading(start, end))
            for i, (start, end) in enumerate(self.bounds)
        ]

    def _heading(self, start: int, end: int) -> bool:
        """Whether a sentence is a section heading: a short line of its own with no closing punctuation
        ("Root cause", "Summary of impact")."""
        line = self.text[start:end]
        words = line.split()
        return line.endswith("\n") and 0 < len(words) <= HEADING_WORDS and line.rstrip()[-1] not in SENTENCE_END

    def previous(self, index: int) -> int | None:
        """The nearest sentence before `index` that states something (not a blank line or a section heading)."""
        return next((i for i in range(index - 1, -1, -1) if not self.blank[i]), None)

    def index_of(self, pos: int) -> int:
        """The index of the sentence holding character `pos`."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.bounds[index]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two character spans share a character."""
    return a[0] < b[1] and b[0] < a[1]
