"""Cause-effect relations: the two argument spans of every causal cue.

Argument spans come from clause rules that read the cue lexicon's direction
(`lang/<code>/cues.yaml`): a forward cue takes its cause on the left ("X caused Y",
"X memicu Y"), a backward cue on the right ("Y due to X", "Y dipicu oleh X"), a fronted
cue at a sentence start reads "Because of X, Y", and an anaphoric cue ("As a result",
"Akibatnya") or a demonstrative subject ("This caused", "Hal ini menyebabkan") takes the
previous sentence as its cause. A participial cue after a comma ("..., grounding flights")
takes the main clause as its cause, and a copular root statement ("The root cause of the
outage was X", "Penyebabnya adalah X") links X to the event it names or to the previous
sentence. Spans stop at clause boundaries, at the sentence end and at the next causal cue,
so chains inside one sentence ("X memicu Y dan melumpuhkan Z") become consecutive links.
Every relation keeps its cue, evidence and a prior confidence, and whether it states its
cause as the incident's root (a copular statement, or an effect that names the incident as
a whole: "The outage was caused by X").
"""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING

from pipeline.stages.causal_agentive import AgentiveLexicon, RelativeClauseMixin, passive_subjects, split_agentive
from pipeline.stages.causal_anaphora import AnaphoraMixin
from pipeline.stages.causal_base import STRIP as _STRIP
from pipeline.stages.causal_base import Relation, Sentences, State, overlaps
from pipeline.stages.causal_copular import CopularMixin
from pipeline.stages.causal_object import CAUSE_OBJECT_REACH, ObjectCueMixin, object_pattern
from pipeline.stages.cues import CueData, cue_data

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MAX_ARGUMENT_WORDS = 22
"""Longer argument spans are cut to the words nearest the cue: the rest rarely belongs to the event."""
MIN_ARGUMENT_CHARS = 3
NEGATION_REACH = 6
"""A negation ending this many characters before a cue denies the link."""
COMPLEMENTIZER_REACH = 4
"""Words after a clause boundary within which a complementizer ("said on Monday that") starts the clause."""
REPORTED_REACH = 8
"""Words after a report verb within which its complementizer ("said on its status dashboard that") opens
what was said."""
RELATIVE_SUBJECT_WORDS = 3
"""At most this many words between a relative boundary and a cue are only the relative clause's subject."""
INTERROGATIVE_REACH = 3
"""Words before a forward cue searched for an interrogative ("what might have caused"): a question, no link."""
WORDS_BEFORE_REACH = 60
"""Characters before a cue read for the words that set its voice (longer than INTERROGATIVE_REACH words)."""
TEMPORAL_LABELS = frozenset({"DATE", "TIME"})
"""NER labels of a date or time: after one, "since" and "after" are temporal connectives."""
TEMPORAL_SHARE = 0.9
_WORD = re.compile(r"\S+")
_QUOTES = {'"': '"', "\u201c": "\u201d"}


