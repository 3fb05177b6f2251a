"""The causal-chain graph of a document: events as nodes, relations as edges, typed and rooted.

Relation arguments become event nodes (the headline's only when the body states no link);
arguments that overlap, or share most of their content words, are one event. Links that
would close a cycle are dropped (weakest first). Node types follow from the graph: the root
cause is the source event from which most of the chain follows, preferring one the text states as
the root ("The root cause was X") and one with cause words (ties: the earliest), its
direct successors are triggers, events that lead nowhere are impacts, the rest are
failures, and events stated with a mitigation cue are mitigations. The root's category comes from `stages.rootcause`.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from pipeline.stages.causal_base import EVENT_NEGATION_REACH, overlaps
from pipeline.stages.chain_actions import repair_spans
from pipeline.stages.chain_coref import EventKinds, IncidentMentions, linked, reaches, renamed
from pipeline.stages.chain_linker import ChainView, LinkerModel, content_words, link, retype
from pipeline.stages.cues import cue_data
from pipeline.stages.rootcause import RootCauseClassifier
from pipeline.temporal.context import SelectionContext
from pipeline.temporal.lexicon import HISTORY, get_lexicon, has_language

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.types import SentenceScorer

SAME_EVENT_OVERLAP = 0.6
"""Share of content words two argument spans must share to be one event."""
RESTATED_WORDS = 2
"""A definite span this short ("the attack") whose words an earlier event holds restates that event; one
word longer, its head noun must be the earlier event's ("The module malfunctioned")."""
LABEL_WORDS = 8
SUBJECT_WORDS = 2
"""A subject this many content words long, all of them an earlier event's, restates that event: no root."""
MIN_EDGE_CONFIDENCE = 0.35
MITIGATION_REACH = 12
"""A mitigation cue this many characters before an event's span still makes it a mitigation."""
MITIGATION_HEAD = 20
"""A mitigation cue must start within this many characters of an event's start to type it."""
CAUSE_DATE_REACH = 12
"""An earlier incident's date this close after a cause dates it ("a botched migration in April")."""
TIME_SHARE = 0.6
SOURCE_WEIGHT, DESCENDANT_WEIGHT, KEYWORD_WEIGHT, MARKER_WEIGHT, ROOT_KEYWORD_CAP = 1.0, 0.25, 1.0, 0.5, 2.0
STATED_ROOT_WEIGHT = 1.0
"""An event the text states as the root ("The root cause was X", "The outage was caused by X")."""
HEADLINE_WORDS = 20
TIME_LABELS = frozenset({"DATE", "TIME"})
"""Labels of the statistical NER that tag dates and times, besides the time stage's expressions."""
STATED_IMPACT_SKIP_KEYS = frozenset({"mitigation", "apology", "speculation"})
"""Sentences with these cues state no impact of their own (a fix, an apology, a guess)."""
QUOTE_MARKS = frozenset("\"“”‘’'")
STATED_IMPACT_MIN_WORDS = 4
SHORT_WORD = 3
"""Words up to this long between times do not keep a time adverbial open ("At", "on", "pada")."""
ANTECEDENT_REACH = 3
"""How many sentences back a root named by a pointing noun ("that change") looks for where it was introduced."""
ANAPHOR_PENALTY, ANAPHOR_REACH = 1.5, 2
"""An event named by an anaphor in its first words ("Losing that capacity", "Kelumpuhan ini") restates an
earlier one: it is not the root."""
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class Event:
    """One node under construction: its spans (first is the representative) and sentence."""

    id: str
    start: int
    end: int
    sentence: int
    words: frozenset[str]
    spans: list[tuple[int, int]] = field(default_factory=list)
    restated: tuple[frozenset[str], str] | None = None
    """Words and head of a definite representative span ("the outage"), which may restate an earlier event."""
    kind: str | None = None
    """The kind of event its representative span names by a synonym phrase ("efek domino": cascade)."""
    continues: bool = False
    """Whether its subject restates an earlier event ("Routing changes spread ..." after "changes to routing
    information"): it goes on telling that event, so it is not the root."""


