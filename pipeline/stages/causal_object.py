"""Cues that hold one argument as their object: the effect ("Amazon traced the problem to X", "blamed the
disruption on X") or the cause ("Apple blamed an internal DNS error for the outage")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.stages.causal_base import Relation, Sentences, overlaps

if TYPE_CHECKING:
    from spacy.tokens import Doc

OBJECT_REACH = 4
"""Most words between the verb and its particle ("traced | the CPU spike | to")."""
CAUSE_OBJECT_REACH = 8
"""Most words of a cause held as the object ("blamed | a faulty change to its network settings | for")."""
OBJECT_PRIOR = 0.85
VERB_TAGS = frozenset({"VERB", "AUX"})


def object_pattern(cues: list[str], reach: int = OBJECT_REACH) -> re.Pattern[str] | None:
    """One pattern for object cues of cues.yaml ("traced ... to": verb, object of at most `reach` words, particle)."""
    pairs = [tuple(part.strip() for part in cue.split("...", 1)) for cue in cues if "..." in cue]
    if not pairs:
        return None
    word = r"[^\s,;.:]+"
    words = rf"(?:{word}\s+){{0,{reach - 1}}}?{word}"  # the nearest particle
    branches = [
        rf"{re.escape(verb)}\s+(?P<o{i}>{words})\s+{re.escape(particle)}" for i, (verb, particle) in enumerate(pairs)
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)", re.IGNORECASE)


def _opens_with_preposition(doc: Doc, start: int) -> bool:
    """Whether the words after the verb open with a preposition, as the parse tags it."""
    if not doc.has_annotation("POS"):
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span is not None and span[0].pos_ == "ADP"


class ObjectCueMixin:
    """Methods of `RelationFinder` (they use its lexicons and span helpers: `_trim`, `_right`, ...)."""

    def _object_cause(self, doc: Doc, text: str, particle_end: int, s_end: int, causal_edges) -> tuple[int, int]:
        """From the particle to the next boundary, comma or coordinated verb ("to | the disabled gateway |,
        the service was re-enabled"; "to | streaming | and turned the feature off")."""
        begin, stop = self._right(text, particle_end, s_end, causal_edges)
        comma = text.find(",", begin, stop)
        stop = comma if comma >= 0 else stop
        span = doc.char_span(begin, stop, alignment_mode="contract") if doc.has_annotation("POS") else None
        for token in span or ():
            if token.dep_ == "cc" and token.i + 1 < len(doc) and doc[token.i + 1].pos_ in VERB_TAGS:
                return begin, token.idx
        return begin, stop

    def _object_relations(self, doc: Doc, text: str, sentences: Sentences, causal_edges, taken) -> list[Relation]:
        """Links whose cue holds an argument as its object: the effect, with the phrase after the particle
        its cause ("traced | the problem | to | a fault in a subsystem"), or the cause, with the phrase
        after the particle its effect ("blamed | an internal DNS error | for | the outage")."""
        relations = []
        patterns = [(p, held) for p, held in ((self.object_cues, "effect"), (self.cause_object_cues, "cause")) if p]
        for index, bounds in enumerate(sentences.bounds):
            for pattern, held in patterns:
                relations += self._object_matches(doc, text, pattern, held, index, bounds, causal_edges, taken)
        return relations

    def _object_matches(self, doc, text, pattern, held, index, bounds, causal_edges, taken) -> list[Relation]:
        """The links of one object-cue pattern in one sentence; `held` names the argument the object is."""
        s_start, s_end = bounds
        relations = []
        for match in pattern.finditer(text, s_start, s_end):
            if any(overlaps((match.start(), match.end()), span) for span in taken):
                continue  # a contiguous cue reads it already
            group = next(name for name, value in match.groupdict().items() if value is not None)
            if _opens_with_preposition(doc, match.start(group)):
                continue  # "was blamed for the attack on JBS": no object, the subject is the cause
            held_span = self._trim(text, match.start(group), match.end(group), keep="right")
            rest = self._object_cause(doc, text, match.end(), s_end, causal_edges)
            after = self._trim(text, *rest, keep="left")
            effect, cause = (held_span, after) if held == "effect" else (after, held_span)
            if effect is None or cause is None:
                continue
            verb, particle = text[match.start() : match.start(group)], text[match.end(group) : match.end()]
            cue = f"{verb.strip()} ... {particle.strip()}"
            root = self._names_incident(text, effect)
            span = (match.start(), match.end())
            relations.append(Relation(cause, effect, cue, *span, (s_start, s_end), OBJECT_PRIOR, index, root))
        return relations
