"""Pydantic models of the incident report: the export contract and its JSON Schema.

Every character offset (`start`, `end`) indexes into `IncidentReport.text`, the
normalised text the pipeline read (after decoding, mojibake repair and HTML
extraction), so `text[start:end]` is always the mention.

Compatibility policy for `schema_version` (semantic versioning):
- patch: documentation or validation fixes, no change to the JSON shape;
- minor: new optional fields or new enum values; readers of the same major keep working;
- major: a field renamed, removed or retyped.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.render import ReportHtmlMixin

SCHEMA_VERSION = "1.1.0"

RootCauseCategory = Literal[
    "config_change",
    "software_bug",
    "automation",
    "dns",
    "network_bgp",
    "power",
    "cyberattack",
    "hardware",
    "capacity_overload",
    "human_error",
    "dependency_failure",
    "natural_disaster",
    "unknown",
]
ROOT_CAUSE_CATEGORIES: tuple[str, ...] = RootCauseCategory.__args__  # type: ignore[attr-defined]

NodeType = Literal["root_cause", "trigger", "failure", "impact", "mitigation"]
LocationKind = Literal["cloud_region", "availability_zone", "place"]
TimeKind = Literal["date", "time", "datetime", "duration", "interval", "relative_date"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of the report's text."""

    start: int = Field(ge=0, description="Character offset of the first character.")
    end: int = Field(ge=0, description="Character offset after the last character.")


class Mention(Span):
    """One occurrence of a fact in the text, with the sentence that holds it."""

    text: str
    sentence: int | None = Field(default=None, description="Index of the sentence in the document.")


class Entity(Mention):
    """A named-entity mention, with its label and, where known, its canonical name."""

    label: str = Field(description="PROVIDER, SERVICE, ORG, PRODUCT, CLOUD_REGION, PLACE, PERSON, EVENT, ...")
    canonical: str | None = None
    kb_id: str | None = Field(default=None, description="Knowledge-base id of the canonical entity.")
    role: Literal["provider", "affected", "location", "mentioned"] = "mentioned"
    source: str = Field(default="model", description="What found it: model, kb, rule.")


class Provider(_Model):
    """An organisation whose failure caused the incident."""

    name: str
    kb_id: str | None = None
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class AffectedService(_Model):
    """A service, product or company reported as affected."""

    name: str
    kb_id: str | None = None
    kind: Literal["provider_service", "service", "organisation"] = "service"
    provider: str | None = Field(default=None, description="Owning provider for a provider's own service.")
    mentions: list[Mention] = Field(default_factory=list)


class Location(_Model):
    """A cloud region, availability zone or place tied to the incident."""

    name: str
    kind: LocationKind
    code: str | None = Field(default=None, description="Region code such as us-east-1.")
    mentions: list[Mention] = Field(default_factory=list)


class TimeExpression(Span):
    """A normalised date, time, duration or interval found in the text."""

    text: str
    kind: TimeKind
    date: str | None = Field(default=None, description="YYYY-MM-DD")
    datetime: str | None = Field(default=None, description="ISO 8601, UTC when the zone is known.")
    end_date: str | None = None
    end_datetime: str | None = None
    seconds: float | None = None
    min_seconds: float | None = None
    max_seconds: float | None = None
    approximate: bool = False
    timezone: str | None = None
    resolved: bool = True


class TimePoint(_Model):
    """The incident's start or end."""

    date: str | None = Field(default=None, description="YYYY-MM-DD")
    datetime: str | None = Field(default=None, description="ISO 8601")
    text: str
    start: int | None = None
    end: int | None = None


class Duration(_Model):
    """How long the incident lasted."""

    seconds: float = Field(ge=0)
    iso8601: str
    approximate: bool = False
    text: str
    min_seconds: float | None = None
    max_seconds: float | None = None
    start: int | None = None
    end: int | None = None


class RootCause(_Model):
    """The root of the causal chain and its category."""

    text: str
    category: RootCauseCategory = "unknown"
    start: int | None = None
    end: int | None = None
    sentence: int | None = None
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    speculative: bool = False


class ChainNode(Span):
    """An event in the causal chain."""

    id: str
    text: str
    label: str = Field(description="A short label for drawings.")
    type: NodeType
    sentence: int | None = None
    mentions: list[Mention] = Field(
        default_factory=list,
        description="Every place the text tells this event: its own span first, then the spans joined to it in "
        "text order (a restatement such as 'the outage', a synonym such as 'efek domino', a later mention of the "
        "incident such as 'bencana teknis tersebut'). Added in 1.1.0.",
    )


class ChainEdge(_Model):
    """A cause -> effect link with its evidence."""

    source: str
    target: str
    cue: str | None = Field(default=None, description="The cue word(s) stating the link; null for an inferred link.")
    cue_start: int | None = None
    cue_end: int | None = None
    evidence: str = Field(description="The sentence(s) stating the link.")
    evidence_start: int
    evidence_end: int
    confidence: float = Field(ge=0.0, le=1.0)
    method: str = Field(
        default="rule",
        description="rule (a cue rule), both (a cue rule weighted by the causal-sentence classifier) or model "
        "(inferred by the chain linker: no cue states it).",
    )


class CausalChain(_Model):
    """Root cause -> trigger -> failure -> impact, as a graph."""

    nodes: list[ChainNode] = Field(default_factory=list)
    edges: list[ChainEdge] = Field(default_factory=list)


class ParagraphLanguage(Span):
    """The language detected for one paragraph."""

    language: str
    confidence: float = Field(ge=0.0, le=1.0)


class ReportWarning(_Model):
    """Something the pipeline could not do for this document."""

    code: str
    message: str


class IncidentReport(_Model, ReportHtmlMixin):
    """One structured incident report per input document."""

    schema_version: str = SCHEMA_VERSION
    doc_id: str
    language: str = Field(description="ISO 639-1 code, or 'und' when undetermined.")
    language_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    paragraphs: list[ParagraphLanguage] = Field(default_factory=list)
    title: str | None = None
    published: str | None = Field(default=None, description="YYYY-MM-DD")
    url: str | None = None
    source: str | None = Field(default=None, description="Input path (and line) the document came from.")
    is_incident: bool = Field(default=False, description="Whether the text reports an outage at all.")
    providers: list[Provider] = Field(default_factory=list)
    affected_services: list[AffectedService] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    start: TimePoint | None = None
    end: TimePoint | None = None
    duration: Duration | None = None
    root_cause: RootCause | None = None
    causal_chain: CausalChain = Field(default_factory=CausalChain)
    entities: list[Entity] = Field(default_factory=list)
    time_expressions: list[TimeExpression] = Field(default_factory=list)
    warnings: list[ReportWarning] = Field(default_factory=list)
    text: str | None = Field(default=None, description="The text all offsets index into (omitted with --no-text).")


class ErrorRecord(_Model):
    """A document that could not be turned into a report."""

    doc_id: str
    source: str | None = None
    position: int = Field(description="Input position of the document (0-based).")
    code: str
    reason: str


def json_schema() -> dict:
    """The JSON Schema of `IncidentReport`, as published under `schema/`."""
    schema = IncidentReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://insiden.dev/schema/incident_report-{SCHEMA_VERSION}.json"
    return schema
