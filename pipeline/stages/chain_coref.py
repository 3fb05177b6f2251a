"""Incident coreference in the causal chain: the incident named again as a whole is the event that told it.

News tells the outage first ("Layanan Starlink mengalami gangguan global", "a massive outage that took
down ...") and later names it again by a definite incident noun when it states a cause or an effect
("gangguan itu terjadi akibat ...", "The outage was caused by ...", "bencana teknis tersebut dipicu oleh
..."). Such a mention joins the first event that tells the incident, so that the causes stated for the
mention and the impacts told of the first event meet in one node. The nouns, determiners and outage
words come from each language's cue lexicon (`incident_nouns`, `definite`, `trim`, `outage`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from pipeline.stages.cues import cue_data

MENTION_WORDS = 3
"""A mention of the incident is this many words at most, besides determiners ("gangguan itu terjadi",
"the AWS outage", "bencana teknis tersebut")."""
KIND_EXTRA_WORDS = 1
"""Words a span may hold besides its synonym phrases and still name only that kind of event."""
OPENED_IMPACT_PRIOR = 0.7
"""Cue prior of a sentence opening with the incident's impact, as of "berdampak" / "affected"."""
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


class ChainEvent(Protocol):
    """What the coreference step reads and changes of a chain event (`stages.chain.Event`)."""

    id: str
    start: int
    end: int
    words: frozenset[str]
    spans: list[tuple[int, int]]


EventTest = Callable[[ChainEvent], bool]


class IncidentMentions:
    """Finds definite mentions of the incident and the event each one restates."""

    def __init__(self, lang: str) -> None:
        data = cue_data(lang)
        self.nouns = frozenset(w.lower() for w in data.incident_nouns)
        self.definite = frozenset(w.lower() for w in data.definite)
        self.ignored = self.definite | frozenset(w.lower() for w in data.trim)
        self.telling = self.nouns | frozenset(w.lower() for w in data.outage if " " not in w)
        self.head = 0 if data.noun_head == "first" else -1
        self.openers = sorted((w.lower() for w in data.impact_openers), key=len, reverse=True)

    def is_mention(self, text: str, start: int, end: int) -> bool:
        """Whether a span names the incident as a known whole: a few words headed by an incident noun
        (where the language puts the head: "gangguan itu terjadi", "the AWS outage"; not "the failure of
        the storage cluster") and a determiner inside it or right after it marks it as known ("the",
        "itu", "tersebut")."""
        words = [w.lower() for w in _TOKEN.findall(text[start:end])]
        after = _TOKEN.findall(text[end : end + 12])[:1]
        known = any(w in self.definite for w in words) or any(w.lower() in self.definite for w in after)
        kept = [w for w in words if w not in self.ignored]
        return known and 0 < len(kept) <= MENTION_WORDS and kept[self.head] in self.nouns

    def impact_opening(self, text: str, start: int, end: int) -> dict | None:
        """The link a sentence states by opening with the impact of the incident ("Dampak dari insiden ini
        sangat terasa, dengan ...", "The impact of the outage was felt ..."): the opener as cue, the
        mention after it as cause, the sentence as effect and evidence (the relation dict of
        `stages.causal`, without the cause's event)."""
        sentence = text[start:end]
        opener = next((o for o in self.openers if sentence.lower().startswith(o + " ")), None)
        if opener is None:
            return None
        after = start + len(opener) + 1
        for token in list(_TOKEN.finditer(text, after, end))[: MENTION_WORDS + 2]:
            if self.is_mention(text, after, token.end()):
                return {
                    "cause": {"start": after, "end": token.end()},
                    "effect": {"start": start, "end": end},
                    "cue": sentence[: len(opener)],
                    "cue_start": start,
                    "cue_end": start + len(opener),
                    "evidence_start": start,
                    "evidence_end": end,
                    "prior": OPENED_IMPACT_PRIOR,
                }
        return None

    def told(
        self, text: str, events: list[ChainEvent], body_start: int = 0, names_cause: EventTest | None = None
    ) -> ChainEvent | None:
        """The first event of the body (from `body_start`, past the headline, which names the incident in
        fewer words) that tells the incident, is no mention of it and does not name a cause (`names_cause`:
        "A failed switch", "a power failure" tell what broke, not the outage)."""
        ordered = sorted(events, key=lambda e: (e.start, e.end))
        return next(
            (
                e
                for e in ordered
                if e.start >= body_start
                and self.tells_incident(e)
                and not self.is_mention(text, e.start, e.end)
                and not (names_cause and names_cause(e))
            ),
            None,
        )

    def tells_incident(self, event: ChainEvent) -> bool:
        """Whether an event's words tell an outage ("mengalami gangguan global", "went down")."""
        return bool(event.words & self.telling)

    def join(
        self, text: str, events: list[ChainEvent], edges: list[dict], told: ChainEvent | None
    ) -> tuple[list[ChainEvent], list[dict], dict[str, str]]:
        """Each mention after `told` (the event that first told the incident: `told()`) joined to it,
        unless a path already joins the two (joining would make a loop). Returns the events, the edges
        with joined ids renamed (duplicates dropped) and the map of joined id -> kept id."""
        joined: dict[str, str] = {}
        if told is None:
            return events, edges, joined
        for event in sorted(events, key=lambda e: (e.start, e.end)):
            if (
                event.start < told.start
                or not self.is_mention(text, event.start, event.end)
                or linked(edges, told.id, event.id)
            ):
                continue
            told.spans.extend(event.spans)
            edges = renamed(edges, event.id, told.id)
            joined[event.id] = told.id
        return [e for e in events if e.id not in joined], edges, joined


