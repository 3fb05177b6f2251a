"""Round 2 of issue #6: root statements, participial effects, distant anaphors, category weights."""

from __future__ import annotations

import pytest

from pipeline.stages.chain import ChainBuilder
from pipeline.stages.rootcause import RootCauseClassifier

RELATIONS = [
    # (lang, text, (cause, cue, effect)): the rule each case pins down is in its comment
    # a copular root statement without a causal verb links its cause to the previous sentence's event
    (
        "en",
        "A bad deploy broke the load balancer. The root cause was a misconfigured health check.",
        ("misconfigured health check", "root cause", "load balancer"),
    ),
    (
        "id",
        "Layanan lumpuh total. Penyebabnya adalah kesalahan konfigurasi.",
        ("kesalahan konfigurasi", "Penyebabnya", "Layanan lumpuh total"),
    ),
    # the event it caused can be named between the cue and the verb
    (
        "en",
        "The root cause of the power outage was the failure of backup generators.",
        ("failure of backup generators", "root cause", "power outage"),
    ),
    (
        "id",
        "Penyebab gangguan itu adalah pembaruan perangkat lunak yang cacat.",
        ("pembaruan perangkat lunak yang cacat", "Penyebab", "gangguan"),
    ),
    # the inverted statement: the cause before the verb, the event caused after the cue
    (
        "en",
        "A latent bug in the proxy was the root cause of the outage.",
        ("latent bug in the proxy", "root cause", "outage"),
    ),
    ("id", "Bug pada proksi merupakan penyebab gangguan tersebut.", ("Bug pada proksi", "penyebab", "gangguan")),
    ("en", "Services failed. A latent bug was the root cause.", ("latent bug", "root cause", "Services failed")),
    # a purpose clause opening the sentence, and a sentence adverb, are no part of the cause
    (
        "id",
        "Untuk meredam beban, KDDI membatasi lalu lintas, sehingga pengguna tidak bisa menelepon.",
        ("KDDI membatasi lalu lintas", "sehingga", "pengguna tidak bisa menelepon"),
    ),
    (
        "id",
        "Namun, pembaruan perangkat lunak memicu lonjakan sinyal.",
        ("pembaruan perangkat lunak", "memicu", "lonjakan sinyal"),
    ),
    # "In response": what the previous sentence says prompted the act
    (
        "en",
        "An intruder gained access to the network. In response, we disconnected our systems.",
        ("intruder gained access to the network", "In response", "we disconnected our systems"),
    ),
    (
        "id",
        "Layanan gagal. Bug pada proksi merupakan penyebabnya.",
        ("Bug pada proksi", "penyebabnya", "Layanan gagal"),
    ),
    # "was identified in", "terletak pada": where the cause lies
    (
        "en",
        "Traffic was dropped. The root cause was identified in the shared load balancers.",
        ("shared load balancers", "root cause", "Traffic was dropped"),
    ),
    (
        "id",
        "Jaringan terputus. Akar masalahnya terletak pada penyeimbang beban bersama.",
        ("penyeimbang beban bersama", "Akar masalahnya", "Jaringan terputus"),
    ),
    # a verb phrase after the copula is skipped: "was identified as", "was traced to"
    (
        "en",
        "Customers saw errors. The root cause was identified as a database migration.",
        ("database migration", "root cause", "Customers saw errors"),
    ),
    (
        "en",
        "The root cause of the issue was traced to a faulty configuration change.",
        ("faulty configuration change", "root cause", "issue"),
    ),
    # nor does the copula open a later anaphor's antecedent ("This rollout" = the rollout stated as the root)
    (
        "en",
        "Traffic was hit. The root cause was identified as an issue with a new configuration rollout. "
        "This rollout caused a reduction in capacity.",
        ("issue with a new configuration rollout", "caused", "reduction in capacity"),
    ),
    (
        "id",
        "Layanan terganggu. Penyebabnya adalah pembaruan konfigurasi yang salah. "
        "Pembaruan itu memicu penurunan kapasitas.",
        ("pembaruan konfigurasi yang salah", "memicu", "penurunan kapasitas"),
    ),
    # a participle after a comma states the main clause's effect, and belongs to it
    (
        "en",
        "The outage hit airlines, grounding flights across the US.",
        ("outage hit airlines", "grounding", "grounding flights across the US"),
    ),
    # "overloaded" states a link ("membebani")
    ("en", "A retry storm overloaded the access points.", ("retry storm", "overloaded", "access points")),
    ("id", "Lonjakan pengguna membebani server.", ("Lonjakan pengguna", "membebani", "server")),
    (
        "id",
        "Server pusat data mati, menelantarkan ribuan penumpang di bandara.",
        ("Server pusat data mati", "menelantarkan", "menelantarkan ribuan penumpang di bandara"),
    ),
    # an anaphoric noun finds its antecedent up to three sentences back
    (
        "en",
        "The failover started at noon. Engineers restarted the routers. Traffic was rerouted. "
        "The failover took down the backbone.",
        ("failover started at noon", "took down", "backbone"),
    ),
    (
        "id",
        "Sistem failover aktif pada pagi hari. Teknisi memulai ulang router. Lalu lintas dialihkan. "
        "Failover tersebut melumpuhkan jaringan inti.",
        ("Sistem failover aktif pada pagi hari", "melumpuhkan", "jaringan inti"),
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), RELATIONS)
def test_chain_roots_relation(causal_nlp, lang: str, text: str, expected: tuple[str, str, str]) -> None:
    doc = causal_nlp[lang](text)
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    assert expected in found


