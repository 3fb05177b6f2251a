"""Turn knowledge-base entries into spaCy `SpanRuler` token patterns.

Aliases are tokenised with the target pipeline's own tokenizer, because languages
split differently (`us-east-1` is three tokens in English and five in Indonesian).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from pipeline.kb.models import KBEntry

if TYPE_CHECKING:
    from spacy.tokens import Doc

Tokenize = Callable[[str], "Doc"]
Pattern = dict[str, object]

APOSTROPHES = ("'", "’", "ʼ", "`")
# Short all-capitals aliases (`XL`, `BSI`, `S3`, `DANA`) match case-sensitively: their
# lower-case forms are ordinary words or noise in at least one of our languages.
_SHORT_ACRONYM = re.compile(r"^(?=.*[A-Z])[A-Z0-9&.-]{1,5}$")


def is_case_sensitive(alias: str) -> bool:
    """Whether an alias listed under `aliases` is still matched case-sensitively."""
    return bool(_SHORT_ACRONYM.match(alias))


def _token_spec(text: str, exact: bool) -> dict[str, object]:
    if text in APOSTROPHES:
        return {"ORTH": {"IN": list(APOSTROPHES)}}
    return {"ORTH": text} if exact else {"LOWER": text.lower()}


def alias_pattern(alias: str, tokenize: Tokenize, *, exact: bool) -> list[dict[str, object]]:
    """Token pattern of one alias."""
    return [_token_spec(token.text, exact) for token in tokenize(alias) if not token.is_space]


def zone_pattern(sample: str, tokenize: Tokenize) -> list[dict[str, object]]:
    """Pattern for every zone shaped like `sample`: its last character becomes a class.

    `us-east-1a` matches us-east-1a..us-east-1z; `use1-az1` matches use1-az1..use1-az99.
    """
    tokens = [t.text.lower() for t in tokenize(sample) if not t.is_space]
    specs: list[dict[str, object]] = [{"LOWER": text} for text in tokens[:-1]]
    specs.append({"LOWER": {"REGEX": zone_regex(tokens[-1])}})
    return specs


def zone_regex(sample: str) -> str:
    """Anchored regex of everything shaped like `sample` (last character generalised)."""
    last = r"\d{1,2}" if sample[-1].isdigit() else "[a-z]"
    return "^" + re.escape(sample[:-1].lower()) + last + "$"


def zone_samples(entry: KBEntry) -> list[str]:
    """Sample zone names of a region entry, one per zone format it can fill."""
    samples = []
    for fmt in entry.zone_formats:
        if "{az_id_prefix}" in fmt and not entry.az_id_prefix:
            continue
        samples.append(fmt.format(code=entry.code, az_id_prefix=entry.az_id_prefix))
    return samples


def entry_patterns(entries: Iterable[KBEntry], tokenize: Tokenize, skip: Callable[[str, str], bool]) -> list[Pattern]:
    """SpanRuler patterns (`label`, `pattern`, `id`) of every matchable alias, de-duplicated.

    Args:
        entries: The entries to turn into patterns.
        tokenize: The target pipeline's tokenizer (`nlp.make_doc`).
        skip: `skip(entry_id, alias)` is true for an alias that must not become a pattern
            for this entry (an ambiguous alias whose default is another entry).
    """
    seen: set[tuple[str, str, str]] = set()
    patterns: list[Pattern] = []

    def add(entry: KBEntry, spec: list[dict[str, object]]) -> None:
        if not spec:
            return
        marker = (entry.label, entry.id, repr(spec))
        if marker not in seen:
            seen.add(marker)
            patterns.append({"label": entry.label, "pattern": spec, "id": entry.id})

    for entry in entries:
        for alias in entry.aliases:
            if not skip(entry.id, alias):
                add(entry, alias_pattern(alias, tokenize, exact=is_case_sensitive(alias)))
        for alias in entry.exact:
            if not skip(entry.id, alias):
                add(entry, alias_pattern(alias, tokenize, exact=True))
        for sample in zone_samples(entry):
            add(entry, zone_pattern(sample, tokenize))
    return patterns