class EventKinds:
    """The kind of event a short span names by one of the language's synonym phrases (`event_synonyms`):
    "efek domino" and "kegagalan beruntun (cascading failure)" both name a cascade."""

    def __init__(self, lang: str) -> None:
        data = cue_data(lang)
        kinds = {phrase.lower(): kind for kind, phrases in data.event_synonyms.items() for phrase in phrases}
        self.phrases = [
            (re.compile(rf"\b{re.escape(phrase)}\b"), kinds[phrase]) for phrase in sorted(kinds, key=len, reverse=True)
        ]
        """Each phrase's pattern and kind, longest phrase first (the order they are cut out of a span)."""
        self.ignored = frozenset(w.lower() for w in data.definite) | frozenset(w.lower() for w in data.trim)

    def kind(self, text: str, start: int, end: int) -> str | None:
        """The kind a span names when synonym phrases of one kind make up all of it but KIND_EXTRA_WORDS
        words ("the domino effect"; not "a cascade of timeouts across the fleet")."""
        span = text[start:end].lower()
        kinds = {kind for pattern, kind in self.phrases if pattern.search(span)}
        if len(kinds) != 1:
            return None
        for pattern, _ in self.phrases:
            span = pattern.sub(" ", span)
        rest = [w for w in _TOKEN.findall(span) if w not in self.ignored]
        return kinds.pop() if len(rest) <= KIND_EXTRA_WORDS else None


def linked(edges: list[dict], a: str, b: str) -> bool:
    """Whether either node reaches the other: joining them would make a loop."""
    return reaches(edges, a, b) or reaches(edges, b, a)


def reaches(edges: list[dict], source: str, target: str) -> bool:
    """Whether `target` is reachable from `source` along the edges."""
    frontier, seen = [source], {source}
    while frontier:
        node = frontier.pop()
        if node == target:
            return True
        for edge in edges:
            if edge["source"] == node and edge["target"] not in seen:
                seen.add(edge["target"])
                frontier.append(edge["target"])
    return False


def renamed(edges: list[dict], old: str, new: str) -> list[dict]:
    """The edges with node `old` called `new`; of edges made equal, the first (most confident) stays."""
    renamed: list[dict] = []
    for edge in edges:
        edge = {**edge, "source": new if edge["source"] == old else edge["source"]}
        edge["target"] = new if edge["target"] == old else edge["target"]
        if not any(e["source"] == edge["source"] and e["target"] == edge["target"] for e in renamed):
            renamed.append(edge)
    return renamed