NO_RELATION = [
    # a participle that is no clause after a comma states nothing
    ("en", "The grounding of flights lasted hours."),
    ("en", "The grounding and stranding of flights lasted hours."),
    # a cue inside a hyphenated word is no connective
    ("en", "The engineers saw the so-called blue screen of death."),
    ("id", "Pembaruan pasca-insiden diumumkan."),
    # a cue noun that is not the subject of a copula states no root
    ("en", "Engineers spent hours looking for the root cause while traffic was rerouted."),
    ("en", "The root cause analysis was published on Friday."),
    ("id", "Penyebab pasti gangguan masih diselidiki."),
    # a causal word inside an idiom is no connective
    ("en", "The attack hit the billing systems. Even so, the pipeline kept running."),
    ("id", "Server utama mati. Setelah itu, teknisi memeriksa jaringan."),
    # a forward cue after a personal pronoun is a person's act, not an effect of the words before it
    ("en", "Everything was calm, we disconnected the gateway."),
    # a question a few words before a forward cue states no link
    ("en", "The company did not say what had caused the power loss."),
    ("en", "Nobody knows what might have caused the crash."),
    ("id", "Sistem sempat tenang, kami memutus jaringan."),
]


@pytest.mark.parametrize(("lang", "text"), NO_RELATION)
def test_chain_roots_no_relation(causal_nlp, lang: str, text: str) -> None:
    assert causal_nlp[lang](text)._.relations == []


ROOTS = [
    # a stated root beats an event with more consequences
    (
        "en",
        "A bad deploy broke the load balancer and crashed the proxies. "
        "The root cause was a misconfigured health check.",
        "misconfigured health check",
        "config_change",
    ),
    (
        "id",
        "Pembaruan itu membuat server mati dan melumpuhkan aplikasi. Penyebabnya adalah kesalahan konfigurasi.",
        "kesalahan konfigurasi",
        "config_change",
    ),
    # the cause of an effect that names the whole incident is stated as the root
    (
        "en",
        "The deploy run rebuilt the zone file, which caused timeouts and broke the API. "
        "The initial problem stemmed from a bug in Puppet manifests.",
        "bug in Puppet manifests",
        "software_bug",
    ),
    (
        "id",
        "Proses itu menghapus entri, yang memicu galat dan melumpuhkan API. "
        "Gangguan itu bermula dari bug pada sistem penagihan.",
        "bug pada sistem penagihan",
        "software_bug",
    ),
]


@pytest.mark.parametrize(("lang", "text", "root", "category"), ROOTS)
def test_chain_roots_stated_root(causal_nlp, lang: str, text: str, root: str, category: str) -> None:
    doc = causal_nlp[lang](text)
    assert doc._.root_cause["text"] == root
    assert doc._.root_cause["category"] == category


def test_chain_roots_relation_flags_root_statements(causal_nlp) -> None:
    doc = causal_nlp["en"]("The outage was caused by a power failure. The power failure took down the routers.")
    flags = {(r["cause"]["text"], r["effect"]["text"]): r["root"] for r in doc._.relations}
    assert flags == {("power failure", "outage"): True, ("power failure", "routers"): False}


