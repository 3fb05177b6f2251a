"""How predicted names and spans are matched to gold ones.

Names: a predicted name matches a gold entity when their folded forms are equal, where
the folded form (`pipeline.kb.normalize_name`) lowercases, strips diacritics and
punctuation, spells `+` as `plus`, and maps any alias the knowledge base knows to its
canonical name (so `AWS` = `Amazon Web Services`, `Disney+` = `Disney Plus`). The gold
entity's own `aliases` count as names of it too. Each gold entity is matched at most once.

Spans: a predicted span matches a gold span when they overlap by at least
`MIN_SPAN_OVERLAP` of the shorter one's length.
"""

from __future__ import annotations

from collections.abc import Iterable

MIN_SPAN_OVERLAP = 0.3


def fold(name: str) -> str:
    """The folded, knowledge-base-canonical form of a name."""
    from pipeline.kb import normalize_name

    return normalize_name(name)


def gold_keys(entity: dict) -> set[str]:
    """Every folded name of a gold entity: its name, aliases and mention texts."""
    names = [entity.get("name", ""), *entity.get("aliases", [])]
    names += [m.get("text", "") for m in entity.get("mentions", [])]
    return {fold(n) for n in names if n}


def match_names(predicted: Iterable[str], gold: list[dict]) -> tuple[int, int, int]:
    """(true positives, predicted count, gold count) of predicted names against gold entities."""
    keys = [gold_keys(g) for g in gold]
    matched: set[int] = set()
    predicted_folded = list(dict.fromkeys(fold(p) for p in predicted if p))
    tp = 0
    for name in predicted_folded:
        for index, names in enumerate(keys):
            if index not in matched and name in names:
                matched.add(index)
                tp += 1
                break
    return tp, len(predicted_folded), len(gold)


def spans_match(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two character spans overlap enough to be the same thing."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    shorter = max(1, min(a[1] - a[0], b[1] - b[0]))
    return overlap > 0 and overlap / shorter >= MIN_SPAN_OVERLAP
