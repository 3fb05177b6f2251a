"""Shared type aliases and Protocols."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol, TypeAlias

PathLike: TypeAlias = str | os.PathLike[str]
JSONDict: TypeAlias = dict[str, object]


class SentenceScorer(Protocol):
    """A model that scores sentences, such as a causal-sentence classifier."""

    def predict_proba(self, sentences: Sequence[str]) -> list[float]:
        """Probability, per sentence, of the positive class."""
        ...
