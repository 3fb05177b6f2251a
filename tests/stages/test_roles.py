"""Entities and roles: provider at fault, affected services, locations, and names only mentioned."""

from __future__ import annotations

import pytest

from pipeline.stages.entities import defined_terms

CASES = [
    (
        "en",
        "Cloudflare outage takes down websites\n"
        "NEW YORK — A configuration change at Cloudflare caused an outage on Tuesday that took down Reddit, "
        "ChatGPT and Spotify for about three hours. Cloudflare apologized for the disruption. "
        "Downdetector recorded thousands of reports, said Jane Roe, an analyst at Meridian Research.",
        {"Cloudflare"},
        {"Reddit", "ChatGPT", "Spotify"},
        set(),
        {"Downdetector", "NEW YORK", "Jane Roe", "Meridian Research"},
    ),
    (
        "id",
        "Gangguan AWS lumpuhkan aplikasi\n"
        "Jakarta, Kabar Teknologi – Layanan Amazon Web Services (AWS) di region US-EAST-1, Northern Virginia, "
        "mengalami gangguan pada Senin (20/10/2025). Gangguan itu membuat Roblox, Fortnite, dan Venmo tidak bisa "
        "diakses selama sekitar 14 jam. AWS meminta maaf atas gangguan tersebut.",
        {"Amazon Web Services"},
        {"Roblox", "Fortnite", "Venmo"},
        {"us-east-1", "Northern Virginia"},
        {"Jakarta"},
    ),
]


@pytest.mark.parametrize(("lang", "text", "providers", "affected", "locations", "mentioned"), CASES)
def test_roles_assign_provider_affected_location_and_mentioned(
    report_of, lang, text, providers, affected, locations, mentioned
) -> None:
    report = report_of(text)
    assert report.language == lang
    assert report.is_incident
    assert {p.name for p in report.providers} == providers
    assert affected <= {s.name for s in report.affected_services}
    assert {loc.name for loc in report.locations} == locations
    roles = {e.text: e.role for e in report.entities}
    for name in mentioned:
        assert roles.get(name, "mentioned") == "mentioned", name
    for entity in report.entities:
        assert report.text[entity.start : entity.end] == entity.text


def test_roles_provider_mentions_merge_aliases(report_of) -> None:
    report = report_of(CASES[1][1])
    (provider,) = report.providers
    assert provider.kb_id == "aws"
    assert {m.text for m in provider.mentions} == {"Amazon Web Services", "AWS"}
    assert "AWS" in provider.aliases
    for mention in provider.mentions:
        assert report.text[mention.start : mention.end] == mention.text


def test_roles_not_an_outage_gives_an_empty_report(report_of) -> None:
    report = report_of(
        "AWS opens Jakarta region\nAmazon Web Services opened a new cloud region in Jakarta on Tuesday, "
        "its first in Indonesia, and said banks and start-ups such as Gojek will use it."
    )
    assert report.is_incident is False
    assert report.providers == [] and report.affected_services == [] and report.locations == []
    assert report.root_cause is None and report.duration is None
    assert {e.text for e in report.entities} >= {"Amazon Web Services", "Jakarta"}


def test_roles_product_provider_named_down_is_also_affected(report_of) -> None:
    # Slack (a product people use, kind saas) is the provider and, where users lost it, the affected
    # product; Cloudflare (a network) named as down stays the provider only
    slack = report_of(
        "Slack outage leaves workers without messages\n"
        "Slack said a maintenance action on its database servers caused an outage on Wednesday. "
        "Slack users could not load messages for more than nine hours."
    )
    assert {p.name for p in slack.providers} == {"Slack"}
    assert "Slack" in {s.name for s in slack.affected_services}
    cloudflare = report_of(CASES[0][1])
    assert "Cloudflare" not in {s.name for s in cloudflare.affected_services}


def test_roles_ai_platform_is_the_provider_of_its_products(report_of) -> None:
    report = report_of(
        "OpenAI outage knocks ChatGPT and Sora offline\n"
        "OpenAI said a new telemetry service caused an outage on Wednesday that took down ChatGPT and Sora for "
        "more than four hours."
    )
    assert {p.name for p in report.providers} == {"OpenAI"}
    assert {"ChatGPT", "Sora"} <= {s.name for s in report.affected_services}


def test_roles_places_that_lost_power_are_locations(report_of) -> None:
    report = report_of(
        "Listrik padam di Sumatra\n"
        "Pemadaman listrik melanda Sumatra pada Selasa (4/6/2024). Warga di Jambi, Bengkulu, hingga Lampung "
        "kehilangan aliran listrik selama berjam-jam. PLN meminta maaf atas gangguan tersebut."
    )
    assert {"Jambi", "Bengkulu", "Lampung"} <= {loc.name for loc in report.locations}


@pytest.mark.parametrize(
    ("text", "name", "parts"),
    [
        ("Stream, Images and Vectorize failed.", "Images and Vectorize", ["Images", "Vectorize"]),
        ("Requests to R2, Cache Reserve failed.", "R2, Cache Reserve", ["R2", "Cache Reserve"]),
        ("Access Control Service dan Service Bus down.", "Access Control Service dan Service Bus", None),
        ("Users of Bank of America could not log in.", "Bank of America", ["Bank of America"]),
        ("Shares of Procter and gamble fell.", "Procter and gamble", ["Procter and gamble"]),
    ],
)
def test_entities_model_span_listing_names_is_split(text: str, name: str, parts: list[str] | None) -> None:
    import spacy

    from pipeline.stages.entities import _listed_parts

    doc = spacy.blank("en")(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name), label="ORG")
    found = [p.text for p in _listed_parts(span, frozenset({"and", "or"}))]
    assert found == (parts if parts is not None else [name])  # "dan" is no English list word


