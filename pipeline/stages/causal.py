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
COMPLEMENTIZER_REACH = 4
"""Words after a clause boundary within which a complementizer ("said on Monday that") starts the clause."""
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


@dataclass(frozen=True, slots=True)
class _State:
    """What the relations of one document share: causal cue spans, the ends of fronted clauses by
    sentence, and the last effect stated in each sentence so far."""

    causal_edges: list[tuple[int, int]]
    fronted_commas: dict[int, int]
    last_effects: dict[int, tuple[int, int]]


class _Sentences:
    """Character bounds of sentences, from the Doc's sentence boundaries."""

    def __init__(self, doc: Doc) -> None:
        if doc.has_annotation("SENT_START"):
            self.bounds = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            self.bounds = [(0, len(doc.text))]
        self.blank = [not doc.text[start:end].strip(_STRIP) for start, end in self.bounds]

    def previous(self, index: int) -> int | None:
        """The nearest sentence before `index` that holds words (blank lines are sentences too)."""
        return next((i for i in range(index - 1, -1, -1) if not self.blank[i]), None)

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
        self.strong_anaphors = frozenset(w.lower() for w in self.data.anaphors.get("strong", []))
        self.boundaries = tuple(b.lower() for b in self.data.boundaries)
        self.complementizers = frozenset(w.lower() for w in self.data.complementizers)
        self.passive_before = frozenset(w.lower() for w in self.data.passive.get("before", []))
        self.passive_after = frozenset(w.lower() for w in self.data.passive.get("after", []))

    def find(self, doc: Doc) -> list[Relation]:
        """Every relation of the Doc, in text order."""
        text = doc.text
        sentences = _Sentences(doc)
        cues = [c for c in doc._.cues or [] if str(c["key"]).startswith("causal.")]
        directions_of = {
            span: self._voice(text, span, {str(k["key"]).split(".", 1)[1]: float(k["weight"]) for k in keys})
            for span, keys in _group_by_span(cues).items()
        }
        spans = {span: keys for span, keys in _group_by_span(cues).items() if directions_of[span]}
        causal_edges = sorted(spans)  # a passive cue without its agent is no cue and no boundary
        fronted_commas = self._fronted_commas(text, sentences, cues)
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
            directions = directions_of[(start, end)]
            at_start = not text[s_start:start].strip(_STRIP)
            state = _State(causal_edges, fronted_commas, {r.sentence: r.effect for r in relations})
            relation = self._relation(
                text, sentences, sentence, (s_start, s_end), (start, end), directions, at_start, state
            )
            if relation is not None:
                relations.append(relation)
        return relations

    def _relation(self, text, sentences, sentence, bounds, cue_span, directions, at_start, state):
        s_start, s_end = bounds
        start, end = cue_span
        left = self._left(text, s_start, start, state)
        right = self._right(text, end, s_end, state.causal_edges)
        cue_text = text[start:end]
        evidence = bounds
        previous = sentences.previous(sentence)
        if at_start and "fronted" in directions:
            comma = text.find(",", end, s_end)
            if comma < 0:
                return None
            stop = min([c for c, _ in state.causal_edges if comma < c < s_end], default=s_end)
            cause, effect = self._trim(text, end, comma, keep="left"), self._trim(text, comma + 1, stop, keep="left")
            prior = directions["fronted"]
        elif at_start and "anaphoric" in directions and previous is not None:
            cause = self._previous(text, sentences, previous, state)
            effect = self._trim(text, *right, keep="left")
            evidence = (sentences[previous][0], s_end)
            prior = directions["anaphoric"]
        elif "forward" in directions or "anaphoric" in directions:
            prior = directions.get("forward", directions.get("anaphoric", 0.5))
            effect = self._trim(text, *right, keep="left")
            cause = self._trim(text, *left, keep="right")
            anaphoric = "anaphoric" in directions
            antecedent = self._antecedent(text, left, cause, s_start, sentences, previous, state, anaphoric)
            if antecedent is not None:
                cause, evidence = antecedent, (sentences[previous][0], s_end)
        elif "backward" in directions:
            prior = directions["backward"]
            effect = self._trim(text, *left, keep="right")
            cause = self._trim(text, *right, keep="left")
            if previous is not None and (effect is None or self._is_demonstrative(text, effect)) and left[0] == s_start:
                start_, end_ = sentences[previous]  # "It was caused by X": it = the last sentence
                effect = self._trim(text, start_, end_, keep="right")
                evidence = (sentences[previous][0], s_end)
        else:
            return None
        if cause is None or effect is None or _overlaps(cause, effect):
            return None
        return Relation(cause, effect, cue_text, start, end, evidence, prior, sentence)

    def _voice(self, text: str, cue: tuple[int, int], directions: dict[str, float]) -> dict[str, float]:
        """A forward cue in the passive: with an agent ("X was deleted by Y") it links backward, without
        one ("the endpoint was left empty") it states no link; other cues keep their directions."""
        if "forward" not in directions or not (self.passive_before or self.passive_after):
            return directions
        before = text[: cue[0]].split()[-1:]
        after = text[cue[1] :].split()[:1]
        if after and after[0].strip(_STRIP).lower() in self.passive_after:
            return {"backward": directions.pop("forward"), **directions}
        if before and before[0].strip(_STRIP).lower() in self.passive_before:
            directions = {k: v for k, v in directions.items() if k != "forward"}
        return directions

    def _fronted_commas(self, text: str, sentences: _Sentences, cues: list[dict]) -> dict[int, int]:
        """Sentence -> end of its fronted clause ("Because of X, ..."): later cues' causes start after it."""
        commas: dict[int, int] = {}
        for cue in cues:
            if cue["key"] != "causal.fronted":
                continue
            s_start, s_end = sentences[int(cue["sentence"])]
            if text[s_start : int(cue["start"])].strip(_STRIP):
                continue
            comma = text.find(",", int(cue["end"]), s_end)
            if comma >= 0:
                commas[int(cue["sentence"])] = comma + 1
        return commas

    def _left(self, text: str, s_start: int, cue_start: int, state: _State) -> tuple[int, int]:
        """From the last clause boundary or causal cue before the cue, to the cue.

        A boundary right before the cue ("X, which caused Y") ends the span there instead, and so
        does a causal cue right before it ("X in turn caused Y"); a relative clause closed by a
        comma ("X, which began at dawn, cut off Y") is skipped; a fronted clause ("Because of X,
        Y caused Z") is not part of the cause.
        """
        begin, stop = s_start, cue_start
        for c_start, c_end in reversed(state.causal_edges):
            if c_start < stop and s_start <= c_end <= stop:
                if any(
                    not self._droppable(text, c_end + m.start(), c_end + m.end())
                    for m in _WORD.finditer(text[c_end:stop])
                ):
                    begin = max(begin, c_end)
                    break
                stop = c_start
        fronted_end = next((e for e in state.fronted_commas.values() if s_start < e <= stop), None)
        if fronted_end is not None:
            begin = max(begin, fronted_end)
        lowered = text[begin:stop].lower()
        cut_start, cut_end = 0, len(lowered)
        for boundary in self.boundaries:
            index = lowered.rfind(boundary)
            if index < 0:
                continue
            rest = lowered[index + len(boundary) :]
            closed = boundary.startswith(",") and rest.rstrip().endswith(",")  # ", which began at dawn,"
            if not self._only_function_words(rest) and not closed:
                cut_start = max(cut_start, index + len(boundary))
            else:
                cut_end = min(cut_end, index)
                earlier = lowered.rfind(boundary, 0, index)
                if earlier >= 0:
                    cut_start = max(cut_start, earlier + len(boundary))
        if cut_start >= cut_end:
            cut_start = 0
        elif cut_start:
            cut_start = self._after_complementizer(lowered, cut_start, cut_end)
        return begin + cut_start, begin + cut_end

    def _after_complementizer(self, lowered: str, start: int, end: int) -> int:
        """Past a complementizer among the first words after a boundary ("said | on Monday that | X")."""
        for number, match in enumerate(_WORD.finditer(lowered, start, end)):
            if number >= COMPLEMENTIZER_REACH:
                break
            if match.group().strip(_STRIP) in self.complementizers:
                return match.end()
        return start

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

    def _only_function_words(self, span: str) -> bool:
        """Whether a piece of text holds no word but trimmed function words (", which could have")."""
        return all(self._droppable(span, m.start(), m.end()) for m in _WORD.finditer(span))

    def _droppable(self, text: str, start: int, end: int) -> bool:
        word = text[start:end].strip(_STRIP).lower()
        return not word or word in self.trim_words

    def _antecedent(self, text, left, cause, s_start, sentences, previous, state, anaphoric) -> tuple[int, int] | None:
        """The earlier event a cause points back to, or None when it stands on its own.

        A demonstrative subject ("This caused", "Hal ini menyebabkan") points to the last event
        of the previous sentence; an anaphoric noun ("The race caused", "Gangguan itu memicu"), or
        a short cause before an anaphoric cue ("Penghapusan entri kunci inilah yang memicu"), to
        the clause of the previous sentence holding a word of the same stem; one with a strong
        determiner ("this brief partition") to the last event stated there when no word matches.
        """
        if previous is None:
            return None
        if cause is None or self._is_demonstrative(text, cause):
            return self._previous(text, sentences, previous, state) if left[0] == s_start else None
        anaphor = self._anaphor(text, cause if anaphoric else left, anaphoric)
        if anaphor is None:
            return None
        stems, strong = anaphor
        bounds = sentences[previous]
        for stem in stems:
            match = re.search(rf"\b\w*{re.escape(stem)}", text[bounds[0] : bounds[1]], re.IGNORECASE)
            if match is not None:
                begin = self._clause_start(text, bounds[0], bounds[0] + match.start(), state)
                end = min([c for c, _ in state.causal_edges if begin < c < bounds[1]], default=bounds[1])
                return self._trim(text, begin, end, keep="left") or self._trim(text, *bounds, keep="right")
        return state.last_effects.get(previous) if strong else None

    def _clause_start(self, text: str, s_start: int, index: int, state: _State) -> int:
        """Where the clause holding `index` begins: after the last comma, clause boundary or causal cue
        before it in its sentence ("During maintenance, a configuration change was issued")."""
        base = max([e for _, e in state.causal_edges if s_start <= e <= index], default=s_start)
        lowered = text[base:index].lower()
        cuts = [lowered.rfind(b) + len(b) for b in (",", *self.boundaries) if lowered.rfind(b) >= 0]
        return base + max(cuts, default=0)

    def _anaphor(self, text: str, span: tuple[int, int], anaphoric: bool) -> tuple[list[str], bool] | None:
        """The stems of an anaphoric noun phrase ("the race", "perubahan tersebut"), nearest the
        determiner first, and whether its determiner is a strong one; None when it is no anaphor.
        Before an anaphoric cue every word of a short cause counts, from the last."""
        words = [w.strip(_STRIP).lower() for w in text[span[0] : span[1]].split()]
        words = [w for w in words if w]
        if not words or len(words) > MAX_ANAPHOR_WORDS or (len(words) < 2 and not anaphoric):
            return None
        if anaphoric:
            nouns, determiner = words[::-1], ""
        elif words[0] in self.anaphors_before:
            nouns, determiner = words[1:], words[0]
        elif words[-1] in self.anaphors_after:
            nouns, determiner = words[-2::-1], words[-1]
        else:
            return None
        stems = [noun[:ANAPHOR_STEM] for noun in nouns if len(noun) >= ANAPHOR_STEM]
        return (stems, determiner in self.strong_anaphors) if stems else None

    def _is_demonstrative(self, text: str, span: tuple[int, int]) -> bool:
        return text[span[0] : span[1]].strip(_STRIP).lower() in self.demonstratives

    def _previous(self, text: str, sentences: _Sentences, previous: int, state: _State) -> tuple[int, int] | None:
        """The event an anaphoric cue points back to: the last effect stated in the previous sentence
        ("X caused Y. As a result, Z": Y -> Z), else the whole previous sentence."""
        if previous in state.last_effects:
            return state.last_effects[previous]
        start, end = sentences[previous]
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
