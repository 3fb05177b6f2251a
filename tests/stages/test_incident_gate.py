"""The incident gate: is a document about an outage at all?"""

from __future__ import annotations

import pytest

from pipeline.stages.incident import BRIEF_SENTENCES, reports_incident


def _outage_in(*sentences: int) -> list[dict]:
    return [{"key": "outage", "sentence": s} for s in sentences] + [{"key": "impact", "sentence": 9}]


@pytest.mark.parametrize(
    ("cues", "has_chain", "sentence_count", "expected"),
    [
        (_outage_in(2, 5), False, 30, True),  # the story keeps coming back to the outage
        (_outage_in(0), True, 30, True),  # a headline outage with a stated cause
        (_outage_in(0), False, 30, False),  # a headline outage and nothing else
        (_outage_in(7), True, 30, False),  # a long profile that mentions an outage once
        (_outage_in(1), True, BRIEF_SENTENCES, True),  # a brief summary states it once, with its cause
        (_outage_in(1), False, BRIEF_SENTENCES, False),  # ... but not without a cause
        (_outage_in(1), True, BRIEF_SENTENCES + 1, False),
        ([], True, 1, False),  # no outage word at all
    ],
)
def test_incident_gate(cues: list[dict], has_chain: bool, sentence_count: int, expected: bool) -> None:
    assert reports_incident(cues, has_chain, sentence_count) is expected


def test_incident_gate_accepts_a_brief_summary(full_nlp) -> None:
    brief = (
        "Engineers pushed a bad configuration to the quota service on Monday morning. "
        "The change caused an outage of the quota service. The team reviewed its deploy tooling."
    )
    doc = full_nlp["en"](brief)
    outage_sentences = {c["sentence"] for c in doc._.cues if c["key"] == "outage"}
    assert 0 not in outage_sentences and len(outage_sentences) == 1 and doc._.causal["edges"]
    assert doc._.is_incident is True


@pytest.mark.parametrize(
    ("story", "outage_sentences"),
    [
        (  # a power cut and a closure are outages
            "The airport was closed for most of Friday after a fire at a substation. "
            "The fire left thousands of homes without electricity. "
            "Airlines cancelled more than a thousand flights while terminals had no power.",
            {0, 1},
        ),
        (  # a site that froze, reports on Downdetector
            "Ticket sales opened on Tuesday morning for the summer tour. "
            "Fans said the site froze at checkout, and reports on Downdetector climbed within minutes. "
            "The seller later blamed record demand and said error messages had hit many buyers.",
            {1, 2},
        ),
        (  # a trading system that went wrong after a botched update, sending erroneous orders
            "The firm installed new trading software on Tuesday. "
            "A botched update left old code running on one server. "
            "When the market opened, the system sent thousands of erroneous orders before staff saw what went wrong.",
            {1, 2},
        ),
        (  # an app that hung, messages that would not send, a denial-of-service attack
            "Hackers flooded the chat service with junk traffic in a DDoS attack on Wednesday. "
            "Users said the app hung and messages would not send. "
            "The founder thanked users for their patience.",
            {0, 1},
        ),
    ],
)
def test_incident_gate_reads_outage_words(full_nlp, story: str, outage_sentences: set[int]) -> None:
    doc = full_nlp["en"](story)
    assert {c["sentence"] for c in doc._.cues if c["key"] == "outage"} == outage_sentences
    assert doc._.is_incident is True


def test_incident_gate_negated_outage_words_state_none(full_nlp) -> None:
    story = (
        "The company reported a data breach on Monday and said there was no outage. "
        "The notice did not report any disruption to the service, and builds were never down."
    )
    doc = full_nlp["en"](story)
    assert len({c["sentence"] for c in doc._.cues if c["key"] == "outage"}) == 2
    assert doc._.is_incident is False


def test_incident_gate_security_incident_alone_is_no_outage(full_nlp) -> None:
    notice = (
        "The build service urged customers to rotate their secrets after a security incident. "
        "The company said it was investigating the incident with an outside firm. "
        "Builds kept running normally, it said."
    )
    doc = full_nlp["en"](notice)
    assert {c["text"].lower() for c in doc._.cues if c["key"] == "outage"} == {"incident"}
    assert doc._.is_incident is False
    outage = "The service was down for two hours on Monday after a security incident. Users could not log in."
    assert full_nlp["en"](outage)._.is_incident is True


@pytest.mark.parametrize(
    ("lang", "story"),
    [
        (
            "id",
            "Operator seluler resmi meluncurkan layanan 5G di lima kota pada Kamis. Layanan 4G yang sudah ada tetap "
            "berjalan seperti biasa tanpa gangguan selama masa peralihan. Seorang pengamat menilai sinyal di daerah "
            "masih sering putus dan perlu pemerataan jaringan.",
        ),
        (
            "en",
            "The carrier switched on its 5G network in five cities on Thursday. Existing 4G service kept running "
            "without disruption during the move. An analyst said rural towers are still often down and "
            "coverage must widen.",
        ),
    ],
)
def test_incident_gate_outage_word_after_an_absence_word_states_none(full_nlp, lang: str, story: str) -> None:
    doc = full_nlp[lang](story)
    assert len({c["sentence"] for c in doc._.cues if c["key"] == "outage"}) == 2
    assert any(c["key"] == "absence" for c in doc._.cues)
    assert doc._.is_incident is False