class RelationFinder(CopularMixin, AnaphoraMixin, ObjectCueMixin, RelativeClauseMixin):
    """Finds relations from the cue matches of one document (language data from `cues.yaml`).

    Copular root statements are read by `CopularMixin`, anaphors by `AnaphoraMixin`, cues that hold
    their effect as an object ("traced the problem to X") by `ObjectCueMixin`.
    """

    def __init__(self, lang: str) -> None:
        self.data: CueData = cue_data(lang)
        self.trim_words = frozenset(w.lower() for w in self.data.trim)
        self.list_words = frozenset(w.lower() for w in self.data.list_words)
        self.demonstratives = frozenset(d.lower() for d in self.data.demonstratives)
        self.anaphors_before = frozenset(w.lower() for w in self.data.anaphors.get("before", []))
        self.anaphors_after = frozenset(w.lower() for w in self.data.anaphors.get("after", []))
        self.strong_anaphors = frozenset(w.lower() for w in self.data.anaphors.get("strong", []))
        self.boundaries = tuple(b.lower() for b in self.data.boundaries)
        self.relatives = frozenset(b.lower() for b in self.data.relative_boundaries)
        self.complementizers = frozenset(w.lower() for w in self.data.complementizers)
        self.discovery_verbs = frozenset(w.lower() for w in self.data.discovery_verbs)
        self.causatives = frozenset(w.lower() for w in self.data.causatives)
        self.passive_before = frozenset(w.lower() for w in self.data.passive.get("before", []))
        self.passive_after = frozenset(w.lower() for w in self.data.passive.get("after", []))
        self.interrogatives = frozenset(w.lower() for w in self.data.interrogatives)
        self.personal_pronouns = frozenset(w.lower() for w in self.data.personal_pronouns)
        verbs = sorted(self.data.copular.get("verbs", []), key=len, reverse=True)
        self.copulas = re.compile(rf"\b(?:{'|'.join(re.escape(v.lower()) for v in verbs)})\b") if verbs else None
        self.copular_of = frozenset(w.lower() for w in self.data.copular.get("of", []))
        self.incident_nouns = frozenset(w.lower() for w in self.data.incident_nouns)
        self.agentive = AgentiveLexicon(
            frozenset(w.lower() for w in self.data.event_nouns),
            frozenset(w.lower() for w in self.data.relativizers),
            frozenset(w.lower() for w in self.data.stative_verbs),
        )
        self.undetermined = tuple(w.lower() for w in self.data.undetermined)
        self.negations = frozenset(w.lower() for w in self.data.negation)
        self.subordinators = tuple(w.lower() for w in sorted(self.data.subordinators, key=len, reverse=True))
        self.coordinators = frozenset(w.lower() for w in self.data.coordinators)
        self.report_verbs = frozenset(w.lower() for w in self.data.attribution if " " not in w)
        self.object_cues = object_pattern(self.data.object_cues)
        self.cause_object_cues = object_pattern(self.data.cause_object_cues, CAUSE_OBJECT_REACH)

    def find(self, doc: Doc) -> list[Relation]:
        """Every relation of the Doc, in text order."""
        text = doc.text
        sentences = Sentences(doc)
        modifiers = _modifier_spans(doc) | _light_verb_spans(doc, self.causatives)
        cues = [
            c
            for c in doc._.cues or []
            if str(c["key"]).startswith("causal.")
            and (int(c["start"]), int(c["end"])) not in modifiers
            and not _in_compound(text, int(c["start"]), int(c["end"]))
        ]
        directions_of = {
            span: self._voice(text, span, {str(k["key"]).split(".", 1)[1]: float(k["weight"]) for k in keys})
            for span, keys in _group_by_span(cues).items()
        }
        times = _time_spans(doc)
        spans = {
            span: keys
            for span, keys in _group_by_span(cues).items()
            if directions_of[span] and not self._is_temporal(span, directions_of[span], sentences, times)
        }
        causal_edges = sorted(spans)  # a passive cue without its agent is no cue and no boundary
        fronted_commas = self._fronted_commas(text, sentences, cues)
        negations = [int(c["end"]) for c in doc._.cues or [] if c["key"] == "negation"]
        denials = [(int(c["sentence"]), int(c["end"])) for c in doc._.cues or [] if c["key"] == "denial"]
        relations: list[Relation] = []
        participle_causes: dict[int, tuple[int, tuple[int, int]]] = {}
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
            if "fronted" in directions and not at_start and self._opens_clause(text, s_start, start):
                directions = {"fronted": directions["fronted"]}  # "..., and because X, Y": X caused Y
                at_start = True
            state = State(causal_edges, fronted_commas, {r.sentence: r.effect for r in relations}, participle_causes)
            relation = self._relation(
                text, sentences, sentence, (s_start, s_end), (start, end), directions, at_start, state
            )
            if relation is not None:
                relations.append(relation)
                if set(directions) == {"participial"}:
                    participle_causes[sentence] = (start, relation.cause)
        relations += self._object_relations(doc, text, sentences, causal_edges, list(spans))
        state = State(causal_edges, fronted_commas, {r.sentence: r.effect for r in relations}, participle_causes)
        relations += self._relative_relations(doc, sentences, state, list(spans))
        relations = split_agentive(doc, sentences, passive_subjects(doc, relations), self.agentive)
        return sorted(relations, key=lambda r: r.cue_start)

    def _relation(self, text, sentences, sentence, bounds, cue_span, directions, at_start, state):
        s_start, s_end = bounds
        start, end = cue_span
        left = self._left(text, s_start, start, state)
        right = self._right(text, end, s_end, state.causal_edges)
        cue_text = text[start:end]
        evidence = bounds
        previous = sentences.previous(sentence)
        root = False
        if "copular" in directions:
            return self._copular(text, sentences, sentence, bounds, cue_span, directions["copular"], state)
        if "participial" in directions and not set(directions) - {"participial"}:
            shared = state.participle_causes.get(sentence)
            previous_cue = max([c for c in state.causal_edges if c[1] <= start], default=None)
            in_series = shared is not None and previous_cue is not None and previous_cue[0] == shared[0]
            before = text[s_start:start].split()
            last_word = before[-1].lower() if before else ""
            if not last_word.endswith(",") and not (in_series and last_word in self.list_words):
                return None  # "the grounding of flights": a noun, not a clause stating an effect
            directions = {"forward": directions["participial"]}
            right = (start, right[1])  # the participle is part of the effect: "grounding flights"
            main = state.last_effects.get(sentence)
            if not in_series and main is not None and previous_cue is not None and main[1] <= previous_cue[0]:
                # "A was closed after B cut its power, forcing C": the main clause A, not B, forced C
                left = main
            if in_series:
                left = shared[
                    1
                ]  # a series of participles shares the main clause's cause: "..., grounding X, disrupting Y"
                effect = self._trim(text, *right, keep="left")
                if effect is None or overlaps(left, effect):
                    return None
                return Relation(left, effect, text[start:end], start, end, evidence, directions["forward"], sentence)
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
                cause, evidence = antecedent[0], (antecedent[1], s_end)
        elif "backward" in directions:
            prior = directions["backward"]
            effect = self._trim(text, *left, keep="right")
            cause = self._trim(text, *right, keep="left")
            root = self._names_incident(text, effect)
            antecedent = self._antecedent(text, right, cause, -1, sentences, previous, state, False) if cause else None
            if antecedent is not None:  # "because both were restarting": both = the subsystems restarted before
                cause, evidence = antecedent[0], (antecedent[1], s_end)
            if previous is not None and (effect is None or self._is_demonstrative(text, effect)) and left[0] == s_start:
                start_, end_ = sentences[previous]  # "It was caused by X": it = the last sentence
                effect = self._trim(text, start_, end_, keep="right")
                evidence = (sentences[previous][0], s_end)
        else:
            return None
        if cause is None or effect is None or overlaps(cause, effect):
            return None
        root = root or self._names_incident(text, effect)
        return Relation(cause, effect, cue_text, start, end, evidence, prior, sentence, root)

    def _is_temporal(
        self, cue: tuple[int, int], directions: dict[str, float], sentences, times: list[tuple[int, int]]
    ) -> bool:
        """Whether a cue that may read backward introduces only a date or time ("since last Thursday", "after
        22:52 UTC"), as the statistical NER or the time stage tags it (`times`, merged): a temporal
        connective, neither a link nor a boundary."""
        if not directions.keys() <= {"backward", "fronted"} or not times:
            return False
        s_end = next(end for start, end in sentences.bounds if start <= cue[0] < end)
        stop = min([i for i in (sentences.text.find(",", cue[1], s_end),) if i >= 0], default=s_end)
        argument = self._trim(sentences.text, cue[1], stop, keep="left")
        if argument is None:
            return False
        covered = sum(max(0, min(argument[1], end) - max(argument[0], start)) for start, end in times)
        return covered >= TEMPORAL_SHARE * (argument[1] - argument[0])

    def _voice(self, text: str, cue: tuple[int, int], directions: dict[str, float]) -> dict[str, float]:
        """A forward cue in the passive: with an agent ("X was deleted by Y") it links backward, without
        one ("the endpoint was left empty") it states no link, and after an interrogative ("what caused
        the outage") or a personal pronoun ("we disconnected our systems": an act) none either; other cues
        keep their directions."""
        words = text[max(0, cue[0] - WORDS_BEFORE_REACH) : cue[0]].split()
        before = words[-1:]
        acted = bool(before) and before[0].strip(_STRIP).lower() in self.personal_pronouns
        if "forward" in directions and (acted or self._asked(words)):  # "what had caused the power loss"
            directions = {k: v for k, v in directions.items() if k != "forward"}
        if "forward" not in directions or not (self.passive_before or self.passive_after):
            return directions
        after = text[cue[1] :].split()[:1]
        if after and after[0].strip(_STRIP).lower() in self.passive_after:
            return {"backward": directions.pop("forward"), **directions}
        if before and before[0].strip(_STRIP).lower() in self.passive_before:
            directions = {k: v for k, v in directions.items() if k != "forward"}
        return directions

    def _asked(self, words_before: list[str]) -> bool:
        """Whether an interrogative stands at most INTERROGATIVE_REACH words before a cue, in its clause."""
        for word in reversed(words_before[-INTERROGATIVE_REACH:]):
            if word.strip(_STRIP).lower() in self.interrogatives:
                return True
            if word[-1:] in ",;:.":
                return False
        return False

    def _fronted_commas(self, text: str, sentences: Sentences, cues: list[dict]) -> dict[int, int]:
        """Sentence -> end of its fronted clause ("Because of X, ..."): later cues' causes start after it."""
        commas: dict[int, int] = {}
        for cue in cues:
            if cue["key"] != "causal.fronted":
                continue
            s_start, s_end = sentences[int(cue["sentence"])]
            opening = not text[s_start : int(cue["start"])].strip(_STRIP)
            if not opening and not self._opens_clause(text, s_start, int(cue["start"])):
                continue
            comma = text.find(",", int(cue["end"]), s_end)
            if comma >= 0:
                commas[int(cue["sentence"])] = comma + 1
        return commas

    def _opens_clause(self, text: str, s_start: int, cue_start: int) -> bool:
        """Whether a cue opens a coordinated clause ("..., and because X, Y"; "...; after X, Y")."""
        before = text[s_start:cue_start].split()
        if before and before[-1].endswith(";"):
            return True
        return len(before) >= 2 and before[-1].lower() in self.coordinators and before[-2].endswith(",")

    def _left(self, text: str, s_start: int, cue_start: int, state: State) -> tuple[int, int]:
        """From the last clause boundary or causal cue before the cue, to the cue.

        A boundary right before the cue ("X, which caused Y") ends the span there instead, and so
        do a relative clause holding only its subject ("X, which the company blamed on Y") and a
        causal cue right before it ("X in turn caused Y"); a relative clause closed by a
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
        begin = self._after_subordinate(text, begin, stop)
        begin = self._past_copula(text, begin, stop)
        lowered = text[begin:stop].lower()
        cut_start, cut_end = 0, len(lowered)
        for boundary in self.boundaries:
            index = lowered.rfind(boundary)
            if index < 0:
                continue
            rest = lowered[index + len(boundary) :]
            closed = boundary.startswith(",") and rest.rstrip().endswith(",")  # ", which began at dawn,"
            # "the outage, which the company blamed on X": the relative clause's own subject is no
            # argument; the noun it follows is
            subject_only = boundary in self.relatives and len(rest.split()) <= RELATIVE_SUBJECT_WORDS
            if not self._only_function_words(rest) and not closed and not subject_only:
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
        cut_start = max(cut_start, self._after_reported(lowered, 0, cut_end))
        return begin + cut_start, begin + cut_end

    def _past_copula(self, text: str, begin: int, stop: int) -> int:
        """Past a copula opening a clause after a copular cue ("The root cause | was identified as | X")."""
        if self.copulas is None:
            return begin
        piece = text[begin:stop].lower()
        opening = self.copulas.match(piece, len(piece) - len(piece.lstrip()))
        return begin + opening.end() if opening is not None else begin

    def _after_subordinate(self, text: str, begin: int, stop: int) -> int:
        """Past a subordinate clause that opens the span up to its comma ("While the canary flagged it, | X")."""
        opening = text[begin:stop].lstrip(_STRIP).lower()
        comma = text.find(",", begin, stop)
        if comma < 0 or not any(opening.startswith(w + " ") for w in self.subordinators):
            return begin
        rest = text[comma + 1 : stop]
        if self._only_function_words(rest) or rest.strip(_STRIP).lower() in self.demonstratives:
            return begin  # "When the change was deployed, it caused ...": the clause is the cause
        return comma + 1

    def _after_complementizer(self, lowered: str, start: int, end: int) -> int:
        """Past a complementizer among the first words after a boundary ("said | on Monday that | X")."""
        for number, match in enumerate(_WORD.finditer(lowered, start, end)):
            if number >= COMPLEMENTIZER_REACH:
                break
            if match.group().strip(_STRIP) in self.complementizers:
                return match.end()
        return start

    def _after_reported(self, lowered: str, start: int, end: int) -> int:
        """Past a report verb and its complementizer ("Google said on its status dashboard that | X was caused
        by"): what was said is the argument, not who said it."""
        words = list(_WORD.finditer(lowered, start, end))
        said = [i for i, m in enumerate(words) if m.group().strip(_STRIP) in self.report_verbs]
        if not said:
            return start
        for match in words[said[0] + 1 : said[0] + 1 + REPORTED_REACH]:
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
        return self._after_discovery(text, cue_end, stop), _quote_end(text, cue_end, stop)

    def _after_discovery(self, text: str, start: int, stop: int) -> int:
        """Past a verb of finding out and its complementizer ("after | discovering that | an intruder ...")."""
        words = list(islice(_WORD.finditer(text, start, stop), 2))
        if len(words) < 2 or words[0].group().strip(_STRIP).lower() not in self.discovery_verbs:
            return start
        return words[1].end() if words[1].group().strip(_STRIP).lower() in self.complementizers else start

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


def _quote_end(text: str, start: int, stop: int) -> int:
    """The end of an argument that opens with a quotation ("the result of "an operational issue" and
    apologised ..."): its closing mark; otherwise `stop`."""
    opening = len(text[start:stop]) - len(text[start:stop].lstrip())
    mark = text[start + opening : start + opening + 1]
    if mark not in _QUOTES:
        return stop
    closing = text.find(_QUOTES[mark], start + opening + 1, stop)
    return closing + 1 if closing >= 0 else stop


def _in_compound(text: str, start: int, end: int) -> bool:
    """Whether a cue is part of a hyphenated word ("so-called", "after-hours"): no connective then."""
    return (text[end : end + 2][:1] == "-" and text[end + 1 : end + 2].isalnum()) or (
        start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    )


def _time_spans(doc: Doc) -> list[tuple[int, int]]:
    """Dates and times as the statistical NER or the time stage tags them (not lengths), merged."""
    times = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in TEMPORAL_LABELS]
    times += [(int(t["start"]), int(t["end"])) for t in doc._.time_expressions or [] if t.get("kind") != "duration"]
    return _merged(times)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined, so that a stretch tagged twice counts once."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _modifier_spans(doc: Doc) -> set[tuple[int, int]]:
    """Character spans of single words the parser tags as noun modifiers ("the affected servers",
    "Affected services included") or as the degree of the next word ("took so long"): a cue word so used
    states no link."""
    if not doc.has_annotation("DEP"):
        return set()
    return {(t.idx, t.idx + len(t.text)) for t in doc if t.dep_ == "amod" or _degree_word(t)}


