"""Provider evidence from per-language cues, sources, makers and airports (issue #4, round 2)."""

from __future__ import annotations

import pytest

from pipeline.kb import load_kb
from pipeline.stages.role_passes import makers_of_affected_products, recalled_incidents, recalled_spans
from pipeline.stages.roles import _Group, _role_data, _shares_company_name, _to_makers


def _at(text: str, name: str) -> dict:
    start = text.index(name)
    return {"start": start, "end": start + len(name)}


def _group(key: str, label: str, kb_id: str | None, score: float, cued: int = 0) -> _Group:
    return _Group(key, label, kb_id, score=score, cued=cued)


def test_roles_cued_product_hands_evidence_to_its_maker() -> None:
    kb = load_kb()
    fortnite = _group("fortnite", "SERVICE", "fortnite", 9.0, cued=1)
    epic = _group("epic_games", "ORG", "epic_games", 2.0)
    heroku = _group("salesforce.heroku", "SERVICE", "salesforce.heroku", 5.0, cued=1)
    groups = {g.key: g for g in (fortnite, epic, heroku)}
    candidates = _to_makers([fortnite, heroku], groups, kb)
    # Epic Games makes Fortnite and is named: it takes the game's evidence; Salesforce,
    # Heroku's owner, is not named, so Heroku stays a candidate itself.
    assert [g.key for g in candidates] == ["epic_games", "salesforce.heroku"]
    assert (epic.score, epic.cued) == (11.0, 1)


def test_roles_product_named_like_its_company_is_left_to_the_company_rule() -> None:
    kb = load_kb()
    facebook = _group("meta.facebook", "SERVICE", "meta.facebook", 6.0, cued=1)
    facebook.names = {"Facebook"}
    discord = _group("discord", "SERVICE", "discord", 6.0, cued=1)
    discord.names = {"Discord"}
    assert _shares_company_name(kb, facebook) is True
    assert _shares_company_name(kb, discord) is False


def _entity(text, label, role, kb_id, sentence=0):
    return {"text": text, "start": 0, "end": len(text), "label": label, "canonical": text, "kb_id": kb_id,
            "role": role, "source": "kb", "sentence": sentence}  # fmt: skip


def test_roles_maker_of_an_affected_product_is_mentioned() -> None:
    kb = load_kb()
    entities = [
        _entity("Windows", "SERVICE", "affected", "microsoft.windows"),
        _entity("Microsoft", "PROVIDER", "affected", "microsoft", sentence=2),
        _entity("Halifax", "ORG", "affected", "halifax", sentence=3),
        _entity("Lloyds Bank", "ORG", "affected", "lloyds", sentence=3),
        _entity("Acme", "ORG", "affected", None, sentence=4),
    ]
    makers_of_affected_products(entities, kb)
    # Halifax belongs to the Lloyds group (a parent, not an owner): both stay affected.
    assert [e["role"] for e in entities] == ["affected", "mentioned", "affected", "affected", "affected"]


def test_roles_airports_are_places() -> None:
    kb = load_kb()
    assert "airport" in _role_data().place_kinds
    entry = kb.resolve("Bandara Soekarno-Hatta")
    assert entry is not None and entry.kind == "airport"
    assert entry.name == "Soekarno-Hatta International Airport"
    assert kb.resolve("Windows Azure").id == "azure"
    github_com = kb.resolve("GitHub.com")
    assert github_com is not None and kb.owner(github_com.id) == "github"


