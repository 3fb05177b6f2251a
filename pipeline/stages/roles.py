"""Roles: which organisation is the provider at fault, what was affected, where, and who is only mentioned.

Evidence is counted per canonical entity from the cues around its mentions:
- provider: a knowledge-base provider that is the subject of the story — named in the
  headline, in sentences that state causes, outages or an apology, inside causal
  arguments; the best-scoring one wins (a second only when it sits inside the chain too);
- affected: services and organisations named in sentences with outage or impact cues,
  and not inside a cause argument (where a component is where the fault was, not what
  users lost), unless they are the provider's own product named as down;
- location: cloud regions, and places named in outage or impact sentences;
- mentioned: everything else — sources next to attribution cues ("said", "menurut"),
  knowledge-base news outlets and monitors, the dateline, people.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from pipeline.lang.loader import load_kb_file
from pipeline.stages.cues import cue_data
from pipeline.stages.entities import ContextCues, entity_data
from pipeline.stages.sentences import dateline_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc

SUBJECT_LABELS = frozenset({"PROVIDER", "SERVICE", "ORG", "PRODUCT"})
LOCATION_LABELS = frozenset({"CLOUD_REGION", "AVAILABILITY_ZONE", "PLACE"})
TITLE_WEIGHT, CAUSAL_WEIGHT, OUTAGE_WEIGHT, APOLOGY_WEIGHT, MENTION_WEIGHT, CHAIN_WEIGHT = 2.0, 1.5, 1.0, 2.0, 0.5, 1.5
SECOND_PROVIDER_SHARE = 0.8
LIST_PUNCTUATION = (",", "&", "/", ";")
ATTRIBUTION_WINDOW = 40
"""Characters around a mention in which an attribution cue marks it as a source."""
MODEL_AFFECTED_LABELS = frozenset({"ORG", "PRODUCT"})
"""Labels of names only the statistical NER found that its affected-context cues can make affected."""
MISLABELLED_LABELS = frozenset({"PERSON", "PLACE"})
"""Model labels that small NER models give unknown brand names ("Giphy" as a place)."""
CONTEXT_WINDOW = 120
"""Characters on each side of a mention searched for affected-context cues."""
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\[\]\"“”\n]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class _Group:
    key: str
    label: str
    kb_id: str | None
    members: list[int] = field(default_factory=list)
    score: float = 0.0


class RoleAssigner:
    """Sets the `role` of every entity in `doc._.entities`."""

    def __init__(self, lang: str, *, model_roles: bool = False) -> None:
        self.lang = lang
        self.list_words = frozenset(w.lower() for w in cue_data(lang).list_words)
        # Names only the statistical NER found (not in the knowledge base) take the affected or
        # location role from cues alone when True; by default only when listed with known names,
        # which measured better on the dev split (fewer organisations taken for affected services).
        self.model_roles = model_roles
        data = entity_data(lang)
        self.context = _ContextMatcher(data.affected_context)
        self.location_context = _ContextMatcher(data.location_context)

    def assign(self, doc: Doc) -> list[dict]:
        entities = [dict(e) for e in doc._.entities or []]
        if not entities or not doc._.is_incident:
            return entities
        from pipeline.kb import load_kb

        kb = load_kb()
        text = doc.text
        cues = doc._.cues or []
        sentences_with = _sentences_by_key(cues)
        attribution = [(c["start"], c["end"]) for c in cues if c["key"] == "attribution"]
        causes = [(r["cause"]["start"], r["cause"]["end"]) for r in doc._.relations or []]
        chain_spans = [(n["start"], n["end"]) for n in (doc._.causal or {}).get("nodes", [])]
        title_end = text.find("\n") if "\n" in text else len(text)
        datelines = dateline_spans(text)
        groups = _group(entities)
        for group in groups.values():
            group.score = sum(
                self._provider_evidence(entities[i], sentences_with, causes, chain_spans, title_end)
                for i in group.members
            )
        times = [(int(t["start"]), int(t["end"])) for t in doc._.time_expressions or []]
        provider_ids = self._providers(groups, kb)
        provider_owners = {groups[k].kb_id for k in provider_ids}
        for key, group in groups.items():
            for index in group.members:
                entity = entities[index]
                if group.kb_id is None and not self.model_roles and group.label in MODEL_AFFECTED_LABELS:
                    # A name only the statistical NER found: affected when its own words say so
                    # ("took down Acme", "Acme was down"), or when listed with known names (below).
                    if (
                        not _inside(entity, datelines)
                        and self.context.affected(text, entity)
                        and self._affected(entity, group, kb, provider_owners, sentences_with, causes, text)
                    ):
                        entity["role"] = "affected"
                    continue
                sourced = group.kb_id is None and _near(entity, attribution)
                if (
                    _inside(entity, datelines)
                    or sourced
                    or _is_mentioned_only(kb, group.kb_id)
                    or _overlaps(entity, times)
                ):
                    continue
                if key in provider_ids:
                    entity["role"] = "provider"
                elif group.label == "PLACE" and self.location_context.matches(text, entity):
                    entity["role"] = "location"  # "our US West Coast data center"
                elif group.kb_id is None and not self.model_roles:
                    continue  # a name only the statistical NER found: affected only when listed with known ones
                elif group.label in LOCATION_LABELS:
                    if (
                        group.label != "PLACE"
                        or entity["sentence"] in sentences_with["outage"] | sentences_with["impact"]
                    ):
                        entity["role"] = "location"
                elif group.label in SUBJECT_LABELS and self._affected(
                    entity, group, kb, provider_owners, sentences_with, causes, text
                ):
                    entity["role"] = "affected"
        _spread_over_lists(text, entities, self.list_words)
        _locate_region_places(entities, kb)
        if not provider_ids:
            _company_behind_product(entities, kb)
        return entities

    def _provider_evidence(self, entity, sentences_with, causes, chain_spans, title_end) -> float:
        sentence = entity["sentence"]
        score = MENTION_WEIGHT
        if entity["start"] < title_end:
            score += TITLE_WEIGHT
        if sentence in sentences_with["causal"]:
            score += CAUSAL_WEIGHT
        if sentence in sentences_with["outage"]:
            score += OUTAGE_WEIGHT
        if sentence in sentences_with["apology"]:
            score += APOLOGY_WEIGHT
        if _inside(entity, causes) or _inside(entity, chain_spans):
            score += CHAIN_WEIGHT
        return score

    def _providers(self, groups: dict[str, _Group], kb) -> list[str]:
        candidates = [g for g in groups.values() if g.label == "PROVIDER" and not _is_mentioned_only(kb, g.kb_id)]
        if not candidates:
            return []
        ranked = sorted(candidates, key=lambda g: (-g.score, g.key))
        best = ranked[0]
        chosen = [best.key]
        for group in ranked[1:]:
            related = (
                best.kb_id is not None
                and group.kb_id is not None
                and (kb.owner(group.kb_id) == best.kb_id or kb.parent(group.kb_id) == best.kb_id)
            )
            if group.score >= SECOND_PROVIDER_SHARE * best.score and not related:
                chosen.append(group.key)
        return chosen

    def _affected(self, entity, group, kb, provider_owners, sentences_with, causes, text: str = "") -> bool:
        sentence = entity["sentence"]
        if (
            group.kb_id is not None
            and group.kb_id in kb
            and kb.entry(group.kb_id).kind in _role_data().never_affected_kinds
        ):
            return False
        if sentence not in sentences_with["outage"] | sentences_with["impact"]:
            return False
        owned = group.kb_id is not None and kb.owner(group.kb_id) in provider_owners
        if (
            _inside(entity, causes)
            and (owned or group.label == "SERVICE")
            and not self.context.matches_after(text, entity)
        ):
            return False  # where the fault was ("DNS problem in DynamoDB"), unless named as down itself
        return group.label != "PROVIDER" or not owned


class RoleData(BaseModel):
    """Schema of `lang/kb/roles.yaml`."""

    never_affected_kinds: frozenset[str]


@lru_cache(maxsize=1)
def _role_data() -> RoleData:
    return load_kb_file("roles", RoleData)


def _sentences_by_key(cues: list[dict]) -> dict[str, set[int]]:
    sentences: dict[str, set[int]] = defaultdict(set)
    for cue in cues:
        key = str(cue["key"])
        sentences["causal" if key.startswith("causal.") else key].add(int(cue["sentence"]))
    return sentences


def _group(entities: list[dict]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for index, entity in enumerate(entities):
        key = entity.get("kb_id") or f"text:{(entity.get('canonical') or entity['text']).lower()}"
        group = groups.setdefault(key, _Group(key, entity["label"], entity.get("kb_id")))
        group.members.append(index)
    return groups


class _ContextMatcher:
    """Matches a language's context cues around a mention (see `ContextCues`)."""

    def __init__(self, data: ContextCues) -> None:
        self.before = [tuple(_words(cue)) for cue in data.before]
        self.after = [tuple(_words(cue)) for cue in data.after]
        self.breaks = frozenset(w for cue in data.breaks for w in _words(cue))
        self.gap = data.gap

    def affected(self, text: str, entity: dict) -> bool:
        """Whether a before-cue ends just before the mention or an after-cue starts just after it."""
        return self.matches(text, entity)

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
        right = _CLAUSE_BREAK.split(text[entity["end"] : entity["end"] + CONTEXT_WINDOW])[0]
        after = _words(right)
        for gap in range(min(self.gap, len(after)) + 1):
            if self.breaks.intersection(after[:gap]):
                break
            if any(tuple(after[gap : gap + len(cue)]) == cue for cue in self.after):
                return True
        return False


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def _spread_over_lists(text: str, entities: list[dict], list_words: frozenset[str]) -> None:
    """Names listed together with an affected one are affected too ("Roblox, Fortnite dan Venmo").

    A name the statistical NER labelled a person or place, and the knowledge base does not
    know, becomes an affected organisation when listed next to an affected name ("Trello,
    Quora and Giphy were down": small models call Giphy a place).
    """
    pairs = list(itertools.pairwise(entities))
    for left, right in pairs + pairs[::-1]:
        between = text[left["end"] : right["start"]].strip().lower()
        words = between.replace(",", " ").split()
        listed = between in LIST_PUNCTUATION or (len(words) == 1 and words[0] in list_words)
        if left["sentence"] != right["sentence"] or not listed:
            continue
        for unknown, known in ((left, right), (right, left)):
            if (
                unknown.get("source") == "model"
                and unknown["label"] in MISLABELLED_LABELS
                and unknown["role"] == "mentioned"
                and known["role"] == "affected"
                and known["label"] in SUBJECT_LABELS
            ):
                unknown["label"] = "ORG"
        roles = {left["role"], right["role"]}
        if (
            "affected" in roles
            and roles <= {"affected", "mentioned"}
            and left["label"] in SUBJECT_LABELS | {"ORG"}
            and right["label"] in SUBJECT_LABELS
        ):
            left["role"] = right["role"] = "affected"


