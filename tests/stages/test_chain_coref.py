"""Incident coreference in the chain: mentions of the incident, impact openers, kinds of event (issue #6)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from pipeline.stages.chain_coref import EventKinds, IncidentMentions
from pipeline.stages.chain_linker import content_words
from pipeline.stages.rootcause import RootCauseClassifier

ORBITA = (
    "Layanan internet satelit Orbita mengalami gangguan global pada Jumat dini hari. "
    "Pengguna di berbagai negara tidak bisa tersambung ke internet selama dua jam. "
    "Perusahaan menyebut gangguan itu terjadi akibat kegagalan perangkat lunak inti jaringan."
)
"""An outage told first, then named again ("gangguan itu") where its cause is stated."""


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.mark.parametrize(
    ("lang", "text", "span", "expected"),
    [
        ("id", "AWS menyebut gangguan itu terjadi akibat bug.", "gangguan itu terjadi", True),
        ("id", "AWS mengungkapkan bahwa bencana teknis tersebut dipicu oleh bug.", "bencana teknis", True),
        ("id", "Dampak dari insiden ini sangat terasa.", "insiden ini", True),
        ("en", "Officials said the AWS outage was caused by a bug.", "the AWS outage", True),
        ("en", "This incident was caused by a bug.", "This incident", True),
        # no determiner: a first telling, not a mention of a known incident
        ("id", "Sebuah gangguan besar melumpuhkan layanan.", "gangguan besar", False),
        ("en", "A major outage took down the service.", "A major outage", False),
        # too many words: an event of its own that holds an incident noun
        ("en", "The failure of the storage cluster in Ohio spread.", "The failure of the storage cluster", False),
        # no incident noun at either end
        ("en", "The router crashed.", "The router", False),
    ],
)
def test_chain_coref_mention_of_the_incident(lang: str, text: str, span: str, expected: bool) -> None:
    assert IncidentMentions(lang).is_mention(text, *_span(text, span)) is expected


@pytest.mark.parametrize(
    ("lang", "sentence", "cue", "cause"),
    [
        ("id", "Dampak dari insiden ini sangat terasa, dengan Roblox dan Venmo mati total", "Dampak dari", "insiden"),
        ("id", "Dampak gangguan ini terasa serius di Ukraina", "Dampak", "gangguan"),
        ("en", "The impact of the outage was felt by banks and airlines", "The impact of", "the outage"),
        ("en", "The effects of this incident reached far beyond Virginia", "The effects of", "this incident"),
    ],
)
def test_chain_coref_impact_opening_names_the_incident_as_cause(lang: str, sentence: str, cue: str, cause: str) -> None:
    relation = IncidentMentions(lang).impact_opening(sentence, 0, len(sentence))
    assert relation is not None
    assert relation["cue"] == cue and (relation["cue_start"], relation["cue_end"]) == (0, len(cue))
    assert sentence[relation["cause"]["start"] : relation["cause"]["end"]] == cause
    assert (relation["effect"]["start"], relation["effect"]["end"]) == (0, len(sentence))


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("id", "Dampak ekonomi dari gangguan layanan masih dihitung"),  # no known incident after the opener
        ("id", "Gangguan itu berdampak pada ribuan pengguna"),  # no opener
        ("en", "The impact of a single configuration file on the fleet was large"),
    ],
)
def test_chain_coref_impact_opening_needs_a_mention_after_the_opener(lang: str, sentence: str) -> None:
    assert IncidentMentions(lang).impact_opening(sentence, 0, len(sentence)) is None


@pytest.mark.parametrize(
    ("lang", "span", "kind"),
    [
        ("id", "efek domino", "cascade"),
        ("id", "kegagalan beruntun (cascading failure", "cascade"),
        ("en", "the domino effect", "cascade"),
        ("en", "a cascading failure", "cascade"),
        ("en", "a cascade of timeouts across the fleet", None),  # more than the kind: an event of its own
        ("en", "the database failover", None),
    ],
)
def test_chain_coref_kind_of_event(lang: str, span: str, kind: str | None) -> None:
    assert EventKinds(lang).kind(span, 0, len(span)) == kind


def _edges(doc) -> set[tuple[str, str]]:
    nodes = {n["id"]: n["text"] for n in doc._.causal["nodes"]}
    return {(nodes[e["source"]], nodes[e["target"]]) for e in doc._.causal["edges"]}


def test_chain_coref_cause_of_a_mention_reaches_the_first_telling(causal_nlp) -> None:
    # "gangguan itu" is the outage the first sentence told: the cause links to that node, and the chain
    # meets the impact told of it
    doc = causal_nlp["id"](ORBITA)
    told = "Layanan internet satelit Orbita mengalami gangguan global pada Jumat dini hari"
    assert ("kegagalan perangkat lunak inti jaringan", told) in _edges(doc)
    assert not any(n["text"].startswith("gangguan itu") for n in doc._.causal["nodes"])
    assert doc._.root_cause["text"] == "kegagalan perangkat lunak inti jaringan"


@dataclass
class _Event:
    id: str
    start: int
    end: int
    words: frozenset[str]
    spans: list[tuple[int, int]] = field(default_factory=list)


def _events(text: str, parts: list[str]) -> list[_Event]:
    events = []
    for index, part in enumerate(parts, start=1):
        start, end = _span(text, part)
        events.append(_Event(f"n{index}", start, end, content_words(part), [(start, end)]))
    return events


def test_chain_coref_told_skips_the_headline_and_a_cause() -> None:
    text = (
        "Airline blames power module for outage that scrapped flights\n"
        "A failed switch caused a computer outage that grounded flights. "
        "The outage forced the airline to cancel 300 flights."
    )
    headline, cause, told, mention = _events(
        text,
        [
            "Airline blames power module for outage",
            "A failed switch",
            "a computer outage that grounded flights",
            "The outage",
        ],
    )
    edges = [{"source": cause.id, "target": told.id}]
    classifier = RootCauseClassifier("en")

    def names_cause(event: _Event) -> bool:  # as the chain builder's: a source of the graph with cause words
        source = any(e["source"] == event.id for e in edges) and all(e["target"] != event.id for e in edges)
        return source and classifier.evidence(text, event.start, event.end) > 0

    mentions = IncidentMentions("en")
    events = [headline, cause, told, mention]
    # the headline, first to name the outage, is passed over, and so is the failed switch, which tells a cause
    assert mentions.told(text, events, text.index("\n"), names_cause) is told
    assert mentions.told(text, events, 0, names_cause) is headline  # read from the first line
    assert mentions.told(text, [cause, told, mention], 0, None) is cause  # with no cause test


def test_chain_coref_join_renames_the_mention() -> None:
    text = "A failed switch caused a computer outage. The outage forced the airline to cancel 300 flights."
    cause, told, mention, effect = _events(
        text, ["A failed switch", "a computer outage", "The outage", "the airline to cancel 300 flights"]
    )
    edges = [{"source": cause.id, "target": told.id}, {"source": mention.id, "target": effect.id}]
    events, renamed, joined = IncidentMentions("en").join(text, [cause, told, mention, effect], edges, told)
    assert joined == {mention.id: told.id}
    assert [e.id for e in events] == [cause.id, told.id, effect.id]
    assert {(e["source"], e["target"]) for e in renamed} == {(cause.id, told.id), (told.id, effect.id)}
    assert told.spans[-1] == (mention.start, mention.end)


def test_chain_coref_join_makes_no_loop() -> None:
    text = "A storage outage hit the region. The outage then caused the storage outage to spread."
    told, mention = _events(text, ["A storage outage hit the region", "The outage"])
    edges = [{"source": mention.id, "target": told.id}]  # joining them would make a loop
    events, renamed, joined = IncidentMentions("en").join(text, [told, mention], edges, told)
    assert joined == {} and renamed == edges and len(events) == 2


def test_chain_coref_impact_opener_links_the_incident_to_its_impact(causal_nlp) -> None:
    text = (
        "Bank Nusantara mengalami gangguan layanan daring yang melumpuhkan aplikasi selulernya pada Senin. "
        "Dampak dari insiden ini sangat terasa, dengan ribuan nasabah tidak bisa membayar tagihan. "
        "Bank menyebut masalah itu dipicu oleh pembaruan perangkat lunak yang keliru."
    )
    chain = causal_nlp["id"](text)._.causal
    nodes = {n["id"]: n for n in chain["nodes"]}
    opened = next(e for e in chain["edges"] if e["cue"] == "Dampak dari")
    assert nodes[opened["target"]]["text"].startswith("Dampak dari insiden ini sangat terasa")
    assert nodes[opened["target"]]["type"] == "impact"
    assert nodes[opened["source"]]["text"].startswith("Bank Nusantara mengalami gangguan layanan daring")
    assert text[opened["cue_start"] : opened["cue_end"]] == "Dampak dari"
    assert opened["evidence"].startswith("Dampak dari insiden ini")


def test_chain_coref_two_names_of_a_cascade_are_one_event(causal_nlp) -> None:
    # the cascade is told twice, by two names: the deleted entry reaches the incident through it
    doc = causal_nlp["id"](
        "Layanan awan Nimbus mengalami gangguan besar pada Senin, sehingga ribuan pengguna tidak bisa masuk. "
        "Nimbus mengungkapkan bahwa bencana teknis tersebut dipicu oleh kegagalan beruntun (cascading failure). "
        "Sebuah skrip otomatis menghapus entri DNS utama. "
        "Penghapusan entri inilah yang memicu efek domino dan melumpuhkan banyak layanan lain."
    )
    chain = doc._.causal
    cascades = [n for n in chain["nodes"] if "beruntun" in n["text"] or "domino" in n["text"]]
    assert len(cascades) == 1
    edges = _edges(doc)
    cascade = cascades[0]["text"]
    told = "Layanan awan Nimbus mengalami gangguan besar pada Senin"
    assert (cascade, told) in edges and (told, "ribuan pengguna tidak bisa masuk") in edges
    assert ("entri DNS utama", cascade) in edges


def test_chain_coref_node_lists_every_mention_with_offsets(causal_nlp) -> None:
    # the node keeps the span that first told the incident and lists the mention joined to it
    text = ORBITA
    doc = causal_nlp["id"](ORBITA)
    told = next(n for n in doc._.causal["nodes"] if n["text"].startswith("Layanan internet satelit Orbita"))
    mentions = told["mentions"]
    assert [m["text"] for m in mentions] == [told["text"], "gangguan itu terjadi"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
    assert [m["sentence"] for m in mentions] == [0, 2]
    assert (mentions[0]["start"], mentions[0]["end"]) == (told["start"], told["end"])
