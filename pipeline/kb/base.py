"""The `KnowledgeBase`: lookup, normalisation and matcher patterns over the built entries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.errors import Errors, InsidenError
from pipeline.kb.build import Loader, build_entries
from pipeline.kb.models import Ambiguity, AmbiguousFile, KBEntry, NormalizationData
from pipeline.kb.normalize import KeyNormalizer
from pipeline.kb.patterns import Pattern, entry_patterns, zone_regex, zone_samples
from pipeline.lang.loader import KB_DIR, load_kb_file

if TYPE_CHECKING:
    from spacy.language import Language


class KnowledgeBase:
    """Providers, their services, consumer services, source-only organisations, regions and places.

    Build it with `KnowledgeBase.from_files()`, or use the cached `load_kb()`.
    """

    def __init__(self, entries: dict[str, KBEntry], norm: KeyNormalizer, ambiguities: list[Ambiguity]) -> None:
        self._entries = entries
        self.norm = norm
        self._index, self.ambiguities = self._build_index(ambiguities)
        self._zones = [
            (re.compile(zone_regex(sample)), entry.id) for entry in entries.values() for sample in zone_samples(entry)
        ]

    @classmethod
    def from_files(cls, load: Loader = load_kb_file) -> KnowledgeBase:
        """Read and validate every file of `pipeline/lang/kb/` (or whatever `load` reads)."""
        norm = KeyNormalizer(load("normalization", NormalizationData))
        entries = build_entries(load, norm)
        return cls(entries, norm, load("ambiguous", AmbiguousFile).ambiguous)

    def _build_index(self, ambiguities: list[Ambiguity]) -> tuple[dict[str, str], dict[str, Ambiguity]]:
        claims: dict[str, set[str]] = {}
        for entry in self._entries.values():
            for alias in entry.surface_forms:
                claims.setdefault(self.norm.key(alias), set()).add(entry.id)
        declared = {self.norm.key(a.alias): a for a in ambiguities}
        index: dict[str, str] = {}
        for key, ids in claims.items():
            if len(ids) == 1:
                index[key] = next(iter(ids))
                continue
            amb = declared.get(key)
            if amb is None or set(amb.candidates) != ids or amb.default not in ids:
                raise InsidenError(
                    Errors.E002.format(
                        path=KB_DIR / "ambiguous.yaml",
                        err=f"alias key '{key}' names {sorted(ids)}; declare it with candidates and a default",
                    )
                )
            index[key] = amb.default
        stale = sorted(set(declared) - {k for k, ids in claims.items() if len(ids) > 1})
        if stale:
            raise InsidenError(Errors.E002.format(path=KB_DIR / "ambiguous.yaml", err=f"not ambiguous: {stale}"))
        return index, declared

    # -- lookup ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self._entries.values())

    def __contains__(self, kb_id: object) -> bool:
        return kb_id in self._entries

    def entry(self, kb_id: str) -> KBEntry:
        """The entry with this id.

        Raises:
            KeyError: when no entry has this id.
        """
        return self._entries[kb_id]

    def canonical_name(self, kb_id: str) -> str:
        """Canonical display name (`Amazon Web Services`, `us-east-1`, `Northern Virginia`)."""
        return self._entries[kb_id].name

    def owner(self, kb_id: str) -> str | None:
        """Id of the provider that runs a service or region (`aws.s3` -> `aws`), else None."""
        return self._entries[kb_id].owner

    def parent(self, kb_id: str) -> str | None:
        """Id of the group above an organisation (`telkomsel` -> `telkom`), else None."""
        return self._entries[kb_id].parent

    def generic_services(self, provider_id: str) -> list[KBEntry]:
        """The provider's services that bare words name in its own story ("the dashboard", "its API")."""
        return [e for e in self._entries.values() if e.owner == provider_id and e.generic]

    def is_mentioned_only(self, kb_id: str) -> bool:
        """Whether the entry is a source (outlet, monitor, analyst), never an affected subject."""
        return self._entries[kb_id].mentioned_only

    def by_label(self, label: str) -> list[KBEntry]:
        """Every entry with this NER label."""
        return [e for e in self._entries.values() if e.label == label]

    def key(self, text: str) -> str:
        """Lookup key of a surface form (see `KeyNormalizer.key`)."""
        return self.norm.key(text)

    def resolve(self, surface: str) -> KBEntry | None:
        """The entry a surface form names, or None.

        Tries the normalised form, then the same with a parenthetical, a possessive,
        reduplication, hyphenated clitics and edge noise words stripped (in that order,
        see `KeyNormalizer.candidate_keys`), then zone names (`us-east-1a`, `use1-az4`
        resolve to their region). A display name that is not an alias (a generated AWS
        name judged too generic) does not resolve.
        """
        for key in self.norm.candidate_keys(surface):
            if key in self._index:
                return self._entries[self._index[key]]
        region = self.availability_zone(surface)
        return self._entries[region] if region else None

    def availability_zone(self, surface: str) -> str | None:
        """Id of the region an availability-zone name or id belongs to (`use1-az4` -> us-east-1)."""
        text = surface.strip().lower()
        for regex, region_id in self._zones:
            if regex.match(text):
                return region_id
        return None

    # -- matching -------------------------------------------------------------

    def patterns(self, nlp: Language | None = None) -> list[Pattern]:
        """SpanRuler token patterns for every matchable alias, labelled and with `id` = KB id.

        Multiword and ordinary aliases match case-insensitively (`LOWER`); short acronyms
        and `exact` aliases match case-sensitively (`ORTH`); `resolve_only` aliases are left
        out. An ambiguous alias yields a pattern for its default entry only.

        Args:
            nlp: The pipeline the ruler goes into; its tokenizer splits the aliases, so the
                patterns match its tokens. Defaults to a blank multi-language pipeline.
        """
        tokenize = (nlp or _blank()).make_doc

        def skip(entry_id: str, alias: str) -> bool:
            key = self.norm.key(alias)
            return key in self.ambiguities and self._index[key] != entry_id

        return entry_patterns(self._entries.values(), tokenize, skip)


@lru_cache(maxsize=1)
def _blank() -> Language:
    import spacy

    return spacy.blank("xx")


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The knowledge base of `pipeline/lang/kb/`, built once per process."""
    return KnowledgeBase.from_files()


class DatedKnowledgeBase:
    """The knowledge base as of one day: an entry that joined its owner or group later (`joined`, an
    acquisition) stood alone then, so a 2010 Skype outage is Skype's, not Microsoft's. Everything else is
    the knowledge base's own."""

    def __init__(self, kb: KnowledgeBase, day: dt.date | None) -> None:
        self._kb = kb
        self._day = day

    def __getattr__(self, name: str) -> object:
        return getattr(self._kb, name)

    def __contains__(self, kb_id: object) -> bool:
        return kb_id in self._kb

    def owner(self, kb_id: str) -> str | None:
        return None if self._alone(kb_id) else self._kb.owner(kb_id)

    def parent(self, kb_id: str) -> str | None:
        return None if self._alone(kb_id) else self._kb.parent(kb_id)

    def generic_services(self, provider_id: str) -> list[KBEntry]:
        return [e for e in self._kb.generic_services(provider_id) if not self._alone(e.id)]

    def _alone(self, kb_id: str) -> bool:
        joined = self._kb.entry(kb_id).joined if kb_id in self._kb else None
        return joined is not None and self._day is not None and self._day < joined