class ChainBuilder:
    """Builds `{nodes, edges}` and the root cause from `doc._.relations` and `doc._.cues`."""

    def __init__(self, lang: str, scorer: SentenceScorer | None = None, linker: LinkerModel | None = None) -> None:
        self.lang = lang
        self.scorer = scorer
        self.linker = linker
        self.classifier = RootCauseClassifier(lang)
        self.anaphors = frozenset(w.lower() for w in cue_data(lang).anaphors.get("strong", []))
        self.trim = frozenset(w.lower() for w in cue_data(lang).trim)
        self.time_words = frozenset(w.lower() for w in cue_data(lang).time_prepositions)
        relativizers = "|".join(map(re.escape, cue_data(lang).relativizers))
        self.relative_clause = re.compile(rf"\b(?:{relativizers})\b", re.I) if relativizers else None
        self.definite = frozenset(w.lower() for w in cue_data(lang).definite)
        self.indefinite = frozenset(w.lower() for w in cue_data(lang).indefinite)
        self.incident_nouns = frozenset(w.lower() for w in cue_data(lang).incident_nouns)
        self.activation = frozenset(w.lower() for w in cue_data(lang).activation)
        self.clause_end = _clause_end_pattern(cue_data(lang).boundaries)
        self.mentions = IncidentMentions(lang)
        self.kinds = EventKinds(lang)

    def build(self, doc: Doc) -> tuple[dict, dict | None]:
        """The chain dict (schema.CausalChain) and the root cause dict (schema.RootCause) or None."""
        text = doc.text
        history = _history_positions(doc, text, self.lang)
        relations = _current_relations(_body_relations(text, list(doc._.relations or [])), history)
        if not relations:
            return {"nodes": [], "edges": []}, None
        confidences = self._confidences(text, relations)
        events: list[Event] = []
        edges: list[dict] = []
        stated: set[str] = set()
        times = [(int(t["start"]), int(t["end"])) for t in doc._.time_expressions or []]
        tagged = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in TIME_LABELS]
        times += [span for span in tagged if not any(overlaps(span, t) for t in times)]
        relations = [_past_time(text, r, times, self.trim, self.time_words) for r in relations]
        relations = [_before_time(text, r, times, self.time_words) for r in relations]
        sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        for relation, confidence in sorted(zip(relations, confidences, strict=True), key=lambda rc: -rc[1]):
            timed = _is_time(relation["cause"], times) or _is_time(relation["effect"], times)
            if confidence < MIN_EDGE_CONFIDENCE or timed:
                continue
            cause = self._event(doc, events, relation["cause"], sentence_starts)
            effect = self._event(doc, events, relation["effect"], sentence_starts, apart_from=cause)
            if cause.id == effect.id or reaches(edges, effect.id, cause.id):
                continue
            if any(e["source"] == cause.id and e["target"] == effect.id for e in edges):
                continue
            edges.append(_edge(text, cause.id, effect.id, relation, confidence))
            if relation.get("root"):
                stated.add(cause.id)
        if not edges:
            return {"nodes": [], "edges": []}, None
        events, edges = self._join_restatements(events, edges, stated)
        used = {e["source"] for e in edges} | {e["target"] for e in edges}
        events = [e for e in events if e.id in used]
        impacts = self._stated_impacts(doc, text, events, history)  # nodes of their own: no cue states a cause
        body_start = _headline_end(text)
        told = self.mentions.told(text, events + impacts, body_start, partial(self._names_cause, text, edges))
        events, edges, joined = self.mentions.join(text, events + impacts, edges, told)
        edges += self._opened_impacts(text, told, edges, [i for i in impacts if i.id not in joined])
        stated |= {joined[i] for i in stated & joined.keys()}
        types = self._types(doc, text, events, edges, stated)
        sources = {e["source"] for e in edges}
        types |= {i.id: "impact" for i in impacts if i.id not in joined and i.id not in sources}
        for start, end in repair_spans(doc, text, [s for e in events for s in e.spans], self.clause_end, body_start):
            sentence = max(0, bisect_right(sentence_starts, start) - 1)
            repair = Event(f"r{len(events) + 1}", start, end, sentence, content_words(text[start:end]))
            events.append(repair)
            types[repair.id] = "mitigation"
        events.sort(key=lambda e: (e.start, e.end))
        nodes = [_node(text, event, types[event.id], sentence_starts) for event in events]
        if self.linker is not None:
            view = ChainView.from_doc(doc, {"nodes": nodes, "edges": edges}, self.anaphors, sentence_starts)
            edges += link(view, self.linker)
            retype(nodes, edges)
        _number_by_position(nodes, edges)
        root = next((n for n in nodes if n["type"] == "root_cause"), None)
        if root is not None and (introduced := self._named_in_full(doc, root)):
            span = {k: introduced[k] for k in ("start", "end", "text", "sentence")}
            root.update(introduced, mentions=[span, *root["mentions"]])
        return {"nodes": nodes, "edges": edges}, self._root_cause(doc, text, root, relations)

    def _stated_impacts(self, doc: Doc, text: str, events: list[Event], history: list[int]) -> list[Event]:
        """Impacts stated without a cue ("Users trying to log in were met with error messages"): a body
        sentence with outage and impact words that holds no event is an impact of its own, linked to
        nothing (no cue says what caused it). Quotes, mitigations, apologies, guesses and sentences about
        another incident (`history`: where an earlier incident is dated) state none."""
        if not doc.has_annotation("SENT_START"):
            return []
        cues = doc._.cues or []
        told = {int(c["sentence"]) for c in cues if c["key"] == "outage"} & {
            int(c["sentence"]) for c in cues if c["key"] == "impact"
        }
        skipped = {int(c["sentence"]) for c in cues if c["key"] in STATED_IMPACT_SKIP_KEYS}
        title_end = text.find("\n") if "\n" in text else 0
        found: list[Event] = []
        for index, sent in enumerate(doc.sents):
            start, end = sent.start_char, sent.end_char
            body = text[start:end].strip()
            if not body:
                continue
            begin = start + text[start:end].index(body[0])
            stop = begin + len(body.rstrip("".join(QUOTE_MARKS) + " ").rstrip(".!?"))
            if (
                (index not in told and self.mentions.impact_opening(text, begin, stop) is None)
                or index in skipped
                or start < title_end
                or body[:1] in QUOTE_MARKS
                or len(body.split()) < STATED_IMPACT_MIN_WORDS
                or any(start <= at < end for at in history)
                or any(overlaps((start, end), span) for ev in events for span in ev.spans)
            ):
                continue
            words = content_words(text[begin:stop])
            found.append(Event(f"s{len(found) + 1}", begin, stop, index, words, [(begin, stop)]))
        return found

    def _opened_impacts(self, text: str, told: Event | None, edges: list[dict], impacts: list[Event]) -> list[dict]:
        """Links from the event that told the incident (`told`) to the stated impacts after it that open with
        its impact ("Dampak dari insiden ini sangat terasa, dengan ..."; `IncidentMentions.impact_opening`)."""
        if told is None:
            return []
        opened = [(i, self.mentions.impact_opening(text, i.start, i.end)) for i in impacts if i.start > told.start]
        relations = [(i, r) for i, r in opened if r is not None and not reaches(edges, i.id, told.id)]
        confidences = self._confidences(text, [relation for _, relation in relations])
        return [
            _edge(text, told.id, impact.id, relation, confidence)
            for (impact, relation), confidence in zip(relations, confidences, strict=True)
        ]

    def _confidences(self, text: str, relations: list[dict]) -> list[float]:
        """Cue prior, combined with the sentence classifier's probability when a scorer is set."""
        priors = [float(r["prior"]) for r in relations]
        if self.scorer is None:
            return [round(p * 0.8, 4) for p in priors]
        sentences = [text[r["evidence_start"] : r["evidence_end"]] for r in relations]
        unique = list(dict.fromkeys(sentences))  # a sentence with several relations is scored once
        probability = dict(zip(unique, self.scorer.predict_proba(unique), strict=True))
        return [round(0.5 * p + 0.5 * probability[s], 4) for p, s in zip(priors, sentences, strict=True)]

    def _event(
        self, doc: Doc, events: list[Event], span: dict, sentence_starts: list[int], apart_from: Event | None = None
    ) -> Event:
        """The event a span belongs to (a new one when it matches none); its sentence is its span's. A new
        event whose subject restates an earlier one in its words ("Routing changes spread ..." after "changes
        to routing information") goes on telling that event (`continues`). An effect is never its own cause's
        event by shared words alone (`apart_from`: "the servers could not finish ... As a result, front-end
        servers could not route requests")."""
        text = doc.text
        start, end = int(span["start"]), int(span["end"])
        sentence = max(0, bisect_right(sentence_starts, start) - 1)
        words = content_words(text[start:end])
        head = next((w.lower() for w in _TOKEN.findall(text[start:end]) if len(w) > 2), "")
        definite = len(words) <= RESTATED_WORDS + 1 and self._definite(text, start, end)
        kind = self.kinds.kind(text, start, end)
        for event in events:
            if any(overlaps((start, end), span) for span in event.spans) or (
                event is not apart_from
                and (
                    _similar(words, event.words)
                    or (definite and self._restates(words, head, event))
                    or (kind is not None and kind == event.kind)
                )
            ):
                event.spans.append((start, end))
                return event
        event = Event(f"n{len(events) + 1}", start, end, sentence, words, [(start, end)])
        event.restated = (words, head) if definite else None
        event.kind = kind
        subject = _subject_words(doc, start, end)
        event.continues = len(subject) >= SUBJECT_WORDS and any(e.start < start and subject <= e.words for e in events)
        events.append(event)
        return event

    def _join_restatements(
        self, events: list[Event], edges: list[dict], stated: set[str]
    ) -> tuple[list[Event], list[dict]]:
        """A definite event ("The outage also caused ...") joins the earlier event it restates, when its
        link was more confident than the earlier event's and so made it first."""
        for event in sorted(events, key=lambda e: e.start):
            if event.restated is None:
                continue
            earlier = sorted((e for e in events if e.start < event.start), key=lambda e: -e.start)
            antecedent = next((e for e in earlier if self._restates(*event.restated, e)), None)
            if antecedent is None or linked(edges, antecedent.id, event.id):
                continue
            antecedent.spans.extend(event.spans)
            events = [e for e in events if e.id != event.id]
            edges = renamed(edges, event.id, antecedent.id)
            if event.id in stated:
                stated.add(antecedent.id)
        return events, edges

    def _restates(self, words: frozenset[str], head: str, event: Event) -> bool:
        """Whether a definite span restates an earlier event: all its words ("the attack"), or its
        head noun that is no mere incident word ("The module malfunctioned" after "a failed power
        control module")."""
        if words and len(words) <= RESTATED_WORDS and words <= event.words:
            return True
        return bool(head) and head in event.words and head not in self.incident_nouns

    def _definite(self, text: str, start: int, end: int) -> bool:
        """Whether a span is named as known already: "the attack", "that update", "serangan itu"."""
        before = _TOKEN.findall(text[max(0, start - 12) : start])
        after = _TOKEN.findall(text[end : end + 12])
        return bool(before and before[-1].lower() in self.definite) or bool(after and after[0].lower() in self.definite)

    def _types(self, doc: Doc, text: str, events: list[Event], edges: list[dict], stated: set[str]) -> dict[str, str]:
        incoming = {e.id: 0 for e in events}
        outgoing: dict[str, list[str]] = {e.id: [] for e in events}
        for edge in edges:
            incoming[edge["target"]] += 1
            outgoing[edge["source"]].append(edge["target"])
        mitigations = {e.id for e in events if _states_mitigation(doc, e)}
        causes = {edge["source"] for edge in edges}
        candidates = [
            e
            for e in events
            if e.id in causes and e.id not in mitigations and not _negated(doc, e, text, self.relative_clause)
        ]

        def score(event: Event) -> tuple[float, int]:
            stated_root = STATED_ROOT_WEIGHT * (event.id in stated)
            return self._root_score(doc, text, event, incoming, outgoing) + stated_root, -event.start

        root = max(candidates or events, key=score)
        woken = self._woken_defect(text, root, events, edges)
        types: dict[str, str] = {}
        for event in events:
            if woken is not None and event.id == root.id:
                types[event.id] = "trigger"  # the change that woke the defect
            elif event.id == (woken or root).id:
                types[event.id] = "root_cause"
            elif event.id in mitigations:
                types[event.id] = "mitigation"
            elif not outgoing[event.id]:
                types[event.id] = "impact"
            elif event.id in outgoing[root.id]:
                types[event.id] = "trigger"
            else:
                types[event.id] = "failure"
        return types

    def _woken_defect(self, text: str, root: Event, events: list[Event], edges: list[dict]) -> Event | None:
        """The latent defect the root woke ("a customer's change set off a dormant bug"): when the text
        presents a bug as the origin and a change as what activated it, the bug is the root."""
        if self._names_defect(text, root):
            return None
        by_id = {e.id: e for e in events}
        woken = (
            by_id[edge["target"]]
            for edge in edges
            if edge["source"] == root.id and str(edge.get("cue") or "").lower() in self.activation
        )
        return min((event for event in woken if self._names_defect(text, event)), key=lambda e: e.start, default=None)

    def _names_cause(self, text: str, edges: list[dict], event: Event) -> bool:
        """Whether an event is where the chain starts and its words name a kind of cause ("A failed switch
        caused ...", "a power failure"): it tells what broke, not the outage."""
        causes = any(edge["source"] == event.id for edge in edges)
        caused = any(edge["target"] == event.id for edge in edges)
        return causes and not caused and self.classifier.evidence(text, event.start, event.end) > 0

    def _names_defect(self, text: str, event: Event) -> bool:
        """Whether a defect is what the event's own words are mostly about ("a dormant bug in its software")."""
        scores = self.classifier.scores(text, event.start, event.end, None, [])
        return bool(scores) and max(scores, key=lambda c: scores[c]) == "software_bug"

    def _root_score(
        self, doc: Doc, text: str, event: Event, incoming: dict[str, int], outgoing: dict[str, list[str]]
    ) -> float:
        """How well an event fits as the root: a source, many consequences, cause words, a root-cause sentence."""
        keywords = min(ROOT_KEYWORD_CAP, self.classifier.evidence(text, event.start, event.end))
        marked = any(c["key"] == "root_marker" and int(c["sentence"]) == event.sentence for c in doc._.cues or [])
        return (
            SOURCE_WEIGHT * (incoming[event.id] == 0)
            + DESCENDANT_WEIGHT * _descendants(outgoing, event.id)
            + KEYWORD_WEIGHT * keywords
            + MARKER_WEIGHT * marked
            - ANAPHOR_PENALTY * (self._opens_with_anaphor(doc, event) or event.continues)
        )

    def _named_in_full(self, doc: Doc, root: dict) -> dict:
        """The root where the text introduced it, when the root names it again by a pointing noun ("the
        command used for that change" after "a planned change to update the IP address on one of its
        routers"; "The change reached further than planned"): the introducing noun's whole phrase, from
        the sentences up to ANTECEDENT_REACH before, when it reads at least as much as a cause. Needs the
        parse; the root is kept otherwise."""
        span = doc.char_span(root["start"], root["end"], alignment_mode="expand")
        noun = self._pointed_noun(doc, span) if span is not None and doc.has_annotation("DEP") else None
        if noun is None:
            return {}
        sentences = list(doc.sents)
        index = next(i for i, s in enumerate(sentences) if s.start <= noun.i < s.end)
        first = sentences[max(0, index - ANTECEDENT_REACH)].start
        introduced = [
            t
            for t in doc[first : span.start]
            if t.pos_ == "NOUN"
            and t.lemma_.lower() == noun.lemma_.lower()
            and any(c.dep_ == "det" and c.lower_ in self.indefinite for c in t.children)
        ]
        if not introduced:
            return {}
        head = introduced[-1]
        start, end = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
        end = min(end, head.sent.end_char)
        phrase = doc.text[start:end].rstrip(" ,;:.")
        start += len(phrase) - len(phrase.lstrip())
        phrase = phrase.strip()
        end = start + len(phrase)
        evidence = self.classifier.evidence
        if evidence(doc.text, start, end) < evidence(doc.text, root["start"], root["end"]):
            return {}  # the pointing noun is a thing the root's own words say went wrong ("The new router had
            # been configured incorrectly"), not the event itself
        sentence = next(i for i, s in enumerate(sentences) if s.start_char <= start < s.end_char)
        return {"text": phrase, "label": _label(phrase), "start": start, "end": end, "sentence": sentence}

    def _pointed_noun(self, doc: Doc, span) -> object | None:
        """The noun by which a span points back: one after a pointing word inside it ("the command used for
        that change"; not the noun a preposition ties to another noun: "a malfunction of that system"), or
        its first noun when a definite word stands right before the span ("The change reached ...")."""
        for token in span:
            noun = token.head
            if token.lower_ in self.anaphors and token.dep_ == "det" and noun.pos_ == "NOUN":
                if noun.dep_ == "pobj" and noun.head.head.pos_ == "NOUN":
                    continue  # "a malfunction of that control system": what the event befell
                return noun
        before = doc[span.start - 1] if span.start > 0 else None
        if before is not None and before.lower_ in self.definite and before.dep_ == "det":
            return before.head if before.head.pos_ == "NOUN" and before.head.i >= span.start else None
        return None

    def _opens_with_anaphor(self, doc: Doc, event: Event) -> bool:
        """Whether one of the event's first words points back ("Losing that capacity"); "that" as a
        conjunction ("discovering that an intruder ...") does not."""
        span = doc.char_span(event.start, event.end, alignment_mode="expand")
        words = [t for t in span or () if not t.is_punct][:ANAPHOR_REACH]
        return any(t.lower_ in self.anaphors and t.pos_ != "SCONJ" for t in words)

    def _root_cause(self, doc: Doc, text: str, root: dict | None, relations: list[dict]) -> dict | None:
        """The root node as a root cause; only this incident's links (`relations`) lend its category words."""
        if root is None:
            return None
        category, confidence = self.classifier.classify(
            text, root["start"], root["end"], root["sentence"], doc, relations
        )
        speculative = any(c["key"] == "speculation" and c["sentence"] == root["sentence"] for c in doc._.cues or [])
        return {
            "text": root["text"],
            "category": category,
            "start": root["start"],
            "end": root["end"],
            "sentence": root["sentence"],
            "confidence": confidence,
            "speculative": speculative,
        }


