"""Copular root statements: "The root cause (of the outage) was X", "X was the root cause", "Penyebabnya adalah X"."""

from __future__ import annotations

from pipeline.stages.causal_base import COPULA_REACH, INCIDENT_WORDS, STRIP, Relation, overlaps


class CopularMixin:
    """Methods of `RelationFinder` (they use its lexicons and span helpers: `_trim`, `_right`, ...)."""

    def _copular(self, text, sentences, sentence, bounds, cue_span, prior, state) -> Relation | None:
        """A copular root statement: "The root cause (of the outage) was (traced to) X".

        The verb must follow within a few words of the same clause, which may name the event caused
        ("of the outage"); without them the statement explains the previous sentence's last event.
        """
        s_end = bounds[1]
        start, end = cue_span
        if self.copulas is None:
            return None
        inverted = self._inverted_copular(text, sentences, bounds, cue_span, prior, state, sentence)
        if inverted is not None:
            return inverted
        match = self.copulas.search(text.lower(), end, s_end)
        if match is None or len(text[end : match.start()].split()) > COPULA_REACH:
            return None
        between = text[end : match.start()].split()
        if "," in text[end : match.start()] or (
            between and self.copular_of and between[0].strip(STRIP).lower() not in self.copular_of
        ):
            return None  # "the root cause analysis was published", "the cause, which was": no statement
        begin = match.end()
        for c_start, c_end in state.causal_edges:
            if c_start < begin + 2 and c_end > match.start():
                begin = max(begin, c_end)  # "was traced to X", "was caused by X"
        cause = self._trim(text, *self._right(text, begin, s_end, state.causal_edges), keep="left")
        opening = text[cause[0] : cause[1]].split()[0].lower() if cause is not None else ""
        if cause is not None and (
            opening in self.negations or any(w in text[cause[0] : cause[1]].lower() for w in self.undetermined)
        ):
            return None  # "The root cause is still under investigation", "was not immediately known": none stated
        effect, evidence = None, bounds
        if between:
            offset = text.index(between[0], end)
            skip = 1 if between[0].strip(STRIP).lower() in self.copular_of else 0
            first = text.index(between[skip], offset) if len(between) > skip else match.start()
            effect = self._trim(text, first, match.start(), keep="left")
        previous = sentences.previous(sentence)
        if effect is None and previous is not None:
            effect = self._previous(text, sentences, previous, state)
            evidence = (sentences[previous][0], s_end)
        if cause is None or effect is None or overlaps(cause, effect):
            return None
        return Relation(cause, effect, text[start:end], start, end, evidence, prior, sentence, True)

    def _inverted_copular(self, text, sentences, bounds, cue_span, prior, state, sentence) -> Relation | None:
        """ "X was the root cause (of the outage)", "X merupakan penyebab gangguan": the cause before the verb,
        the event caused after the cue."""
        s_start, s_end = bounds
        start, end = cue_span
        clause = self._clause_start(text, s_start, start, state)
        before = text[clause:start].lower()
        verbs = [m for m in self.copulas.finditer(before) if len(before[m.end() :].split()) <= COPULA_REACH // 4]
        if not verbs or not self._only_function_words(before[verbs[-1].end() :]):
            return None
        cause = self._trim(text, clause, clause + verbs[-1].start(), keep="right")
        right = self._right(text, end, s_end, state.causal_edges)
        words = text[right[0] : right[1]].split()
        skip = (
            text.index(words[0], right[0]) + len(words[0])
            if words and words[0].lower() in self.copular_of
            else right[0]
        )
        effect, evidence = self._trim(text, skip, right[1], keep="left"), bounds
        previous = sentences.previous(sentence)
        if effect is None and previous is not None:  # "Services failed. A bug was the root cause."
            effect, evidence = self._previous(text, sentences, previous, state), (sentences[previous][0], s_end)
        if cause is None or effect is None or overlaps(cause, effect):
            return None
        return Relation(cause, effect, text[start:end], start, end, evidence, prior, sentence, True)

    def _names_incident(self, text: str, span: tuple[int, int] | None) -> bool:
        """Whether a span names the incident as a whole ("the outage", "the initial problem", "gangguan itu")."""
        if span is None:
            return False
        words = [w.strip(STRIP).lower() for w in text[span[0] : span[1]].split()]
        words = [w for w in words if w and w not in self.trim_words]
        return 0 < len(words) <= INCIDENT_WORDS and words[-1] in self.incident_nouns