CATEGORIES = [
    # a multiword keyword counts its words: "configuration change" ties "backbone routers" and wins by order
    ("en", "a configuration change was issued to the backbone routers", "config_change"),
    ("id", "perubahan konfigurasi pada router backbone", "config_change"),
    ("en", "clients could no longer resolve the endpoint", "dns"),
    ("id", "kesalahan pada server nama", "dns"),
    ("en", "a bad deploy", "config_change"),
    ("id", "deploy yang gagal", "config_change"),
    # a multiword keyword outweighs a loose word of another category ("storm")
    ("en", "a retry storm", "capacity_overload"),
    ("id", "badai permintaan dari aplikasi", "capacity_overload"),
    ("en", "a database migration", "config_change"),
    ("id", "migrasi basis data", "config_change"),
    ("en", "a flaw in the storage-controller firmware", "hardware"),
    ("id", "cacat pada firmware pengendali penyimpanan", "hardware"),
    # a cause named only as "technical" has no category; a real keyword beside it wins the tie by order
    ("en", "a technical issue", "unknown"),
    ("id", "masalah teknis", "unknown"),
    ("en", "a technical issue with a configuration change", "config_change"),
    ("id", "kendala teknis pada perubahan konfigurasi", "config_change"),
    ("en", "an outside intruder had broken into its systems", "cyberattack"),
    ("en", "a flaw in the recovery software loaded in December", "software_bug"),
    # a change to the network is a change; a job that adds capacity is automation, not an overload
    ("en", "a routine network change", "config_change"),
    ("en", "a single faulty rule sent to its routers", "config_change"),
    ("en", "an automated job to add capacity", "automation"),
    ("en", "a failed fiber circuit leased from a third-party provider", "hardware"),
    ("en", "an outside threat actor gained access to part of the network", "cyberattack"),
    ("id", "pelaku ancaman mendapat akses tidak sah ke jaringan", "cyberattack"),
    # a flood of traffic is demand, not water; servers that run out of disk space are over capacity
    ("en", "a flood of traffic from bots and fans", "capacity_overload"),
    ("en", "the servers ran out of disk space", "capacity_overload"),
    ("id", "server kehabisan ruang disk saat pemeliharaan", "capacity_overload"),
    ("en", "a connectivity problem on the link between two exchanges", "network_bgp"),
    # a certificate left to expire is a human error (GUIDELINES 5.1, as the gold files do)
    ("en", "the certificate had lapsed", "human_error"),
    ("en", "the expiry of an old root certificate", "human_error"),
    ("id", "sertifikat digital yang masa berlakunya habis", "human_error"),
    # code that fails on an input it never expected is a bug, however the input is named
    ("en", "missing error handling in a new feature", "software_bug"),
    ("en", "an unhandled null value in a policy record", "software_bug"),
    ("id", "penanganan galat yang tidak ada pada fitur baru", "software_bug"),
]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # equal keyword scores inside the span: the head, named first, decides
        ("a violent storm on Friday night cut power to one of its data centers", "natural_disaster"),
        ("power to one of its data centers was cut by a violent storm", "power"),
    ],
)
def test_chain_roots_category_tie_goes_to_the_first_keyword(causal_nlp, text: str, category: str) -> None:
    classifier = RootCauseClassifier("en")
    assert set(classifier.scores(text, 0, len(text), None, []).values()) == {1.0}
    assert classifier.classify(text, 0, len(text), None, causal_nlp["en"](text), [])[0] == category


@pytest.mark.parametrize(("lang", "text", "category"), CATEGORIES)
def test_chain_roots_category_keywords(lang: str, text: str, category: str) -> None:
    scores = RootCauseClassifier(lang).scores(text, 0, len(text), None, [])
    assert max(scores, key=lambda c: (scores[c], -list(scores).index(c))) == category


OBJECT_WORD_CATEGORIES = [
    # a word naming only the thing that failed or who acted yields to a word saying how it failed
    ("en", "the new router had been configured incorrectly", "human_error"),
    ("en", "a firewall supplied by an outside vendor failed", "hardware"),
    ("en", "a faulty database script deployed for its marketing software", "config_change"),
    ("en", "the failure of a subset of network devices", "hardware"),
    ("en", "a faulty firewall rule", "config_change"),
    ("en", "missing error handling in the code that enforces rate limits", "software_bug"),
    ("id", "perubahan konfigurasi pada router backbone", "config_change"),
    ("id", "skrip yang keliru dalam pembaruan basis data", "config_change"),
    # alone, an object word still names the category
    ("en", "the vendor", "dependency_failure"),
    ("id", "teknisi", "human_error"),
]