def _body_relations(text: str, relations: list[dict]) -> list[dict]:
    """The relations outside the headline, when the body states any: a headline restates the body's
    events in fewer words ("Typo caused S3 outage"), and the chain takes them where the body states them.
    The headline is a short first line without a final full stop."""
    headline_end = _headline_end(text)
    body = [r for r in relations if int(r["cue_start"]) > headline_end]
    return body or relations


def _headline_end(text: str) -> int:
    """Where the headline ends: a short first line without a final full stop (0: the first line is a
    sentence of the body)."""
    headline_end = text.find("\n")
    headline = text[:headline_end].strip()
    if headline_end <= 0 or len(headline.split()) > HEADLINE_WORDS or headline.endswith((".", "!", "?")):
        return 0
    return headline_end


def _current_relations(relations: list[dict], history: list[int]) -> list[dict]:
    """The relations of this incident: a link stated in a sentence that dates an earlier incident ("the
    February 2017 outage, when a mistyped command took down S3"; "the failure at TSB, which left customers
    locked out after a botched migration in April"; "followed a far larger outage on Dec. 7, when ...")
    is that incident's story (`history`: where the text dates an earlier incident)."""
    return [r for r in relations if not any(_dates_the_story(r, at) for at in history)]


def _dates_the_story(relation: dict, at: int) -> bool:
    """Whether an earlier incident's date opens the link's sentence before its cue, or dates its cause."""
    cause = relation["cause"]
    return int(relation["evidence_start"]) <= at < int(relation["cue_start"]) or (
        int(cause["start"]) <= at < int(cause["end"]) + CAUSE_DATE_REACH
    )


