"""Context cues around an entity mention: the words just before or just after it.

A language's `entities.yaml` lists cue phrases (`ContextCues`): "took down", "users of",
"outage at" before a name; "was down", "could not be reached" after it. A cue matches when
it ends just before the mention (or starts just after it) within its clause, with at most
`gap` filler words between, none of them a break word ("affected by X" is a cause reading).
"""

from __future__ import annotations

import re

from pipeline.stages.entities import ContextCues

CONTEXT_WINDOW = 120
"""Characters on each side of a mention searched for context cues."""
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\[\]\"“”\n]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_BARE_POSSESSIVE = re.compile(r"^['’](?![^\W_])")
"""A possessive apostrophe without its s ("Epic Games' infrastructure"), read as "'s"."""


class ContextMatcher:
    """Matches a language's context cues around a mention (see `ContextCues`)."""

    def __init__(self, data: ContextCues) -> None:
        self.before = [tuple(_words(cue)) for cue in data.before]
        self.after = [tuple(_words(cue)) for cue in data.after]
        self.breaks = frozenset(w for cue in data.breaks for w in _words(cue))
        self.gap = data.gap

    def matches(self, text: str, entity: dict) -> bool:
        """Whether a before-cue ends just before the mention or an after-cue starts just after it."""
        return self._before(text, entity) or self.matches_after(text, entity)

    def _before(self, text: str, entity: dict) -> bool:
        left = _CLAUSE_BREAK.split(text[max(0, entity["start"] - CONTEXT_WINDOW) : entity["start"]])[-1]
        before = _words(left)
        for gap in range(min(self.gap, len(before)) + 1):
            filler = before[len(before) - gap :]
            head = before[: len(before) - gap]
            if not self.breaks.intersection(filler) and any(
                len(cue) <= len(head) and tuple(head[len(head) - len(cue) :]) == cue for cue in self.before
            ):
                return True
        return False

    def matches_after(self, text: str, entity: dict) -> bool:
        """Whether an after-cue starts just after the mention ("DynamoDB could not be reached")."""
        right = _CLAUSE_BREAK.split(
            _BARE_POSSESSIVE.sub("'s", text[entity["end"] : entity["end"] + CONTEXT_WINDOW], 1)
        )[0]
        after = _words(right)
        for gap in range(min(self.gap, len(after)) + 1):
            if self.breaks.intersection(after[:gap]):
                break
            if any(tuple(after[gap : gap + len(cue)]) == cue for cue in self.after):
                return True
        return False


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]