REPORT_CASES = [
    (
        # A company the knowledge base lists only as a consumer service, named as the one
        # whose systems failed: it is the provider, not the cloud it runs on.
        "Discord outage disconnects millions of users\n"
        "On March 20, Discord experienced an outage after a presence server crashed. "
        "The sessions service ran out of memory and users were disconnected for two hours. "
        "Discord's engineers restarted the cluster. The company runs some services on Google Cloud.",
        {"Discord"},
        set(),
    ),
    (
        # A company the knowledge base does not know, named by cues in the title and body.
        "Zorblax outage: network partition causes processing delays\n"
        "On Tuesday, Zorblax experienced an outage when a network partition in Zorblax's server cluster delayed "
        "exception processing. The outage lasted four hours and customers could not see new errors.",
        {"Zorblax"},
        set(),
    ),
    (
        # A provider's own service named as the one that failed, its provider never named:
        # the organisation reported is the provider.
        "Amazon S3 increased error rates\n"
        "Amazon S3 experienced elevated error rates in a single region on Tuesday. Requests failed for "
        "about two hours and many websites were down until engineers restarted the index subsystem.",
        {"Amazon Web Services"},
        set(),
    ),
    (
        # The maker of the affected platform comments; the platform is what crashed.
        "CrowdStrike update crashes Windows computers\n"
        "A faulty CrowdStrike update crashed Windows computers around the world on Friday, grounding flights "
        "at Delta Air Lines. Microsoft said 8.5 million Windows devices were affected.",
        {"CrowdStrike"},
        {"Microsoft"},
    ),
    (
        # No provider named by the knowledge base or by cues: the organisation the headline is about,
        # named again in an outage sentence, is the one whose own systems failed.
        "Halvern Air says a corrupted crew roster caused its weekend outage\n"
        "DALLAS — Halvern Air cancelled 900 flights on Sunday after a corrupted crew roster file crashed its "
        "scheduling system, the airline said. The outage stranded passengers for hours.",
        {"Halvern Air"},
        {"Halvern Air"},
    ),
    (
        "Bank Sentosa Raya akui gangguan aplikasi dipicu pembaruan sistem\n"
        "JAKARTA — Bank Sentosa Raya menyatakan gangguan aplikasi mobile banking pada Senin disebabkan oleh "
        "pembaruan sistem yang gagal. Nasabah tidak dapat bertransaksi selama lima jam.",
        {"Bank Sentosa Raya"},
        set(),
    ),
    (
        # No provider named and none in the headline: the company the lead sentence names in an outage
        # statement, and the story names again, is the one whose systems failed.
        "Registers go dark in stores on a busy Saturday\n"
        "Checkout registers at Target stores failed across the country for about two hours on Saturday, "
        "leaving shoppers in long lines. Lines at Target stores cleared by the evening.",
        {"Target"},
        set(),
    ),
    (
        # A status page headed by the company's name, whose body speaks of "our" systems, is its own.
        "Qatar Airways: check-in systems disrupted\n"
        "Since around 7 a.m. today, a network fault has disrupted the equipment that links our internal "
        "and external systems. As a result, check-in is not operating normally and some flights are delayed.",
        {"Qatar Airways"},
        {"Qatar Airways"},
    ),
    (
        # A company that "is experiencing connectivity problems" is the one whose systems failed.
        "Pharmacy claims stall across the country\n"
        "Pharmacies could not process insurance claims on Wednesday. Change Healthcare is experiencing "
        "enterprise-wide connectivity problems, and some of its applications are unavailable.",
        {"Change Healthcare"},
        {"Change Healthcare"},
    ),
    (
        # A provider named only in a sentence about an earlier incident is that incident's.
        "Telstra says emergency calls failed early on Friday\n"
        "MELBOURNE — Telstra said emergency calls could not be transferred for about 90 minutes early on "
        "Friday, 1 March 2024, after a fault in its call system. The failure came months after a separate "
        "outage on 8 November 2023, when an Optus network fault knocked out service for millions of Optus "
        "customers.",
        {"Telstra"},
        {"Optus"},
    ),
    (
        # Subsea cables that broke are at fault; the operators carrying traffic over them are hit.
        "Internet slows across West Africa after cable damage\n"
        "LAGOS — MTN Nigeria customers lost service on Thursday after the WACS and SAT-3 undersea cables went "
        "down. MTN Nigeria said the cable damage was disrupting its network, and MTN Nigeria engineers "
        "rerouted traffic. Customers of Vodacom also reported outages.",
        {"WACS", "SAT-3"},
        {"WACS", "SAT-3"},
    ),
    (
        # The operator of the data centre that burned is at fault, though the app is named more often.
        "Fire knocks Chatterly offline\n"
        "SEOUL — A fire on Saturday at a data centre run by SK C&C cut power to the servers of the "
        "messaging app Chatterly, and the outage left its users unable to send messages for hours.",
        {"SK C&C"},
        {"SK C&C"},
    ),
    (
        # An authority that only comments is not at fault; the hospital the headline names is.
        "RS Kanker Dharmais lumpuh diserang ransomware\n"
        "Jakarta - Sistem komputer RS Kanker Dharmais lumpuh akibat serangan ransomware WannaCry pada Sabtu. "
        "Pasien terpaksa mengantre lebih lama karena layanan pendaftaran terganggu. Kementerian Komunikasi dan "
        "Informatika menyatakan telah berkoordinasi dengan pihak rumah sakit untuk memulihkan sistem yang terganggu.",
        {"RS Kanker Dharmais"},
        {"Kementerian Komunikasi dan Informatika"},
    ),
    (
        # A statement whose byline (the line after the headline) is the company, in the first person.
        "Explaining the production halt at our plants\n"
        "Toyota Motor Corporation\n\n"
        "On Tuesday a malfunction in the parts ordering system forced us to stop production at our plants. "
        "The servers had run out of disk space during maintenance, which stopped the system.",
        {"Toyota"},
        {"Toyota"},
    ),
    (
        # A supplier named inside the cause is at fault beside the operator named far more often.
        "O2 data outage leaves millions offline\n"
        "O2 customers lost mobile data for most of Thursday. O2 said the outage was caused by an expired "
        "certificate in software supplied by Ericsson. O2 apologised and said O2 engineers restored service.",
        {"O2", "Ericsson"},
        {"Ericsson"},
    ),
    (
        # The lead sentence comes after a dateline the sentence splitter cut off on its own.
        "Diserang ransomware, layanan kesehatan lumpuh\n"
        "Jakarta, Warta Digital -\n"
        "Change Healthcare masih berjuang memulihkan sistem komputernya setelah serangan ransomware pada "
        "Jumat (23/2/2024). Apotek tidak bisa memproses klaim. Change Healthcare belum menyebut kapan pulih.",
        {"Change Healthcare"},
        {"Change Healthcare"},
    ),
    (
        # The company that released the faulty update is at fault, not the maker of the systems it crashed.
        "Agent update incident: summary of the root cause\n\n"
        "This summary covers the incident of Tuesday, March 4, 2025, in which a content update for the endpoint "
        "agent caused Windows hosts to crash.\n\n"
        "At 06:10 UTC, SentinelOne released a content update to hosts running the agent. The update triggered a "
        "logic error in the agent, which crashed the operating system. We reverted the update at 07:20 UTC. "
        "Microsoft estimated that about two million Windows devices were affected, and airlines and hospitals "
        "reported disruption.",
        {"SentinelOne"},
        set(),
    ),
    (
        # The headline names the product; the company the knowledge base says runs it, named in the body,
        # is at fault (the product is what users lost).
        "Disney+ stumbles on its first day\n"
        "Disney's new streaming service suffered an outage on Tuesday. Subscribers said Disney+ would not "
        "load and showed an error message. Disney said demand had exceeded its expectations.",
        {"Disney"},
        set(),
    ),
]