def _past_time(
    text: str, relation: dict, times: list[tuple[int, int]], trim: frozenset[str], time_words: frozenset[str]
) -> dict:
    """The relation with its arguments past a date or time adverbial that opens them up to a comma
    ("At 22:52 UTC on October 21, | routine maintenance ..."; "Shortly before midday UTC on Thursday, | a
    series of power failures ..."): the time is when, not what. Besides the times, the adverbial holds
    short words and time prepositions (`time_prepositions`) only."""
    if not times:
        return relation
    changed = dict(relation)
    for key in ("cause", "effect"):
        start, end = int(relation[key]["start"]), int(relation[key]["end"])
        cut = start
        for comma in (m.start() + start for m in re.finditer(",", text[start:end])):
            words = [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:comma])]
            open_words = [(s, e) for s, e in words if not any(t0 <= s and e <= t1 for t0, t1 in times)]
            long_words = [(s, e) for s, e in open_words if e - s > SHORT_WORD and text[s:e].lower() not in time_words]
            if not words or len(open_words) == len(words) or long_words:
                break
            cut = comma + 1
        words = [m for m in _TOKEN.finditer(text, cut, end) if m.group().lower() not in trim] if cut > start else []
        if words:  # from its first word that is no function word ("the outage" -> "outage")
            begin = words[0].start()
            changed[key] = {"start": begin, "end": end, "text": text[begin:end]}
    return changed


