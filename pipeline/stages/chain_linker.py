"""Links between chain events that no cue states: a small learned model over pairs of events.

The rules link what a cue connects ("X caused Y", "Akibatnya, ..."). Narratives also tell a
chain without cues ("The cooling failed. Temperatures in the hall rose. Servers shut down."), and
a cue may lie in another sentence than the event it links. The linker scores every pair of events
that the graph leaves unconnected with a logistic model over language-independent features
(where the events stand, their types, the cue keys of their sentences, what they share) and, for
each event, keeps the best incoming link above the trained threshold. Its links carry no cue: their
evidence is the text from the cause's sentence to the effect's, their confidence the model's
probability, their method "model". Trained by `scripts/train_chain_linker.py` on the gold dev
split; weights in `models/chain_linker/linker.json`.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

LINKED_TYPES = ("root_cause", "trigger", "failure", "impact")
"""Node types the linker connects; mitigations are left as the rules typed them."""
SENTENCE_BUCKETS = (0, 1, 2, 4)
"""Upper bounds of the sentence-distance buckets (0, 1, 2, 3-4; beyond is the last bucket)."""
CUE_KEYS = ("causal", "outage", "impact", "root_marker", "speculation", "mitigation")
"""Cue keys (the prefix before a dot) whose presence in an event's sentence is a feature."""
MODEL_FILE = "linker.json"
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class ChainView:
    """What the linker reads of one document: its events, links and sentence-level facts.

    Plain data (no spaCy objects), so the training script can keep many of them.
    """

    text: str
    nodes: list[dict]
    edges: list[dict]
    sentence_starts: list[int]
    sentence_cues: dict[int, frozenset[str]] = field(default_factory=dict)
    paragraph_starts: list[int] = field(default_factory=lambda: [0])
    anaphors: frozenset[str] = frozenset()
    _ends: list[tuple[int, int]] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_doc(
        cls, doc: Doc, chain: dict, anaphors: frozenset[str], sentence_starts: list[int] | None = None
    ) -> ChainView:
        """The view of a parsed document and the chain built for it (`sentence_starts`: where the caller
        has them already)."""
        text = doc.text
        starts = sentence_starts
        if starts is None:
            starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        cues: dict[int, set[str]] = {}
        for cue in doc._.cues or []:
            cues.setdefault(int(cue["sentence"]), set()).add(str(cue["key"]).split(".")[0])
        paragraphs = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
        return cls(
            text=text,
            nodes=chain["nodes"],
            edges=chain["edges"],
            sentence_starts=starts,
            sentence_cues={k: frozenset(v) for k, v in cues.items()},
            paragraph_starts=paragraphs,
            anaphors=anaphors,
        )

    def sentence_of(self, node: dict) -> int:
        if node.get("sentence") is not None:
            return int(node["sentence"])
        return max(0, bisect_right(self.sentence_starts, int(node["start"])) - 1)

    def sentence_span(self, index: int) -> tuple[int, int]:
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def last_before(self, index: int) -> int | None:
        """The event (index) that ends last before event `index` starts, or None."""
        if self._ends is None:
            linked = [i for i, n in enumerate(self.nodes) if n["type"] in LINKED_TYPES]
            self._ends = sorted((int(self.nodes[i]["end"]), i) for i in linked)
        at = bisect_right(self._ends, (int(self.nodes[index]["start"]), len(self.nodes)))
        return self._ends[at - 1][1] if at else None

    def paragraph_of(self, node: dict) -> int:
        return bisect_right(self.paragraph_starts, int(node["start"])) - 1


@dataclass(frozen=True)
class LinkerModel:
    """Logistic weights by feature name, the decision threshold and the candidate window."""

    weights: dict[str, float]
    threshold: float
    max_sentences: int
    meta: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> LinkerModel:
        """The model in `path` (a `linker.json` file or the folder holding one)."""
        path = Path(path)
        if path.is_dir():
            path = path / MODEL_FILE
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], float(data["threshold"]), int(data["max_sentences"]), data.get("meta", {}))

    def to_json(self) -> str:
        body = {"weights": self.weights, "threshold": self.threshold, "max_sentences": self.max_sentences}
        return json.dumps({**body, "meta": self.meta}, indent=1, sort_keys=True) + "\n"

    def probability(self, features: dict[str, float]) -> float:
        score = self.weights.get("bias", 0.0) + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


