"""Entity mentions: the knowledge-base ruler merged with the statistical NER of the language.

Knowledge-base matches (providers, their services, consumer services, regions, places,
news sources; `pipeline/lang/kb/`, matched by `pipeline.kb.matcher`) win where they overlap a model entity: the model is
good at unseen organisations and places, the knowledge base at names the model gets
wrong (en_core_web_sm calls Fortnite a PERSON). Model labels are mapped onto insiden's
labels by `lang/<code>/entities.yaml`. The merged entities are also written to
`doc.ents` so displaCy and spaCy users see them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from pipeline.lang.loader import load_lang_file
from pipeline.stages.cues import cue_data, sentence_index

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from pipeline.kb import KnowledgeBase
    from pipeline.kb.matcher import KBMatcher
    from pipeline.kb.models import KBEntry

MODEL_SOURCE, KB_SOURCE = "model", "kb"
_EDGE_PUNCT = " \t\n,.;:!?\"'“”‘’()[]–—-"
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TERM_DEFINITION = re.compile(r"\b[a-z][\w-]*[a-z]\s+\(([A-Z][A-Z0-9]{1,5})\)")


class ContextCues(BaseModel):
    """Words that give a name next to them a role (`affected_context`, `location_context`).

    `affected_context` serves names only the statistical NER found: "took down Acme",
    "users of Acme", "Acme was down". `location_context` serves places: "our US West Coast
    data center". `provider_context` marks the organisation whose failure the text is
    about: "an outage at Acme", "Acme's network", "Acme experienced", "Acme said its".
    `source_context` marks a service the text cites as where the news was posted ("according
    to updates on the AWS health dashboard", "posted updates on Twitter"), never affected.
    `before` cues precede the name, `after` cues follow it; up to `gap` other
    words may stand between, none of them in `breaks` ("affected by Acme" names a cause,
    not a victim), and no punctuation.
    """

    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    breaks: list[str] = Field(default_factory=list)
    gap: int = Field(default=2, ge=0, le=6)


class EntityData(BaseModel):
    """Schema of `lang/<code>/entities.yaml`."""

    ner_labels: dict[str, str | None]
    stop_names: list[str] = Field(default_factory=list)
    leading_words: list[str] = Field(default_factory=list)
    """Words the statistical NER puts before a name that are no part of it ("the", "our")."""
    affected_context: ContextCues = Field(default_factory=ContextCues)
    location_context: ContextCues = Field(default_factory=ContextCues)
    provider_context: ContextCues = Field(default_factory=ContextCues)
    source_context: ContextCues = Field(default_factory=ContextCues)
    first_person: list[str] = Field(default_factory=list)
    """Words of a company speaking of itself ("we", "our"): a status page under its name is its own."""
    generic_service_before: list[str] = Field(default_factory=list)
    """Words before a bare service word that make it the provider's own ("the dashboard", "its API")."""
    generic_service_after: list[str] = Field(default_factory=list)
    """Words after a bare service word that make it the provider's own ("dasbor mereka")."""


@lru_cache(maxsize=8)
def entity_data(lang: str) -> EntityData:
    """The validated entity settings of one language."""
    return load_lang_file(lang, "entities", EntityData)


class EntityRecognizer:
    """spaCy component: sets `doc._.entities` (dicts of schema.Entity fields, role still 'mentioned')."""

    def __init__(self, nlp: Language, name: str = "incident_entities") -> None:
        self.name = name
        self.nlp = nlp
        self.lang = nlp.lang
        self._list_words = frozenset(w.lower() for w in cue_data(self.lang).list_words)
        self._matcher: KBMatcher | None = None
        self._kb: KnowledgeBase | None = None

    def initialize(self, get_examples: object = None, *, nlp: object = None) -> None:
        """Build the knowledge-base matcher (once)."""
        if self._matcher is not None:
            return
        from pipeline.kb import load_kb
        from pipeline.kb.matcher import KBMatcher

        self._kb = load_kb()
        self._matcher = KBMatcher(self.nlp.vocab, self._kb.patterns(self.nlp))

    def __call__(self, doc: Doc) -> Doc:
        self.initialize()
        assert self._matcher is not None and self._kb is not None
        data = entity_data(self.lang)
        stop_names = frozenset(data.stop_names)
        leading_words = frozenset(data.leading_words)
        kb_spans = _longest_first(self._matcher(doc))
        taken = [False] * len(doc)
        entities: list[dict] = []
        chosen: list[Span] = []
        for span in kb_spans:
            if any(taken[span.start : span.end]):
                continue
            entry = self._kb.entry(span.id_) if span.id_ in self._kb else None
            if entry is None or _common_word(span, entry):
                continue
            taken[span.start : span.end] = [True] * len(span)
            entities.append(_entity(span, entry.label, entry.name, entry.id, KB_SOURCE))
            chosen.append(span)
        terms = defined_terms(doc.text)
        for span in (part for ent in doc.ents for part in _listed_parts(ent, self._list_words)):
            label = data.ner_labels.get(span.label_)
            if label is None or any(taken[span.start : span.end]):
                continue
            span = _without_leading_words(span, leading_words)
            text = span.text.strip(_EDGE_PUNCT)
            if len(text) < 2 or text.lower() in stop_names or not _HAS_LETTER.search(text) or text in terms:
                continue
            entry = self._kb.resolve(text)
            if entry is not None:
                entities.append(_entity(span, entry.label, entry.name, entry.id, KB_SOURCE))
            else:
                entities.append(_entity(span, label, text, None, MODEL_SOURCE))
            taken[span.start : span.end] = [True] * len(span)
            chosen.append(span)
        sentence_of = sentence_index(doc)
        for entity, span in zip(entities, chosen, strict=True):
            entity["sentence"] = sentence_of[span.start] if len(doc) else 0
        order = sorted(range(len(entities)), key=lambda i: entities[i]["start"])
        doc._.entities = [entities[i] for i in order]
        _set_ents(doc, [chosen[i] for i in order], [entities[i]["label"] for i in order])
        return doc


def defined_terms(text: str) -> frozenset[str]:
    """Short forms the text defines for a common noun phrase, in brackets after its lower-case words
    ("sistem catu daya tak terputus (UPS)", "an uninterruptible power supply (UPS)"): wherever the statistical
    NER finds them they name a thing, not an organisation (UPS the logistics company)."""
    return frozenset(match.group(1) for match in _TERM_DEFINITION.finditer(text))


def _common_word(span: Span, entry: KBEntry) -> bool:
    """Whether a one-word match is an ordinary word written in lower case ("a valve", "dana nasabah") where
    the knowledge base writes the name capitalised ("Valve")."""
    text = span.text
    if len(span) != 1 or not text.islower():
        return False
    return text not in {entry.name, *entry.aliases, *entry.exact}


def _listed_parts(span: Span, list_words: frozenset[str]) -> list[Span]:
    """A model span that is a list of names ("Images and Vectorize", "R2, Cache Reserve") as its names;
    any other span whole. Every part must open with a capital or a digit."""
    parts, start = [], span.start
    for token in span:
        if token.text == "," or token.lower_ in list_words:
            parts.append((start, token.i))
            start = token.i + 1
    parts.append((start, span.end))
    doc = span.doc
    if len(parts) < 2 or any(b <= a or not (doc[a].is_title or doc[a].is_upper or doc[a].like_num) for a, b in parts):
        return [span]
    return [_part(doc, a, b, span.label_) for a, b in parts]


def _part(doc: Doc, start: int, end: int, label: str) -> Span:
    from spacy.tokens import Span as SpanType

    return SpanType(doc, start, end, label=label)


def _without_leading_words(span: Span, words: frozenset[str]) -> Span:
    """The model's span without leading words that are no part of a name ("the Stackdriver team")."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in words:
        start += 1
    return span.doc[start : span.end] if start != span.start else span


def _longest_first(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (-(s.end_char - s.start_char), s.start_char))


def _entity(span: Span, label: str, canonical: str, kb_id: str | None, source: str) -> dict:
    start = span.start_char
    text = span.text
    stripped = text.strip(_EDGE_PUNCT)
    offset = text.find(stripped) if stripped else 0
    return {
        "text": stripped or text,
        "start": start + offset,
        "end": start + offset + len(stripped or text),
        "label": label,
        "canonical": canonical,
        "kb_id": kb_id,
        "role": "mentioned",
        "source": source,
    }


def _set_ents(doc: Doc, spans: list[Span], labels: list[str]) -> None:
    from spacy.tokens import Span as SpanType
    from spacy.util import filter_spans

    relabelled = [SpanType(doc, s.start, s.end, label=label) for s, label in zip(spans, labels, strict=True)]
    doc.set_ents(filter_spans(relabelled), default="outside")
