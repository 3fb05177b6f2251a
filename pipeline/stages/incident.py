"""Is the document about an outage at all? An article that is not gets an empty report.

A document reports an incident when outage cues appear in at least `MIN_OUTAGE_SENTENCES`
sentences, or in one sentence when the document also states a causal link and that
sentence is its headline or the document is a brief (at most `BRIEF_SENTENCES` sentences:
a one-paragraph incident summary states its outage once). A profile that mentions outages
in passing ("a failure in one zone would not take the region down") names them in one
sentence of a long story. Without
this gate a profile of a cloud provider would come out with an invented provider,
affected services and root cause.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.stages.causal_base import EVENT_NEGATION_REACH
from pipeline.stages.cues import cue_data

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_OUTAGE_SENTENCES = 2
HEADLINE_SENTENCE = 0
BRIEF_SENTENCES = 4
NEGATING_KEYS = frozenset({"negation", "absence"})
"""An outage word right after these states none: "did not report any disruption", "without disruption"."""


def reports_incident(
    cues: list[dict], has_chain: bool, sentence_count: int = BRIEF_SENTENCES + 1, weak: frozenset[str] = frozenset()
) -> bool:
    """The gate, on the cue matches of one document of `sentence_count` sentences. An outage word right
    after a negation or an absence word ("did not report any disruption", "tanpa gangguan") states none,
    and a document whose only outage words are `weak` ones ("a security incident") reports none."""
    negations = [(int(c["sentence"]), int(c["end"])) for c in cues if c["key"] in NEGATING_KEYS]
    outage = [
        c
        for c in cues
        if c["key"] == "outage"
        and not any(s == c["sentence"] and 0 <= int(c["start"]) - end <= EVENT_NEGATION_REACH for s, end in negations)
    ]
    if all(str(c.get("text", "")).lower() in weak for c in outage):
        return False
    sentences = {int(c["sentence"]) for c in outage}
    if len(sentences) >= MIN_OUTAGE_SENTENCES:
        return True
    return bool(sentences) and has_chain and (HEADLINE_SENTENCE in sentences or sentence_count <= BRIEF_SENTENCES)


class IncidentGate:
    """spaCy component: sets `doc._.is_incident`."""

    def __init__(self, nlp: object, name: str = "incident_gate") -> None:
        self.name = name
        self.weak = frozenset(w.lower() for w in cue_data(getattr(nlp, "lang", "en")).weak_outage)

    def __call__(self, doc: Doc) -> Doc:
        sentence_count = sum(1 for sent in doc.sents if sent.text.strip()) if doc.has_annotation("SENT_START") else 1
        has_chain = bool((doc._.causal or {}).get("edges"))
        doc._.is_incident = reports_incident(doc._.cues or [], has_chain, sentence_count, self.weak)
        return doc
