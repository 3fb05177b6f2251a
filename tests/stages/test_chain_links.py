"""Causal links across clauses and sentences, root selection and root-cause categories (issue #6)."""

from __future__ import annotations

import pytest

from pipeline.stages.rootcause import RootCauseClassifier

RELATIONS = [
    # (lang, text, (cause, cue, effect)): the rule each case pins down is in its comment
    # an anaphoric cue takes the last effect of the previous sentence, not the whole sentence
    (
        "en",
        "A bad route was pushed, which caused a routing loop. As a result, customers lost access.",
        ("routing loop", "As a result", "customers lost access"),
    ),
    # a forward cue in the passive with an agent links backward
    ("en", "The DNS record was deleted by a clean-up process.", ("clean-up process", "deleted", "DNS record")),
    # a causal cue right before another ("in turn caused") does not empty the cause
    ("en", "The database failure in turn caused a backlog.", ("database failure", "caused", "backlog")),
    # a fronted clause is neither part of the next cause nor does its effect run past the next cue
    (
        "en",
        "Because of the failover, the databases held unsynced writes, so engineers could not fail back.",
        ("failover", "Because of", "databases held unsynced writes"),
    ),
    (
        "en",
        "Because of the failover, the databases held unsynced writes, so engineers could not fail back.",
        ("databases held unsynced writes", "so", "engineers could not fail back"),
    ),
    # a relative clause closed by a comma is skipped
    ("en", "The outage, which began at dawn, cut off calls for millions.", ("outage", "cut off", "calls for millions")),
    # ", which could have caused": function words between a boundary and the cue
    (
        "en",
        "The fault was a bad routing change, which could have caused the routers to shut down.",
        ("fault was a bad routing change", "caused", "routers to shut down"),
    ),
    # a strong determiner whose noun has no match points back to the previous sentence's last effect
    (
        "en",
        "Maintenance work resulted in a loss of connectivity. "
        "Connectivity returned quickly, but this brief partition triggered a failover.",
        ("loss of connectivity", "triggered", "failover"),
    ),
    # an anaphoric noun resolves to the whole clause that holds the matching word
    (
        "en",
        "During routine maintenance, a configuration change was issued to the routers. "
        "The change took down the backbone.",
        ("configuration change was issued to the routers", "took down", "backbone"),
    ),
    # a complementizer after an attribution starts the reported cause
    (
        "en",
        "The government said on Monday that a ransomware attack disrupted online services.",
        ("ransomware attack", "disrupted", "online services"),
    ),
    ("en", "A technical issue was to blame for the problems.", ("technical issue", "was to blame for", "problems")),
    # before an anaphoric cue, a short cause finds its event in the previous (non-blank) sentence
    (
        "id",
        "Dua program independen saling berpacu, yang pada akhirnya malah menghapus entri jaringan penting.\n\n"
        "Penghapusan entri kunci inilah yang memicu efek domino.",
        ("Dua program independen saling berpacu", "menghapus", "entri jaringan penting"),
    ),
    (
        "id",
        "Dua program independen saling berpacu, yang pada akhirnya malah menghapus entri jaringan penting.\n\n"
        "Penghapusan entri kunci inilah yang memicu efek domino.",
        ("entri jaringan penting", "inilah yang memicu", "efek domino"),
    ),
]


RELATIONS += [
    # a reporting verb ends the cause's clause, as "mengungkapkan" does
    (
        "id",
        "Perusahaan itu menjelaskan kesalahan konfigurasi yang memicu gangguan layanan.",
        ("kesalahan konfigurasi", "yang memicu", "gangguan layanan"),
    ),
]

RELATIONS += [
    # a relative clause holding only its subject: the link's effect is the noun before it
    (
        "en",
        "The carrier will credit customers hit by the outage, which the company blamed on a faulty network update.",
        ("faulty network update", "blamed on", "carrier will credit customers hit by the outage"),
    ),
    # ", when" opens the clause whose subject is the cause
    (
        "en",
        "The trouble started at 15:46 UTC on Thursday, when a configuration update set off a bug.",
        ("configuration update", "set off", "bug"),
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), RELATIONS)
def test_chain_links_relation(causal_nlp, lang: str, text: str, expected: tuple[str, str, str]) -> None:
    doc = causal_nlp[lang](text)
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    assert expected in found


def _edge_texts(doc) -> set[tuple[str, str]]:
    """The chain's edges as (cause text, effect text)."""
    nodes = {n["id"]: n["text"] for n in doc._.causal["nodes"]}
    return {(nodes[e["source"]], nodes[e["target"]]) for e in doc._.causal["edges"]}