def _before_time(text: str, relation: dict, times: list[tuple[int, int]], time_words: frozenset[str]) -> dict:
    """The relation with its arguments cut before time adverbials that close them ("knocked out
    servers | for more than 12 hours on Sunday"): how long and when are not the event. Only times
    and their prepositions (`time_prepositions` in cues.yaml) may follow the cut."""
    changed = dict(relation)
    for key in ("cause", "effect"):
        start, end = int(relation[key]["start"]), int(relation[key]["end"])
        inner = sorted(t for t in times if start < t[0] and t[1] <= end + 1)
        if not inner:
            continue
        first = inner[0][0]
        tail = [m for m in _TOKEN.finditer(text, first, end) if not any(s <= m.start() < e for s, e in times)]
        if any(m.group().lower() not in time_words for m in tail):
            continue  # more than times and their prepositions follow: the time is inside the event
        head = list(_TOKEN.finditer(text, start, first))
        while head and head[-1].group().lower() in time_words:
            head.pop()  # the preposition that opens the time ("for", "selama")
        if any(len(m.group()) > SHORT_WORD for m in head):
            changed[key] = {"start": start, "end": head[-1].end(), "text": text[start : head[-1].end()]}
    return changed


def _clause_end_pattern(boundaries: list[str]) -> re.Pattern[str]:
    """Where a repair's clause ends: punctuation or a clause boundary of the language (", which", " before")."""
    words = "|".join(re.escape(b.lower()) for b in sorted(boundaries, key=len, reverse=True))
    return re.compile(rf"[,;:]|{words}" if words else r"[,;:]", re.IGNORECASE)


