"""Role rules driven by per-language context cues and knowledge-base structure (issue #4)."""

from __future__ import annotations

import pytest

from pipeline.kb import load_kb
from pipeline.stages.entities import entity_data
from pipeline.stages.role_context import ContextMatcher
from pipeline.stages.role_passes import company_behind_product, locate_region_places, spread_over_lists


def _at(text: str, name: str) -> dict:
    start = text.index(name)
    return {"start": start, "end": start + len(name)}


@pytest.mark.parametrize(
    ("cue_set", "lang", "text", "name", "expected"),
    [
        ("affected", "en", "The outage took down Acme Notes for hours.", "Acme Notes", True),
        ("affected", "en", "Users of Acme Notes could not log in.", "Acme Notes", True),
        ("affected", "en", "Acme Notes was down for most of the day.", "Acme Notes", True),
        ("affected", "en", "Metro Trains in Melbourne briefly halted services.", "Metro Trains", True),
        ("affected", "en", "The site was affected by Acme Botnet traffic.", "Acme Botnet", False),
        ("affected", "en", "Acme Research said the outage was unusual.", "Acme Research", False),
        ("affected", "en", "Outages hit by Mirai, researchers wrote.", "Mirai", False),
        ("affected", "id", "Aplikasi Kopi Kita tidak bisa diakses sejak pagi.", "Kopi Kita", True),
        ("affected", "id", "Gangguan itu melumpuhkan Kopi Kita di Jakarta.", "Kopi Kita", True),
        ("affected", "id", "Gangguan dipicu oleh Kopi Kita, kata analis.", "Kopi Kita", False),
        ("location", "en", "Servers in our US West Coast data center became primaries.", "US West Coast", True),
        ("location", "en", "Power failed at a data center in Ashburn on Tuesday.", "Ashburn", True),
        ("location", "en", "The company is based in Ashburn.", "Ashburn", False),
        ("location", "id", "Serangan mengenai pusat data di Surabaya.", "Surabaya", True),
        ("location", "id", "Kantor pusat perusahaan di Surabaya.", "Surabaya", False),
        ("provider", "en", "Discord experienced significant connectivity issues.", "Discord", True),
        ("provider", "en", "There was an outage at Acme Cloud on Monday.", "Acme Cloud", True),
        ("provider", "en", "A bug in Acme's network software spread.", "Acme", True),
        ("provider", "en", "It exposed limits within Epic Games' infrastructure.", "Epic Games", True),
        ("provider", "en", "Optus said its network failed after a routing change.", "Optus", True),
        ("provider", "en", "Heroku apologized for the disruption.", "Heroku", True),
        ("provider", "en", "CircleCI customers experienced long delays.", "CircleCI", False),
        ("provider", "en", "Users of Acme Notes could not log in.", "Acme Notes", False),
        ("provider", "en", "Roblox and Fortnite experienced errors.", "Roblox", False),
        ("provider", "id", "BSI meminta maaf atas gangguan layanan.", "BSI", True),
        ("provider", "id", "Terjadi gangguan di Telkomsel sejak pagi.", "Telkomsel", True),
        ("provider", "id", "PLN mengatakan pihaknya sedang memulihkan jaringan.", "PLN", True),
        ("provider", "id", "Pengguna Gojek mengeluh sejak pagi.", "Gojek", False),
        ("provider", "id", "Layanan Gojek dan Grab mengalami gangguan.", "Gojek", False),
        (
            "source",
            "en",
            "It lasted 15 hours, according to updates on the AWS health dashboard.",
            "AWS health dashboard",
            True,
        ),
        ("source", "en", "The company posted updates on Twitter instead.", "Twitter", True),
        ("source", "en", "People trying to reach Twitter got errors.", "Twitter", False),
        ("source", "en", "Travelers posted photos on Twitter of packed gates.", "Twitter", True),
        ("source", "en", "Rivals such as Delta Air Lines were back to normal.", "Delta Air Lines", True),
        (
            "source",
            "en",
            "Its founder told customers on Twitter to activate their recovery plans.",
            "Twitter",
            True,
        ),
        (
            "source",
            "id",
            "Pendirinya memberi tahu pelanggan melalui Twitter agar memulihkan cadangan.",
            "Twitter",
            True,
        ),
        ("source", "id", "Hal itu disampaikan melalui akun resmi Twitter perusahaan.", "Twitter", True),
        ("source", "id", "Menurut pembaruan di dasbor AWS, layanan pulih.", "dasbor AWS", True),
        ("source", "id", "Pengguna Twitter tidak bisa masuk.", "Twitter", False),
        ("affected", "en", "Customers using Acme Pay could not check out.", "Acme Pay", True),
        ("affected", "en", "Engineers using Acme Pay fixed it.", "Acme Pay", False),
        ("affected", "en", "Microsoft Windows computers crashed overnight.", "Microsoft Windows", True),
        ("affected", "id", "Pelanggan yang menggunakan Kopi Kita tidak bisa membayar.", "Kopi Kita", True),
        ("affected", "id", "Komputer berbasis Windows mengalami layar biru.", "Windows", True),
    ],
)
def test_context_cues(cue_set: str, lang: str, text: str, name: str, expected: bool) -> None:
    matcher = ContextMatcher(getattr(entity_data(lang), f"{cue_set}_context"))
    assert matcher.matches(text, _at(text, name)) is expected


