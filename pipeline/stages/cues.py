"""Cue matching: causal connectives and outage, impact, mitigation, apology and speculation words.

The cue words of each language live in `lang/<code>/cues.yaml` under canonical keys;
this stage only ever sees those keys. Matching is on lowercased tokens (spaCy
PhraseMatcher), so multiword cues ("dipicu oleh", "as a result of") match whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from pipeline.lang.loader import load_lang_file

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

CAUSAL_DIRECTIONS = ("forward", "backward", "fronted", "anaphoric", "participial", "copular")
PLAIN_KEYS = (
    "outage",
    "impact",
    "mitigation",
    "apology",
    "speculation",
    "attribution",
    "negation",
    "absence",
    "denial",
    "root_marker",
    "idioms",
)
IDIOM_KEY = "idioms"


class CueData(BaseModel):
    """Schema of `lang/<code>/cues.yaml`."""

    causal: dict[str, dict[float, list[str]]]
    demonstratives: list[str] = Field(default_factory=list)
    anaphors: dict[str, list[str]] = Field(default_factory=dict)
    boundaries: list[str] = Field(default_factory=list)
    passive: dict[str, list[str]] = Field(default_factory=dict)
    copular: dict[str, list[str]] = Field(default_factory=dict)
    incident_nouns: list[str] = Field(default_factory=list)
    event_nouns: list[str] = Field(
        default_factory=list,
        description="Events that, as a verb's subject, state a link: 'a storm cut power to the data centre'.",
    )
    stative_verbs: list[str] = Field(
        default_factory=list, description="Verbs (lemmas) that state no effect of their subject: 'the outage lasted'."
    )
    undetermined: list[str] = Field(default_factory=list)
    subordinators: list[str] = Field(default_factory=list)
    coordinators: list[str] = Field(default_factory=list)
    object_cues: list[str] = Field(default_factory=list)
    cause_object_cues: list[str] = Field(default_factory=list)
    complementizers: list[str] = Field(default_factory=list)
    discovery_verbs: list[str] = Field(default_factory=list)
    causatives: list[str] = Field(default_factory=list)
    trim: list[str] = Field(default_factory=list)
    time_prepositions: list[str] = Field(default_factory=list)
    relative_boundaries: list[str] = Field(default_factory=list)
    definite: list[str] = Field(default_factory=list)
    noun_head: Literal["first", "last"] = Field(
        "last", description="Where a noun phrase's head stands: 'the AWS outage' (last), 'gangguan layanan' (first)."
    )
    event_synonyms: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Phrases that name one kind of event ('domino effect', 'cascading failure'): in one "
        "document, two short spans naming the same kind are one event.",
    )
    impact_openers: list[str] = Field(
        default_factory=list,
        description="Nouns that open a sentence with the impact of the incident: 'The impact of the outage was ...'.",
    )
    indefinite: list[str] = Field(
        default_factory=list, description="Words that introduce a noun: 'a change' is where 'that change' was named."
    )
    activation: list[str] = Field(
        default_factory=list,
        description="Cues by which a change wakes a latent defect: 'a change set off a dormant bug' (the bug is root).",
    )
    interrogatives: list[str] = Field(default_factory=list)
    list_words: list[str] = Field(default_factory=list)
    outage: list[str]
    weak_outage: list[str] = Field(
        default_factory=list,
        description="Outage words that alone report no outage ('a security incident'): the gate needs another.",
    )
    impact: list[str]
    mitigation: list[str]
    apology: list[str]
    speculation: list[str]
    attribution: list[str]
    negation: list[str]
    absence: list[str] = Field(
        default_factory=list,
        description="Words by which an outage word names none: 'ran as usual without disruption' (incident gate only).",
    )
    denial: list[str]
    relativizers: list[str] = Field(
        default_factory=list, description="Words that open a relative clause: 'a password that was no longer in use'."
    )
    personal_pronouns: list[str] = Field(
        default_factory=list, description="'we disconnected our systems': a person's act, no cause stated."
    )
    idioms: list[str] = Field(
        default_factory=list, description="Phrases in which a causal cue word is no connective ('even so', 'so far')."
    )
    root_marker: list[str]


@dataclass(frozen=True, slots=True)
class CueMatch:
    """One cue occurrence: its canonical key, the surface text, offsets and prior weight."""

    key: str
    text: str
    start: int
    end: int
    sentence: int
    weight: float = 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "weight": self.weight,
        }


@lru_cache(maxsize=8)
def cue_data(lang: str) -> CueData:
    """The validated cue lexicon of one language."""
    return load_lang_file(lang, "cues", CueData)


def cue_phrases(data: CueData) -> dict[str, list[tuple[str, float]]]:
    """Every cue phrase under its match key (`causal.forward`, `outage`, ...) with its prior."""
    phrases: dict[str, list[tuple[str, float]]] = {}
    for direction, groups in data.causal.items():
        for weight, words in groups.items():
            phrases.setdefault(f"causal.{direction}", []).extend((w, float(weight)) for w in words)
    for key in PLAIN_KEYS:
        phrases[key] = [(w, 1.0) for w in getattr(data, key)]
    return phrases


class CueMatcher:
    """spaCy component: sets `doc._.cues` to a list of `CueMatch` dicts, in text order.

    The longest match wins where causal cues overlap ("dipicu oleh" over "dipicu").
    """

    def __init__(self, nlp: Language, name: str = "incident_cues") -> None:
        self.name = name
        self.lang = nlp.lang
        self.vocab = nlp.vocab
        self.make_doc = nlp.make_doc
        self._matcher: tuple[PhraseMatcher, dict[str, float]] | None = None

    def initialize(self, get_examples: object = None, *, nlp: object = None) -> tuple[PhraseMatcher, dict[str, float]]:
        """Build the phrase matcher from the language's cue file (once)."""
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher

            matcher = PhraseMatcher(self.vocab, attr="LOWER")
            weights: dict[str, float] = {}
            for key, items in cue_phrases(cue_data(self.lang)).items():
                matcher.add(key, [self.make_doc(phrase) for phrase, _ in items])
                for phrase, weight in items:
                    slot = f"{key}|{phrase.lower()}"
                    weights[slot] = max(weight, weights.get(slot, 0.0))
            self._matcher = (matcher, weights)
        return self._matcher

    def __call__(self, doc: Doc) -> Doc:
        matcher, weights = self.initialize()
        sentence_of = sentence_index(doc)
        found: list[CueMatch] = []
        for match_id, start, end in matcher(doc):
            key = self.vocab.strings[match_id]
            span = doc[start:end]
            weight = weights.get(f"{key}|{span.text.lower()}", 1.0)
            found.append(CueMatch(key, span.text, span.start_char, span.end_char, sentence_of[span.start], weight))
        idioms = [(c.start, c.end) for c in found if c.key == IDIOM_KEY]
        kept = [c for c in found if c.key != IDIOM_KEY and not (c.key.startswith("causal.") and _inside(c, idioms))]
        doc._.cues = [c.as_dict() for c in _longest_causal(kept)]
        return doc


def _inside(match: CueMatch, spans: list[tuple[int, int]]) -> bool:
    return any(start <= match.start and match.end <= end for start, end in spans)


def _longest_causal(matches: list[CueMatch]) -> list[CueMatch]:
    """Drop causal cues inside a longer causal cue; keep every key of the same span and every other cue."""
    causal = sorted((m for m in matches if m.key.startswith("causal.")), key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[CueMatch] = []
    for match in causal:
        if kept and match.start < kept[-1].end and (match.start, match.end) != (kept[-1].start, kept[-1].end):
            continue
        kept.append(match)
    others = [m for m in matches if not m.key.startswith("causal.")]
    return sorted(kept + others, key=lambda m: (m.start, m.end, m.key))


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token."""
    index = [0] * len(doc)
    if not doc.has_annotation("SENT_START"):
        return index
    for number, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = number
    return index
