"""Is the document about an outage at all? An article that is not gets an empty report.

A document reports an incident when outage cues appear in at least `MIN_OUTAGE_SENTENCES`
sentences, or in its headline when it also states a causal link. A profile that
mentions outages in passing ("a failure in one zone would not take the region down")
names them in one sentence, not across the story. Without
this gate a profile of a cloud provider would come out with an invented provider,
affected services and root cause.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_OUTAGE_SENTENCES = 2
HEADLINE_SENTENCE = 0


def reports_incident(cues: list[dict], has_chain: bool) -> bool:
    """The gate, on the cue matches of one document."""
    sentences = {int(c["sentence"]) for c in cues if c["key"] == "outage"}
    return len(sentences) >= MIN_OUTAGE_SENTENCES or (HEADLINE_SENTENCE in sentences and has_chain)


class IncidentGate:
    """spaCy component: sets `doc._.is_incident`."""

    def __init__(self, nlp: object, name: str = "incident_gate") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.is_incident = reports_incident(doc._.cues or [], bool((doc._.causal or {}).get("edges")))
        return doc