def test_affected_context_after_only() -> None:
    matcher = ContextMatcher(entity_data("id").affected_context)
    text = "masalah DNS pada layanan basis data DynamoDB membuat aplikasi error"
    assert matcher.matches(text, _at(text, "DynamoDB")) is True  # "layanan" before it
    assert matcher.matches_after(text, _at(text, "DynamoDB")) is False
    text = "DynamoDB tidak dapat dijangkau oleh layanan lain"
    assert matcher.matches_after(text, _at(text, "DynamoDB")) is True


def _entity(text, label, role, kb_id, sentence=0, source="kb", start=0):
    return {
        "text": text,
        "start": start,
        "end": start + len(text),
        "label": label,
        "canonical": text,
        "kb_id": kb_id,
        "role": role,
        "source": source,
        "sentence": sentence,
    }


def test_place_of_a_located_region_is_a_location() -> None:
    kb = load_kb()
    entities = [
        _entity("US-EAST-1", "CLOUD_REGION", "location", "region.aws.us-east-1", sentence=3),
        _entity("Northern Virginia", "PLACE", "mentioned", "place.northern_virginia", sentence=3),
        _entity("Northern Virginia", "PLACE", "mentioned", "place.northern_virginia", sentence=5),
        _entity("Seattle", "PLACE", "mentioned", "place.seattle", sentence=3),
    ]
    locate_region_places(entities, kb)
    assert [e["role"] for e in entities] == ["location", "location", "mentioned", "mentioned"]


def testcompany_behind_product_becomes_provider_when_none_found() -> None:
    kb = load_kb()
    entities = [
        _entity("Facebook", "SERVICE", "mentioned", "meta.facebook", sentence=1),
        _entity("Facebook", "SERVICE", "affected", "meta.facebook", sentence=2),
        _entity("Instagram", "SERVICE", "mentioned", "meta.instagram", sentence=4),
    ]
    company_behind_product(entities, kb)
    first, second, third = entities
    assert (first["role"], first["kb_id"], first["canonical"]) == ("provider", "meta", "Meta")
    assert first["label"] == "PROVIDER"
    assert (second["role"], second["kb_id"]) == ("affected", "meta.facebook")
    assert (third["role"], third["kb_id"]) == ("mentioned", "meta.instagram")


def test_unknown_name_mislabelled_as_place_is_affected_when_listed() -> None:
    text = "apps including Trello, Quora and Giphy were down"
    entities = [
        _entity("Trello", "SERVICE", "affected", "atlassian.trello", start=text.index("Trello")),
        _entity("Quora", "ORG", "mentioned", None, source="model", start=text.index("Quora")),
        _entity("Giphy", "PLACE", "mentioned", None, source="model", start=text.index("Giphy")),
    ]
    spread_over_lists(text, entities, frozenset({"and"}))
    assert [(e["label"], e["role"]) for e in entities] == [
        ("SERVICE", "affected"),
        ("ORG", "affected"),
        ("ORG", "affected"),
    ]


def test_known_place_listed_with_affected_names_stays_a_place() -> None:
    text = "Roblox, Snapchat and London"
    entities = [
        _entity("Roblox", "SERVICE", "affected", "roblox", start=0),
        _entity("Snapchat", "SERVICE", "affected", "snapchat", start=text.index("Snapchat")),
        _entity("London", "PLACE", "mentioned", "place.london", start=text.index("London")),
    ]
    spread_over_lists(text, entities, frozenset({"and"}))
    assert entities[2]["label"] == "PLACE" and entities[2]["role"] == "mentioned"


def test_names_after_a_recalled_date_in_their_sentence_are_mentioned(extractor) -> None:
    from pipeline.extractor import _make_doc
    from pipeline.io import Record

    text = (
        "WhatsApp went down on Tuesday, Oct. 25, and users could not send messages for about two hours.\n"
        "It was the worst outage since October 2021, when a faulty change cut off Facebook and Instagram."
    )
    record = Record(position=0, doc_id="recalled", source="test", text=text, published="2022-10-26")
    nlp = extractor.nlp("en")
    doc = nlp(_make_doc(nlp, record, extractor._route(record)))
    roles = {e["text"]: e["role"] for e in doc._.entities}
    assert roles["WhatsApp"] == "affected"
    assert roles["Instagram"] == "mentioned" and roles["Facebook"] != "affected"


def test_places_listed_with_an_affected_place_are_affected() -> None:
    text = "Aliran listrik di Denpasar, Badung, Gianyar, hingga Buleleng terputus. Kantor berita Antara di Jakarta."
    entities = [
        {**_entity("Denpasar", "PLACE", "location", "place.denpasar"), **_at(text, "Denpasar")},
        {**_entity("Badung", "PLACE", "mentioned", None, source="model"), **_at(text, "Badung")},
        {**_entity("Gianyar", "PLACE", "mentioned", None, source="model"), **_at(text, "Gianyar")},
        {**_entity("Buleleng", "PLACE", "mentioned", None, source="model"), **_at(text, "Buleleng")},
        {**_entity("Jakarta", "PLACE", "mentioned", "place.jakarta", sentence=1), **_at(text, "Jakarta")},
    ]
    spread_over_lists(text, entities, frozenset({"dan", "hingga"}))
    assert [e["role"] for e in entities] == ["location"] * 4 + ["mentioned"]
