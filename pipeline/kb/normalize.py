"""Reduce a name's surface form to a lookup key, and list the noise-stripped keys to try."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from pipeline.kb.models import NormalizationData

_NON_WORD = re.compile(r"[\W_]+")
_PARENTHETICAL = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
# `layanan-layanan`, `aplikasi-aplikasi`: a hyphenated word repeated in full.
_REDUPLICATION = re.compile(r"\b(\w+)-\1\b", re.IGNORECASE)


class KeyNormalizer:
    """Turns surface forms into keys with the rules of `normalization.yaml`.

    A key is the NFKC text with symbols spelled out (`Disney+` -> `disney plus`),
    apostrophes deleted (`Livin'` -> `livin`), diacritics removed (`São` -> `sao`),
    case folded, and every run of other punctuation or space turned into one space
    (`us-east-1` -> `us east 1`, `N. Virginia` -> `n virginia`).
    """

    def __init__(self, rules: NormalizationData) -> None:
        self.rules = rules
        self._apostrophes = re.compile("|".join(map(re.escape, rules.apostrophes))) if rules.apostrophes else None
        possessives = "|".join(map(re.escape, rules.possessives))
        self._possessive = re.compile(rf"(?<=\w)(?:{possessives})\b") if possessives else None
        clitics = [c for words in rules.noise.values() for c in words.clitics]
        self._clitic = re.compile(rf"(?<=\w)-(?:{'|'.join(map(re.escape, clitics))})\b", re.I) if clitics else None
        self._leading = self._phrases("leading")
        self._trailing = self._phrases("trailing")

    def _phrases(self, edge: str) -> list[tuple[str, ...]]:
        phrases = {tuple(self.key(p).split()) for words in self.rules.noise.values() for p in getattr(words, edge)}
        return sorted((p for p in phrases if p), key=len, reverse=True)

    def key(self, text: str) -> str:
        """The lookup key of one surface form."""
        text = unicodedata.normalize("NFKC", text)
        for symbol, spelled in self.rules.symbols.items():
            text = text.replace(symbol, spelled)
        if self._apostrophes is not None:
            text = self._apostrophes.sub("", text)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        return _NON_WORD.sub(" ", text.casefold()).strip()

    def candidate_keys(self, surface: str) -> Iterator[str]:
        """Keys to look up for a surface form, the plain key first, then with noise stripped.

        The order is: the key itself; without a parenthetical (`Amazon Web Services (AWS)`);
        without a possessive (`AWS's`); with a reduplicated word collapsed and hyphenated
        clitics dropped (`layanan-layanan Gojek-nya`); then with noise words removed from
        either edge, one at a time (`pihak Telkom`, `Telkom Tbk`).
        """
        seen: set[str] = set()
        text = surface
        forms = [text]
        text = _PARENTHETICAL.sub(" ", text).strip() or text
        forms.append(text)
        if self._possessive is not None:
            text = self._possessive.sub("", text)
            forms.append(text)
        if self.rules.collapse_reduplication:
            text = _REDUPLICATION.sub(r"\1", text)
        if self._clitic is not None:
            text = self._clitic.sub("", text)
        forms.append(text)
        for form in forms:
            key = self.key(form)
            if key and key not in seen:
                seen.add(key)
                yield key
        for key in self._strip_noise(self.key(text).split()):
            if key not in seen:
                seen.add(key)
                yield key

    def _strip_noise(self, tokens: list[str]) -> Iterator[str]:
        changed = True
        while changed and tokens:
            changed = False
            for phrase in self._leading:
                if len(tokens) > len(phrase) and tuple(tokens[: len(phrase)]) == phrase:
                    tokens = tokens[len(phrase) :]
                    changed = True
                    yield " ".join(tokens)
                    break
            for phrase in self._trailing:
                if len(tokens) > len(phrase) and tuple(tokens[-len(phrase) :]) == phrase:
                    tokens = tokens[: -len(phrase)]
                    changed = True
                    yield " ".join(tokens)
                    break
