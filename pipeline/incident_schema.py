"""Pydantic models of an incident merged across documents: `IncidentRecord`, the output of `insiden merge`.

A record keeps every source report (doc id, language, title) and, for each field the
sources may disagree on (start, end, duration, root cause), a `Resolution`: the chosen
value, the rule that chose it, and every candidate value with the documents and the text
that state it. So "14 hours" in one article and "15 hours" in another gives the value
54000 s, the rule `longest` and both candidates with their doc ids and mentions.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

INCIDENT_SCHEMA_VERSION = "1.0.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_Model):
    """One report merged into the incident."""

    doc_id: str
    language: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


class Evidence(_Model):
    """Where one document states a candidate value."""

    doc_id: str
    text: str | None = Field(default=None, description="The mention, e.g. 'sekitar 14 jam'.")
    start: int | None = None
    end: int | None = None


class Candidate(_Model):
    """One value the sources give for a field, with the documents that give it."""

    value: str | float
    support: int = Field(description="How many documents give this value.")
    precise: bool = Field(description="A datetime rather than a date; an exact rather than an approximate duration.")
    evidence: list[Evidence]


class Resolution(_Model):
    """A field resolved across sources: the chosen value, the deciding rule and all candidates."""

    value: str | float | None = None
    rule: str = Field(
        description="What decided: only_value, most_precise, most_reports, longest, earliest, latest, "
        "most_confident, first_by_id; none when no source states the field."
    )
    conflict: bool = Field(default=False, description="Whether the sources give more than one value.")
    candidates: list[Candidate] = Field(default_factory=list)


class NamedItem(_Model):
    """A provider, affected service or location, with the documents that name it."""

    name: str
    key: str = Field(description="Canonical key the sources were matched on.")
    doc_ids: list[str]


class Link(_Model):
    """A pair of reports the clustering joined, with its score and the evidence behind it."""

    a: str
    b: str
    score: float
    components: dict[str, float] = Field(description="Per-feature similarity in [0, 1]: provider, date, ...")


class IncidentRecord(_Model):
    """One real incident, merged from every report about it, in any language."""

    schema_version: str = INCIDENT_SCHEMA_VERSION
    incident_id: str = Field(description="Stable id: <provider>-<start date>-<hash of the doc ids>.")
    title: str | None = None
    doc_ids: list[str]
    languages: list[str]
    sources: list[SourceRef]
    providers: list[NamedItem] = Field(default_factory=list)
    affected_services: list[NamedItem] = Field(default_factory=list)
    locations: list[NamedItem] = Field(default_factory=list)
    start: Resolution
    end: Resolution
    duration: Resolution = Field(description="Seconds.")
    root_cause_category: Resolution
    root_cause: Resolution = Field(description="Text of the root cause, taken from the chosen category's sources.")
    links: list[Link] = Field(default_factory=list)