@pytest.mark.parametrize(("lang", "text", "category"), OBJECT_WORD_CATEGORIES)
def test_chain_roots_object_words_count_less(causal_nlp, lang: str, text: str, category: str) -> None:
    classifier = RootCauseClassifier(lang)
    assert classifier.classify(text, 0, len(text), None, causal_nlp[lang](text), [])[0] == category


def test_chain_roots_object_words_are_half_a_keyword() -> None:
    classifier = RootCauseClassifier("en")
    assert classifier.scores("a router", 0, len("a router"), None, []) == {"network_bgp": 0.5}
    assert classifier.evidence("a router", 0, len("a router")) == 0.25


@pytest.mark.parametrize(
    ("lang", "text", "scores"),
    [
        ("en", "the Domain Name System (DNS)", {"dns": 4.0}),  # the name (3 words) and its short form: once
        ("en", "the DNS (Domain Name System)", {"dns": 4.0}),  # the other way round: the better of the two
        ("en", "DNS and the Domain Name System", {"dns": 5.0}),  # named twice apart: both count
    ],
)
def test_chain_roots_name_and_short_form_count_once(lang: str, text: str, scores: dict[str, float]) -> None:
    assert RootCauseClassifier(lang).scores(text, 0, len(text), None, []) == scores


def test_chain_roots_attack_on_a_service_is_the_attack() -> None:
    """An attack on DNS servers, both named in full with their short forms: the attack, named first, is
    the category; the expanded name of what it hit no longer outweighs it."""
    text = "serangan distributed denial of service (DDoS) terhadap server Domain Name System (DNS)"
    classifier = RootCauseClassifier("id")
    scores = classifier.scores(text, 0, len(text), None, [])
    assert scores["cyberattack"] > scores["dns"]


def test_chain_roots_load_balancer_is_no_overload() -> None:
    scores = RootCauseClassifier("en").scores("the load balancer", 0, len("the load balancer"), None, [])
    assert "capacity_overload" not in scores


def test_chain_roots_degree_adverb_states_no_link(full_nlp) -> None:
    doc = full_nlp["en"]("Nobody could say why the recovery took so long.")
    assert doc._.relations == []
    doc = full_nlp["en"]("The provisioning service hit its quota, so many new servers never started.")
    assert [r["cue"] for r in doc._.relations] == ["so"]


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("At 21:48 UTC, engineers made a second change to the service topology.", []),
        ("The outage made headlines around the world.", []),
        ("The faulty file made Windows machines reboot in a loop.", ["made"]),
        ("The attack made dozens of major websites unreachable for hours.", ["made"]),
    ],
)
def test_chain_roots_causative_verb_needs_a_result(full_nlp, text: str, cues: list[str]) -> None:
    assert [r["cue"] for r in full_nlp["en"](text)._.relations] == cues


def test_chain_roots_sentence_adverb_leaves_the_cause(full_nlp) -> None:
    doc = full_nlp["en"]("The change was meant to do nothing. Instead, it triggered a global refresh of the network.")
    causes = [r["cause"]["text"] for r in doc._.relations if r["cue"] == "triggered"]
    assert causes and all(c != "Instead" for c in causes)


PARSED_ROOTS = [
    # an event opening with an anaphor restates an earlier one: it is not the root
    (
        "Servers were removed because of an operator error. "
        "Losing that capacity under heavy load meant that the index subsystem had to restart.",
        "operator error",
        "human_error",
    ),
    # "that" as a conjunction is no anaphor, and what was discovered is the cause, not the discovery
    (
        "Sony switched off the network after discovering that an intruder had broken into its systems. "
        "The shutdown left gamers unable to play online.",
        "intruder had broken into its systems",
        "cyberattack",
    ),
    # a link told of an earlier incident named as such ("followed a far larger outage on Dec. 7, when")
    # is that incident's story, even within the same month
    (
        "A loss of power at a data center disrupted Slack on Dec. 22, 2021. The incident followed a far larger "
        "outage on Dec. 7, when an automated job to add capacity set off unexpected behaviour in the internal "
        "network, causing congestion that disrupted Disney+.",
        "loss of power at a data center",
        "power",
    ),
    # a negation inside a relative clause describes a noun of the event, it does not deny the event
    (
        "Investigators traced the break-in to a compromised password for an account that was no longer in use. "
        "The break-in forced the company to shut down the pipeline.",
        "compromised password for an account that was no longer in use",
        "cyberattack",
    ),
]


