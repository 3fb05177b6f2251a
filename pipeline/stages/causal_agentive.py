"""Links stated by an event as the subject of a verb, with no cue word: "a violent storm cut power to
the data centre", "the outage that cut customers off", "a holiday meltdown that lasted a week scrapped
16,000 flights". A relation's argument that opens with such a clause is split: the event caused what its
verb says.

Reads part-of-speech tags (a sentence's parse often hangs the clause on the cue before it: "after a fault
took sites offline"), so a language without a tagger finds none. The subject must be an event noun of
the language's `event_nouns` (cues.yaml): "engineers rolled back the change" states no link.

`passive_subjects` reads the parse for the other side of the same clause: a backward cue whose effect
was cut inside its passive subject's relative clause takes that subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipeline.stages.causal_base import STRIP, Relation, Sentences, State, overlaps

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

AGENTIVE_PRIOR = 0.7
NOUN_POS = frozenset({"NOUN", "PROPN"})
MODIFIER_POS = frozenset({"DET", "ADJ", "ADV", "NUM", "PUNCT", "PRON"})
OBJECT_DEPS = frozenset({"dobj", "ccomp"})
OBJECT_POS = frozenset({"NOUN", "PROPN", "PRON"})
SENTENCE_STOPS = frozenset({";", ":"})
CLAUSE_STOP = re.compile(r"[;:]|,(?!\d)")
MIN_EFFECT_WORDS = 2
NOUN_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})

CharSpan = tuple[int, int]


@dataclass(frozen=True)
class AgentiveLexicon:
    """The language data an agentive clause is read with (cues.yaml)."""

    event_nouns: frozenset[str]
    relativizers: frozenset[str]
    stative_verbs: frozenset[str]


def agentive_split(doc: Doc, span: CharSpan, lexicon: AgentiveLexicon) -> tuple[CharSpan, CharSpan, Token] | None:
    """(cause, effect, verb) when `span` opens with an event noun whose verb has an object, else None."""
    tokens = doc.char_span(*span, alignment_mode="contract")
    if tokens is None:
        return None
    head = _leading_noun(tokens)
    if head is None or head.lemma_.lower() not in lexicon.event_nouns:
        return None
    subject_end: int | None = None
    relative: str | None = None  # "own": a relative clause on the event noun; "other": on a later noun
    for token in tokens[head.i - tokens.start + 1 :]:
        if token.text in SENTENCE_STOPS:
            return None  # "a logic error in the sensor: the template defined 21 fields"
        if token.lower_ in lexicon.relativizers:
            relative = "own" if _on_noun(token, head) else "other"
            if relative == "own":
                subject_end = subject_end or token.idx  # "the meltdown | that lasted a week, scrapped flights"
            continue
        if token.text == ",":
            subject_end = subject_end or token.idx  # "a routing error at Telia | , one of ..., sent traffic"
            continue
        if not _finite_verb(token):
            continue
        acts = token.lemma_.lower() not in lexicon.stative_verbs and _takes_object(token)
        if relative is not None:
            own = relative == "own" and token.nbor(-1).lower_ in lexicon.relativizers
            relative = None
            if not (own and acts):
                continue  # the relative clause's own verb ("the bug that engineers introduced", "that lasted")
        elif not acts:
            return None  # "the job ran past its limit": the event's verb states no effect
        cause = _stripped(doc.text, span[0], subject_end or token.idx)
        effect = _stripped(doc.text, token.idx, _clause_end(doc.text, token.idx, span[1]))
        if cause is None or effect is None or len(doc.text[effect[0] : effect[1]].split()) < MIN_EFFECT_WORDS:
            return None
        return cause, effect, token
    return None


def _leading_noun(tokens: Span) -> Token | None:
    """The last noun of the first run of nouns and participles, after determiners and modifiers ("violent
    storm", "the fast-spreading ransomware attack"); None when the span opens otherwise."""
    head = None
    for token in tokens:
        if token.pos_ in NOUN_POS:
            head = token
        elif token.morph.get("VerbForm") in (["Ger"], ["Part"]) and token.pos_ == "VERB":
            continue  # "fast-spreading ransomware attack", "Telia routing error"
        elif head is not None:
            return head
        elif token.pos_ not in MODIFIER_POS:
            return None
    return None


def _on_noun(relativizer: Token, noun: Token) -> bool:
    """Whether a relative clause hangs on `noun`: no preposition or comma between them ("an outage last week
    that stopped users"), unlike "a bug in the code that buffers data" (the code buffers)."""
    between = relativizer.doc[noun.i + 1 : relativizer.i]
    return not any(t.pos_ == "ADP" or t.text == "," for t in between)


def _finite_verb(token: Token) -> bool:
    """A verb in a finite form ("cut", "sends"), or a participle with an auxiliary that is not passive
    ("has knocked", not "was knocked")."""
    if token.pos_ != "VERB":
        return False
    form = token.morph.get("VerbForm")
    if form == ["Fin"]:
        return True
    deps = {child.dep_ for child in token.children}
    return form == ["Part"] and "aux" in deps and "auxpass" not in deps


def _takes_object(verb: Token) -> bool:
    """Whether the verb takes an object or a clause, by the parse or, where the parse lost it, by the word
    right after it ("locked staff out")."""
    if any(child.dep_ in OBJECT_DEPS for child in verb.children):
        return True
    after = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    return after is not None and after.pos_ in OBJECT_POS


def _clause_end(text: str, start: int, stop: int) -> int:
    """The first comma (not one inside a number: "16,000"), semicolon or colon after `start`, or `stop`."""
    match = CLAUSE_STOP.search(text, start, stop)
    return match.start() if match else stop


def _stripped(text: str, start: int, end: int) -> CharSpan | None:
    while end > start and text[end - 1] in STRIP:
        end -= 1
    while start < end and text[start] in STRIP:
        start += 1
    return (start, end) if end > start else None


def split_agentive(
    doc: Doc, sentences: Sentences, relations: list[Relation], lexicon: AgentiveLexicon
) -> list[Relation]:
    """The relations with every argument that opens with an agentive clause split in two: the clause
    becomes a relation of its own, and the argument keeps the part nearest the other argument (a cause
    keeps what the event did, an effect keeps the event)."""
    if not lexicon.event_nouns or not doc.has_annotation("MORPH"):
        return relations
    found: dict[tuple[CharSpan, CharSpan], Relation] = {}
    out: list[Relation] = []
    for relation in relations:
        cause, effect = relation.cause, relation.effect
        root = relation.root
        split = agentive_split(doc, cause, lexicon)
        if split is not None:  # the event, not what it did, is the stated root
            found.setdefault(split[:2], _relation(sentences, *split, root=root))
            cause, root = split[1], False
        split = agentive_split(doc, effect, lexicon)
        if split is not None:
            found.setdefault(split[:2], _relation(sentences, *split))
            effect = split[0]
        if (cause, effect, root) != (relation.cause, relation.effect, relation.root):
            relation = replace(relation, cause=cause, effect=effect, root=root)
        out.append(relation)
    return out + list(found.values())


def _relation(sentences: Sentences, cause: CharSpan, effect: CharSpan, verb: Token, *, root: bool = False) -> Relation:
    """The clause's own relation; its cue is the verb, its evidence the verb's sentence."""
    index = sentences.index_of(verb.idx)
    verb_span = (verb.idx, verb.idx + len(verb.text))
    return Relation(cause, effect, verb.text, *verb_span, sentences[index], AGENTIVE_PRIOR, index, root)


def passive_subjects(doc: Doc, relations: list[Relation]) -> list[Relation]:
    """Backward links whose effect was cut inside the relative clause of the passive verb's subject ("the
    outage that cut off service for millions | was caused by an update"): the effect is that subject ("the
    outage"); the relative clause states its own link."""
    if not doc.has_annotation("DEP"):
        return relations
    out = []
    for relation in relations:
        effect = _passive_subject(doc, relation) if relation.effect[0] < relation.cue_start else None
        out.append(relation if effect is None else replace(relation, effect=effect))
    return out


def _passive_subject(doc: Doc, relation: Relation) -> CharSpan | None:
    cue = doc.char_span(relation.cue_start, relation.cue_end, alignment_mode="expand")
    verb = next((t for t in cue or () if t.pos_ == "VERB"), None)
    noun = next((c for c in verb.children if c.dep_ == "nsubjpass"), None) if verb is not None else None
    clause = next((c for c in noun.children if c.dep_ == "relcl"), None) if noun is not None else None
    if clause is None:
        return None
    opening = clause.left_edge
    closing = clause.right_edge
    if not opening.idx <= relation.effect[0] < closing.idx + len(closing.text):
        return None  # the effect is not cut inside the subject's relative clause
    words = [t for t in noun.subtree if t.i < opening.i and t.dep_ != "det" and not t.is_punct]
    if not words:
        return None
    return words[0].idx, max(t.idx + len(t.text) for t in words)


class RelativeClauseMixin:
    """Methods of `RelationFinder` (they use its lexicons and span helpers: `_left`, `_right`, `_trim`)."""

    def _relative_relations(
        self, doc: Doc, sentences: Sentences, state: State, taken: list[CharSpan]
    ) -> list[Relation]:
        """A relative clause after a clause whose past verb takes an object states an effect of that
        clause ("X happened, which cut Y off"); not one after a bare noun ("the servers, which handle
        logins")."""
        if not self.relatives or not doc.has_annotation("MORPH"):
            return []
        text = doc.text
        lowered = text.lower()
        relations = []
        for boundary in self.relatives:
            for match in re.finditer(re.escape(boundary), lowered):
                relation = self._relative_relation(doc, text, sentences, state, taken, match.start(), match.end())
                if relation is not None:
                    relations.append(relation)
        return relations

    def _relative_relation(self, doc, text, sentences, state, taken, start, end) -> Relation | None:
        after = doc.char_span(end, len(text), alignment_mode="expand")
        verb = next((t for t in after or () if t.pos_ != "ADV"), None)  # "which seriously limited"
        if verb is None or not _past_act(verb) or verb.lemma_.lower() in self.agentive.stative_verbs:
            return None
        if any(overlaps((start, verb.idx + len(verb.text)), span) for span in taken):
            return None  # a cue reads it already ("which caused")
        index = sentences.index_of(start)
        s_start, s_end = sentences[index]
        cause = self._trim(text, *self._left(text, s_start, start, state), keep="right")
        if cause is None or not _holds_verb(doc, cause):
            return None
        stop = self._right(text, verb.idx + len(verb.text), s_end, state.causal_edges)[1]
        effect = self._trim(text, verb.idx, stop, keep="left")
        if effect is None:
            return None
        cue = (start + len(_boundary_words(text[start:end])), verb.idx + len(verb.text))
        return Relation(cause, effect, text[cue[0] : cue[1]], *cue, (s_start, s_end), AGENTIVE_PRIOR, index)


def _past_act(verb: Token) -> bool:
    """A finite verb in the past that takes an object ("which cut staff off"), not one in the present
    that tells what a thing does ("the controller, which manages the fans")."""
    past = verb.morph.get("Tense") == ["Past"] or verb.morph.get("VerbForm") == ["Part"]
    return past and _finite_verb(verb) and _takes_object(verb)


def _boundary_words(boundary: str) -> str:
    """The punctuation that opens a boundary (", which" -> ", ")."""
    return boundary[: len(boundary) - len(boundary.lstrip(STRIP))]


def _holds_verb(doc: Doc, span: CharSpan) -> bool:
    """Whether a span is a clause (holds a verb that is no modifier of a noun: not "the cooling
    controller"), not a bare noun phrase."""
    tokens = doc.char_span(*span, alignment_mode="expand")
    return tokens is not None and any(t.pos_ == "VERB" and t.dep_ not in NOUN_MODIFIER_DEPS for t in tokens)