def test_roles_product_chosen_as_provider_is_affected_where_named_down(report_of) -> None:
    report = report_of(REPORT_CASES[0][0].replace("users were disconnected", "Discord users could not connect"))
    assert {p.name for p in report.providers} == {"Discord"}
    assert "Discord" in {s.name for s in report.affected_services}
    roles = {e.start: e.role for e in report.entities if e.text == "Discord"}
    assert roles[report.text.index("Discord users")] == "affected"
    assert roles[report.text.index("Discord experienced")] == "provider"


@pytest.mark.parametrize(("text", "providers", "not_affected"), REPORT_CASES)
def test_roles_provider_from_cues_end_to_end(report_of, text, providers, not_affected) -> None:
    report = report_of(text)
    assert report.is_incident
    assert {p.name for p in report.providers} == providers
    assert not_affected.isdisjoint({s.name for s in report.affected_services})


@pytest.mark.parametrize(
    "text",
    [
        "Layanan Chatterly terganggu sejak Senin. Pengguna tidak bisa mengirim pesan. Operator seperti "
        "Telkomsel dan Indosat menegaskan gangguan tidak berasal dari jaringan mereka.",
        "Chatterly was down for hours on Monday and users could not send messages. Carriers such as Verizon "
        "and AT&T said the outage did not originate on their networks.",
    ],
)
def test_roles_organisations_denying_the_fault_are_not_affected(report_of, text: str) -> None:
    affected = {s.name for s in report_of(text).affected_services}
    assert affected.isdisjoint({"Telkomsel", "Indosat Ooredoo Hutchison", "Verizon", "AT&T"})


