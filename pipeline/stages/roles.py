"""Roles: which organisation is the provider at fault, what was affected, where, and who is only mentioned.

Evidence is counted per canonical entity from the cues around its mentions:
- provider: a knowledge-base provider that is the subject of the story — named in the
  headline, in sentences that state causes, outages or an apology, inside causal
  arguments, next to provider-context cues ("an outage at Acme", "Acme's network", "Acme
  experienced", "Acme meminta maaf"); the best-scoring one wins (a second only when it
  scores close and, if the winner was cue-named, is cue-named too). A cue-named service or
  organisation the knowledge base does not list as a provider may win too (a company writing
  about its own outage); a cue-named product hands its evidence to its maker when named;
- affected: services and organisations named in sentences with outage or impact cues,
  and not inside a cause argument (where a component is where the fault was, not what
  users lost), unless they are the provider's own product named as down;
  a company whose own product is affected is only mentioned (Microsoft beside Windows);
- location: cloud regions, places named in outage or impact sentences, and entries of a
  place kind (airports);
- mentioned: everything else — sources next to attribution cues ("said", "menurut"),
  services cited as where news was posted ("updates on Twitter"), knowledge-base news
  outlets and monitors, the dateline, people.

Context cues are matched by `role_context`; the passes over the whole entity list that
follow (every mention of a located or affected name, lists, recalled incidents, makers, region
places) are in `role_passes`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from pipeline.lang.loader import load_kb_file
from pipeline.stages.cues import cue_data
from pipeline.stages.entities import entity_data
from pipeline.stages.role_context import ContextMatcher
from pipeline.stages.role_passes import (
    MISLABELLED_LABELS,
    SUBJECT_LABELS,
    company_behind_product,
    fill_list_gaps,
    generic_service_mentions,
    incident_start,
    inside,
    locate_region_places,
    makers_of_affected_products,
    owner_or_self,
    recalled_incidents,
    recalled_spans,
    short_forms_of_named,
    spread_over_lists,
    spread_over_mentions,
)
from pipeline.stages.sentences import dateline_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc

LOCATION_LABELS = frozenset({"CLOUD_REGION", "AVAILABILITY_ZONE", "PLACE"})
TITLE_WEIGHT, CAUSAL_WEIGHT, OUTAGE_WEIGHT, APOLOGY_WEIGHT, MENTION_WEIGHT, CHAIN_WEIGHT = 2.0, 1.5, 1.0, 2.0, 0.5, 1.5
PROVIDER_CUE_WEIGHT = 3.0
"""Added per mention next to a provider-context cue ("an outage at Acme", "Acme's network")."""
CUED_PROVIDER_LABELS = frozenset({"SERVICE", "ORG", "PRODUCT"})
"""Labels that may be the provider when a provider-context cue or, with no provider found, the headline
names them (a PROVIDER always may)."""
SECOND_PROVIDER_SHARE = 0.8
LEAD_COMPANY_MENTIONS = 2
"""Mentions a company named in the lead sentence needs to be the provider when nothing else names one."""
ATTRIBUTION_WINDOW = 40
"""Characters around a mention in which an attribution cue marks it as a source."""
MODEL_AFFECTED_LABELS = frozenset({"ORG", "PRODUCT"})
"""Labels of names only the statistical NER found that its affected-context cues can make affected."""


@dataclass
class _Group:
    key: str
    label: str
    kb_id: str | None
    members: list[int] = field(default_factory=list)
    score: float = 0.0
    cued: int = 0
    titled: bool = False
    names: set[str] = field(default_factory=set)


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
        self.context = ContextMatcher(data.affected_context)
        self.location_context = ContextMatcher(data.location_context)
        self.provider_context = ContextMatcher(data.provider_context)
        self.source_context = ContextMatcher(data.source_context)
        self.generic_before, self.generic_after = data.generic_service_before, data.generic_service_after
        words = "|".join(map(re.escape, data.first_person))
        self.first_person = re.compile(rf"\b(?:{words})\b", re.IGNORECASE) if words else None

    def assign(self, doc: Doc) -> list[dict]:
        entities = [dict(e) for e in doc._.entities or []]
        if not entities or not doc._.is_incident:
            return entities
        short_forms_of_named(entities)
        from pipeline.kb import DatedKnowledgeBase, load_kb

        kb = DatedKnowledgeBase(load_kb(), _incident_day(doc))
        place_kinds = _role_data().place_kinds
        for entity in entities:
            if _kind(kb, entity.get("kb_id")) in place_kinds:
                entity["label"] = "PLACE"  # an airport is where the incident was felt
        text = doc.text
        cues = doc._.cues or []
        sentences_with = _sentences_by_key(cues)
        attribution = [(c["start"], c["end"]) for c in cues if c["key"] == "attribution"]
        causes = [(r["cause"]["start"], r["cause"]["end"]) for r in doc._.relations or []]
        chain_spans = _linked_node_spans(doc._.causal or {})
        title_end = text.find("\n") if "\n" in text else len(text)
        datelines = dateline_spans(text)
        groups = _group(entities)
        for group in groups.values():
            group.score = sum(
                self._provider_evidence(entities[i], sentences_with, causes, chain_spans, title_end)
                for i in group.members
            )
            group.cued = sum(
                1
                for i in group.members
                if not inside(entities[i], datelines) and self.provider_context.matches(text, entities[i])
            )
            group.score += PROVIDER_CUE_WEIGHT * group.cued
            group.titled = any(entities[i]["start"] < title_end for i in group.members)
        times = [(int(t["start"]), int(t["end"])) for t in doc._.time_expressions or []]
        recalled = recalled_spans(doc)
        current = {k: g for k, g in groups.items() if not all(inside(entities[i], recalled) for i in g.members)}
        units = (self._titled_unit(key, groups, entities, kb, text, title_end) for key in self._providers(current, kb))
        provider_ids = list(dict.fromkeys(units))  # a unit chosen beside its parent counts once
        if provider_ids:
            provider_ids += self._suppliers_at_fault(current, entities, kb, causes, provider_ids)
        provider_owners = {owner_or_self(kb, groups[k].kb_id) for k in provider_ids}
        for key, group in groups.items():
            for index in group.members:
                entity = entities[index]
                if (
                    key in provider_ids
                    and not inside(entity, datelines)
                    and not self._product_named_down(text, entity, group, sentences_with, kb)
                ):
                    entity["role"] = "provider"
                    if entity["label"] in MISLABELLED_LABELS:
                        entity["label"] = "ORG"  # "Zerodha experienced ...": small models call it a person
                    owner = kb.owner(group.kb_id) if group.kb_id in kb else None
                    if owner is not None and owner in kb:
                        # "Amazon S3 experienced ..." with AWS never named: the organisation is AWS.
                        company = kb.entry(owner)
                        entity.update(label=company.label, canonical=company.name, kb_id=company.id)
                    continue
                if group.kb_id is None and not self.model_roles and group.label in MODEL_AFFECTED_LABELS:
                    # A name only the statistical NER found: affected when its own words say so
                    # ("took down Acme", "Acme was down"), or when listed with known names (below).
                    if (
                        not inside(entity, datelines)
                        and self.context.matches(text, entity)
                        and self._affected(entity, group, kb, provider_owners, sentences_with, causes, text)
                    ):
                        entity["role"] = "affected"
                    continue
                sourced = group.kb_id is None and _near(entity, attribution)
                if (
                    inside(entity, datelines)
                    or sourced
                    or _is_mentioned_only(kb, group.kb_id)
                    or _overlaps(entity, times)
                    or self.source_context.matches(text, entity)
                ):
                    continue
                if group.label == "PLACE" and self.location_context.matches(text, entity):
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
        if not provider_ids:
            company_behind_product(entities, kb)
        spread_over_mentions(entities, datelines, "location")
        spread_over_mentions(entities, datelines, "affected")
        recalled_incidents(entities, recalled)
        members = {key: [entities[i] for i in group.members] for key, group in groups.items()}  # before insertions
        fill_list_gaps(text, entities, self.list_words)
        # "switched to Telegram and Signal": a list a source cue opens is cited, all of it
        cited = [i for i, e in enumerate(entities) if e["role"] == "mentioned" and self.source_context.matches(text, e)]
        spread_over_lists(text, entities, self.list_words, cited=cited)
        makers_of_affected_products(entities, kb)
        locate_region_places(entities, kb)
        if not provider_ids:
            self._headline_company(text, entities, groups, members, kb, sentences_with, title_end, datelines)
        if (doc._.root_cause or {}).get("category") in _role_data().disaster_categories:
            self._operators_hit(entities, kb)
        told_down = (sentences_with["outage"] | sentences_with["impact"]) - sentences_with["denial"]
        generic_service_mentions(doc, entities, kb, self.generic_before, self.generic_after, told_down)
        return entities

    def _headline_company(
        self, text: str, entities, groups, members, kb, sentences_with, title_end: int, datelines
    ) -> None:
        """With no provider found at all, the organisation the headline is about is the one whose own systems
        failed, when the body names it in an outage or causal sentence too ("NATS says one flight plan ... set
        off UK air traffic failure"; "How a winter storm ... wrecked Southwest's holidays")."""
        if any(e["role"] == "provider" for e in entities):
            return
        told = sentences_with["outage"] | sentences_with["causal"]
        known = [g for g in groups.values() if g.label in CUED_PROVIDER_LABELS and not _is_mentioned_only(kb, g.kb_id)]
        candidates = [
            g
            for g in known
            if g.titled and any(e["start"] > title_end and e["sentence"] in told for e in members[g.key])
        ]
        if not candidates:
            candidates = [g for g in known if self._status_page_of(text, members[g.key], title_end)]
        if not candidates:
            # Nor in the headline: the organisation the lead sentence (the first after the headline) names in
            # an outage or causal statement and the story names again ("Checkout registers at Target stores
            # failed ... Lines at Target stores cleared"); the knowledge base must know it.
            # a dateline ("Jakarta, Media -") the sentence splitter cut off is not the lead
            lead = min(
                (e["sentence"] for e in entities if e["start"] > title_end and not inside(e, datelines)), default=None
            )
            candidates = [
                g
                for g in known
                if g.kb_id is not None
                and len(members[g.key]) >= LEAD_COMPANY_MENTIONS
                and any(e["sentence"] == lead and lead in told and not inside(e, datelines) for e in members[g.key])
            ]
        if not candidates:
            return
        best = min(candidates, key=lambda g: (-g.score, g.key))
        company = self._named_owner(best, groups, kb)
        if company is not None:
            # "Disney+ stumbles on day one ... Disney said": the company that runs the product is at fault,
            # the product named as down is what users lost
            told_down = sentences_with["outage"] | sentences_with["impact"]
            for entity in members[best.key]:
                if entity["sentence"] in told_down and not inside(entity, datelines):
                    entity["role"] = "affected"
            best = company
        for entity in members[best.key]:
            if not inside(entity, datelines):
                entity["role"] = "provider"

    @staticmethod
    def _named_owner(group: _Group, groups: dict[str, _Group], kb) -> _Group | None:
        """The group of the company the knowledge base says runs this product, when the text names it too."""
        owner = kb.owner(group.kb_id) if group.kb_id in kb else None
        return next((g for g in groups.values() if owner is not None and g.kb_id == owner), None)

    @staticmethod
    def _operators_hit(entities: list[dict], kb) -> None:
        """In a natural disaster, each operator (`disaster_operator_kinds`) named as down lost its own network: it
        is at fault beside the others, unless a company of its group or a broken cable already is."""
        data = _role_data()
        at_fault = {e["kb_id"] for e in entities if e["role"] == "provider" and e.get("kb_id") in kb}
        if any(_kind(kb, kb_id) in data.infrastructure_kinds for kb_id in at_fault):
            return
        groups = at_fault | {kb.parent(kb_id) for kb_id in at_fault} - {None}
        for entity in entities:
            kb_id = entity.get("kb_id")
            if (
                entity["role"] == "affected"
                and kb_id in kb
                and _kind(kb, kb_id) in data.disaster_operator_kinds
                and not {kb_id, kb.parent(kb_id), kb.owner(kb_id)} & groups
            ):
                entity["role"] = "provider"

    def _status_page_of(self, text: str, mentions: list[dict], title_end: int) -> bool:
        """Whether the body speaks in the first person and the headline opens with this name and a colon,
        or the line after the headline is this name alone: a company's own status page or statement
        ("Japan Airlines: system disruption ... our internal systems"; a byline "Toyota Motor Corporation")."""
        if self.first_person is None or self.first_person.search(text, title_end) is None:
            return False
        opening = min(mentions, key=lambda e: e["start"])
        colon = text[opening["end"] : opening["end"] + 2].lstrip().startswith(":")
        headed = not text[: opening["start"]].strip() and colon
        return headed or any(_byline(text, title_end, m) for m in mentions)

    def _product_named_down(self, text: str, entity: dict, group: _Group, sentences_with, kb) -> bool:
        """Whether a product chosen as provider is, at this mention, what users lost.

        Company and product share the name ("Discord experienced an outage ... Discord users
        could not connect"): the company is the provider, the product named as down is
        affected. A knowledge-base provider is split only when its kind is a product people use
        (`product_kinds`: "Slack users could not load messages"), not a cloud or a network.
        """
        product = group.label != "PROVIDER" or _kind(kb, group.kb_id) in _role_data().product_kinds
        return (
            product
            and entity["sentence"] in sentences_with["outage"] | sentences_with["impact"]
            and self.context.matches(text, entity)
            and not self.provider_context.matches(text, entity)
        )

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
        if inside(entity, causes) or inside(entity, chain_spans):
            score += CHAIN_WEIGHT
        return score

    def _providers(self, groups: dict[str, _Group], kb) -> list[str]:
        """The best-scoring candidate, and others close to it that are knowledge-base providers.

        Candidates are knowledge-base providers, and organisations or services a
        provider-context cue names ("Discord experienced ...", "an outage at Acme"): the
        knowledge base lists Discord as a service and does not know Acme. A service of a
        known provider is not one (its provider is), nor is an organisation only cited.
        """
        candidates = [
            g
            for g in groups.values()
            if not _is_mentioned_only(kb, g.kb_id)
            and (
                g.label == "PROVIDER"
                or (g.cued and g.label in CUED_PROVIDER_LABELS and not _shares_company_name(kb, g))
                or (g.cued and g.kb_id is None and g.label in MISLABELLED_LABELS and g.titled)
            )
        ]
        if not candidates:
            return []
        # an authority is at fault only where the headline or a provider cue names it; elsewhere it comments
        authorities = _role_data().authority_kinds
        candidates = [g for g in candidates if _kind(kb, g.kb_id) not in authorities or g.cued or g.titled]
        if not candidates:
            return []
        candidates = _to_makers(candidates, groups, kb)
        ranked = sorted(candidates, key=lambda g: (-g.score, g.key))
        infrastructure = [g for g in ranked if _kind(kb, g.kb_id) in _role_data().infrastructure_kinds]
        if infrastructure:  # the cables that broke are at fault; the operators using them are hit
            return [g.key for g in infrastructure if g.score >= SECOND_PROVIDER_SHARE * infrastructure[0].score]
        best = ranked[0]
        chosen = [best.key]
        for group in ranked[1:]:
            if group.label != "PROVIDER" or (best.cued and not group.cued):
                # A cue-named organisation is the provider only when it leads; and when the
                # text names the leader as the one at fault, a second must be named so too.
                continue
            related = (
                best.kb_id is not None
                and group.kb_id is not None
                and (
                    best.kb_id in (kb.owner(group.kb_id), kb.parent(group.kb_id))
                    or group.kb_id in (kb.owner(best.kb_id), kb.parent(best.kb_id))
                )
            )
            if group.score >= SECOND_PROVIDER_SHARE * best.score and not related:
                chosen.append(group.key)
        return chosen

    def _suppliers_at_fault(self, groups: dict[str, _Group], entities, kb, causes, chosen: list[str]) -> list[str]:
        """Suppliers (`supplier_kinds`) named inside a cause: "a certificate in Ericsson's software
        expired" puts Ericsson at fault beside the operator."""
        kinds = _role_data().supplier_kinds
        return [
            key
            for key, group in groups.items()
            if key not in chosen
            and _kind(kb, group.kb_id) in kinds
            and any(inside(entities[i], causes) for i in group.members)
        ]

    def _titled_unit(
        self, key: str, groups: dict[str, _Group], entities: list[dict], kb, text: str, title_end: int
    ) -> str:
        """The provider, or its unit that the headline names as the subject: "Google Cloud outage that hit
        Spotify", "Lightning knocks out Microsoft Azure data center" is the unit's incident, though the
        story names the parent company more often. A unit listed in the headline among what went down
        ("took down Teams, Outlook and Azure") is not."""
        parent = groups[key].kb_id
        if parent is None:
            return key
        for group in groups.values():
            if (
                group.label != "PROVIDER"
                or group.kb_id is None
                or kb.parent(group.kb_id) != parent
                or _kind(kb, group.kb_id) not in _role_data().unit_kinds
            ):
                continue
            titled = [entities[i]["start"] for i in group.members if entities[i]["start"] < title_end]
            if titled and not self._listed_after(text, titled[0]):
                return group.key
        return key

    def _listed_after(self, text: str, start: int) -> bool:
        """Whether a name continues a list: a comma or a list word right before it."""
        before = text[:start].rstrip()
        return before.endswith(",") or (before.split()[-1:] or [""])[0].lower() in self.list_words

    def _affected(self, entity, group, kb, provider_owners, sentences_with, causes, text: str = "") -> bool:
        sentence = entity["sentence"]
        if _kind(kb, group.kb_id) in _role_data().never_affected_kinds:
            return False
        if sentence not in sentences_with["outage"] | sentences_with["impact"] or sentence in sentences_with["denial"]:
            return False  # "the operators stressed the disruption did not come from their networks"
        owned = group.kb_id is not None and kb.owner(group.kb_id) in provider_owners
        if (
            inside(entity, causes)
            and (owned or group.label == "SERVICE")
            and not self.context.matches_after(text, entity)
        ):
            return False  # where the fault was ("DNS problem in DynamoDB"), unless named as down itself
        above = group.kb_id is not None and any(p in kb and kb.parent(p) == group.kb_id for p in provider_owners)
        return group.label != "PROVIDER" or not (owned or above)  # Google above Google Cloud is the provider


class RoleData(BaseModel):
    """Schema of `lang/kb/roles.yaml`."""

    never_affected_kinds: frozenset[str]
    place_kinds: frozenset[str] = frozenset()
    product_kinds: frozenset[str] = frozenset()
    unit_kinds: frozenset[str] = frozenset()
    infrastructure_kinds: frozenset[str] = frozenset()
    supplier_kinds: frozenset[str] = frozenset()
    authority_kinds: frozenset[str] = frozenset()
    disaster_operator_kinds: frozenset[str] = frozenset()
    disaster_categories: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _role_data() -> RoleData:
    return load_kb_file("roles", RoleData)


def _linked_node_spans(chain: dict) -> list[tuple[int, int]]:
    """The spans of chain nodes a link reaches, and of mitigations: an impact stated with no cue, a node of
    its own, says nothing of who failed."""
    linked = {e[k] for e in chain.get("edges", []) for k in ("source", "target")}
    return [(n["start"], n["end"]) for n in chain.get("nodes", []) if n["id"] in linked or n["type"] == "mitigation"]


def _byline(text: str, title_end: int, mention: dict) -> bool:
    """Whether `mention` is, alone on its line, the first line after the headline."""
    line_start = len(text) - len(text[title_end:].lstrip())
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return mention["start"] == line_start and line.strip() == text[mention["start"] : mention["end"]]


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
        group.names.add(entity["text"])
    return groups


def _overlaps(entity: dict, spans: list[tuple[int, int]]) -> bool:
    return any(entity["start"] < end and start < entity["end"] for start, end in spans)


def _near(entity: dict, spans: list[tuple[int, int]]) -> bool:
    return any(
        0 <= entity["start"] - end <= ATTRIBUTION_WINDOW or 0 <= start - entity["end"] <= ATTRIBUTION_WINDOW
        for start, end in spans
    )


def _incident_day(doc: Doc) -> dt.date | None:
    """The incident's start day, else the day of publication: the day the knowledge base is read as of."""
    published = (doc._.meta or {}).get("published")
    try:
        return incident_start(doc) or (dt.date.fromisoformat(str(published)[:10]) if published else None)
    except ValueError:
        return None


def _shares_company_name(kb, group: _Group) -> bool:
    """Whether the product is written like its company ("Facebook"): `_company_behind_product` splits those."""
    for name in group.names:
        ambiguity = kb.ambiguities.get(kb.key(name))
        if ambiguity is not None and ambiguity.default == group.kb_id:
            return True
    return False


def _to_makers(candidates: list[_Group], groups: dict[str, _Group], kb) -> list[_Group]:
    """A cue-named product whose maker the text also names hands its evidence to the maker.

    "Fortnite experienced outages ... Epic Games' infrastructure": the knowledge base says
    Epic Games makes Fortnite, so the company is the candidate, not its game. A product
    whose maker the text never names stays a candidate itself ("Heroku's Git server").
    """
    result: list[_Group] = []
    for group in candidates:
        known = group.kb_id is not None and group.kb_id in kb
        maker = (kb.owner(group.kb_id) or kb.parent(group.kb_id)) if known and group.label != "PROVIDER" else None
        if maker is not None and maker in groups and not _is_mentioned_only(kb, maker):
            company = groups[maker]
            company.score += group.score
            company.cued += group.cued
            if company not in result and company not in candidates:
                result.append(company)
            continue
        if group not in result:
            result.append(group)
    return result


def _kind(kb, kb_id: str | None) -> str | None:
    """The knowledge-base kind of an entry (None for a name the knowledge base does not know)."""
    return kb.entry(kb_id).kind if kb_id is not None and kb_id in kb else None


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
