"""Cue matching and cause -> effect relations, in both languages, from clause rules."""

from __future__ import annotations

import pytest

CASES = [
    # (lang, text, cause, cue, effect)
    ("en", "A configuration change caused a global outage.", "configuration change", "caused", "global outage"),
    ("en", "The outage was triggered by a faulty update.", "faulty update", "triggered by", "outage"),
    ("en", "Payments failed due to a database error.", "database error", "due to", "Payments failed"),
    (
        "en",
        "Because of a power failure, the data centre went dark.",
        "power failure",
        "Because of",
        "data centre went dark",
    ),
    (
        "en",
        "A fibre cable was cut. As a result, customers lost internet access.",
        "fibre cable was cut",
        "As a result",
        "customers lost internet access",
    ),
    (
        "en",
        "Engineers pushed a bad route. This caused traffic to vanish.",
        "Engineers pushed a bad route",
        "This caused",
        "traffic to vanish",
    ),
    (
        "id",
        "Gangguan itu dipicu oleh pembaruan perangkat lunak.",
        "pembaruan perangkat lunak",
        "dipicu oleh",
        "Gangguan",
    ),
    (
        "id",
        "Kebakaran di pusat data menyebabkan ribuan situs tidak dapat diakses.",
        "Kebakaran di pusat data",
        "menyebabkan",
        "ribuan situs tidak dapat diakses",
    ),
    (
        "id",
        "Akibat serangan ransomware, layanan imigrasi lumpuh.",
        "serangan ransomware",
        "Akibat",
        "layanan imigrasi lumpuh",
    ),
    (
        "id",
        "Server kehabisan memori. Akibatnya, aplikasi tidak bisa dibuka.",
        "Server kehabisan memori",
        "Akibatnya",
        "aplikasi tidak bisa dibuka",
    ),
    ("id", "Layanan bank terganggu karena jaringan putus.", "jaringan putus", "karena", "Layanan bank terganggu"),
    (
        "id",
        "Penghapusan entri kunci inilah yang memicu efek domino.",
        "Penghapusan entri kunci",
        "inilah yang memicu",
        "efek domino",
    ),
    # a fronted cue opening a coordinated clause: "..., and because X, Y"
    (
        "en",
        "The plan reached the system at 8:32, and because the software could not process it, both systems shut down.",
        "software could not process",  # a trailing pronoun is trimmed
        "because",
        "both systems shut down",
    ),
    (
        "id",
        "Berkas itu tiba pukul 08.32, dan karena perangkat lunak gagal membacanya, kedua sistem berhenti.",
        "perangkat lunak gagal membacanya",
        "karena",
        "kedua sistem berhenti",
    ),
    # a quoted cause ends with its quotation
    (
        "en",
        'The outage was the result of "an operational issue" and Sony apologised for it.',
        "operational issue",
        "the result of",
        "outage",
    ),
    # a cue whose object is the effect: "traced the problem to X", "blamed the disruption on X"
    (
        "en",
        "Amazon traced the problem to a fault in a subsystem that manages capacity.",
        "fault in a subsystem that manages capacity",
        "traced ... to",
        "problem",
    ),
    (
        "en",
        "Discord blamed its disruption on a malfunctioning component, and engineers rolled it back.",
        "malfunctioning component",
        "blamed ... on",
        "disruption",
    ),
    # what was said is the argument, not who said it
    (
        "en",
        "Google said on its status dashboard that the Traffic Director problem was caused by a recent release.",
        "recent release",
        "caused by",
        "Traffic Director problem",
    ),
    # an attribution opening the sentence is no part of the cause
    (
        "en",
        "According to the status page, the lightning caused voltage surges at the facility.",
        "lightning",
        "caused",
        "voltage surges at the facility",
    ),
    (
        "id",
        "Menurut keterangan perusahaan, sambaran petir menyebabkan lonjakan tegangan di fasilitas itu.",
        "sambaran petir",
        "menyebabkan",
        "lonjakan tegangan di fasilitas",  # a trailing demonstrative is trimmed
    ),
    # a cue with its object in the middle ("led us to") and a cue of equipment that trips
    (
        "en",
        "A smoke condition at the data center led us to power down systems in the facility.",
        "smoke condition at the data center",
        "led us to",
        "power down systems in the facility",
    ),
    ("en", "A utility power sag tripped the chillers offline.", "utility power sag", "tripped", "chillers offline"),
    # a verb whose object is the cause and whose particle opens the effect
    (
        "en",
        "Apple blamed an internal DNS error for the outage that hit its stores.",
        "internal DNS error",
        "blamed ... for",
        "outage that hit its stores",
    ),
    (
        "id",
        "Perusahaan menyalahkan kesalahan konfigurasi atas gangguan layanan pada Senin.",
        "kesalahan konfigurasi",
        "menyalahkan ... atas",
        "gangguan layanan pada Senin",
    ),
    # a section heading is no sentence to link back to: the statement explains the sentence before it
    (
        "en",
        "Many customers saw login errors.\n\nRoot cause\nThe root cause was a faulty certificate.",
        "faulty certificate",
        "root cause",
        "Many customers saw login errors",
    ),
    (
        "en",
        "A fibre cable was cut.\n\nImpact\nAs a result, customers lost internet access.",
        "fibre cable was cut",
        "As a result",
        "customers lost internet access",
    ),
    (
        "id",
        "Kabel serat optik putus.\n\nDampak\nAkibatnya, pelanggan kehilangan akses internet.",
        "Kabel serat optik putus",
        "Akibatnya",
        "pelanggan kehilangan akses internet",
    ),
    (
        "en",
        "Once the queue passed its limit, the scheduler could no longer place new jobs.",
        "queue passed its limit",
        "Once",
        "scheduler could no longer place new jobs",
    ),
    ("en", "Card payments resumed once the database came back.", "database came back", "once", "Card payments resumed"),
    ("en", "The national grid collapsed, stopping trains.", "national grid collapsed", "stopping", "stopping trains"),
    (
        "en",
        "The primary failed, which meant that writes were rejected.",
        "primary failed",
        "which meant that",
        "writes were rejected",
    ),
    ("en", "A faulty certificate was behind the outage.", "faulty certificate", "was behind", "outage"),
    (
        "en",
        "The primary database stalled, and the resulting delay knocked payments offline for an hour.",
        "primary database stalled",
        "the resulting",
        "delay",
    ),
]


