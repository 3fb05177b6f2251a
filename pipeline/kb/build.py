"""Build the flat table of knowledge-base entries from the validated data files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from pipeline.errors import Errors, InsidenError
from pipeline.kb.models import (
    ConsumerServicesFile,
    EntrySpec,
    KBEntry,
    MentionedOnlyFile,
    PlacesFile,
    PlaceSpec,
    ProvidersFile,
    RegionsFile,
    ServicesFile,
)
from pipeline.kb.normalize import KeyNormalizer
from pipeline.lang.loader import KB_DIR

ModelT = TypeVar("ModelT", bound=BaseModel)
Loader = Callable[[str, type[ModelT]], ModelT]

# Files of generated provider services, and region files; each is optional only in
# the sense that the list names what exists: all of them ship with the package.
SERVICE_FILES = ("aws_services",)
REGION_FILES = ("aws_regions", "cloud_regions")
# Gazetteers, read after the region files so that their kinds and names win over the
# bare entries that a region's `place` creates.
PLACE_FILES = ("places",)
_LISTS = ("aliases", "exact", "resolve_only")


def _invalid(err: str) -> InsidenError:
    return InsidenError(Errors.E002.format(path=KB_DIR, err=err))


class EntryTable:
    """Mutable entries keyed by id while the files are read; merged when an id repeats."""

    def __init__(self, norm: KeyNormalizer) -> None:
        self.norm = norm
        self.rows: dict[str, dict[str, Any]] = {}
        self._spec_source: dict[str, str] = {}

    def add_spec(self, spec: EntrySpec, *, entry_id: str, label: str, source: str, **extra: Any) -> None:
        """Add the entry `entry_id` from a file spec.

        The same id twice is an error, except a hand-written provider service that
        repeats a generated one to rename it or add aliases (it is merged).
        """
        previous = self._spec_source.get(entry_id)
        if previous is not None and not (previous in SERVICE_FILES and source == "providers"):
            raise _invalid(f"id '{entry_id}' is defined in {previous} and again in {source}")
        self._spec_source[entry_id] = source
        row = spec.model_dump(include={"name", "kind", "parent", "owner", "joined", "country", "generic", *_LISTS})
        old = self.rows.get(entry_id, {})
        listed = any(spec.name in row[field] or spec.name in old.get(field, ()) for field in _LISTS)
        if spec.name_is_alias and not listed:
            row["aliases"] = [spec.name, *row["aliases"]]
        row.update({k: v for k, v in extra.items() if v is not None})
        self.add(entry_id, label=label, source=source, **row)

    def add(self, entry_id: str, **fields: Any) -> None:
        """Add an entry, or merge it into one with the same id.

        Lists are united; the newer scalars win, except `source`, which keeps the file
        that introduced the entry.
        """
        old = self.rows.get(entry_id)
        if old is None:
            self.rows[entry_id] = {"id": entry_id, **fields}
            return
        if old["label"] != fields["label"]:
            raise _invalid(f"entry '{entry_id}' is both {old['label']} and {fields['label']}")
        for name, value in fields.items():
            if isinstance(value, (list, tuple)):
                old[name] = list(dict.fromkeys([*old.get(name, ()), *value]))
            elif value is not None and name != "source":
                old[name] = value

    def freeze(self) -> dict[str, KBEntry]:
        """Validated, immutable entries."""
        entries = {eid: KBEntry.model_validate(row) for eid, row in self.rows.items()}
        for entry in entries.values():
            for ref in (entry.owner, entry.parent, entry.place, *entry.regions):
                if ref is not None and ref not in entries:
                    raise _invalid(f"entry '{entry.id}' refers to unknown id '{ref}'")
        return entries


def _providers(table: EntryTable, data: ProvidersFile) -> None:
    for provider in data.providers:
        table.add_spec(provider, entry_id=provider.id, label="PROVIDER", source="providers")
        for service in provider.services:
            sid = f"{provider.id}.{service.id}"
            table.add_spec(service, entry_id=sid, label="SERVICE", source="providers", owner=provider.id)


def _generated_services(table: EntryTable, data: ServicesFile, source: str) -> None:
    for service in data.services:
        sid = f"{data.provider}.{service.id}"
        table.add_spec(service, entry_id=sid, label="SERVICE", source=source, owner=data.provider)


def _regions(table: EntryTable, data: RegionsFile, source: str) -> None:
    norm = table.norm
    for provider, group in data.providers.items():
        for region in group.regions:
            rid = f"region.{provider}.{region.code}"
            lists: dict[str, list[str]] = {"aliases": [region.code, *region.aliases], "exact": list(region.exact)}
            lists["resolve_only"] = []
            if region.description:
                use = region.description_use or group.description_use
                lists["aliases" if use == "alias" else use].append(region.description)
                lists["aliases"] += [f"{q} {region.description}" for q in group.qualifiers]
            place_id = None
            if region.place:
                place_id = "place." + norm.key(region.place).replace(" ", "_")
                names = [region.place, *region.place_aliases]
                table.add(place_id, name=region.place, label="PLACE", kind="place", source=source, aliases=names)
                table.add(place_id, label="PLACE", regions=[rid])
            table.add(
                rid,
                name=region.code,
                label="CLOUD_REGION",
                kind="cloud_region",
                source=source,
                **lists,
                owner=provider,
                code=region.code,
                description=region.description,
                place=place_id,
                az_id_prefix=region.az_id_prefix,
                zone_formats=group.zone_formats,
            )
    _places(table, data.places, source)


def _places(table: EntryTable, places: list[PlaceSpec], source: str) -> None:
    for place in places:
        table.add_spec(place, entry_id=f"place.{place.id}", label="PLACE", source=source)


def build_entries(load: Loader, norm: KeyNormalizer) -> dict[str, KBEntry]:
    """Read every knowledge-base file through `load` and return the merged entries by id."""
    table = EntryTable(norm)
    # Generated services first, so that the hand-written providers file can rename
    # them and add aliases by repeating their id.
    for name in SERVICE_FILES:
        _generated_services(table, load(name, ServicesFile), name)
    _providers(table, load("providers", ProvidersFile))
    consumer = load("consumer_services", ConsumerServicesFile)
    for spec in consumer.services:
        label = spec.label or consumer.kind_labels.get(spec.kind, "SERVICE")
        table.add_spec(spec, entry_id=spec.id, label=label, source="consumer_services")
    for spec in load("mentioned_only", MentionedOnlyFile).organisations:
        table.add_spec(spec, entry_id=spec.id, label=spec.label or "ORG", source="mentioned_only", mentioned_only=True)
    for name in REGION_FILES:
        _regions(table, load(name, RegionsFile), name)
    for name in PLACE_FILES:
        _places(table, load(name, PlacesFile).places, name)
    return table.freeze()
