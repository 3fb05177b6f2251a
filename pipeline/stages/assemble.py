"""Turn the values stages left in `doc._` into a validated `IncidentReport`.

Stages never build export objects; validation errors surface here, at the boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipeline.errors import Warnings
from pipeline.schema import (
    AffectedService,
    CausalChain,
    Duration,
    Entity,
    IncidentReport,
    Location,
    Mention,
    ParagraphLanguage,
    Provider,
    ReportWarning,
    RootCause,
    TimeExpression,
    TimePoint,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.io import Record


def assemble_report(doc: Doc, *, include_text: bool = True) -> IncidentReport:
    """Build the report of one processed Doc."""
    meta = doc._.meta or {}
    entities = [Entity.model_validate(_entity_fields(e)) for e in doc._.entities or []]
    incident = bool(doc._.is_incident)
    # A text that reports no outage keeps its mentions and time expressions, but no
    # incident facts: nothing is invented for an article about something else.
    timing = (doc._.timing or {}) if incident else {}
    report = IncidentReport(
        doc_id=str(meta.get("doc_id") or ""),
        language=doc._.lang or doc.lang_,
        language_confidence=round(float(doc._.lang_confidence or 0.0), 4),
        paragraphs=[ParagraphLanguage.model_validate(p) for p in doc._.paragraphs or []],
        title=meta.get("title"),
        published=meta.get("published"),
        url=meta.get("url"),
        source=meta.get("source"),
        is_incident=incident,
        providers=_group(entities, "provider", _provider),
        affected_services=_group(entities, "affected", _affected),
        locations=_group(entities, "location", _location),
        start=_optional(TimePoint, timing.get("start")),
        end=_optional(TimePoint, timing.get("end")),
        duration=_optional(Duration, timing.get("duration")),
        root_cause=_optional(RootCause, doc._.root_cause) if incident else None,
        causal_chain=CausalChain.model_validate((doc._.causal or {}) if incident else {}),
        entities=entities,
        time_expressions=[TimeExpression.model_validate(t) for t in doc._.time_expressions or []],
        warnings=_warnings(meta.get("warnings"), doc._.warnings),
        text=doc.text if include_text else None,
    )
    return report


def unsupported_report(
    record: Record, language: str, confidence: float, paragraphs: list[dict], *, include_text: bool = True
) -> IncidentReport:
    """A report for a document in a language insiden has no pipeline for: language and a warning."""
    message = f"language '{language}' is not supported; only the language is reported"
    return IncidentReport(
        doc_id=record.doc_id,
        language=language,
        language_confidence=round(confidence, 4),
        paragraphs=[ParagraphLanguage.model_validate(p) for p in paragraphs],
        title=record.title,
        published=record.published,
        url=record.url,
        source=record.source,
        warnings=_warnings(record.warnings, [{"code": Warnings.W001, "message": message}]),
        text=record.text if include_text else None,
    )


def _entity_fields(entity: dict) -> dict:
    return {k: entity[k] for k in Entity.model_fields if k in entity}


def _mention(entity: Entity) -> Mention:
    return Mention(text=entity.text, start=entity.start, end=entity.end, sentence=entity.sentence)


def _group(entities: list[Entity], role: str, build) -> list:
    """Merge the mentions of one role by canonical name, in order of first mention."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        if entity.role == role:
            groups.setdefault(entity.canonical or entity.text, []).append(entity)
    return [build(name, members) for name, members in groups.items()]


def _aliases(name: str, members: Iterable[Entity]) -> list[str]:
    seen: dict[str, None] = {}
    for member in members:
        if member.text != name:
            seen.setdefault(member.text, None)
    return list(seen)


def _provider(name: str, members: list[Entity]) -> Provider:
    return Provider(
        name=name,
        kb_id=members[0].kb_id,
        aliases=_aliases(name, members),
        mentions=[_mention(m) for m in members],
    )


def _affected(name: str, members: list[Entity]) -> AffectedService:
    kind = "provider_service" if members[0].label == "SERVICE" else "service"
    return AffectedService(name=name, kb_id=members[0].kb_id, kind=kind, mentions=[_mention(m) for m in members])


def _location(name: str, members: list[Entity]) -> Location:
    label = members[0].label
    kind = {"CLOUD_REGION": "cloud_region", "AVAILABILITY_ZONE": "availability_zone"}.get(label, "place")
    return Location(
        name=name, kind=kind, code=name if kind != "place" else None, mentions=[_mention(m) for m in members]
    )


def _optional(model, value):
    return model.model_validate(value) if value else None


def _warnings(*groups: Iterable[dict] | None) -> list[ReportWarning]:
    seen: list[ReportWarning] = []
    for group in groups:
        for item in group or []:
            warning = ReportWarning.model_validate(item)
            if warning not in seen:
                seen.append(warning)
    return seen