def test_roles_emergency_number_is_named_by_its_number(report_of) -> None:
    report = report_of(
        "Carrier outage cuts off emergency calls\n"
        "A software fault at Comcast caused an outage on Tuesday, and residents in several states were unable "
        "to reach 911 for hours."
    )
    assert "911" in {s.name for s in report.affected_services}


@pytest.mark.parametrize(
    ("text", "provider"),
    [
        (  # the headline's subject is the cloud unit, though the story names the parent more often
            "Google Cloud outage that hit Spotify traced to a blank policy\n"
            "Google said on Friday that a bug caused the outage. Google engineers rolled back the change, "
            "and Google apologised to customers whose apps were down for hours.",
            "Google Cloud",
        ),
        (  # a unit listed among what went down is no subject
            "Microsoft outage took down Teams, Outlook and Azure\n"
            "Microsoft said on Wednesday that a router command caused the outage. Microsoft engineers "
            "rolled back the change, and Microsoft apologised to users who could not reach Teams for hours.",
            "Microsoft",
        ),
    ],
)
def test_roles_headline_unit_is_the_provider(report_of, text: str, provider: str) -> None:
    assert [p.name for p in report_of(text).providers] == [provider]


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("Engineers closed a valve after the attack.", "en", False),  # an ordinary word, not the company Valve
        ("Valve said Steam was down for hours.", "en", True),
        ("Nasabah khawatir dana mereka hilang.", "id", False),  # "dana" (funds), not the wallet DANA
    ],
)
def test_entities_lowercase_word_is_no_capitalised_name(full_nlp, text: str, lang: str, found: bool) -> None:
    names = {e["canonical"] for e in full_nlp[lang](text)._.entities}
    assert bool(names & {"Valve", "DANA"}) is found


def test_roles_places_with_most_reports_or_stopped_servers_are_locations(report_of) -> None:
    report = report_of(
        "Verizon outage leaves phones without service\n"
        "Verizon customers could not make calls for hours on Monday after a software issue, the company said. "
        "Chicago, Denver and Seattle were among the places with the most reports. "
        "Data centers in London and Frankfurt stopped handling requests. "
        "Passengers queued for hours at airports in Manchester and Edinburgh."
    )
    expected = {"Chicago", "Denver", "Seattle", "London", "Frankfurt", "Manchester", "Edinburgh"}
    assert expected <= {loc.name for loc in report.locations}


def test_roles_every_mention_of_a_located_place_is_the_location(report_of) -> None:
    text = (
        "Kebakaran Lumpuhkan Pusat Data di Strasbourg\n"
        "JAKARTA - Kebakaran hebat melanda kompleks pusat data milik OVHcloud di Strasbourg, Prancis, pada "
        "Rabu (10/3/2021). Ribuan situs tidak bisa diakses akibat kebakaran itu."
    )
    report = report_of(text)
    strasbourg = next(loc for loc in report.locations if loc.name == "Strasbourg")
    assert len(strasbourg.mentions) == 2
    assert "France" in {loc.name for loc in report.locations}


def test_roles_every_mention_of_an_affected_service_is_affected(report_of) -> None:
    report = report_of(
        "Cloudflare outage knocks Discord offline\n"
        "Discord was down for two hours on Tuesday after a Cloudflare configuration change caused an outage. "
        "Discord said it was monitoring the recovery."
    )
    assert [(s.name, len(s.mentions)) for s in report.affected_services] == [("Discord", 3)]


def test_roles_cash_machines_are_no_service(report_of) -> None:
    report = report_of(
        "Gangguan Satelit Telkom Lumpuhkan ATM\n"
        "Ribuan ATM milik BCA dan BRI tidak bisa digunakan sejak Jumat akibat gangguan satelit milik Telkom. "
        "Telkom meminta maaf atas gangguan tersebut."
    )
    names = {s.name for s in report.affected_services}
    assert "ATM" not in names and {"Bank Central Asia", "Bank Rakyat Indonesia"} <= names


def test_roles_account_flooded_with_complaints_is_a_source(report_of) -> None:
    report = report_of(
        "Layanan BCA Terganggu\n"
        "Nasabah BCA tidak bisa bertransaksi sejak Senin akibat gangguan sistem. Keluhan membanjiri akun "
        "Twitter resmi bank itu. BCA meminta maaf atas gangguan tersebut."
    )
    assert {"Twitter", "X"}.isdisjoint({s.name for s in report.affected_services})


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("baterai sistem catu daya tak terputus (UPS) meledak", {"UPS"}),
        ("an uninterruptible power supply (UPS) failed, then the UPS units ran down", {"UPS"}),
        ("Amazon Web Services (AWS) and the Federal Aviation Administration (FAA)", set()),  # names, not terms
    ],
)
def test_roles_short_forms_of_common_noun_phrases_are_terms(text: str, terms: set[str]) -> None:
    assert defined_terms(text) == terms


def test_roles_a_defined_term_is_no_affected_company(report_of) -> None:
    # "UPS" is the logistics company in the knowledge base; here the text defines it as a power supply
    report = report_of(
        "Kebakaran Pusat Data Lumpuhkan Layanan Pemerintah\n"
        "DAEJEON, Kabar Teknologi – Ratusan layanan daring pemerintah Korea Selatan lumpuh setelah baterai "
        "litium-ion milik sistem catu daya tak terputus (UPS) meledak di pusat data NIRS pada Jumat malam. "
        "Api dari UPS merambat ke rak server, sehingga layanan Korea Post dan portal Government24 tidak bisa "
        "diakses warga."
    )
    assert "UPS" not in {s.name for s in report.affected_services}
    assert not any(e.text == "UPS" for e in report.entities)