def test_roles_equipment_maker_is_never_affected(report_of) -> None:
    # The maker of equipment whose software failed (here in an earlier incident) is never a service that went down.
    report = report_of(
        "Expired certificate takes Chatterly offline\n"
        "Chatterly users could not sign in on Monday after a security certificate expired, the company said. "
        '"Nobody is immune," said one analyst. "Ericsson learned that in 2018, when an expired certificate in '
        'its software cut off mobile data for millions of O2 customers." Chatterly renewed the certificate '
        "within three hours."
    )
    assert "Ericsson" not in {s.name for s in report.affected_services}


def test_roles_source_and_airport_end_to_end(report_of) -> None:
    report = report_of(
        "Ransomware attack disrupts immigration services\n"
        "A ransomware attack on the national data centre in Surabaya took immigration systems offline on "
        "Thursday, and autogates at Soekarno-Hatta International Airport stopped working. The ministry "
        "posted updates on Twitter instead."
    )
    assert report.is_incident
    assert "Soekarno-Hatta International Airport" in {loc.name for loc in report.locations}
    affected = {s.name for s in report.affected_services}
    assert "Soekarno-Hatta International Airport" not in affected
    assert "X" not in affected and "Twitter" not in affected


def test_roles_services_of_a_recalled_incident_are_mentioned() -> None:
    import spacy

    from pipeline.extensions import register_extensions

    register_extensions()
    first = "Gangguan AWS pada Senin (20/10/2025) membuat Roblox tidak bisa diakses."
    second = "Pada 7 Desember 2021, Disney+ dan Ring sempat terganggu."
    third = "Pada 21/10/2025 Venmo masih terganggu."
    text = f"{first}\n{second}\n{third}"
    doc = spacy.blank("id")(text)
    starts = [0, len(first) + 1, len(first) + len(second) + 2]
    doc._.paragraphs = [
        {"start": s, "end": s + len(p), "language": "id", "confidence": 1.0}
        for s, p in zip(starts, (first, second, third), strict=True)
    ]
    doc._.timing = {"start": {"date": "2025-10-20"}}

    def when(phrase: str, day: str) -> dict:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase), "kind": "date", "date": day, "approximate": False}

    doc._.time_expressions = [
        when("Senin (20/10/2025)", "2025-10-20"),
        when("7 Desember 2021", "2021-12-07"),
        when("21/10/2025", "2025-10-21"),
    ]
    entities = [
        {**_entity(name, "SERVICE", "affected", name.lower()), **_at(text, name)}
        for name in ("Roblox", "Disney+", "Ring", "Venmo")
    ]
    recalled_incidents(entities, recalled_spans(doc))
    assert [e["role"] for e in entities] == ["affected", "mentioned", "mentioned", "affected"]


def _listed(text: str, name: str, role: str, label: str = "SERVICE", sentence: int = 0) -> dict:
    return {**_at(text, name), "text": name, "sentence": sentence, "label": label, "role": role, "source": "kb"}


def test_roles_missed_name_between_listed_names_joins_the_list() -> None:
    from pipeline.stages.role_passes import fill_list_gaps, spread_over_lists

    text = "The frozen servers took down sites including Reddit, Quora, Foursquare and HootSuite on Thursday."
    entities = [
        _listed(text, "Reddit", "affected"),
        _listed(text, "Quora", "affected"),
        _listed(text, "HootSuite", "mentioned", label="ORG"),
    ]
    fill_list_gaps(text, entities, frozenset({"and", "or"}))
    assert [e["text"] for e in entities] == ["Reddit", "Quora", "Foursquare", "HootSuite"]
    assert entities[2]["source"] == "rule" and text[entities[2]["start"] : entities[2]["end"]] == "Foursquare"
    spread_over_lists(text, entities, frozenset({"and", "or"}))
    assert [e["role"] for e in entities] == ["affected"] * 4


