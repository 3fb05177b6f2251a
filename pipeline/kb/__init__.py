"""Knowledge base of providers, services, source-only organisations, cloud regions and places.

The data lives in `pipeline/lang/kb/*.yaml` (language-neutral, aliases in every
language side by side); this package validates it, merges it into one table of
`KBEntry` objects keyed by id, and offers:

- `load_kb()`: the `KnowledgeBase`, built once per process (`functools.lru_cache`);
- `KnowledgeBase.patterns(nlp)`: spaCy `SpanRuler` patterns labelled PROVIDER, SERVICE,
  ORG, CLOUD_REGION or PLACE, each with `id` = the KB id;
- `KnowledgeBase.resolve(surface)`: the entry a surface form names, or None;
- `entry`, `canonical_name`, `owner`, `parent`, `is_mentioned_only`, `availability_zone`.

Ids: providers are bare slugs (`aws`, `telkomsel`); a provider's services are
`<provider>.<service>` (`aws.s3`, `meta.whatsapp`); consumer services and source-only
organisations are bare slugs (`roblox`, `reuters`); regions are
`region.<provider>.<code>` (`region.aws.us-east-1`) and places `place.<slug>`
(`place.northern_virginia`).

`normalize_name(name)` is the name matcher used by evaluation: it folds case, removes
diacritics and punctuation (`+` is spelled `plus`, apostrophes vanish, other
punctuation becomes a space) and, when the knowledge base resolves the name, returns
the folded canonical name of the entry instead. So `AWS`, `Amazon Web Services` and
`unit komputasi awan Amazon` all give `amazon web services`; `Disney+` and `Disney Plus`
give `disney plus`; `US-EAST-1` gives `us east 1`; an unknown name such as
`Acme Corp.` gives `acme corp`.
"""

from __future__ import annotations

from pipeline.kb.base import DatedKnowledgeBase, KnowledgeBase, load_kb
from pipeline.kb.models import LABELS, KBEntry

__all__ = ["LABELS", "DatedKnowledgeBase", "KBEntry", "KnowledgeBase", "load_kb", "normalize_name"]


def normalize_name(name: str) -> str:
    """Folded canonical form of a name, mapped through the knowledge base (see module docstring)."""
    kb = load_kb()
    entry = kb.resolve(name)
    return kb.key(entry.name if entry is not None else name)