PARSED_ROOTS += [
    # a root named by a pointing noun ("that change") is the phrase that introduced it ...
    (
        "On Wednesday the company's engineers began a planned change to update the address of one router in its "
        "backbone. A command used for that change caused every router to recompute its tables, which knocked out "
        "email for hours.",
        "a planned change to update the address of one router in its backbone",
        "config_change",
    ),
    # ... but not a thing whose failure the root's own words tell
    (
        "Engineers installed a router at the main exchange on Monday. The new router had been configured "
        "incorrectly, which caused the network to reject voice traffic for hours.",
        "new router had been configured incorrectly",
        "human_error",
    ),
]


@pytest.mark.parametrize(("text", "root", "category"), PARSED_ROOTS)
def test_chain_roots_root_of_parsed_text(full_nlp, text: str, root: str, category: str) -> None:
    doc = full_nlp["en"](text)
    assert (doc._.root_cause["text"], doc._.root_cause["category"]) == (root, category)


def test_chain_roots_adjectival_cue_states_no_link(full_nlp) -> None:
    doc = full_nlp["en"]("A firmware issue prevented the affected servers from recognizing their drives.")
    assert [r["cue"] for r in doc._.relations] == ["prevented"]


SUBORDINATE = [
    # a sentence-opening subordinate clause is not part of the main clause's cause
    (
        "en",
        "While the canary flagged the configuration as unsafe, a second software bug prevented the rollback.",
        ("second software bug", "prevented", "rollback"),
    ),
    (
        "id",
        "Meskipun sistem cadangan aktif, galat kedua mencegah server pulih.",
        ("galat kedua", "mencegah", "server pulih"),
    ),
    # unless only a pronoun is left after its comma
    (
        "en",
        "When the change was deployed, it caused the proxies to crash.",
        ("When the change was deployed", "caused", "proxies to crash"),
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), SUBORDINATE)
def test_chain_roots_subordinate_clause(causal_nlp, lang: str, text: str, expected: tuple[str, str, str]) -> None:
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in causal_nlp[lang](text)._.relations]
    assert expected in found


UNDETERMINED = [
    ("en", "Services failed for hours. The root cause is still under investigation."),
    ("en", "Services failed for hours. The cause of the failure was not immediately known."),
    ("en", "Services failed for hours. The exact root cause was still under forensic investigation."),
    ("id", "Layanan terhenti berjam-jam. Penyebab gangguan itu adalah tidak diketahui."),
    ("id", "Layanan terhenti berjam-jam. Penyebabnya adalah masalah yang masih diselidiki."),
]


@pytest.mark.parametrize(("lang", "text"), UNDETERMINED)
def test_chain_roots_open_cause_is_no_root(causal_nlp, lang: str, text: str) -> None:
    doc = causal_nlp[lang](text)
    assert doc._.relations == []
    assert doc._.root_cause is None


def test_chain_roots_purpose_clause_is_a_mitigation(causal_nlp) -> None:
    doc = causal_nlp["en"](
        "A retry storm overloaded the access points. "
        "To restore service, engineers firewalled off the proxies, forcing clients to back off."
    )
    types = {n["text"]: n["type"] for n in doc._.causal["nodes"]}
    assert (doc._.root_cause["text"], doc._.root_cause["category"]) == ("retry storm", "capacity_overload")
    assert types["restore service, engineers firewalled off the proxies"] == "mitigation"


