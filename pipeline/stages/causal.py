"""Cause-effect relations: the two argument spans of every causal cue.

Argument spans come from clause rules that read the cue lexicon's direction
(`lang/<code>/cues.yaml`): a forward cue takes its cause on the left ("X caused Y",
"X memicu Y"), a backward cue on the right ("Y due to X", "Y dipicu oleh X"), a fronted
cue at a sentence start reads "Because of X, Y", and an anaphoric cue ("As a result",
"Akibatnya") or a demonstrative subject ("This caused", "Hal ini menyebabkan") takes the
previous sentence as its cause. Spans stop at clause boundaries, at the sentence end and
at the next causal cue, so chains inside one sentence ("X memicu Y dan melumpuhkan Z")
become consecutive links. Every relation keeps its cue, evidence and a prior confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.stages.cues import CueData, cue_data

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_ARGUMENT_WORDS = 22
"""Longer argument spans are cut to the words nearest the cue: the rest rarely belongs to the event."""
MIN_ARGUMENT_CHARS = 3
NEGATION_REACH = 6
"""A negation ending this many characters before a cue denies the link."""
MAX_ANAPHOR_WORDS = 4
ANAPHOR_STEM = 4
"""Leading characters an anaphor's noun shares with a word of the previous sentence ("race" ~ "raced")."""
_STRIP = " \t\n,.;:!?\"'“”‘’()[]–—-"
_WORD = re.compile(r"\S+")


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
        }


class _Sentences:
    """Character bounds of sentences, from the Doc's sentence boundaries."""

    def __init__(self, doc: Doc) -> None:
        if doc.has_annotation("SENT_START"):
            self.bounds = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            self.bounds = [(0, len(doc.text))]

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.bounds[index]


