"""Pydantic models of the knowledge-base files in `pipeline/lang/kb/` and of one built entry."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Label = Literal["PROVIDER", "SERVICE", "ORG", "CLOUD_REGION", "PLACE"]
LABELS: tuple[str, ...] = Label.__args__  # type: ignore[attr-defined]

ProviderKind = Literal[
    "cloud", "cdn", "dns", "saas", "security", "telco", "isp", "bank", "power", "government",
    "platform", "payment", "hosting", "datacenter", "software", "hardware", "network", "cable",
]  # fmt: skip
ConsumerKind = Literal[
    "game", "gaming_platform", "streaming", "music", "social", "messaging", "video_call", "email",
    "search", "ai", "productivity", "developer", "design", "education", "bank", "mobile_banking",
    "fintech", "payment", "ewallet", "crypto", "broker", "exchange", "insurance", "ecommerce",
    "retail", "food_delivery", "ride_hailing", "travel", "airline", "airport", "railway",
    "transport", "logistics", "smart_home", "device", "media", "government", "public_service",
    "health", "telco", "company", "dating", "news_app", "stock_exchange", "university",
]  # fmt: skip
MentionedKind = Literal["media", "monitoring", "analyst", "research", "agency", "company", "threat_actor"]
PlaceKind = Literal[
    "continent", "world_region", "country", "territory", "state", "province", "region", "island",
    "city", "district", "coast",
]  # fmt: skip

ENTRY_ID = r"^[a-z0-9][a-z0-9_.:-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntrySpec(_Model):
    """One named thing as written in a data file.

    `aliases` match case-insensitively, except short acronyms (`XL`, `S3`, `BSI`), which
    match exactly; `exact` aliases always match case-sensitively (common words such as
    `Grab` or `Signal`); `resolve_only` aliases are normalised by `resolve()` but never
    become matcher patterns (`X` for Twitter, `Antara`, which is also "between").
    """

    id: str = Field(pattern=ENTRY_ID)
    name: str = Field(min_length=1)
    kind: str
    aliases: list[str] = Field(default_factory=list)
    exact: list[str] = Field(default_factory=list)
    resolve_only: list[str] = Field(default_factory=list)
    name_is_alias: bool = Field(default=True, description="Whether `name` itself is matched and resolved.")
    parent: str | None = Field(default=None, description="KB id of the group or company above this one.")
    owner: str | None = Field(default=None, description="KB id of the provider that runs this service.")
    joined: dt.date | None = Field(
        default=None, description="Day it came under its owner or group (an acquisition); before it, it stood alone."
    )
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code of the home country.")
    label: Label | None = None
    note: str | None = None


class ServiceSpec(EntrySpec):
    """A provider's own service or component; its id is prefixed with the provider's id."""

    kind: str = "service"
    service_id: str | None = None
    endpoint_prefix: str | None = None
    generic: list[str] = Field(
        default_factory=list,
        description="Bare words that name it in a story about its provider: 'the dashboard', 'its API'.",
    )


class ProviderSpec(EntrySpec):
    """A provider (cloud, network, telco, bank, power, government...) and its services."""

    kind: ProviderKind
    services: list[ServiceSpec] = Field(default_factory=list)


class ProvidersFile(_Model):
    """`providers.yaml`."""

    providers: list[ProviderSpec]


class ServicesFile(_Model):
    """`aws_services.yaml`: services of one provider, generated from upstream data."""

    source: dict[str, str] = Field(default_factory=dict)
    provider: str
    services: list[ServiceSpec]


class ConsumerSpec(EntrySpec):
    """A consumer service or company that outages are reported to affect."""

    kind: ConsumerKind


class ConsumerServicesFile(_Model):
    """`consumer_services.yaml`; `kind_labels` gives the NER label of each kind (default SERVICE)."""

    kind_labels: dict[str, Label] = Field(default_factory=dict)
    services: list[ConsumerSpec]


class MentionedSpec(EntrySpec):
    """An organisation that is a source (outlet, monitor, analyst), never an affected subject."""

    kind: MentionedKind


class MentionedOnlyFile(_Model):
    """`mentioned_only.yaml`."""

    organisations: list[MentionedSpec]


AliasUse = Literal["alias", "exact", "resolve_only"]


class RegionSpec(_Model):
    """One cloud region; its KB id is `region.<provider>.<code>` and its canonical name the code."""

    code: str = Field(pattern=r"^[a-z0-9-]+$")
    description: str | None = None
    description_use: AliasUse | None = Field(default=None, description="Overrides the group's setting.")
    aliases: list[str] = Field(default_factory=list)
    exact: list[str] = Field(default_factory=list)
    partition: str | None = None
    az_id_prefix: str | None = None
    place: str | None = Field(default=None, description="Canonical name of the place the region is in.")
    place_aliases: list[str] = Field(default_factory=list)


class RegionGroup(_Model):
    """The regions of one cloud provider, with the templates of its zone names.

    A zone format is a sample zone name built from `{code}` / `{az_id_prefix}`; its last
    character stands for the zone letter or number (`{code}a` -> us-east-1a, us-east-1b...).
    """

    zone_formats: list[str] = Field(default_factory=list)
    description_use: AliasUse = Field(
        default="alias", description="How descriptions match: Azure's `East US` only case-sensitively."
    )
    qualifiers: list[str] = Field(
        default_factory=list, description="Each adds the alias `<qualifier> <description>` (`Azure East US`)."
    )
    regions: list[RegionSpec]


class PlaceSpec(EntrySpec):
    """A place (country, province, city, world region...); its KB id is `place.<id>`.

    `country` is the ISO 3166-1 alpha-2 code of the country it is in (a country's own code).
    """

    kind: PlaceKind


class RegionsFile(_Model):
    """`aws_regions.yaml` (generated) and `cloud_regions.yaml` (hand-written)."""

    source: dict[str, str] = Field(default_factory=dict)
    providers: dict[str, RegionGroup]
    places: list[PlaceSpec] = Field(default_factory=list)


class PlacesFile(_Model):
    """`places.yaml`: the gazetteer of countries, regions, provinces, states and cities.

    A place that a region file names (`place: Tokyo`) may be described here under the same
    id; a place described under `places:` of a region file may not.
    """

    places: list[PlaceSpec]


class Ambiguity(_Model):
    """An alias that names several entries on purpose; `default` is what it resolves to."""

    alias: str
    candidates: list[str] = Field(min_length=2)
    default: str
    note: str | None = None


class AmbiguousFile(_Model):
    """`ambiguous.yaml`."""

    ambiguous: list[Ambiguity] = Field(default_factory=list)


class NoiseWords(_Model):
    """Words around a name that `resolve()` may strip: `layanan Gojek`, `Telkom Tbk`, `Gojek-nya`."""

    leading: list[str] = Field(default_factory=list)
    trailing: list[str] = Field(default_factory=list)
    clitics: list[str] = Field(default_factory=list, description="Suffixes attached with a hyphen.")


class NormalizationData(_Model):
    """`normalization.yaml`: how surface forms are reduced to lookup keys."""

    symbols: dict[str, str] = Field(default_factory=dict, description="Replaced before folding: + -> plus.")
    apostrophes: list[str] = Field(default_factory=list)
    possessives: list[str] = Field(default_factory=list)
    collapse_reduplication: bool = True
    noise: dict[str, NoiseWords] = Field(default_factory=dict, description="Keyed by language code.")


class KBEntry(_Model):
    """One built knowledge-base entry, whatever file it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    label: Label
    kind: str
    source: str = Field(description="Data file it came from, without extension.")
    aliases: tuple[str, ...] = Field(default=(), description="Matched case-insensitively (short acronyms exactly).")
    exact: tuple[str, ...] = Field(default=(), description="Matched case-sensitively.")
    resolve_only: tuple[str, ...] = ()
    owner: str | None = None
    parent: str | None = None
    country: str | None = None
    mentioned_only: bool = False
    code: str | None = Field(default=None, description="Region code for CLOUD_REGION entries.")
    description: str | None = None
    place: str | None = Field(default=None, description="KB id of a region's place.")
    regions: tuple[str, ...] = Field(default=(), description="KB ids of the regions in a place.")
    az_id_prefix: str | None = None
    zone_formats: tuple[str, ...] = ()
    generic: tuple[str, ...] = Field(default=(), description="Bare words naming a service in its provider's story.")
    joined: dt.date | None = Field(default=None, description="Day it came under its owner or group.")

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """Every alias, matched or resolve-only."""
        return self.aliases + self.exact + self.resolve_only