class LinkGraph:
    """Adjacency of the chain, kept up to date as links are added."""

    def __init__(self, nodes: list[dict], edges: list[dict]) -> None:
        self.children: dict[str, set[str]] = {n["id"]: set() for n in nodes}
        self.parents: dict[str, set[str]] = {n["id"]: set() for n in nodes}
        self._reach: dict[str, frozenset[str]] = {}
        self._components: dict[str, frozenset[str]] = {}
        for edge in edges:
            self.add(edge["source"], edge["target"])

    def add(self, source: str, target: str) -> None:
        self.children[source].add(target)
        self.parents[target].add(source)
        self._reach.clear()
        self._components.clear()

    def reaches(self, source: str, target: str) -> bool:
        return target in self.reachable(source)

    def reachable(self, node: str) -> frozenset[str]:
        """`node` and every event a path of links leads to from it (kept until a link is added)."""
        if node not in self._reach:
            self._reach[node] = frozenset(self._walk(node, lambda n: self.children[n]))
        return self._reach[node]

    def component(self, node: str) -> frozenset[str]:
        """The events joined to `node` by links in either direction (kept until a link is added)."""
        if node not in self._components:
            members = frozenset(self._walk(node, lambda n: self.children[n] | self.parents[n]))
            self._components.update(dict.fromkeys(members, members))
        return self._components[node]

    def descendants(self, node: str) -> int:
        return len(self.reachable(node)) - 1

    @staticmethod
    def _walk(start: str, neighbours: Callable[[str], set[str]]) -> set[str]:
        seen, frontier = {start}, [start]
        while frontier:
            for other in neighbours(frontier.pop()) - seen:
                seen.add(other)
                frontier.append(other)
        return seen


def candidate_pairs(view: ChainView, max_sentences: int) -> list[tuple[int, int]]:
    """Ordered pairs (cause index, effect index) of events the graph leaves unconnected, within
    `max_sentences` sentences of each other; the root is never an effect."""
    graph = LinkGraph(view.nodes, view.edges)
    linked = [i for i, n in enumerate(view.nodes) if n["type"] in LINKED_TYPES]
    pairs = []
    for b in linked:
        if view.nodes[b]["type"] == "root_cause":
            continue
        for a in linked:
            if a == b or abs(view.sentence_of(view.nodes[a]) - view.sentence_of(view.nodes[b])) > max_sentences:
                continue
            source, target = view.nodes[a]["id"], view.nodes[b]["id"]
            if not graph.reaches(source, target) and not graph.reaches(target, source):
                pairs.append((a, b))
    return pairs


def pair_features(view: ChainView, a: int, b: int, graph: LinkGraph | None = None) -> dict[str, float]:
    """Features of a possible link from event `a` to event `b` (names are the model's weight keys)."""
    graph = graph or LinkGraph(view.nodes, view.edges)
    cause, effect = view.nodes[a], view.nodes[b]
    sa, sb = view.sentence_of(cause), view.sentence_of(effect)
    forward = int(effect["start"]) >= int(cause["end"])
    features: dict[str, float] = {"forward": float(forward), f"distance_{_bucket(abs(sb - sa))}": 1.0}
    features[f"{'forward' if forward else 'backward'}_distance_{_bucket(abs(sb - sa))}"] = 1.0
    features["same_paragraph"] = float(view.paragraph_of(cause) == view.paragraph_of(effect))
    features[f"cause_{cause['type']}"] = 1.0
    features[f"effect_{effect['type']}"] = 1.0
    features[f"pair_{cause['type']}_{effect['type']}"] = 1.0
    for name, node in (("cause", cause), ("effect", effect)):
        features[f"{name}_no_parent"] = float(not graph.parents[node["id"]])
        features[f"{name}_no_child"] = float(not graph.children[node["id"]])
        features[f"{name}_descendants"] = math.log1p(graph.descendants(node["id"]))
        features[f"{name}_headline"] = float(view.sentence_of(node) == 0)
        for key in view.sentence_cues.get(view.sentence_of(node), ()):
            if key in CUE_KEYS:
                features[f"{name}_cue_{key}"] = 1.0
    for name, node in (("cause", cause), ("effect", effect)):
        isolated = not graph.parents[node["id"]] and not graph.children[node["id"]]
        features[f"{name}_isolated"] = float(isolated)
        features[f"{name}_words"] = math.log1p(len(node["text"].split()))
        features[f"{name}_opens_sentence"] = float(_opens_sentence(view, node))
    features["root_to_head"] = float(cause["type"] == "root_cause" and not graph.parents[effect["id"]])
    features["same_component"] = float(graph.component(cause["id"]) == graph.component(effect["id"]))
    features["effect_component_size"] = math.log1p(len(graph.component(effect["id"])))
    features["nearest_before"] = float(_nearest_before(view, a, b))
    features["shared_words"] = _overlap(cause["text"], effect["text"])
    features["effect_opens_anaphor"] = float(_opens_with(view, sb, view.anaphors))
    return features


