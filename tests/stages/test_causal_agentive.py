"""Links an event states as the subject of a verb with an object ("a storm cut power to ..."), with no
cue word: the argument holding the clause is split, the event linked to what its verb says."""

from __future__ import annotations

import pytest

SPLIT = [
    # (text, cause, verb, effect)
    (
        "The website went down after a violent storm on Friday destroyed the power lines near the data centre.",
        "violent storm on Friday",
        "destroyed",
        "destroyed the power lines near the data centre",
    ),
    (
        "Shops closed early after a routing fault at a regional carrier, one of the largest in the country, "
        "sent card traffic to the wrong network.",
        "routing fault at a regional carrier",
        "sent",
        "sent card traffic to the wrong network",
    ),
    (
        "Trains stopped after a long meltdown that lasted most of the week, scrapped 4,000 journeys.",
        "long meltdown",
        "scrapped",
        "scrapped 4,000 journeys",
    ),
    (
        "Bank customers were angry after an outage last month that stopped users from paying their bills.",
        "outage last month",
        "stopped",
        "stopped users from paying their bills",
    ),
]


@pytest.mark.parametrize(("text", "cause", "verb", "effect"), SPLIT)
def test_agentive_clause_in_an_argument_is_its_own_link(full_nlp, text: str, cause: str, verb: str, effect: str):
    doc = full_nlp["en"](text)
    found = {(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations}
    assert (cause, verb, effect) in found
    outer = [r for r in doc._.relations if r["cue"] == "after"]
    assert [r["cause"]["text"] for r in outer] == [effect]  # the outer link keeps what the event did


def test_agentive_split_makes_the_event_the_root(full_nlp):
    text = "The airline grounded its flights after a fire at a substation destroyed the main transformer."
    doc = full_nlp["en"](text)
    edges = {(e["source"], e["target"]) for e in doc._.causal["edges"]}
    nodes = {n["id"]: n["text"] for n in doc._.causal["nodes"]}
    assert {(nodes[s], nodes[t]) for s, t in edges} == {
        ("fire at a substation", "destroyed the main transformer"),
        ("destroyed the main transformer", "airline grounded its flights"),
    }
    assert doc._.root_cause["text"] == "fire at a substation"


NO_SPLIT = [
    # a person acts, not an event
    "The website went down after engineers rolled back the change on Friday.",
    # the relative clause belongs to a later noun: the system, not the bug, generates the settings
    "Users were locked out after a bug in the system that generates settings for the network.",
    # the event's verb states no effect
    "Payments failed after the outage lasted into the evening.",
    # a colon opens another clause
    "The sensor crashed because of a logic error in the parser: the template defined 21 fields.",
]


@pytest.mark.parametrize("text", NO_SPLIT)
def test_agentive_split_needs_an_event_acting_on_an_object(full_nlp, text: str):
    doc = full_nlp["en"](text)
    cues = {r["cue"] for r in doc._.relations}
    assert cues <= {"after", "because of"}, cues


def test_passive_subject_with_a_relative_clause_is_the_effect(full_nlp):
    # the relative clause's own cue ("knocked out") cut the effect; the passive verb's subject is the outage
    text = (
        "The carrier said the outage that knocked out mobile service for two million customers on Friday "
        "was caused by a faulty routing update."
    )
    doc = full_nlp["en"](text)
    found = {(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations}
    assert ("faulty routing update", "caused by", "outage") in found


def test_resulting_event_acts_in_the_next_sentence(full_nlp):
    text = "The router cluster restarted twice. The resulting delays pushed checkout latency past ten seconds."
    doc = full_nlp["en"](text)
    found = {(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations}
    assert ("router cluster restarted twice", "The resulting", "delays") in found
    assert ("delays", "pushed", "pushed checkout latency past ten seconds") in found


def test_relative_clause_after_a_clause_states_its_effect(full_nlp):
    text = "Engineers switched off the entire network as a precaution, which cut staff off from patient records."
    doc = full_nlp["en"](text)
    found = {(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations}
    assert (
        "Engineers switched off the entire network as a precaution",
        "which cut",
        "cut staff off from patient records",
    ) in found


def test_relative_clause_after_a_noun_states_no_effect(full_nlp):
    # the relative clause tells what the system does, not what an event caused
    doc = full_nlp["en"]("A bug in the login system, which handles passwords, crashed the site.")
    assert [r["cue"] for r in doc._.relations] == ["crashed"]
    doc = full_nlp["en"]("The fault hit the cooling controller, which manages the fans in every hall.")
    assert [r["cue"] for r in doc._.relations] == []  # "cooling" modifies a noun: no clause before "which"
