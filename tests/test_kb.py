"""Tests of the provider / service / region knowledge base (`pipeline.kb`, `pipeline/lang/kb/`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import spacy
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.id.stop_words import STOP_WORDS as ID_STOP_WORDS

from pipeline.errors import InsidenError
from pipeline.kb import LABELS, KnowledgeBase, load_kb, normalize_name
from pipeline.kb.models import (
    AmbiguousFile,
    ConsumerServicesFile,
    MentionedOnlyFile,
    NormalizationData,
    PlaceKind,
    PlacesFile,
    ProvidersFile,
    RegionsFile,
    ServicesFile,
)
from pipeline.kb.patterns import is_case_sensitive
from pipeline.lang.loader import load_kb_file

REPO_ROOT = Path(__file__).resolve().parent.parent
AWS_DATA = REPO_ROOT.parent / "shared" / "data" / "aws_botocore_regions_services"
KB_FILES = [
    ("providers", ProvidersFile),
    ("aws_services", ServicesFile),
    ("consumer_services", ConsumerServicesFile),
    ("mentioned_only", MentionedOnlyFile),
    ("aws_regions", RegionsFile),
    ("cloud_regions", RegionsFile),
    ("places", PlacesFile),
    ("ambiguous", AmbiguousFile),
    ("normalization", NormalizationData),
]


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_aws_kb", REPO_ROOT / "scripts" / "gen_aws_kb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_aws_kb = _load_generator()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def rulers(kb: KnowledgeBase) -> dict[str, spacy.language.Language]:
    pipelines = {}
    for lang in ("en", "id"):
        nlp = spacy.blank(lang)
        ruler = nlp.add_pipe("span_ruler", config={"annotate_ents": True, "spans_key": None})
        ruler.add_patterns(kb.patterns(nlp))
        pipelines[lang] = nlp
    return pipelines


@pytest.fixture(scope="module")
def patterns_by_id(kb: KnowledgeBase) -> dict[str, list]:
    by_id: dict[str, list] = {}
    for pattern in kb.patterns(spacy.blank("en")):
        by_id.setdefault(pattern["id"], []).append(pattern["pattern"])
    return by_id


# --- data files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "model"), KB_FILES)
def test_kb_file_validates(name, model):
    assert isinstance(load_kb_file(name, model), model)


def test_kb_load_is_cached():
    assert load_kb() is load_kb()


def test_kb_covers_every_label(kb):
    counts = {label: len(kb.by_label(label)) for label in LABELS}
    assert all(n > 0 for n in counts.values()), counts
    assert counts["PROVIDER"] >= 80 and counts["SERVICE"] >= 600 and counts["CLOUD_REGION"] >= 100


def test_kb_every_alias_resolves_to_its_entry(kb):
    checked, wrong = 0, []
    for entry in kb:
        for alias in entry.surface_forms:
            key = kb.key(alias)
            expected = kb.ambiguities[key].default if key in kb.ambiguities else entry.id
            found = kb.resolve(alias)
            checked += 1
            if found is None or found.id != expected:
                wrong.append((alias, entry.id, found and found.id))
    assert not wrong
    assert checked > 2500


def test_kb_shared_aliases_are_exactly_the_declared_ones(kb):
    owners: dict[str, set[str]] = {}
    for entry in kb:
        for alias in entry.surface_forms:
            owners.setdefault(kb.key(alias), set()).add(entry.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert set(shared) == set(kb.ambiguities)
    for key, amb in kb.ambiguities.items():
        assert set(amb.candidates) == shared[key]
        assert amb.default in amb.candidates


def test_kb_undeclared_shared_alias_refuses_to_load():
    def load_without_ambiguities(name, model):
        return AmbiguousFile() if name == "ambiguous" else load_kb_file(name, model)

    with pytest.raises(InsidenError, match="E002"):
        KnowledgeBase.from_files(load_without_ambiguities)


def test_kb_duplicate_id_refuses_to_load():
    def load_with_duplicate(name, model):
        data = load_kb_file(name, model)
        if name == "consumer_services":
            return data.model_copy(update={"services": [*data.services, data.services[0]]})
        return data

    with pytest.raises(InsidenError, match="defined in consumer_services and again"):
        KnowledgeBase.from_files(load_with_duplicate)


def test_kb_references_point_to_the_right_kind(kb):
    for entry in kb:
        if entry.label == "SERVICE" and entry.source in ("providers", "aws_services"):
            assert kb.entry(entry.owner).label == "PROVIDER", entry.id
        if entry.label == "CLOUD_REGION":
            assert kb.entry(entry.owner).label == "PROVIDER", entry.id
            assert entry.place is None or kb.entry(entry.place).label == "PLACE"
        for region in entry.regions:
            assert kb.entry(region).place == entry.id


def test_kb_case_insensitive_single_words_are_not_stop_words(kb):
    stop_words = EN_STOP_WORDS | ID_STOP_WORDS
    offending = [
        (entry.id, alias)
        for entry in kb
        for alias in entry.aliases
        if " " not in alias and not is_case_sensitive(alias) and alias.lower() in stop_words
    ]
    assert not offending


# --- lookup ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("AWS", "aws"),
        ("Amazon Web Services", "aws"),
        ("amazon web services", "aws"),
        ("Amazon Web Services (AWS)", "aws"),
        ("AWS's", "aws"),
        ("unit komputasi awan Amazon", "aws"),
        ("Amazon", "aws"),
        ("Amazon.com", "amazon_com"),
        ("Microsoft Azure", "azure"),
        ("Azure", "azure"),
        ("Azure AD", "azure.entra_id"),
        ("Entra ID", "azure.entra_id"),
        ("Office 365", "microsoft.microsoft_365"),
        ("Teams", "microsoft.teams"),
        ("GCP", "gcp"),
        ("Google Cloud Platform", "gcp"),
        ("Google", "google"),
        ("Service Control", "gcp.service_control"),
        ("Cloudflare", "cloudflare"),
        ("1.1.1.1", "cloudflare.dns_resolver"),
        ("Falcon sensor", "crowdstrike.falcon"),
        ("OCI", "oracle"),
        ("OVH", "ovhcloud"),
        ("Facebook", "meta.facebook"),
        ("Facebook Inc", "meta"),
        ("WhatsApp", "meta.whatsapp"),
        ("Amazon Simple Storage Service", "aws.s3"),
        ("S3", "aws.s3"),
        ("Amazon EC2", "aws.ec2"),
        ("DynamoDB", "aws.dynamodb"),
        ("Route 53", "aws.route53"),
        ("IAM", "aws.iam"),
        ("Lambda", "aws.lambda"),
        ("Disney+", "disney_plus"),
        ("Disney Plus", "disney_plus"),
        ("disney plus", "disney_plus"),
        ("Lloyds Bank", "lloyds"),
        ("Fortnite", "fortnite"),
        ("Epic Games", "epic_games"),
        ("X (Twitter)", "twitter"),
        ("Twitter", "twitter"),
        ("Pokemon Go", "pokemon_go"),
        ("Pokémon GO", "pokemon_go"),
        ("Telkom", "telkom"),
        ("pihak Telkom", "telkom"),
        ("PT Telkom Indonesia (Persero) Tbk", "telkom"),
        ("Telkomsel", "telkomsel"),
        ("Indosat Ooredoo Hutchison", "indosat"),
        ("XL", "xl"),
        ("PLN", "pln"),
        ("PT PLN (Persero)", "pln"),
        ("Perusahaan Listrik Negara", "pln"),
        ("BSI", "bsi"),
        ("bank BCA", "bca"),
        ("Bank Mandiri", "mandiri"),
        ("Livin' by Mandiri", "livin_mandiri"),
        ("Livin’ by Mandiri", "livin_mandiri"),
        ("myBCA", "mybca"),
        ("Pusat Data Nasional Sementara", "pdns"),
        ("PDN", "pdns"),
        ("Kementerian Komunikasi dan Informatika", "kominfo"),
        ("Komdigi", "komdigi"),
        ("layanan-layanan Gojek", "gojek"),
        ("aplikasi Gojek-nya", "gojek"),
        ("Grab Indonesia", "grab"),
        ("layanan keimigrasian", "imigrasi"),
        ("Downdetector", "downdetector"),
        ("Cisco ThousandEyes", "thousandeyes"),
        ("CNN Indonesia", "cnn_indonesia"),
        ("Antara", "antara"),
        ("US-EAST-1", "region.aws.us-east-1"),
        ("us-east-1 region", "region.aws.us-east-1"),
        ("US East (N. Virginia)", "region.aws.us-east-1"),
        ("Asia Pacific (Jakarta)", "region.aws.ap-southeast-3"),
        ("use1-az4", "region.aws.us-east-1"),
        ("us-east-1a", "region.aws.us-east-1"),
        ("East US", "region.azure.eastus"),
        ("asia-southeast2", "region.gcp.asia-southeast2"),
        ("europe-west9", "region.gcp.europe-west9"),
        ("Northern Virginia", "place.northern_virginia"),
        ("N. Virginia", "place.northern_virginia"),
        ("Virginia Utara", "place.northern_virginia"),
        ("kawasan Northern Virginia", "place.northern_virginia"),
        ("Sao Paulo", "place.sao_paulo"),
        ("Acme Widgets Ltd", None),
        ("gangguan", None),
        ("", None),
        ("Machine Learning", None),
    ],
)
def test_kb_resolve(kb, surface, expected):
    found = kb.resolve(surface)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AWS", "amazon web services"),
        ("Amazon Web Services", "amazon web services"),
        ("unit komputasi awan Amazon", "amazon web services"),
        ("Disney+", "disney plus"),
        ("Disney Plus", "disney plus"),
        ("US-EAST-1", "us east 1"),
        ("us-east-1", "us east 1"),
        ("N. Virginia", "northern virginia"),
        ("Acme Corp.", "acme corp"),
        ("Café Über", "cafe uber"),
    ],
)
def test_kb_normalize_name(name, expected):
    assert normalize_name(name) == expected


@pytest.mark.parametrize(
    ("surface", "region"),
    [
        ("use1-az4", "region.aws.us-east-1"),
        ("USE1-AZ6", "region.aws.us-east-1"),
        ("apse3-az1", "region.aws.ap-southeast-3"),
        ("eu-west-1c", "region.aws.eu-west-1"),
        ("us-central1-b", "region.gcp.us-central1"),
        ("us-east-1", None),
        ("use9-az1", None),
    ],
)
def test_kb_availability_zone(kb, surface, region):
    assert kb.availability_zone(surface) == region


def test_kb_accessors(kb):
    assert kb.canonical_name("aws") == "Amazon Web Services"
    assert kb.canonical_name("region.aws.us-east-1") == "us-east-1"
    assert kb.entry("region.aws.us-east-1").description == "US East (N. Virginia)"
    assert kb.entry("region.aws.us-east-1").place == "place.northern_virginia"
    assert kb.owner("aws.s3") == "aws"
    assert kb.owner("meta.instagram") == "meta"
    assert kb.owner("region.gcp.asia-southeast2") == "gcp"
    assert kb.owner("brimo") == "bri"
    assert kb.owner("roblox") is None
    assert kb.parent("telkomsel") == "telkom"
    assert kb.parent("azure") == "microsoft"
    assert kb.is_mentioned_only("downdetector")
    assert kb.is_mentioned_only("kompas")
    assert not kb.is_mentioned_only("roblox")
    assert not kb.is_mentioned_only("aws")
    with pytest.raises(KeyError):
        kb.entry("no-such-id")


# --- matcher patterns ------------------------------------------------------------------------------


def test_kb_patterns_are_well_formed(kb):
    patterns = kb.patterns(spacy.blank("en"))
    assert {p["label"] for p in patterns} == set(LABELS)
    assert all(p["id"] in kb and p["pattern"] for p in patterns)
    by_id = {}
    for pattern in patterns:
        by_id.setdefault(pattern["id"], []).append(pattern["pattern"])
    # short acronyms match case-sensitively, multiword aliases case-insensitively
    assert [{"ORTH": "XL"}] in by_id["xl"]
    assert [{"ORTH": "BSI"}] in by_id["bsi"]
    assert [{"ORTH": "S3"}] in by_id["aws.s3"]
    assert [{"LOWER": "amazon"}, {"LOWER": "web"}, {"LOWER": "services"}] in by_id["aws"]
    # resolve-only aliases and non-default ambiguous aliases never become patterns
    assert [{"ORTH": "Antara"}] not in by_id["antara"] and [{"LOWER": "antara"}] not in by_id["antara"]
    assert [{"LOWER": "facebook"}] not in by_id["meta"]


def _ents(nlp, text):
    return {(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents}


@pytest.mark.parametrize(
    ("lang", "text", "expected", "absent"),
    [
        (
            "en",
            "CrowdStrike said a faulty Falcon sensor update crashed Windows machines, grounding Delta "
            "and United Airlines flights; Microsoft Azure customers in East US were also hit.",
            [
                ("CrowdStrike", "PROVIDER", "crowdstrike"),
                ("Falcon sensor", "SERVICE", "crowdstrike.falcon"),
                ("Windows", "SERVICE", "microsoft.windows"),
                ("Delta", "ORG", "delta"),
                ("United Airlines", "ORG", "united_airlines"),
                ("Microsoft Azure", "PROVIDER", "azure"),
                ("East US", "CLOUD_REGION", "region.azure.eastus"),
            ],
            [],
        ),
        (
            "en",
            "An Amazon Web Services failure in us-east-1 (Northern Virginia) took down Snapchat, "
            "Disney+ and Lloyds Bank, while DynamoDB errors spread to EC2 in use1-az4, Downdetector data show.",
            [
                ("Amazon Web Services", "PROVIDER", "aws"),
                ("us-east-1", "CLOUD_REGION", "region.aws.us-east-1"),
                ("Northern Virginia", "PLACE", "place.northern_virginia"),
                ("Snapchat", "SERVICE", "snapchat"),
                ("Disney+", "SERVICE", "disney_plus"),
                ("Lloyds Bank", "ORG", "lloyds"),
                ("DynamoDB", "SERVICE", "aws.dynamodb"),
                ("EC2", "SERVICE", "aws.ec2"),
                ("use1-az4", "CLOUD_REGION", "region.aws.us-east-1"),
                ("Downdetector", "ORG", "downdetector"),
            ],
            [],
        ),
        (
            "en",
            "Users on the verge of giving up grab a coffee and glue the signal cable, as a Reuters "
            "report on The Verge noted about Google Cloud in asia-southeast2.",
            [
                ("Reuters", "ORG", "reuters"),
                ("The Verge", "ORG", "the_verge"),
                ("Google Cloud", "PROVIDER", "gcp"),
                ("asia-southeast2", "CLOUD_REGION", "region.gcp.asia-southeast2"),
            ],
            ["the verge", "grab", "glue", "signal"],
        ),
        (
            "id",
            "Gangguan Pusat Data Nasional Sementara (PDNS) 2 di Surabaya membuat layanan keimigrasian "
            "lumpuh, kata BSSN dan Kominfo; Telkomsigma mengelola pusat data itu.",
            [
                ("Pusat Data Nasional Sementara", "PROVIDER", "pdns"),
                ("PDNS", "PROVIDER", "pdns"),
                ("Surabaya", "PLACE", "place.surabaya"),
                ("layanan keimigrasian", "ORG", "imigrasi"),
                ("BSSN", "PROVIDER", "bssn"),
                ("Kominfo", "PROVIDER", "kominfo"),
                ("Telkomsigma", "PROVIDER", "telkomsigma"),
            ],
            [],
        ),
        (
            "id",
            "Nasabah BSI tidak bisa membuka BSI Mobile, sementara BRImo, Livin' by Mandiri dan DANA "
            "berjalan normal; dana nasabah aman, antara lain menurut Detik.com dan CNN Indonesia.",
            [
                ("BSI", "PROVIDER", "bsi"),
                ("BSI Mobile", "SERVICE", "bsi_mobile"),
                ("BRImo", "SERVICE", "brimo"),
                ("Livin' by Mandiri", "SERVICE", "livin_mandiri"),
                ("DANA", "SERVICE", "dana"),
                ("CNN Indonesia", "ORG", "cnn_indonesia"),
            ],
            ["dana", "antara"],
        ),
        (
            "id",
            "Pelanggan XL, Telkomsel dan IndiHome mengeluhkan internet lambat setelah AWS di kawasan "
            "Asia Pacific (Jakarta) atau ap-southeast-3 terganggu; aplikasi Gojek dan Tokopedia ikut error.",
            [
                ("XL", "PROVIDER", "xl"),
                ("Telkomsel", "PROVIDER", "telkomsel"),
                ("IndiHome", "PROVIDER", "indihome"),
                ("AWS", "PROVIDER", "aws"),
                ("Asia Pacific (Jakarta)", "CLOUD_REGION", "region.aws.ap-southeast-3"),
                ("ap-southeast-3", "CLOUD_REGION", "region.aws.ap-southeast-3"),
                ("aplikasi Gojek", "SERVICE", "gojek"),
                ("Tokopedia", "SERVICE", "tokopedia"),
            ],
            [],
        ),
        (
            # a brand name that is also a word matches only as written ("Orange", not "orange"); a longer
            # place name keeps its own match
            "en",
            "Orange said its call servers failed in Orange County, and an orange light showed on Fido phones.",
            [
                ("Orange", "PROVIDER", "orange"),
                ("Orange County", "PLACE", "place.orange_county"),
                ("Fido", "ORG", "fido"),
            ],
            ["orange"],
        ),
    ],
)
def test_kb_patterns_in_blank_pipelines(rulers, lang, text, expected, absent):
    found = _ents(rulers[lang], text)
    assert set(expected) <= found, set(expected) - found
    found_texts = {ent_text for ent_text, _, _ in found}
    assert not found_texts & set(absent)


# --- places gazetteer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        # countries, English and Indonesian
        ("United States", "place.united_states"),
        ("US", "place.united_states"),
        ("U.S.", "place.united_states"),
        ("USA", "place.united_states"),
        ("America", "place.united_states"),
        ("Amerika Serikat", "place.united_states"),
        ("AS", "place.united_states"),
        ("United Kingdom", "place.united_kingdom"),
        ("UK", "place.united_kingdom"),
        ("Britain", "place.united_kingdom"),
        ("Inggris", "place.united_kingdom"),
        ("Britania Raya", "place.united_kingdom"),
        ("Indonesia", "place.indonesia"),
        ("Republik Indonesia", "place.indonesia"),
        ("Australia", "place.australia"),
        ("Kanada", "place.canada"),
        ("Jepang", "place.japan"),
        ("Singapura", "place.singapore"),
        ("Jerman", "place.germany"),
        ("Prancis", "place.france"),
        ("Belanda", "place.netherlands"),
        ("Tiongkok", "place.china"),
        ("Korea Selatan", "place.south_korea"),
        ("Arab Saudi", "place.saudi_arabia"),
        ("Türkiye", "place.turkey"),
        ("Turki", "place.turkey"),
        ("Timor Leste", "place.timor_leste"),
        ("Papua Nugini", "place.papua_new_guinea"),
        ("Côte d'Ivoire", "place.cote_d_ivoire"),
        ("Pantai Gading", "place.cote_d_ivoire"),
        # continents, world regions, coasts
        ("Eropa", "place.europe"),
        ("Asia Pasifik", "place.asia_pacific"),
        ("APAC", "place.asia_pacific"),
        ("Asia Tenggara", "place.southeast_asia"),
        ("Southeast Asia", "place.southeast_asia"),
        ("Amerika Utara", "place.north_america"),
        ("Latin America", "place.latin_america"),
        ("Timur Tengah", "place.middle_east"),
        ("Afrika", "place.africa"),
        ("Oceania", "place.oceania"),
        ("US East Coast", "place.us_east_coast"),
        ("East Coast", "place.us_east_coast"),
        ("Pantai Timur AS", "place.us_east_coast"),
        ("Pantai Barat Amerika Serikat", "place.us_west_coast"),
        ("Indonesia bagian timur", "place.eastern_indonesia"),
        # Indonesian provinces, islands, cities
        ("Jawa Barat", "place.west_java"),
        ("West Java", "place.west_java"),
        ("Jabar", "place.west_java"),
        ("Jateng", "place.central_java"),
        ("Jawa Timur", "place.east_java"),
        ("DKI Jakarta", "place.jakarta"),
        ("Provinsi Banten", "place.banten"),
        ("Nanggroe Aceh Darussalam", "place.aceh"),
        ("Sumatera Utara", "place.north_sumatra"),
        ("Kepulauan Riau", "place.riau_islands"),
        ("NTT", "place.east_nusa_tenggara"),
        ("Nusa Tenggara Barat", "place.west_nusa_tenggara"),
        ("Daerah Istimewa Yogyakarta", "place.special_region_of_yogyakarta"),
        ("DIY", "place.special_region_of_yogyakarta"),
        ("Papua Barat Daya", "place.southwest_papua"),
        ("Papua Pegunungan", "place.highland_papua"),
        ("Bali", "place.bali"),
        ("Java", "place.java"),
        ("Pulau Jawa", "place.java"),
        ("Sumatera", "place.sumatra"),
        ("Borneo", "place.kalimantan"),
        ("Jabodetabek", "place.jabodetabek"),
        ("Yogyakarta", "place.yogyakarta"),
        ("Jogja", "place.yogyakarta"),
        ("Medan", "place.medan"),
        ("Makassar", "place.makassar"),
        ("Tangerang Selatan", "place.south_tangerang"),
        ("Banda Aceh", "place.banda_aceh"),
        ("Solo", "place.surakarta"),
        ("Surabaya", "place.surabaya"),
        # other countries' states, provinces and cities
        ("Virginia", "place.virginia"),
        ("Northern Virginia", "place.northern_virginia"),
        ("Kalifornia", "place.california"),
        ("Carolina Utara", "place.north_carolina"),
        ("Georgia", "place.georgia_us"),
        ("Republic of Georgia", "place.georgia"),
        ("New York", "place.new_york"),
        ("New York State", "place.new_york_state"),
        ("Washington DC", "place.washington_dc"),
        ("Québec", "place.quebec"),
        ("Quebec City", "place.quebec_city"),
        ("British Columbia", "place.british_columbia"),
        ("NSW", "place.new_south_wales"),
        ("Australia Barat", "place.western_australia"),
        ("Frankfurt am Main", "place.frankfurt"),
        ("Moskwa", "place.moscow"),
        ("Tokio", "place.tokyo"),
        ("Sao Paulo", "place.sao_paulo"),
        ("Montreal", "place.montreal"),
        ("Roubaix", "place.roubaix"),
        ("Bengaluru", "place.bangalore"),
        # the Azure regions that share a name with a part of the world
        ("Azure Southeast Asia", "region.azure.southeastasia"),
        ("southeastasia", "region.azure.southeastasia"),
        # not places
        ("Jawa-Bali", None),
        ("Washington", None),
        ("Congo", None),
    ],
)
def test_kb_resolve_places(kb, surface, expected):
    found = kb.resolve(surface)
    assert (found.id if found else None) == expected


def test_kb_places_all_have_a_kind(kb):
    kinds = set(PlaceKind.__args__)
    untyped = [e.id for e in kb.by_label("PLACE") if e.kind not in kinds]
    assert not untyped, f"describe these places in places.yaml: {untyped}"


def test_kb_places_country_codes_are_consistent(kb):
    places = kb.by_label("PLACE")
    countries = [e for e in places if e.kind == "country"]
    codes = [e.country for e in countries]
    assert all(c and len(c) == 2 and c.isupper() for c in codes)
    assert len(codes) == len(set(codes))
    known = set(codes) | {e.country for e in places if e.kind == "territory"}
    stray = [(e.id, e.country) for e in places if e.country is not None and e.country not in known]
    assert not stray
    assert {e.country for e in places if e.kind in ("continent", "world_region")} == {None}


@pytest.mark.parametrize(
    ("kind", "country", "expected"),
    [
        ("country", None, 197),
        ("province", "ID", 37),  # + DKI Jakarta, which is `place.jakarta`, a city
        ("state", "US", 50),
        ("province", "CA", 10),
        ("territory", "CA", 3),
        ("state", "AU", 6),
        ("territory", "AU", 2),
    ],
)
def test_kb_places_coverage(kb, kind, country, expected):
    found = [e for e in kb.by_label("PLACE") if e.kind == kind and (country is None or e.country == country)]
    assert len(found) == expected


def test_kb_places_indonesian_provinces_include_jakarta(kb):
    jakarta = kb.resolve("DKI Jakarta")
    assert jakarta.id == "place.jakarta" and jakarta.country == "ID"
    assert kb.entry("place.west_java").name == "West Java"
    assert kb.entry("place.west_java").kind == "province"
    assert kb.entry("place.united_states").country == "US"


@pytest.mark.parametrize(
    ("alias", "entry_id", "spec"),
    [
        ("US", "place.united_states", [{"ORTH": "US"}]),
        ("UK", "place.united_kingdom", [{"ORTH": "UK"}]),
        ("NTT", "place.east_nusa_tenggara", [{"ORTH": "NTT"}]),
        ("Chad", "place.chad", [{"ORTH": "Chad"}]),
        ("Turkey", "place.turkey", [{"ORTH": "Turkey"}]),
        ("Medan", "place.medan", [{"ORTH": "Medan"}]),
        ("Jepang", "place.japan", [{"LOWER": "jepang"}]),
    ],
)
def test_kb_places_case_rules(patterns_by_id, alias, entry_id, spec):
    assert spec in patterns_by_id[entry_id]
    lowered = [{"LOWER": alias.lower()}]
    assert lowered not in patterns_by_id[entry_id] or spec == lowered


@pytest.mark.parametrize(
    ("entry_id", "alias"),
    [
        ("place.united_states", "AS"),
        ("place.java", "Java"),
        ("place.special_region_of_yogyakarta", "DIY"),
        ("place.serang", "Serang"),
        ("place.lima", "Lima"),
        ("place.papua_new_guinea", "PNG"),
    ],
)
def test_kb_places_risky_names_only_resolve(kb, patterns_by_id, entry_id, alias):
    assert kb.resolve(alias).id == entry_id
    patterns = patterns_by_id.get(entry_id, [])
    assert [{"ORTH": alias}] not in patterns and [{"LOWER": alias.lower()}] not in patterns


@pytest.mark.parametrize(
    ("lang", "text", "expected", "absent"),
    [
        (
            "en",
            "Cloudflare said users on the U.S. East Coast, in the UK, Germany and Japan and across "
            "Southeast Asia saw errors; Azure Southeast Asia was fine, and so were we in Turkey and Chad.",
            [
                ("Cloudflare", "PROVIDER", "cloudflare"),
                ("U.S. East Coast", "PLACE", "place.us_east_coast"),
                ("UK", "PLACE", "place.united_kingdom"),
                ("Germany", "PLACE", "place.germany"),
                ("Japan", "PLACE", "place.japan"),
                ("Southeast Asia", "PLACE", "place.southeast_asia"),
                ("Azure Southeast Asia", "CLOUD_REGION", "region.azure.southeastasia"),
                ("Turkey", "PLACE", "place.turkey"),
                ("Chad", "PLACE", "place.chad"),
            ],
            ["we", "so"],
        ),
        (
            "en",
            "Outages hit New York, Washington DC, Northern Virginia, Ohio, Oregon and Georgia, then Sydney, "
            "London, Frankfurt, Strasbourg, Roubaix, Mumbai, Sao Paulo and Montreal; a Java app kept "
            "serving PNG files to us and to a turkey farm in chad.",
            [
                ("New York", "PLACE", "place.new_york"),
                ("Washington DC", "PLACE", "place.washington_dc"),
                ("Northern Virginia", "PLACE", "place.northern_virginia"),
                ("Ohio", "PLACE", "place.ohio"),
                ("Oregon", "PLACE", "place.oregon"),
                ("Georgia", "PLACE", "place.georgia_us"),
                ("Sydney", "PLACE", "place.sydney"),
                ("London", "PLACE", "place.london"),
                ("Frankfurt", "PLACE", "place.frankfurt"),
                ("Strasbourg", "PLACE", "place.strasbourg"),
                ("Roubaix", "PLACE", "place.roubaix"),
                ("Mumbai", "PLACE", "place.mumbai"),
                ("Sao Paulo", "PLACE", "place.sao_paulo"),
                ("Montreal", "PLACE", "place.montreal"),
            ],
            ["Java", "PNG", "us", "turkey", "chad"],
        ),
        (
            "id",
            "Gangguan listrik PLN melanda Jawa Barat, Jawa Tengah, DKI Jakarta dan Banten, serta sebagian "
            "Sumatera Utara dan NTT; pengguna di Amerika Serikat, Inggris dan Pantai Timur AS juga "
            "terdampak. Peretas meminta tebusan 8 juta dolar AS.",
            [
                ("PLN", "PROVIDER", "pln"),
                ("Jawa Barat", "PLACE", "place.west_java"),
                ("Jawa Tengah", "PLACE", "place.central_java"),
                ("DKI Jakarta", "PLACE", "place.jakarta"),
                ("Banten", "PLACE", "place.banten"),
                ("Sumatera Utara", "PLACE", "place.north_sumatra"),
                ("NTT", "PLACE", "place.east_nusa_tenggara"),
                ("Amerika Serikat", "PLACE", "place.united_states"),
                ("Inggris", "PLACE", "place.united_kingdom"),
                ("Pantai Timur AS", "PLACE", "place.us_east_coast"),
            ],
            ["AS"],
        ),
        (
            "id",
            "Pelanggan Telkomsel di Medan, Makassar, Denpasar, Yogyakarta, Kota Serang, Asia Tenggara dan "
            "Kalimantan Timur mengeluh; sinyal di Papua Barat Daya dan Maluku Utara hilang. Peretas serang "
            "balik, malang nasibnya di medan yang berat.",
            [
                ("Telkomsel", "PROVIDER", "telkomsel"),
                ("Medan", "PLACE", "place.medan"),
                ("Makassar", "PLACE", "place.makassar"),
                ("Denpasar", "PLACE", "place.denpasar"),
                ("Yogyakarta", "PLACE", "place.yogyakarta"),
                ("Kota Serang", "PLACE", "place.serang"),
                ("Asia Tenggara", "PLACE", "place.southeast_asia"),
                ("Kalimantan Timur", "PLACE", "place.east_kalimantan"),
                ("Papua Barat Daya", "PLACE", "place.southwest_papua"),
                ("Maluku Utara", "PLACE", "place.north_maluku"),
            ],
            ["serang", "malang", "medan"],
        ),
    ],
)
def test_kb_places_in_blank_pipelines(rulers, lang, text, expected, absent):
    found = _ents(rulers[lang], text)
    assert set(expected) <= found, set(expected) - found
    found_texts = {ent_text for ent_text, _, _ in found}
    assert not found_texts & set(absent)


# --- AWS generator -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "keep"),
    [
        ("AWS Glue", True),
        ("Glue", False),
        ("Amazon Simple Storage Service", True),
        ("Simple Storage Service", True),
        ("DynamoDB", True),
        ("S3", True),
        ("Lambda", True),
        ("Machine Learning", False),
        ("Security Incident Response", False),
        ("Connect", False),
        ("RAM", False),
        ("SSO", False),
        ("IoT", False),
        ("X-Ray", False),
        ("amp", False),
        ("AWSBudgets", False),
        ("AmazonApiGatewayV2", False),
        ("Route 53", True),
    ],
)
def test_gen_aws_kb_alias_filter(alias, keep):
    assert gen_aws_kb.keep_alias(alias) is keep


@pytest.mark.parametrize(
    ("description", "place", "aliases"),
    [
        ("US East (N. Virginia)", "Northern Virginia", ["N. Virginia", "Northern Virginia"]),
        ("US West (N. California)", "Northern California", ["N. California", "Northern California"]),
        ("Asia Pacific (Jakarta)", "Jakarta", ["Jakarta"]),
        ("Middle East (UAE)", "United Arab Emirates", ["UAE", "United Arab Emirates"]),
        ("Canada (Central)", None, []),
        ("AWS GovCloud (US-East)", None, []),
        ("US ISO East", None, []),
    ],
)
def test_gen_aws_kb_region_place(description, place, aliases):
    assert gen_aws_kb.region_place(description) == (place, aliases)


@pytest.mark.parametrize(
    ("code", "prefix"),
    [("us-east-1", "use1"), ("ap-southeast-3", "apse3"), ("eu-central-1", "euc1"), ("us-gov-west-1", "usgw1")],
)
def test_gen_aws_kb_az_id_prefix(code, prefix):
    assert gen_aws_kb.az_id_prefix(code) == prefix


@pytest.mark.skipif(
    not (AWS_DATA / "partitions.json").is_file(),
    reason=f"botocore data not present at {AWS_DATA}; the committed files cannot be regenerated here",
)
def test_gen_aws_kb_output_matches_committed_files(tmp_path):
    written = gen_aws_kb.generate(AWS_DATA, tmp_path)
    assert [p.name for p in written] == ["aws_regions.yaml", "aws_services.yaml"]
    for path in written:
        committed = REPO_ROOT / "pipeline" / "lang" / "kb" / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} is stale: run scripts/gen_aws_kb.py"


@pytest.mark.parametrize(
    ("surface", "kb_id", "label"),
    [
        ("Quora", "quora", "SERVICE"),
        ("Giphy", "giphy", "SERVICE"),
        ("GOV.UK", "gov_uk", "ORG"),
        ("Zoom Video Communications", "zoom", "PROVIDER"),
        ("Stack Overflow", "stack_exchange", "PROVIDER"),
        ("CircleCI", "circleci", "PROVIDER"),
        ("Virgin Media", "virgin_media", "PROVIDER"),
        ("Pacific Gas and Electric", "pge", "PROVIDER"),
        ("Metro Trains", "metro_trains_melbourne", "ORG"),
        ("triple zero", "triple_zero", "ORG"),
        ("ATM BSI", "atm_bsi", "ORG"),
        ("KIP Kuliah", "kip_kuliah", "ORG"),
        ("Bank Jatim", "bank_jatim", "ORG"),
        ("Qatar Airways", "qatar_airways", "ORG"),
        ("Jakarta Selatan", "place.south_jakarta", "PLACE"),
        ("Texas Utara", "place.north_texas", "PLACE"),
        ("Council Bluffs", "place.council_bluffs", "PLACE"),
        ("West Africa Cable System", "cable_wacs", "PROVIDER"),
        ("SEA-ME-WE 5", "cable_seamewe5", "PROVIDER"),
        ("Telia Carrier", "telia", "PROVIDER"),
        ("SK C&C", "sk_cc", "PROVIDER"),
        ("Ericsson", "ericsson", "PROVIDER"),
        ("KakaoTalk", "kakao.kakaotalk", "SERVICE"),
        ("SKKL SMPCS", "telkom.smpcs", "SERVICE"),
        ("Toyota Motor Corporation", "toyota", "ORG"),
        ("Colonial Pipeline", "colonial_pipeline", "ORG"),
        ("Tesco Mobile", "tesco_mobile", "ORG"),
        ("Square", "block", "ORG"),
    ],
)
def test_kb_wider_coverage_resolves(kb, surface, kb_id, label):
    entry = kb.resolve(surface)
    assert entry is not None, surface
    assert (entry.id, entry.label) == (kb_id, label)


# "Orange" is an `exact` name like "Slack" and "Apple": the matcher takes it only as written, with its
# capital (test_kb_patterns_in_blank_pipelines checks that "orange" in running text names nothing).
@pytest.mark.parametrize("surface", ["Globe", "Cox", "M1", "NTT"])
def test_kb_common_words_do_not_name_new_providers(kb, surface):
    entry = kb.resolve(surface)
    assert entry is None or entry.label != "PROVIDER", (surface, entry and entry.id)