def _subject_words(doc: Doc, start: int, end: int) -> frozenset[str]:
    """Content words of the subject of the span's own verb, by the parse where there is one."""
    if not doc.has_annotation("DEP"):
        return frozenset()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.root.pos_ not in ("VERB", "AUX"):
        return frozenset()
    subjects = [t for t in span.root.children if t.dep_ in ("nsubj", "nsubjpass") and start <= t.idx < end]
    if not subjects:
        return frozenset()
    tokens = [t for t in subjects[0].subtree if start <= t.idx < end]
    return content_words(" ".join(t.text for t in tokens))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_EVENT_OVERLAP and len(a & b) >= 2


def _descendants(outgoing: dict[str, list[str]], node: str) -> int:
    seen: set[str] = set()
    frontier = [node]
    while frontier:
        for child in outgoing[frontier.pop()]:
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    return len(seen)


def _is_time(span: dict, times: list[tuple[int, int]]) -> bool:
    """Whether an argument is mostly a time expression ("about two hours"): a time, not an event."""
    start, end = int(span["start"]), int(span["end"])
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in times)
    return covered >= TIME_SHARE * (end - start)


def _negated(doc: Doc, event: Event, text: str, relative_clause: re.Pattern[str] | None) -> bool:
    """Whether a negation stands right before or inside the event ("not a cyberattack"), or a denial earlier
    in its sentence ("no indication that ... an attack"). A negation inside a relative clause of the
    event ("a password that was no longer in use") describes a noun of it, not the event."""
    return any(
        (
            c["key"] == "negation"
            and event.start - EVENT_NEGATION_REACH <= int(c["start"]) < event.end
            and not (relative_clause and relative_clause.search(text, event.start, int(c["start"])))
        )
        or (c["key"] == "denial" and int(c["sentence"]) == event.sentence and int(c["end"]) <= event.start)
        for c in doc._.cues or []
    )