def _light_verb_spans(doc: Doc, causatives: frozenset[str]) -> set[tuple[int, int]]:
    """Character spans of causative verbs used with a plain object ("engineers made a second change")."""
    if not causatives or not doc.has_annotation("DEP"):
        return set()
    return {
        (t.idx, t.idx + len(t.text))
        for t in doc
        if t.lower_ in causatives
        and any(c.dep_ == "dobj" for c in t.children)
        and not any(c.dep_ in {"ccomp", "xcomp", "oprd"} or _result_of(c) for c in t.children)
    }


def _result_of(child: Token) -> bool:
    """An object followed by its resulting state, which the parser may attach to the noun ("made dozens of
    websites unreachable")."""
    return child.dep_ == "dobj" and any(t.dep_ == "amod" and t.i > t.head.i for t in child.subtree)


def _degree_word(token: Token) -> bool:
    """An adverb that grades the adjective or adverb right after it ("took so long"); after a comma it joins
    clauses whatever the parse (", so many servers never started")."""
    after_punct = token.i > 0 and token.nbor(-1).is_punct
    return (
        token.dep_ == "advmod" and token.head.i == token.i + 1 and token.head.pos_ in {"ADJ", "ADV"} and not after_punct
    )


def _group_by_span(cues: list[dict]) -> dict[tuple[int, int], list[dict]]:
    grouped: dict[tuple[int, int], list[dict]] = {}
    for cue in cues:
        grouped.setdefault((int(cue["start"]), int(cue["end"])), []).append(cue)
    return dict(sorted(grouped.items()))


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
        text = doc.text
        doc._.relations = [r.as_dict(text) for r in relations]
        return doc