@pytest.mark.parametrize(
    "text",
    [
        "Reddit, Digg said on Monday, Quora went down.",  # no list separator after the gap name
        "Reddit, which Quora once rivalled, went down.",  # the gap holds no capitalised name
        "Reddit, and later in the day a much longer list of Quora pages, went down.",  # too long a gap
        "Reddit, the news site, and Quora went down.",  # the gap holds no capitalised name
    ],
)
def test_roles_list_gap_needs_a_short_list(text: str) -> None:
    from pipeline.stages.role_passes import fill_list_gaps

    entities = [_listed(text, "Reddit", "affected"), _listed(text, "Quora", "affected")]
    fill_list_gaps(text, entities, frozenset({"and", "or"}))
    assert [e["text"] for e in entities] == ["Reddit", "Quora"]


def test_roles_a_list_after_a_source_cue_is_cited() -> None:
    from pipeline.stages.role_passes import spread_over_lists

    text = "While the app was down, many people switched to Telegram and Signal instead."
    entities = [_listed(text, "Telegram", "mentioned"), _listed(text, "Signal", "affected")]
    spread_over_lists(text, entities, frozenset({"and", "or"}), cited=[0])
    assert [e["role"] for e in entities] == ["mentioned", "mentioned"]
    entities = [_listed(text, "Telegram", "mentioned"), _listed(text, "Signal", "affected")]
    spread_over_lists(text, entities, frozenset({"and", "or"}))
    assert [e["role"] for e in entities] == ["affected", "affected"]


@pytest.mark.parametrize(
    ("text", "affected"),
    [
        (
            "Rogers outage cuts off millions\n"
            "A Rogers network outage on Friday knocked out service for customers of Fido and Chatr, "
            "the budget brands that run on the Rogers network.",
            {"Fido", "Chatr"},
        ),
        (
            "Gangguan jaringan KDDI\n"
            "Gangguan jaringan KDDI pada Sabtu membuat pelanggan merek au, UQ mobile, dan povo kesulitan menelepon.",
            {"au", "UQ mobile", "povo"},
        ),
    ],
)
def test_roles_brands_on_the_providers_network_are_affected(report_of, text: str, affected: set[str]) -> None:
    # a mobile brand is its own service (knowledge base `owner`), not the provider whose network it uses
    report = report_of(text)
    assert affected <= {s.name for s in report.affected_services}
    assert affected.isdisjoint({p.name for p in report.providers})


def test_roles_chain_evidence_comes_from_linked_nodes_only() -> None:
    from pipeline.stages.roles import _linked_node_spans

    chain = {
        "nodes": [
            {"id": "n1", "start": 0, "end": 10, "type": "root_cause"},
            {"id": "n2", "start": 20, "end": 30, "type": "failure"},
            {"id": "s1", "start": 40, "end": 90, "type": "impact"},  # an impact stated with no cue
            {"id": "r1", "start": 95, "end": 99, "type": "mitigation"},
        ],
        "edges": [{"source": "n1", "target": "n2", "cue": "caused"}],
    }
    assert _linked_node_spans(chain) == [(0, 10), (20, 30), (95, 99)]


def test_roles_headline_product_goes_to_its_named_company(report_of) -> None:
    report = report_of(next(case[0] for case in REPORT_CASES if case[1] == {"Disney"}))
    assert {p.name for p in report.providers} == {"Disney"}
    assert {s.name for s in report.affected_services} == {"Disney+"}


def test_roles_social_network_filled_with_complaints_is_a_source(report_of) -> None:
    report = report_of(
        "Streaming service down for hours\n"
        "Subscribers of Netflix could not stream on Friday night. Twitter filled with screenshots of the "
        "error page, and the outage lasted three hours before Netflix restored service."
    )
    assert "X" not in {s.name for s in report.affected_services}


@pytest.mark.parametrize(
    ("text", "services"),
    [
        (
            "Cloudflare outage\n"
            "On Tuesday Cloudflare suffered an outage after a power failure. Customers could not use the dashboard "
            "or the API to change settings, and the API servers were overloaded. Slack's API was fine. "
            "Cloudflare's API was down for two hours.",
            {"Cloudflare dashboard": ["dashboard"], "Cloudflare API": ["API", "API"]},
        ),
        (
            "Gangguan Cloudflare\n"
            "Cloudflare mengalami gangguan pada Selasa (5/11/2025) akibat pemadaman listrik. Pengguna tidak bisa "
            "membuka dasbor perusahaan tersebut selama dua jam.",
            {"Cloudflare dashboard": ["dasbor"]},
        ),
    ],
)
def test_roles_bare_service_words_name_the_providers_services(report_of, text: str, services: dict) -> None:
    # "the API servers" modifies a noun; "Slack's API" belongs to Slack, not to the provider
    report = report_of(text)
    assert {s.name: [m.text for m in s.mentions] for s in report.affected_services} == services