def _locate_region_places(entities: list[dict], kb) -> None:
    """A place named in the same sentence as a located cloud region it holds is a location too.

    "the US-EAST-1 region in Northern Virginia": the region file says us-east-1 is in
    Northern Virginia, so the failure happened there.
    """
    region_places = {
        (e["sentence"], kb.entry(e["kb_id"]).place)
        for e in entities
        if e["role"] == "location" and e.get("kb_id") in kb and kb.entry(e["kb_id"]).place
    }
    for entity in entities:
        if entity["role"] == "mentioned" and (entity["sentence"], entity.get("kb_id")) in region_places:
            entity["role"] = "location"


def _company_behind_product(entities: list[dict], kb) -> None:
    """With no provider found, a product name that is also its company's name names the company.

    `ambiguous.yaml` declares such names ("Facebook": the social network by default, the
    company Meta too). In a story that names no provider ("Facebook's infrastructure team
    ... Facebook, Instagram and WhatsApp were unavailable") the mentions that are not
    affected are the company, which becomes the provider.
    """
    for entity in entities:
        if entity["role"] != "mentioned" or entity.get("kb_id") not in kb:
            continue
        ambiguity = kb.ambiguities.get(kb.key(entity["text"]))
        if ambiguity is None or ambiguity.default != entity["kb_id"]:
            continue
        owner = kb.owner(entity["kb_id"])
        if owner in ambiguity.candidates and kb.entry(owner).label == "PROVIDER":
            company = kb.entry(owner)
            entity.update(role="provider", label=company.label, canonical=company.name, kb_id=company.id)


def _overlaps(entity: dict, spans: list[tuple[int, int]]) -> bool:
    return any(entity["start"] < end and start < entity["end"] for start, end in spans)


def _inside(entity: dict, spans: list[tuple[int, int]]) -> bool:
    return any(start <= entity["start"] and entity["end"] <= end for start, end in spans)


def _near(entity: dict, spans: list[tuple[int, int]]) -> bool:
    return any(
        0 <= entity["start"] - end <= ATTRIBUTION_WINDOW or 0 <= start - entity["end"] <= ATTRIBUTION_WINDOW
        for start, end in spans
    )


def _is_mentioned_only(kb, kb_id: str | None) -> bool:
    return kb_id is not None and kb_id in kb and kb.is_mentioned_only(kb_id)


class RoleStage:
    """spaCy component: fills in `role` on `doc._.entities`."""

    def __init__(self, nlp: object, name: str = "incident_roles", *, model_roles: bool = False) -> None:
        self.name = name
        self.assigner = RoleAssigner(getattr(nlp, "lang", "en"), model_roles=model_roles)

    def __call__(self, doc: Doc) -> Doc:
        doc._.entities = self.assigner.assign(doc)
        return doc
