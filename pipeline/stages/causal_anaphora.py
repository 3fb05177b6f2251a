"""Anaphora: the earlier event a cause points back to ("This caused", "The race caused", "Gangguan itu memicu")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.stages.causal_base import ANAPHOR_SENTENCES, ANAPHOR_STEM, MAX_ANAPHOR_WORDS, STRIP

if TYPE_CHECKING:
    from pipeline.stages.causal_base import Sentences, State


class AnaphoraMixin:
    """Methods of `RelationFinder` (they use its lexicons and span helpers: `_trim`, `_right`, ...)."""

    def _antecedent(
        self, text, left, cause, s_start, sentences, previous, state, anaphoric
    ) -> tuple[tuple[int, int], int] | None:
        """The earlier event a cause points back to and where its sentence starts, or None when the
        cause stands on its own.

        A demonstrative subject ("This caused", "Hal ini menyebabkan") points to the last event
        of the previous sentence; an anaphoric noun ("The race caused", "Gangguan itu memicu"), or
        a short cause before an anaphoric cue ("Penghapusan entri kunci inilah yang memicu"), to
        the clause holding a word of the same stem in one of the last few sentences, nearest first
        ("The failover ..." two sentences after the failover); one with a strong determiner ("this
        brief partition") to the last event of the previous sentence when no word matches.
        """
        if previous is None:
            return None
        if cause is None or self._is_demonstrative(text, cause):
            if left[0] != s_start:
                return None
            span = self._previous(text, sentences, previous, state)
            return (span, sentences[previous][0]) if span is not None else None
        anaphor = self._anaphor(text, cause if anaphoric else left, anaphoric)
        if anaphor is None:
            return None
        stems, strong = anaphor
        # a bare "the outage" names the whole incident, not an event stated a few sentences back; "the
        # DynamoDB failure" names one
        span = cause if anaphoric else left
        nouns = [w.strip(STRIP).lower() for w in text[span[0] : span[1]].split()]
        nouns = [w for w in nouns if w and w not in self.trim_words]
        incident = bool(nouns) and all(w in self.incident_nouns for w in nouns)
        earlier: int | None = previous
        for _ in range(ANAPHOR_SENTENCES if not (anaphoric or incident) else 1):
            if earlier is None:
                break
            bounds = sentences[earlier]
            for stem in stems:
                match = re.search(rf"\b\w*{re.escape(stem)}", text[bounds[0] : bounds[1]], re.IGNORECASE)
                if match is not None:
                    begin = self._clause_start(text, bounds[0], bounds[0] + match.start(), state)
                    end = min([c for c, _ in state.causal_edges if begin < c < bounds[1]], default=bounds[1])
                    span = self._trim(text, begin, end, keep="left") or self._trim(text, *bounds, keep="right")
                    return (span, bounds[0]) if span is not None else None
            earlier = sentences.previous(earlier)
        if strong and previous in state.last_effects:
            return state.last_effects[previous], sentences[previous][0]
        return None

    def _clause_start(self, text: str, s_start: int, index: int, state: State) -> int:
        """Where the clause holding `index` begins: after the last comma, clause boundary or causal cue
        before it in its sentence ("During maintenance, a configuration change was issued")."""
        base = max([e for _, e in state.causal_edges if s_start <= e <= index], default=s_start)
        lowered = text[base:index].lower()
        cuts = [lowered.rfind(b) + len(b) for b in (",", *self.boundaries) if lowered.rfind(b) >= 0]
        return self._past_copula(text, base + max(cuts, default=0), index)

    def _anaphor(self, text: str, span: tuple[int, int], anaphoric: bool) -> tuple[list[str], bool] | None:
        """The stems of an anaphoric noun phrase ("the race", "perubahan tersebut"), nearest the
        determiner first, and whether its determiner is a strong one; None when it is no anaphor.
        Before an anaphoric cue every word of a short cause counts, from the last."""
        words = [w.strip(STRIP).lower() for w in text[span[0] : span[1]].split()]
        words = [w for w in words if w]
        if not words or len(words) > MAX_ANAPHOR_WORDS or (len(words) < 2 and not anaphoric):
            return None
        if anaphoric:
            nouns, determiner = words[::-1], ""
        elif words[0] in self.anaphors_before:
            nouns, determiner = words[1:], words[0]
        elif len(words) > 2 and words[1] in self.strong_anaphors and words[1] in self.anaphors_before:
            nouns, determiner = words[2:], words[1]  # "Losing that capacity": a gerund before the anaphor
        elif words[-1] in self.anaphors_after:
            nouns, determiner = words[-2::-1], words[-1]
        else:
            return None
        stems = [noun[:ANAPHOR_STEM] for noun in nouns if len(noun) >= ANAPHOR_STEM and noun not in self.trim_words]
        return (stems, determiner in self.strong_anaphors) if stems else None

    def _is_demonstrative(self, text: str, span: tuple[int, int]) -> bool:
        return text[span[0] : span[1]].strip(STRIP).lower() in self.demonstratives

    def _previous(self, text: str, sentences: Sentences, previous: int, state: State) -> tuple[int, int] | None:
        """The event an anaphoric cue points back to: the last effect stated in the previous sentence
        ("X caused Y. As a result, Z": Y -> Z), else the whole previous sentence."""
        if previous in state.last_effects:
            return state.last_effects[previous]
        start, end = sentences[previous]
        return self._trim(text, start, end, keep="right")