def _states_mitigation(doc: Doc, event: Event) -> bool:
    """Whether a mitigation cue lies just before the event's span or opens it.

    A cue deep inside a long span describes something else ("left millions without service and
    disabled debit payments" is an impact).
    """
    return any(
        c["key"] == "mitigation"
        and event.start - MITIGATION_REACH <= int(c["start"]) < min(event.end, event.start + MITIGATION_HEAD)
        for c in doc._.cues or []
    )


def _number_by_position(nodes: list[dict], edges: list[dict]) -> None:
    """Name nodes n1, n2, ... in text order (they come sorted) and sort edges by their evidence.

    Ids then follow the text, not the order in which edges were accepted (which follows
    their confidences), so a new classifier changes ids only where it changes the graph.
    """
    new_ids = {node["id"]: f"n{index}" for index, node in enumerate(nodes, start=1)}
    for node in nodes:
        node["id"] = new_ids[node["id"]]
    for edge in edges:
        edge["source"], edge["target"] = new_ids[edge["source"]], new_ids[edge["target"]]
    edges.sort(key=lambda e: (e["evidence_start"], int(e["source"][1:]), int(e["target"][1:])))


def _label(text: str) -> str:
    words = text.split()
    return " ".join(words[:LABEL_WORDS]) + (" …" if len(words) > LABEL_WORDS else "")