def test_chain_links_passive_without_agent_states_no_link(causal_nlp) -> None:
    doc = causal_nlp["en"]("The endpoint was left with an empty record.")
    assert doc._.relations == []


def test_chain_links_sentence_chain_is_connected(causal_nlp) -> None:
    doc = causal_nlp["id"](
        "Dua program independen saling berpacu, yang pada akhirnya malah menghapus entri jaringan penting.\n\n"
        "Penghapusan entri kunci inilah yang memicu efek domino."
    )
    edges = _edge_texts(doc)
    assert edges == {
        ("Dua program independen saling berpacu", "entri jaringan penting"),
        ("entri jaringan penting", "efek domino"),
    }
    assert doc._.root_cause["category"] == "automation"
    # each node carries the sentence of its own span, also when a later sentence links it
    sentences = list(doc.sents)
    first, second = sentences[0], sentences[-1]
    assert {n["text"]: sentences[n["sentence"]] for n in doc._.causal["nodes"]} == {
        "Dua program independen saling berpacu": first,
        "entri jaringan penting": first,
        "efek domino": second,
    }


def test_chain_links_headline_yields_to_body(causal_nlp) -> None:
    doc = causal_nlp["en"](
        "Typo caused S3 outage\nOne input to the command was entered incorrectly, and as a result servers were removed."
    )
    assert doc._.root_cause["text"] == "One input to the command was entered incorrectly"
    assert doc._.root_cause["category"] == "human_error"
    assert all(n["start"] > len("Typo caused S3 outage") for n in doc._.causal["nodes"])


def test_chain_links_first_line_sentence_is_not_a_headline(causal_nlp) -> None:
    doc = causal_nlp["en"]("A power failure caused the outage.\nCustomers lost access.")
    assert doc._.root_cause["text"] == "power failure"


def test_chain_links_planned_change_is_not_the_root(causal_nlp) -> None:
    doc = causal_nlp["en"](
        "A faulty update crashed the proxies. "
        "Rule updates will now go through a staged rollout, so that a bad change affects only part of the network."
    )
    assert doc._.root_cause["text"] == "faulty update"
    types = {n["text"]: n["type"] for n in doc._.causal["nodes"]}
    assert types["Rule updates will now go through a staged rollout"] == "mitigation"


CATEGORIES = [
    # a cut or damaged cable is equipment (the guidelines' hardware), not routing; DNSSEC is DNS
    ("id", "kerusakan pada sistem komunikasi kabel laut di perairan Batam", "hardware"),
    ("id", "kabel bawah laut yang putus tersangkut jangkar kapal", "hardware"),
    ("en", "a botched DNSSEC key rollover", "dns"),
    ("id", "kesalahan tanda tangan DNSSEC pada zona itu", "dns"),
    ("en", "A series of powerful cyberattacks on the DNS provider", "cyberattack"),
    ("en", "routine maintenance work to replace failing optical equipment", "hardware"),
    ("en", "One input to the command was entered incorrectly", "human_error"),
    ("en", "an outage at our cloud provider", "dependency_failure"),
    ("id", "gangguan pada penyedia cloud kami", "dependency_failure"),
    ("id", "sebuah perintah yang dijalankan saat pemeliharaan rutin", "human_error"),
    # a router or a switch that fails is equipment, a change to one is a configuration change
    ("en", "a faulty network router", "hardware"),
    ("en", "a component within a switch at the primary site broke down", "hardware"),
    ("en", "A configuration error on a single router in Atlanta", "config_change"),
    ("en", "a maintenance action in one of its database systems", "config_change"),
    # a power line or a power interconnection cable is power; a network cable cut is hardware
    ("id", "gangguan pada saluran udara tegangan tinggi (SUTT) 275 kV Linggau–Lahat", "power"),
    ("id", "gangguan pada kabel laut interkoneksi Jawa–Bali", "power"),
    ("id", "putusnya kabel laut yang menghubungkan Batam dan Singapura", "hardware"),
]


@pytest.mark.parametrize(("lang", "text", "category"), CATEGORIES)
def test_chain_links_root_category_keywords(lang: str, text: str, category: str) -> None:
    scores = RootCauseClassifier(lang).scores(text, 0, len(text), None, [])
    assert max(scores, key=scores.get) == category


def test_chain_links_cause_named_in_an_earlier_sentence_keeps_that_sentence(causal_nlp) -> None:
    doc = causal_nlp["en"]("Engineers pushed a faulty configuration to the routers. This caused a routing loop.")
    sentences = list(doc.sents)
    root = doc._.root_cause
    assert root["text"] == "Engineers pushed a faulty configuration to the routers"
    assert sentences[root["sentence"]] == sentences[0]
    assert {n["text"]: n["sentence"] for n in doc._.causal["nodes"]} == {
        "Engineers pushed a faulty configuration to the routers": 0,
        "routing loop": 1,
    }