def test_kb_lists_the_generic_words_of_a_providers_services() -> None:
    kb = load_kb()
    generic = {e.name: e.generic for e in kb.generic_services("cloudflare")}
    assert generic == {"Cloudflare dashboard": ("dashboard", "dasbor"), "Cloudflare API": ("API",)}
    assert kb.generic_services("telkomsel") == []


def test_roles_operators_a_disaster_knocked_out_are_at_fault(report_of) -> None:
    # PLN leads the story, but the quake took down the operators' own towers too
    report = report_of(
        "Gempa lumpuhkan listrik di Mamuju\n"
        "Mamuju, Kabar Timur - Gempa bermagnitudo 6,2 yang mengguncang Sulawesi Barat pada Jumat (15/1/2021) "
        "membuat listrik PLN padam di sebagian besar Mamuju. PLN menyatakan tiga gardu induk rusak akibat gempa. "
        "PLN menargetkan listrik kembali menyala dalam dua hari. Pelanggan Telkomsel dan Indosat juga tidak bisa "
        "menelepon karena BTS kehilangan pasokan listrik."
    )
    assert (report.root_cause.category, {p.name for p in report.providers}) == (
        "natural_disaster",
        {"PLN", "Telkomsel", "Indosat Ooredoo Hutchison"},
    )


def test_kb_as_of_a_day_before_an_acquisition() -> None:
    from datetime import date

    from pipeline.kb import DatedKnowledgeBase

    kb = load_kb()
    assert kb.owner("microsoft.skype") == "microsoft"
    assert DatedKnowledgeBase(kb, date(2010, 12, 22)).owner("microsoft.skype") is None
    assert DatedKnowledgeBase(kb, date(2024, 1, 1)).owner("microsoft.skype") == "microsoft"
    assert DatedKnowledgeBase(kb, None).parent("github") == "microsoft"


def test_roles_service_acquired_after_the_incident_is_its_own_provider(report_of) -> None:
    text = (
        "Skype down for a day\n"
        "Skype experienced an outage on Wednesday, December 22, 2010, and millions of users could not make calls. "
        "A bug in version 5.0.0.152 of the client for Windows crashed the supernodes that route calls. "
        "Skype's engineers restored service after about a day."
    )
    report = report_of(text)
    assert {p.name for p in report.providers} == {"Skype"}


def test_roles_short_form_of_a_named_organisation_joins_it() -> None:
    from pipeline.stages.role_passes import short_forms_of_named

    full = {"start": 0, "end": 29, "text": "Waikato District Health Board", "kb_id": "waikato_dhb", "label": "ORG"}
    full["canonical"] = "Waikato DHB"
    short = {"start": 60, "end": 63, "text": "DHB", "kb_id": None, "label": "ORG", "canonical": "DHB"}
    other = {"start": 70, "end": 73, "text": "FBI", "kb_id": None, "label": "ORG", "canonical": "FBI"}
    short_forms_of_named([full, short, other])
    assert (short["kb_id"], short["canonical"]) == ("waikato_dhb", "Waikato DHB")
    assert other["kb_id"] is None


@pytest.mark.parametrize(
    ("name", "owner"),
    [
        ("Steam", "valve"),
        ("Pokémon Go", "niantic"),
        ("Disney+", "disney"),
        ("Wikipedia", "wikimedia"),
        ("Oyster", "tfl"),
    ],
)
def test_kb_products_name_the_company_that_runs_them(name: str, owner: str) -> None:
    kb = load_kb()
    assert kb.owner(kb.resolve(name).id) == owner


def test_roles_game_maker_named_in_the_story_is_at_fault(report_of) -> None:
    report = report_of(
        "Pokemon Go servers buckle on European launch weekend\n"
        "Pokemon Go was down for hours on Saturday as players across Europe could not log in. Niantic said "
        "heavy demand had overloaded its servers and that it was working to restore service."
    )
    assert ({p.name for p in report.providers}, {s.name for s in report.affected_services}) == (
        {"Niantic"},
        {"Pokémon Go"},
    )