def _node(text: str, event: Event, node_type: str, sentence_starts: list[int]) -> dict:
    span = text[event.start : event.end]
    return {
        "id": event.id,
        "text": span,
        "label": _label(span),
        "type": node_type,
        "start": event.start,
        "end": event.end,
        "sentence": event.sentence,
        "mentions": _mentions(text, event, sentence_starts),
    }


def _mentions(text: str, event: Event, sentence_starts: list[int]) -> list[dict]:
    """The event's own span, then the other spans joined to it in text order (each once)."""
    own = {"start": event.start, "end": event.end, "text": text[event.start : event.end], "sentence": event.sentence}
    others = sorted({s for s in event.spans if s != (event.start, event.end)})
    return [own] + [
        {"start": start, "end": end, "text": text[start:end], "sentence": bisect_right(sentence_starts, start) - 1}
        for start, end in others
    ]


def _history_positions(doc: Doc, text: str, lang: str) -> list[int]:
    """Where the text dates an earlier incident: a date far before this incident's start, or before it
    with other-incident words ("a similar outage in 2021")."""
    dated = [(int(e["start"]), dt.date.fromisoformat(e["date"])) for e in doc._.time_expressions or [] if e.get("date")]
    if not dated:
        return []
    timing = doc._.timing or {}
    start = (timing.get("start") or {}).get("date")
    reference = dt.date.fromisoformat(start) if start else max(day for _, day in dated)
    told = SelectionContext(text, get_lexicon(lang)) if has_language(lang) else None
    return [
        at
        for at, day in dated
        if day < reference - HISTORY or (day < reference and told is not None and told.other_incident(at))
    ]


def _edge(text: str, source: str, target: str, relation: dict, confidence: float) -> dict:
    start, end = int(relation["evidence_start"]), int(relation["evidence_end"])
    return {
        "source": source,
        "target": target,
        "cue": relation["cue"],
        "cue_start": relation["cue_start"],
        "cue_end": relation["cue_end"],
        "evidence": text[start:end],
        "evidence_start": start,
        "evidence_end": end,
        "confidence": confidence,
        "method": "rule" if relation.get("probability") is None else "both",
    }


class ChainStage:
    """spaCy component: sets `doc._.causal` ({nodes, edges}) and `doc._.root_cause`."""

    def __init__(
        self,
        nlp: object,
        name: str = "incident_chain",
        *,
        scorer: SentenceScorer | None = None,
        linker: LinkerModel | None = None,
    ) -> None:
        self.name = name
        self.builder = ChainBuilder(getattr(nlp, "lang", "en"), scorer, linker)

    def __call__(self, doc: Doc) -> Doc:
        doc._.causal, doc._.root_cause = self.builder.build(doc)
        return doc
