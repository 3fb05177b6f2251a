"""Role passes over a document's whole entity list, after each mention got its own role.

Each pass fixes roles that only the neighbourhood of other entities decides: names listed
with an affected one, names recalled from another incident, makers of affected products,
places of located cloud regions, and the company behind a product named like it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

SUBJECT_LABELS = frozenset({"PROVIDER", "SERVICE", "ORG", "PRODUCT"})
MISLABELLED_LABELS = frozenset({"PERSON", "PLACE"})
"""Model labels that small NER models give unknown brand names ("Giphy" as a place)."""
LIST_PUNCTUATION = (",", "&", "/", ";")
MAX_LIST_GAP = 40
"""Longest text between two listed names in which a missed name is looked for."""
_GAP = re.compile(r"^\s*[,&/;]\s*(?P<name>[A-Z][\w.+&'-]*(?:\s[A-Z][\w.+&'-]*){0,2})(?P<rest>.*)$", re.DOTALL)
"""A gap between two listed names holding one more name: ", Foursquare and "."""
SHORT_FORM_MIN, SHORT_FORM_MAX = 2, 6
"""Lengths of an all-capital short form that may stand for a known name's last words ("DHB")."""
OTHER_INCIDENT_DAYS = 60
"""A paragraph opening with an exact date this many days from the incident's start recalls another incident."""


