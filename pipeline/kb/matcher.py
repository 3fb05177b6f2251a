"""Fast matching of knowledge-base patterns: phrase matchers where a token pattern allows it.

`KnowledgeBase.patterns()` gives SpanRuler token patterns. Nearly all of them only compare
each token's `LOWER` or `ORTH` with a string; spaCy's token `Matcher` tries every such
pattern at every token, while a `PhraseMatcher` looks whole phrases up in a hash table. So
patterns whose tokens are all plain `LOWER` strings go into a phrase matcher on `LOWER`,
those all plain `ORTH` into one on `ORTH`, and only the rest (apostrophe sets, zone regexes)
into a token matcher. The matches are exactly those of a SpanRuler holding the same patterns.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from spacy.vocab import Vocab

PHRASE_ATTRS = ("LOWER", "ORTH")


def phrase_attr(pattern: Sequence[dict[str, object]]) -> str | None:
    """`LOWER` or `ORTH` when every token of a token pattern is that attribute equal to a string."""
    for attr in PHRASE_ATTRS:
        if all(len(spec) == 1 and isinstance(spec.get(attr), str) for spec in pattern):
            return attr
    return None


class KBMatcher:
    """Matches knowledge-base patterns (`label`, `pattern`, `id` dicts) in a Doc.

    Args:
        vocab: The vocabulary of the pipeline whose docs it matches.
        patterns: Token patterns as `KnowledgeBase.patterns(nlp)` gives them.
    """

    def __init__(self, vocab: Vocab, patterns: Iterable[dict[str, object]]) -> None:
        self.vocab = vocab
        self.token_matcher = Matcher(vocab, validate=False)
        self.phrase_matchers = {attr: PhraseMatcher(vocab, attr=attr) for attr in PHRASE_ATTRS}
        self._label_id: dict[int, tuple[str, str]] = {}
        for pattern in patterns:
            self.add(str(pattern["label"]), str(pattern["id"]), pattern["pattern"])  # type: ignore[arg-type]

    def add(self, label: str, entry_id: str, pattern: list[dict[str, object]]) -> None:
        """Add one token pattern, as a phrase where it can be one."""
        key = f"{label}\t{entry_id}"
        match_id = self.vocab.strings.add(key)
        self._label_id[match_id] = (label, entry_id)
        attr = phrase_attr(pattern)
        if attr is None:
            self.token_matcher.add(key, [pattern])
        else:
            words = [str(spec[attr]) for spec in pattern]
            self.phrase_matchers[attr].add(key, [Doc(self.vocab, words=words)])

    def __call__(self, doc: Doc) -> list[Span]:
        """The distinct matched spans, sorted, each labelled and with `id_` = the entry id."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")  # a matcher without patterns
            matches = list(self.token_matcher(doc))
            for matcher in self.phrase_matchers.values():
                matches += matcher(doc)
        spans = {
            Span(doc, start, end, label=self._label_id[match_id][0], span_id=self._label_id[match_id][1])
            for match_id, start, end in matches
            if start != end
        }
        return sorted(spans)