def link(view: ChainView, model: LinkerModel) -> list[dict]:
    """The links the model adds to `view`'s chain, best first; each event gains at most one."""
    graph = LinkGraph(view.nodes, view.edges)
    scored = []
    for a, b in candidate_pairs(view, model.max_sentences):
        probability = model.probability(pair_features(view, a, b, graph))
        if probability >= model.threshold:
            scored.append((-probability, view.nodes[b]["start"], view.nodes[a]["start"], a, b))
    added: list[dict] = []
    linked_effects: set[int] = set()
    for negative, _, _, a, b in sorted(scored):
        source, target = view.nodes[a]["id"], view.nodes[b]["id"]
        if b in linked_effects or graph.reaches(source, target) or graph.reaches(target, source):
            continue
        graph.add(source, target)
        linked_effects.add(b)
        added.append(_model_edge(view, a, b, round(-negative, 4)))
    return _without_shortcuts(view, added)


def _without_shortcuts(view: ChainView, added: list[dict]) -> list[dict]:
    """The added links less those that another path makes redundant (a -> c beside a -> b -> c)."""
    kept = list(added)
    for edge in added:
        others = [e for e in view.edges + kept if e is not edge]
        if LinkGraph(view.nodes, others).reaches(edge["source"], edge["target"]):
            kept.remove(edge)
    return kept


def retype(nodes: list[dict], edges: list[dict]) -> None:
    """Types that follow from the graph, after links were added: an impact that now leads on is a
    failure (a trigger when the root leads to it), a failure the root now leads to is a trigger."""
    root = next((n["id"] for n in nodes if n["type"] == "root_cause"), None)
    sources = {e["source"] for e in edges}
    from_root = {e["target"] for e in edges if e["source"] == root}
    for node in nodes:
        if node["type"] == "impact" and node["id"] in sources:
            node["type"] = "trigger" if node["id"] in from_root else "failure"
        elif node["type"] == "failure" and node["id"] in from_root:
            node["type"] = "trigger"


def _model_edge(view: ChainView, a: int, b: int, confidence: float) -> dict:
    cause, effect = view.nodes[a], view.nodes[b]
    first, last = sorted((view.sentence_of(cause), view.sentence_of(effect)))
    start, end = view.sentence_span(first)[0], view.sentence_span(last)[1]
    evidence = view.text[start:end]
    end = start + len(evidence.rstrip())
    return {
        "source": cause["id"],
        "target": effect["id"],
        "cue": None,
        "cue_start": None,
        "cue_end": None,
        "evidence": view.text[start:end],
        "evidence_start": start,
        "evidence_end": end,
        "confidence": confidence,
        "method": "model",
    }


def _bucket(distance: int) -> str:
    for bound in SENTENCE_BUCKETS:
        if distance <= bound:
            return str(bound)
    return "far"


def _nearest_before(view: ChainView, a: int, b: int) -> bool:
    """Whether `a` is the last event that ends before `b` starts."""
    return view.last_before(b) == a


def _opens_sentence(view: ChainView, node: dict) -> bool:
    """Whether the event's span starts its sentence (a clause of its own, not an argument inside one)."""
    start, _ = view.sentence_span(view.sentence_of(node))
    return not view.text[start : int(node["start"])].strip()


def content_words(text: str) -> frozenset[str]:
    """The lower-cased words of a text longer than two letters (what events are compared by)."""
    return frozenset(w.lower() for w in _TOKEN.findall(text) if len(w) > 2)


def _overlap(a: str, b: str) -> float:
    words_a, words_b = content_words(a), content_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


def _opens_with(view: ChainView, sentence: int, words: frozenset[str]) -> bool:
    start, end = view.sentence_span(sentence)
    first = _TOKEN.findall(view.text[start:end][:40])
    return bool(first) and first[0].lower() in words