ANAPHORS = [
    # a backward cue's anaphoric cause ("both", "the failover") finds its event in an earlier sentence
    (
        "en",
        "Both subsystems had to be fully restarted. S3 could not serve requests because both were restarting.",
        ("Both subsystems had to be fully restarted", "because", "S3 could not serve requests"),
    ),
    (
        "id",
        "Kedua subsistem harus dimulai ulang. S3 tidak dapat melayani permintaan karena keduanya sedang dimulai ulang.",
        ("Kedua subsistem harus dimulai ulang", "karena", "S3 tidak dapat melayani permintaan"),
    ),
    (
        "en",
        "The databases failed over to the west. Writes were lost. Engineers could not fail back due to the failover.",
        ("databases failed over to the west", "due to", "Engineers could not fail back"),
    ),
    # a modifier makes an incident noun name one event ("The DynamoDB failure"), found a few sentences back
    (
        "en",
        "Requests to DynamoDB failed. Engineers were paged. The DynamoDB failure in turn caused a backlog.",
        ("Requests to DynamoDB failed", "caused", "backlog"),
    ),
    (
        "id",
        "Permintaan ke DynamoDB gagal. Teknisi dipanggil. Kegagalan DynamoDB itu memicu antrean.",
        ("Permintaan ke DynamoDB gagal", "memicu", "antrean"),
    ),
    # a gerund before a strong determiner ("Losing that capacity") is an anaphor of the last event
    (
        "en",
        "A bad route caused a routing loop. As a result, many servers were removed. "
        "Losing that capacity meant that the index had to restart.",
        ("many servers were removed", "meant that", "index had to restart"),
    ),
    # a series of participles shares the main clause's cause
    (
        "en",
        "A faulty update crashed computers running Windows, grounding flights, disrupting hospitals.",
        ("computers running Windows", "disrupting", "disrupting hospitals"),
    ),
    # the last participle of a series may follow "and"
    (
        "en",
        "A faulty update crashed computers, grounding flights, disrupting hospitals and knocking a channel off air.",
        ("computers", "knocking", "knocking a channel off air"),
    ),
    (
        "id",
        "Server pusat data mati, menelantarkan ribuan penumpang dan menunda puluhan penerbangan.",
        ("Server pusat data mati", "menunda", "menunda puluhan penerbangan"),
    ),
    (
        "id",
        "Server pusat data mati, menelantarkan ribuan penumpang, menunda puluhan penerbangan.",
        ("Server pusat data mati", "menunda", "menunda puluhan penerbangan"),
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), ANAPHORS)
def test_chain_roots_anaphors_and_series(causal_nlp, lang: str, text: str, expected: tuple[str, str, str]) -> None:
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in causal_nlp[lang](text)._.relations]
    assert expected in found