class RelationFinder:
    """Finds relations from the cue matches of one document (language data from `cues.yaml`)."""

    def __init__(self, lang: str) -> None:
        self.data: CueData = cue_data(lang)
        self.trim_words = frozenset(w.lower() for w in self.data.trim)
        self.demonstratives = frozenset(d.lower() for d in self.data.demonstratives)
        self.anaphors_before = frozenset(w.lower() for w in self.data.anaphors.get("before", []))
        self.anaphors_after = frozenset(w.lower() for w in self.data.anaphors.get("after", []))
        self.boundaries = tuple(b.lower() for b in self.data.boundaries)

    def find(self, doc: Doc) -> list[Relation]:
        """Every relation of the Doc, in text order."""
        text = doc.text
        sentences = _Sentences(doc)
        cues = [c for c in doc._.cues or [] if str(c["key"]).startswith("causal.")]
        spans = _group_by_span(cues)
        causal_edges = sorted({(c["start"], c["end"]) for c in cues})
        negations = [int(c["end"]) for c in doc._.cues or [] if c["key"] == "negation"]
        denials = [(int(c["sentence"]), int(c["end"])) for c in doc._.cues or [] if c["key"] == "denial"]
        relations: list[Relation] = []
        for (start, end), keys in spans.items():
            cue = keys[0]
            sentence = int(cue["sentence"])
            s_start, s_end = sentences[sentence]
            if any(0 <= start - negation_end <= NEGATION_REACH for negation_end in negations) or any(
                s == cue["sentence"] and end_ <= start for s, end_ in denials
            ):
                continue  # "was not caused by", "no indication that it was the result of": a denied link
            directions = {str(k["key"]).split(".", 1)[1]: float(k["weight"]) for k in keys}
            at_start = not text[s_start:start].strip(_STRIP)
            relation = self._relation(
                text, sentences, sentence, (s_start, s_end), (start, end), directions, at_start, causal_edges
            )
            if relation is not None:
                relations.append(relation)
        return relations

    def _relation(self, text, sentences, sentence, bounds, cue_span, directions, at_start, causal_edges):
        s_start, s_end = bounds
        start, end = cue_span
        left = self._left(text, s_start, start, causal_edges)
        right = self._right(text, end, s_end, causal_edges)
        cue_text = text[start:end]
        evidence = bounds
        if at_start and "fronted" in directions:
            comma = text.find(",", end, s_end)
            if comma < 0:
                return None
            cause, effect = self._trim(text, end, comma, keep="left"), self._trim(text, comma + 1, s_end, keep="left")
            prior = directions["fronted"]
        elif at_start and "anaphoric" in directions and sentence > 0:
            cause = self._previous(text, sentences, sentence)
            effect = self._trim(text, *right, keep="left")
            evidence = (sentences[sentence - 1][0], s_end)
            prior = directions["anaphoric"]
        elif "forward" in directions or "anaphoric" in directions:
            prior = directions.get("forward", directions.get("anaphoric", 0.5))
            effect = self._trim(text, *right, keep="left")
            cause = self._trim(text, *left, keep="right")
            antecedent = self._antecedent(text, left, cause, s_start, sentences, sentence, causal_edges)
            if antecedent is not None:
                cause, evidence = antecedent, (sentences[sentence - 1][0], s_end)
        elif "backward" in directions:
            prior = directions["backward"]
            effect = self._trim(text, *left, keep="right")
            cause = self._trim(text, *right, keep="left")
            if sentence > 0 and (effect is None or self._is_demonstrative(text, effect)) and left[0] == s_start:
                effect = self._previous(text, sentences, sentence)  # "It was caused by X": it = the last event
                evidence = (sentences[sentence - 1][0], s_end)
        else:
            return None
        if cause is None or effect is None or _overlaps(cause, effect):
            return None
        return Relation(cause, effect, cue_text, start, end, evidence, prior, sentence)

    def _left(self, text: str, s_start: int, cue_start: int, causal_edges) -> tuple[int, int]:
        """From the last clause boundary or causal cue before the cue, to the cue.

        A boundary right before the cue ("X, which caused Y") ends the span there instead.
        """
        begin, stop = s_start, cue_start
        for c_start, c_end in causal_edges:
            if s_start <= c_end <= cue_start and c_start < cue_start:
                begin = max(begin, c_end)
        lowered = text[begin:stop].lower()
        cut_start, cut_end = 0, len(lowered)
        for boundary in self.boundaries:
            index = lowered.rfind(boundary)
            if index < 0:
                continue
            if lowered[index + len(boundary) :].strip(_STRIP):
                cut_start = max(cut_start, index + len(boundary))
            else:
                cut_end = min(cut_end, index)
                earlier = lowered.rfind(boundary, 0, index)
                if earlier >= 0:
                    cut_start = max(cut_start, earlier + len(boundary))
        if cut_start >= cut_end:
            cut_start = 0
        return begin + cut_start, begin + cut_end

    def _right(self, text: str, cue_end: int, s_end: int, causal_edges) -> tuple[int, int]:
        """From the cue to the next clause boundary, causal cue or the sentence end."""
        stop = s_end
        for c_start, _ in causal_edges:
            if cue_end <= c_start < stop:
                stop = c_start
        lowered = text[cue_end:stop].lower()
        for boundary in self.boundaries:
            index = lowered.find(boundary)
            if index > 0:
                stop = min(stop, cue_end + index)
        return cue_end, stop

    def _trim(self, text: str, start: int, end: int, *, keep: str) -> tuple[int, int] | None:
        """Strip punctuation and function words from both ends; cut long spans nearest the cue."""
        words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
        if len(words) > MAX_ARGUMENT_WORDS:
            words = words[-MAX_ARGUMENT_WORDS:] if keep == "right" else words[:MAX_ARGUMENT_WORDS]
        while words and self._droppable(text, *words[0]):
            words.pop(0)
        while words and self._droppable(text, *words[-1]):
            words.pop()
        if not words:
            return None
        first, last = words[0][0], words[-1][1]
        while first < last and text[first] in _STRIP:
            first += 1
        while last > first and text[last - 1] in _STRIP:
            last -= 1
        return (first, last) if last - first >= MIN_ARGUMENT_CHARS else None

    def _droppable(self, text: str, start: int, end: int) -> bool:
        word = text[start:end].strip(_STRIP).lower()
        return not word or word in self.trim_words

    def _antecedent(self, text, left, cause, s_start, sentences, sentence, causal_edges) -> tuple[int, int] | None:
        """The earlier event a cause points back to, or None when it stands on its own.

        A demonstrative subject ("This caused", "Hal ini menyebabkan") points to the whole
        previous sentence; an anaphoric noun ("The race caused", "Gangguan itu memicu") to the
        clause of the previous sentence that starts with the same word stem.
        """
        if sentence == 0:
            return None
        previous = sentences[sentence - 1]
        if cause is None or self._is_demonstrative(text, cause):
            return self._trim(text, *previous, keep="right") if left[0] == s_start else None
        stem = self._anaphor_stem(text, left)
        if stem is None:
            return None
        match = re.search(rf"\b\w*{re.escape(stem)}", text[previous[0] : previous[1]], re.IGNORECASE)
        if match is None:
            return None
        begin = previous[0] + match.start()
        end = min([c for c, _ in causal_edges if begin < c < previous[1]], default=previous[1])
        return self._trim(text, begin, end, keep="left") or self._trim(text, *previous, keep="right")

    def _anaphor_stem(self, text: str, left: tuple[int, int]) -> str | None:
        """The stem of an anaphoric noun phrase ("the race", "perubahan tersebut"), else None."""
        words = [w.strip(_STRIP).lower() for w in text[left[0] : left[1]].split()]
        words = [w for w in words if w]
        if not words or len(words) > MAX_ANAPHOR_WORDS:
            return None
        if words[0] in self.anaphors_before:
            noun = words[-1]
        elif words[-1] in self.anaphors_after:
            noun = words[0]
        else:
            return None
        return noun[:ANAPHOR_STEM] if len(noun) >= ANAPHOR_STEM else None

    def _is_demonstrative(self, text: str, span: tuple[int, int]) -> bool:
        return text[span[0] : span[1]].strip(_STRIP).lower() in self.demonstratives

    def _previous(self, text: str, sentences: _Sentences, sentence: int) -> tuple[int, int] | None:
        start, end = sentences[sentence - 1]
        return self._trim(text, start, end, keep="right")


def _group_by_span(cues: list[dict]) -> dict[tuple[int, int], list[dict]]:
    grouped: dict[tuple[int, int], list[dict]] = {}
    for cue in cues:
        grouped.setdefault((int(cue["start"]), int(cue["end"])), []).append(cue)
    return dict(sorted(grouped.items()))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class RelationStage:
    """spaCy component: sets `doc._.relations` (the causal chain is built from them next)."""

    def __init__(self, nlp: object, name: str = "incident_relations") -> None:
        self.name = name
        self.lang = getattr(nlp, "lang", "en")
        self._finder: RelationFinder | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self._finder is None:
            self._finder = RelationFinder(self.lang)
        relations = self._finder.find(doc)
        doc._.relations = [r.as_dict(doc.text) for r in relations]
        return doc