def test_chain_links_restatement_joins_the_event_it_restates(causal_nlp) -> None:
    # the more confident link ("caused") is read first and makes "The outage" an event before the
    # outage it restates, two sentences back; the two are joined, so the chain runs on through them
    doc = causal_nlp["en"](
        "Customers lost phone service in last week's nationwide outage after a faulty process ran during an "
        "expansion. Officials said a review continues. The outage also caused problems for emergency services."
    )
    edges = _edge_texts(doc)
    lost = "Customers lost phone service in last week's nationwide outage"
    assert edges == {
        ("faulty process ran during an expansion", lost),
        (lost, "problems for emergency services"),
    }
    assert doc._.root_cause["text"] == "faulty process ran during an expansion"


def test_chain_links_category_words_come_from_this_incident_only(report_of) -> None:
    # the 2011 intrusion is another incident's cause: its words lend the vague root no category
    report = report_of(
        "PlayStation Network back after day-long outage\n"
        "In April 2011 the network was down for 23 days after an intrusion by hackers. "
        "On Friday, March 7, 2025, the network went down again for a full day. Sony said the outage was the "
        'result of "an operational issue" and apologised for the inconvenience.'
    )
    assert report.root_cause is not None
    assert report.root_cause.text == "operational issue"
    assert report.root_cause.category == "unknown"


def test_chain_links_repairs_are_mitigation_nodes(full_nlp) -> None:
    doc = full_nlp["en"](
        "A faulty card caused an outage that cut off 911 calls. The gateway was disabled. "
        "Engineers rolled back the change and patched the card, and service came back."
    )
    nodes = {n["text"]: n["type"] for n in doc._.causal["nodes"]}
    assert nodes["Engineers rolled back the change and patched the card"] == "mitigation"
    assert "gateway was disabled" not in " ".join(nodes)  # a passive cue states a condition, not a repair
    linked = {e["source"] for e in doc._.causal["edges"]} | {e["target"] for e in doc._.causal["edges"]}
    repair = next(n for n in doc._.causal["nodes"] if n["type"] == "mitigation")
    assert repair["id"] not in linked
    assert doc.text[repair["start"] : repair["end"]] == repair["text"]


@pytest.mark.parametrize(
    ("lang", "text", "impact"),
    [
        (
            "en",
            "A faulty configuration change caused the login service to crash. "
            "Customers could not sign in to their accounts for most of the morning. "
            '"It was chaos," one customer said.',
            "Customers could not sign in to their accounts for most of the morning",
        ),
        (
            "id",
            "Perubahan konfigurasi yang keliru menyebabkan layanan login gagal. "
            "Nasabah tidak bisa masuk ke aplikasi selama hampir tiga jam.",
            "Nasabah tidak bisa masuk ke aplikasi selama hampir tiga jam",
        ),
    ],
)
def test_chain_links_impact_stated_without_a_cue_is_a_node_of_its_own(
    causal_nlp, lang: str, text: str, impact: str
) -> None:
    # an impact sentence with no cue is an impact node; no cue says what caused it, so no edge reaches it
    chain = causal_nlp[lang](text)._.causal
    types = {n["text"]: (n["id"], n["type"]) for n in chain["nodes"]}
    node_id, node_type = types[impact]
    assert node_type == "impact"
    assert not any(node_id in (e["source"], e["target"]) for e in chain["edges"])
    assert len(chain["edges"]) == 1
    assert not any("chaos" in n["text"] for n in chain["nodes"])  # a quote states no impact


def test_chain_links_repairs_without_a_parse_open_at_their_clause(causal_nlp) -> None:
    # Indonesian has no dependency parse: a repair opens at its clause's start when a short subject
    # stands there, and ends at the clause's end; none is read in the headline or after a negation
    text = (
        "Pemulihan Layanan Bank Makmur Butuh Sehari\n"
        "Pembaruan perangkat lunak yang keliru menyebabkan aplikasi Bank Makmur gagal dibuka. "
        "Teknisi kemudian memulihkan server utama, sementara pelanggan diminta menunggu. "
        "Menurut perusahaan, daya cadangan tidak bisa dialihkan dengan cepat."
    )
    chain = causal_nlp["id"](text)._.causal
    repairs = [n["text"] for n in chain["nodes"] if n["type"] == "mitigation"]
    assert repairs == ["Teknisi kemudian memulihkan server utama"]