@pytest.mark.parametrize(("lang", "text", "cause", "cue", "effect"), CASES)
def test_causal_relation_arguments(causal_nlp, lang: str, text: str, cause: str, cue: str, effect: str) -> None:
    doc = causal_nlp[lang](text)
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    assert (cause, cue, effect) in found
    for relation in doc._.relations:
        for side in ("cause", "effect"):
            span = relation[side]
            assert text[span["start"] : span["end"]] == span["text"]


def test_causal_chain_inside_one_sentence(causal_nlp) -> None:
    doc = causal_nlp["id"]("Bug perangkat lunak memicu efek domino dan melumpuhkan banyak layanan lain.")
    edges = {(e["source"], e["target"]) for e in doc._.causal["edges"]}
    nodes = {n["id"]: n["text"] for n in doc._.causal["nodes"]}
    assert {(nodes[s], nodes[t]) for s, t in edges} == {
        ("Bug perangkat lunak", "efek domino"),
        ("efek domino", "banyak layanan lain"),
    }
    assert doc._.root_cause["text"] == "Bug perangkat lunak"
    assert doc._.root_cause["category"] == "software_bug"


def test_causal_speculated_and_denied_causes(causal_nlp) -> None:
    doc = causal_nlp["id"]("Gangguan layanan bank diduga disebabkan oleh serangan siber. Layanan mati selama tiga jam.")
    assert doc._.root_cause["category"] == "cyberattack"
    assert doc._.root_cause["speculative"] is True
    denied = causal_nlp["en"](
        "The outage was not caused by a cyberattack. It was caused by a faulty configuration change."
    )
    assert denied._.root_cause["category"] == "config_change"


def test_causal_cues_have_offsets_and_keys(causal_nlp) -> None:
    text = "Layanan lumpuh akibat gangguan listrik, kata juru bicara."
    doc = causal_nlp["id"](text)
    keys = {c["key"] for c in doc._.cues}
    assert {"outage", "causal.backward", "attribution"} <= keys
    for cue in doc._.cues:
        assert text[cue["start"] : cue["end"]].lower() == cue["text"].lower()


def test_causal_no_cue_gives_empty_chain(causal_nlp) -> None:
    doc = causal_nlp["en"]("The company opened a new office in Jakarta this week.")
    assert doc._.relations == []
    assert doc._.causal == {"nodes": [], "edges": []}
    assert doc._.root_cause is None
    assert doc._.is_incident is False


def test_causal_object_cue_cause_stops_before_a_coordinated_verb(full_nlp) -> None:
    # the parser tells the coordinated verb ("and turned ... off") from a noun list
    doc = full_nlp["en"]("We traced the contention to streaming and turned the feature off everywhere.")
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    assert ("streaming", "traced ... to", "contention") in found


def test_causal_indonesian_object_cue(causal_nlp) -> None:
    text = "Perusahaan mengaitkan gangguan itu dengan pembaruan perangkat lunak."
    doc = causal_nlp["id"](text)
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    assert ("pembaruan perangkat lunak", "mengaitkan ... dengan", "gangguan") in found


def test_causal_object_cue_needs_an_object(full_nlp) -> None:
    # "blamed for the attack on JBS": a preposition after the verb, so no object and no "blamed ... on" link
    doc = full_nlp["en"]("REvil was also blamed for the attack on meat processor JBS in May.")
    assert [r["cue"] for r in doc._.relations if r["cue"] == "blamed ... on"] == []


def test_causal_question_word_before_a_cue_states_no_cause(causal_nlp) -> None:
    # "did not say who was behind the attack": nobody is named as the cause
    doc = causal_nlp["en"]("The company did not say who was behind the attack on its network.")
    assert [r["cue"] for r in doc._.relations] == []


def test_causal_once_in_an_idiom_is_no_cue(causal_nlp) -> None:
    doc = causal_nlp["en"]("The app crashed once again on Monday, and the site failed more than once.")
    assert [r["cue"] for r in doc._.relations if r["cue"].lower() == "once"] == []


def test_causal_trouble_names_the_incident(causal_nlp) -> None:
    # a cause stated for "the trouble" is stated as the root
    doc = causal_nlp["en"]("The company said the trouble was set off by an automated cleanup job.")
    roots = [r["cause"]["text"] for r in doc._.relations if r["root"]]
    assert roots == ["automated cleanup job"]