def inside(entity: dict, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the entity lies wholly inside one of the spans."""
    return any(start <= entity["start"] and entity["end"] <= end for start, end in spans)


def fill_list_gaps(text: str, entities: list[dict], list_words: frozenset[str]) -> None:
    """A capitalised name the NER missed between two listed names is a name of the list too.

    "took down sites including Reddit, Quora, Foursquare and HootSuite": "Foursquare" joins the
    entities (label ORG, source `rule`), so the list spreads its role over it. Between two places
    it is a place ("Denpasar, Badung, Gianyar, Tabanan, hingga Buleleng").
    """
    added = []
    for left, right in itertools.pairwise(entities):
        between = text[left["end"] : right["start"]]
        if left["sentence"] != right["sentence"] or len(between) > MAX_LIST_GAP:
            continue
        match = _GAP.match(between)
        if match is None or not _joined(match.group("rest"), list_words):
            continue
        start, end = left["end"] + match.start("name"), left["end"] + match.end("name")
        added.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "sentence": left["sentence"],
                "label": "PLACE" if left["label"] == right["label"] == "PLACE" else "ORG",
                "canonical": None,
                "kb_id": None,
                "role": "mentioned",
                "source": "rule",
            }
        )
    if added:
        entities.extend(added)
        entities.sort(key=lambda e: (e["start"], e["end"]))


def _listed(between: str, list_words: frozenset[str]) -> bool:
    """Whether the text between two names joins them in a list: punctuation or one list word."""
    between = between.strip().lower()
    words = between.replace(",", " ").split()
    return between in LIST_PUNCTUATION or (len(words) == 1 and words[0] in list_words)


def _joined(rest: str, list_words: frozenset[str]) -> bool:
    """Whether what follows a gap name joins it to the next one: list punctuation or a list word."""
    words = rest.replace(",", " , ").split()
    return bool(words) and all(w in LIST_PUNCTUATION or w.lower() in list_words for w in words)


def spread_over_lists(
    text: str, entities: list[dict], list_words: frozenset[str], *, cited: Sequence[int] = ()
) -> None:
    """Names listed together with an affected one are affected too ("Roblox, Fortnite dan Venmo"), and
    places listed with an affected place are affected places.

    A name the statistical NER labelled a person or place, and the knowledge base does not
    know, becomes an affected organisation when listed next to an affected name ("Trello,
    Quora and Giphy were down": small models call Giphy a place). The indices in `cited` are
    names a source cue opens ("switched to Telegram and Signal"): they and the names listed with
    them are only mentioned.
    """
    pairs = [
        (left, right)
        for left, right in itertools.pairwise(entities)
        if left["sentence"] == right["sentence"] and _listed(text[left["end"] : right["start"]], list_words)
    ]
    held = {id(entities[i]) for i in cited}
    for left, right in pairs:
        if id(left) in held:
            held.add(id(right))
    for entity in entities:
        if id(entity) in held and entity["role"] == "affected":
            entity["role"] = "mentioned"
    for left, right in pairs + pairs[::-1]:
        if id(left) in held or id(right) in held:
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
        if roles == {"location", "mentioned"} and left["label"] == right["label"] == "PLACE":
            left["role"] = right["role"] = "location"  # "Denpasar, Badung, Gianyar, hingga Buleleng"
        if (
            "affected" in roles
            and roles <= {"affected", "mentioned"}
            and left["label"] in SUBJECT_LABELS | {"ORG"}
            and right["label"] in SUBJECT_LABELS
        ):
            left["role"] = right["role"] = "affected"


def incident_start(doc: Doc) -> date | None:
    """The day the incident began, as the time stage chose it; None when it chose none."""
    start = ((doc._.timing or {}).get("start") or {}).get("date")
    return date.fromisoformat(str(start)[:10]) if start else None


def owner_or_self(kb, kb_id: str | None) -> str | None:
    """The provider that runs a known service, or the entry itself (`aws.s3` -> `aws`, `aws` -> `aws`)."""
    return (kb.owner(kb_id) or kb_id) if kb_id is not None and kb_id in kb else kb_id


def recalled_spans(doc: Doc) -> list[tuple[int, int]]:
    """The stretches of text about an earlier (or later) incident.

    "Hampir empat tahun sebelumnya, tepatnya 7 Desember 2021, ... Disney+, iRobot, serta
    Ring sempat terganggu": the paragraph's first exact date lies far from the incident's
    start, so what it reports belongs to the other incident. Within a sentence, what follows
    such a date, a month included ("since October 2021, when a faulty change cut
    off WhatsApp, Facebook and Instagram"), is the other incident's too.
    """
    incident_day = incident_start(doc)
    if incident_day is None:
        return []
    dates = [t for t in doc._.time_expressions or [] if t.get("kind") == "date" and t.get("date")]

    def far(expression: dict) -> bool:
        return abs((date.fromisoformat(str(expression["date"])[:10]) - incident_day).days) > OTHER_INCIDENT_DAYS

    recalled: list[tuple[int, int]] = []
    exact = [t for t in dates if not t.get("approximate")]
    for paragraph in doc._.paragraphs or []:
        dated = [t for t in exact if paragraph["start"] <= t["start"] < paragraph["end"]]
        if dated and far(min(dated, key=lambda t: t["start"])):
            recalled.append((paragraph["start"], paragraph["end"]))
    far_dates = [t for t in dates if far(t)]
    if far_dates and doc.has_annotation("SENT_START"):
        for sentence in doc.sents:
            inside_dates = [t for t in far_dates if sentence.start_char <= t["start"] < sentence.end_char]
            if inside_dates:
                recalled.append((min(t["start"] for t in inside_dates), sentence.end_char))
    return recalled


def recalled_incidents(entities: list[dict], recalled: Sequence[tuple[int, int]]) -> None:
    """Names affected only in a paragraph or sentence about an earlier (or later) incident (`recalled`, from
    `recalled_spans`) are mentioned."""
    for entity in entities:
        if entity["role"] == "affected" and inside(entity, recalled):
            entity["role"] = "mentioned"


def makers_of_affected_products(entities: list[dict], kb) -> None:
    """A company whose own product the text reports affected is mentioned, not affected itself.

    "computers running Microsoft Windows crashed ... Microsoft said 8.5 million devices
    were affected": the impact is on Windows; Microsoft comments on it. Only services the
    knowledge base lists under the company count (`owner`), not separate group companies
    (Halifax and Lloyds Bank are both banks that customers use).
    """
    owners = {kb.owner(e["kb_id"]) for e in entities if e["role"] == "affected" and e.get("kb_id") in kb} - {None}
    for entity in entities:
        if entity["role"] == "affected" and entity.get("kb_id") in owners:
            entity["role"] = "mentioned"


def spread_over_mentions(entities: list[dict], datelines: Sequence[tuple[int, int]], role: str) -> None:
    """Every mention of a name that has `role` somewhere has it: a place that is a location ("Kebakaran
    melanda pusat data di Strasbourg, Prancis" after a headline that names Strasbourg as hit), an affected
    service ("Discord said it was monitoring" after "Discord was down"); a dateline keeps its role."""
    named = {e["canonical"] for e in entities if e["role"] == role}
    for entity in entities:
        if entity["role"] == "mentioned" and entity["canonical"] in named and not inside(entity, datelines):
            entity["role"] = role


def locate_region_places(entities: list[dict], kb) -> None:
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


def company_behind_product(entities: list[dict], kb) -> None:
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


def generic_service_mentions(
    doc: Doc, entities: list[dict], kb, before: Sequence[str], after: Sequence[str], told: set[int]
) -> None:
    """A bare service word around the provider's own words names the provider's service: in a story about
    Cloudflare, "customers could not use the dashboard or the API" lost the Cloudflare dashboard and the
    Cloudflare API. The knowledge base lists such words per service (`generic`); a word that modifies a noun
    ("the API servers") names none. Added as affected when one mention stands in an outage or impact
    sentence (`told`), with all its mentions."""
    providers = {owner_or_self(kb, e["kb_id"]) for e in entities if e["role"] == "provider" and e.get("kb_id") in kb}
    if not providers or not doc.has_annotation("SENT_START"):
        return
    starts = [s.start_char for s in doc.sents]
    taken = [(e["start"], e["end"]) for e in entities]
    possessors = {e["end"] for e in entities if e["role"] == "provider"}
    added: list[dict] = []
    for service in (s for p in sorted(providers) for s in kb.generic_services(p)):
        spans = [
            span
            for word in service.generic
            for span in _generic_spans(doc.text, word, before, after, possessors)
            if not any(span[0] < end and start < span[1] for start, end in taken) and not _modifies_a_noun(doc, span)
        ]
        found = [
            {
                "start": start,
                "end": end,
                "text": doc.text[start:end],
                "sentence": bisect.bisect_right(starts, start) - 1,
                "label": "SERVICE",
                "canonical": service.name,
                "kb_id": service.id,
                "role": "affected",
                "source": "kb",
            }
            for start, end in sorted(set(spans))
        ]
        if any(e["sentence"] in told for e in found):
            added += found
            taken += [(e["start"], e["end"]) for e in found]
    entities.extend(added)
    entities.sort(key=lambda e: (e["start"], e["end"]))


def _generic_spans(
    text: str, word: str, before: Sequence[str], after: Sequence[str], possessors: set[int]
) -> list[tuple[int, int]]:
    """Where `word` stands right after a word of `before` or the provider's possessive ("Slack's API": a
    provider mention ends where the "'s" starts), or right before a word of `after` ("dasbor mereka"). An
    all-capital word ("API") matches in capitals only."""
    name = f"(?-i:{re.escape(word)})" if word.isupper() else re.escape(word)
    openers = "|".join([*(rf"\b{re.escape(w)}" for w in before), "(?P<own>['’]s)"])
    spans = [
        (m.start("w"), m.end("w"))
        for m in re.finditer(rf"(?:{openers})\s+(?P<w>{name})(?![\w-])", text, re.IGNORECASE)
        if m.group("own") is None or m.start("own") in possessors
    ]
    if after:
        closers = "|".join(map(re.escape, after))
        found = re.finditer(rf"(?<![\w-])(?P<w>{name})\s+(?:{closers})\b", text, re.IGNORECASE)
        spans += [(m.start("w"), m.end("w")) for m in found]
    return spans


def _modifies_a_noun(doc: Doc, span: tuple[int, int]) -> bool:
    """Whether the word modifies a noun after it ("the API servers"), by the parse where there is one."""
    tokens = doc.char_span(*span, alignment_mode="expand")
    if tokens is None or not doc.has_annotation("DEP"):
        return False
    last = tokens[-1]
    return last.dep_ in ("compound", "amod") and last.head.i > last.i


def short_forms_of_named(entities: list[dict]) -> None:
    """A name the knowledge base does not know that spells the initials of the last words of a known name in the
    same story is that name: "the DHB" after "Waikato District Health Board". Two to six capitals only."""
    known = [e for e in entities if e.get("kb_id")]
    for entity in entities:
        text = entity["text"]
        short = SHORT_FORM_MIN <= len(text) <= SHORT_FORM_MAX and text.isupper() and text.isalpha()
        if entity.get("kb_id") or not short:
            continue
        full = next((e for e in known if e["start"] < entity["start"] and _initials_end_with(e["text"], text)), None)
        if full is not None:
            entity.update(kb_id=full["kb_id"], canonical=full.get("canonical"), label=full["label"])


def _initials_end_with(name: str, short: str) -> bool:
    """Whether `short` is the initials of the last words of `name` ("DHB" of "Waikato District Health Board")."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name) if w[0].isupper())
    return len(initials) > 1 and initials.endswith(short) and len(name.split()) >= len(short)