def test_chain_roots_temporal_connective_is_no_link(full_nlp) -> None:
    doc = full_nlp["en"](
        "A ransomware attack had disrupted online services at 200 agencies since last Thursday, "
        "causing long queues at airport immigration counters."
    )
    found = {(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations}
    assert found == {
        ("ransomware attack", "disrupted", "online services at 200 agencies since last Thursday"),
        (
            "online services at 200 agencies since last Thursday",
            "causing",
            "long queues at airport immigration counters",
        ),
    }


def test_chain_roots_incident_noun_looks_back_one_sentence_only(causal_nlp) -> None:
    doc = causal_nlp["en"](
        "Rogers blames update for outage\n"
        "The outage began on Friday. Engineers worked all day. The outage left millions without service."
    )
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    # the headline states its own link ("blames update for outage"); the body's "The outage" is its own cause
    assert found == [("update", "blames ... for", "outage"), ("outage", "left", "millions without service")]


TIME_PREFIXES = [
    # a date or time adverbial opening an argument up to a comma is when, not what
    (
        "en",
        "At 22:52 UTC on October 21, routine maintenance work to replace failing optical equipment "
        "resulted in a loss of connectivity.",
        "routine maintenance work to replace failing optical equipment",
    ),
    (
        "id",
        "Pada Senin (20/10/2025) pukul 10.00 WIB, pembaruan konfigurasi memicu gangguan layanan.",
        "pembaruan konfigurasi",
    ),
    (
        "en",
        "Shortly before midday UTC on Thursday, 2 November 2023, a series of power failures at a data centre "
        "took down the control plane.",
        "series of power failures at a data centre",
    ),
    (
        "id",
        "Sesaat sebelum pukul 12.00 WIB pada Kamis (2/11/2023), kegagalan daya di pusat data memicu gangguan layanan.",
        "kegagalan daya di pusat data",
    ),
]


TIME_SUFFIXES = [
    ("en", "A cooling failure knocked out servers for more than 12 hours on Sunday.", ("cooling failure", "servers")),
    ("en", "The bug caused errors between 10:00 and 11:30 UTC.", ("bug", "errors")),
    ("en", "A power cut caused an outage that lasted two hours.", ("power cut", "outage that lasted")),
    (
        "id",
        "Kebocoran pendingin memicu gangguan server selama 12 jam pada Minggu.",
        ("Kebocoran pendingin", "gangguan server"),
    ),
]


@pytest.mark.parametrize(("lang", "text", "link"), TIME_SUFFIXES)
def test_chain_times_closing_an_argument_are_cut_off(full_nlp, lang: str, text: str, link: tuple[str, str]) -> None:
    doc = full_nlp[lang](text)
    nodes = {n["id"]: n["text"] for n in doc._.causal["nodes"]}
    assert {(nodes[e["source"]], nodes[e["target"]]) for e in doc._.causal["edges"]} == {link}


@pytest.mark.parametrize(("lang", "text", "root"), TIME_PREFIXES)
def test_chain_roots_time_adverbial_is_not_the_event(full_nlp, lang: str, text: str, root: str) -> None:
    doc = full_nlp[lang](text)
    assert doc._.root_cause["text"] == root


def test_chain_roots_a_date_tagged_twice_counts_once(full_nlp) -> None:
    # "Tuesday" is both a time expression and a DATE entity: it covers 7 of the effect's 17 characters, not 14,
    # so the link stands; the date that closes the effect is when, not what, and is cut off the event
    doc = full_nlp["en"]("A configuration change at Cloudflare caused an outage on Tuesday.")
    nodes = {n["id"]: n["text"] for n in doc._.causal["nodes"]}
    edges = {(nodes[e["source"]], nodes[e["target"]]) for e in doc._.causal["edges"]}
    assert edges == {("configuration change at Cloudflare", "outage")}
    assert doc._.root_cause["category"] == "config_change"


RECALLED = [
    (
        "en",
        "2023-01-20",
        "A power failure at the data center knocked out the booking system on Jan. 17. It was the worst outage "
        "since February 2017, when a mistyped command took down a storage service.",
        "power failure at the data center",
    ),
    (
        "id",
        "2020-07-18",
        "Kesalahan konfigurasi router memicu gangguan layanan pada Sabtu (18/7/2020). Pada 2 Juli 2019, layanan "
        "itu juga lumpuh akibat aturan firewall yang keliru.",
        "Kesalahan konfigurasi router",
    ),
]


@pytest.mark.parametrize(("lang", "published", "text", "root"), RECALLED)
def test_chain_links_of_a_recalled_incident_stay_out(
    extractor, lang: str, published: str, text: str, root: str
) -> None:
    from pipeline.extractor import _make_doc
    from pipeline.io import Record

    record = Record(position=0, doc_id="recalled", source="test", text=text, published=published)
    nlp = extractor.nlp(lang)
    doc = nlp(_make_doc(nlp, record, extractor._route(record)))
    assert doc._.root_cause["text"] == root
    cues = {e["cue"] for e in doc._.causal["edges"]}
    assert cues and not cues & {"took down", "akibat"}


@pytest.mark.parametrize(
    ("lang", "text", "category"),
    [
        (
            "en",
            "Square said it found no evidence of a cyberattack. A routine update to its network software caused "
            "the outage.",
            "config_change",
        ),
        (
            "id",
            "Perusahaan menegaskan gangguan bukan serangan siber. Pembaruan konfigurasi memicu gangguan itu.",
            "config_change",
        ),
    ],
)
def test_chain_roots_negated_keywords_do_not_set_the_category(full_nlp, lang: str, text: str, category: str) -> None:
    doc = full_nlp[lang](text)
    assert doc._.root_cause["category"] == category


@pytest.mark.parametrize(
    ("lang", "text", "only"),
    [
        (
            "en",
            "It is not yet clear what caused the outage. A power failure knocked out the servers.",
            ("power failure", "knocked out", "servers"),
        ),
        (
            "en",
            "Just after 19:00 UTC on March 14, we began upgrading the cluster. The upgrade caused errors.",
            ("we began upgrading the cluster", "caused", "errors"),  # "The upgrade" names the event before
        ),
        (
            "id",
            "Belum jelas apa yang memicu gangguan itu. Kebakaran memicu pemadaman server.",
            ("Kebakaran", "memicu", "pemadaman server"),
        ),
    ],
)
def test_chain_links_unknown_causes_and_times_state_no_link(full_nlp, lang: str, text: str, only: tuple) -> None:
    doc = full_nlp[lang](text)
    assert [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations] == [only]


def test_chain_links_trailing_adverbs_leave_the_cause(full_nlp) -> None:
    doc = full_nlp["en"]("By then the power loss had already knocked out 300 servers.")
    assert [(r["cause"]["text"], r["cue"]) for r in doc._.relations] == [("power loss", "knocked out")]


@pytest.mark.parametrize(
    ("lang", "text", "root", "trigger"),
    [
        (
            "en",
            "A customer pushed a valid configuration change that set off a dormant bug in its software. "
            "The bug took most of the network offline.",
            "dormant bug in its software",
            "customer pushed a valid configuration change",
        ),
        (
            "id",
            "Pembaruan konfigurasi dari seorang pelanggan memicu bug tersembunyi pada perangkat lunak. "
            "Bug itu membuat sebagian besar jaringan lumpuh.",
            "bug tersembunyi pada perangkat lunak",
            "Pembaruan konfigurasi dari seorang pelanggan",
        ),
    ],
)
def test_chain_roots_defect_a_change_woke_is_the_root(
    causal_nlp, lang: str, text: str, root: str, trigger: str
) -> None:
    # a change that wakes a latent defect is its trigger; the defect is the origin (GUIDELINES 5.1)
    doc = causal_nlp[lang](text)
    types = {n["text"]: n["type"] for n in doc._.causal["nodes"]}
    assert (doc._.root_cause["text"], doc._.root_cause["category"]) == (root, "software_bug")
    assert types[trigger] == "trigger"


def test_chain_roots_event_whose_subject_restates_an_earlier_one_continues_it(full_nlp) -> None:
    text = (
        "The outage followed changes to routing information received from a peering network. "
        "Routing changes spread through the network and exceeded safety limits. "
        "Network engineers restarted the routers."
    )
    doc = full_nlp["en"](text)
    builder = ChainBuilder("en")
    starts = [s.start_char for s in doc.sents]
    events: list = []

    def event(words: str):
        start = text.index(words)
        return builder._event(doc, events, {"start": start, "end": start + len(words)}, starts)

    told = event("changes to routing information received from a peering network")
    retold = event("Routing changes spread through the network and exceeded safety limits")
    restart = event("Network engineers restarted the routers")
    # the second is an event of its own (the chain keeps both nodes) that goes on telling the first: no root
    assert retold is not told and (told.continues, retold.continues, restart.continues) == (False, True, False)


def test_chain_links_an_effect_that_shares_words_with_its_cause(full_nlp) -> None:
    # shared words ("servers could not ... back-end") do not make an effect its own cause's event
    doc = full_nlp["en"](
        "Without those threads, the servers could not finish building their shard map, the cache that tells "
        "each server which back-end cluster owns a stream. "
        "As a result, front-end servers could not route requests to the back-end clusters."
    )
    chain = doc._.causal
    texts = {n["id"]: n["text"] for n in chain["nodes"]}
    links = [(texts[e["source"]], e["cue"], texts[e["target"]]) for e in chain["edges"]]
    assert any(cue == "As a result" and "route requests" in target for _, cue, target in links)


def test_chain_roots_pointing_noun_after_a_preposition_is_what_the_event_befell(full_nlp) -> None:
    doc = full_nlp["en"](
        "The hall is cooled under a building automation control system. On Tuesday, a malfunction of that "
        "control system shut down the chillers, which caused the servers to overheat."
    )
    assert doc._.root_cause["text"].startswith("malfunction of that control system")


def test_chain_links_a_participle_after_a_backward_link_to_the_main_clause(full_nlp) -> None:
    # "A after B, forcing C": A forced C, not B
    doc = full_nlp["en"](
        "The airport was closed for most of Friday after a fire at a nearby substation cut its power supply, "
        "forcing airlines to cancel more than a thousand flights."
    )
    found = [(r["cause"]["text"], r["cue"], r["effect"]["text"]) for r in doc._.relations]
    assert (
        "airport was closed for most of Friday",
        "forcing",
        "forcing airlines to cancel more than a thousand flights",
    ) in found
