"""Language detection per document and per paragraph (langdetect, wrapped deterministically).

langdetect samples n-grams at random; its module-level `DetectorFactory.seed` is global
state, so this module keeps a private, seeded factory, built lazily on first use. Short
texts, where n-gram statistics are unreliable, fall back to a vote of function words taken
from each supported language's `langid.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from pipeline.lang.loader import available_languages, load_lang_file

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory
    from spacy.tokens import Doc

UNDETERMINED = "und"
MIN_LETTERS = 40
"""Below this many letters, statistical detection gives way to the function-word vote."""
MIN_PROBABILITY = 0.80
DOCUMENT_LETTERS = 200
"""Paragraphs of at least MIN_LETTERS letters must hold this many for them to decide a document."""
DECISIVE_HITS = 6
DECISIVE_SHARE = 0.25
DECISIVE_MARGIN = 5
"""A text decides by its function words alone, without n-gram statistics, when it holds at least
DECISIVE_HITS of one language's, they make DECISIVE_SHARE of its words, and they outnumber any other
language's DECISIVE_MARGIN times: ordinary prose, where langdetect would only agree at several times the cost."""
SAMPLE_CHARS = 6000
"""Detection reads at most this many characters of a document: enough, and it bounds the cost."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class LangIdData(BaseModel):
    """Schema of `lang/<code>/langid.yaml`."""

    name: str
    detector_codes: list[str]
    stopwords: list[str]


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language, its confidence, and whether the short-text fallback decided it."""

    language: str
    confidence: float
    fallback: bool = False


@lru_cache(maxsize=1)
def _factory(seed: int = 0) -> DetectorFactory:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = seed
    return factory


class LanguageDetector:
    """Detects the language of texts; deterministic for the same input."""

    def __init__(self, languages: tuple[str, ...] | None = None, *, seed: int = 0) -> None:
        self.languages = languages or available_languages()
        self.seed = seed
        self._data = {code: load_lang_file(code, "langid", LangIdData) for code in self.languages}
        self._stopwords = {code: frozenset(d.stopwords) for code, d in self._data.items()}
        self._code_map = {det: code for code, d in self._data.items() for det in d.detector_codes}

    def detect(self, text: str) -> LanguageGuess:
        """The language of `text`: an ISO 639-1 code, or 'und'."""
        sample = text[:SAMPLE_CHARS]
        words = [w.lower() for w in _WORD.findall(sample)]
        decisive = self._decisive(words)
        if decisive is not None:
            return decisive
        statistical = self._statistical(sample) if _letters(sample) >= MIN_LETTERS else None
        if statistical is not None and statistical.confidence >= MIN_PROBABILITY:
            return statistical
        voted = self._vote(words)
        if voted is not None:
            return voted
        if statistical is not None:
            return statistical
        return LanguageGuess(UNDETERMINED, 0.0, fallback=True)

    def detect_paragraphs(self, text: str) -> list[dict[str, object]]:
        """One entry per non-empty line (news paragraphs), with offsets, language and confidence."""
        paragraphs = []
        for match in re.finditer(r"[^\n]+", text):
            if not match.group().strip():
                continue
            guess = self.detect(match.group())
            paragraphs.append(
                {
                    "start": match.start(),
                    "end": match.end(),
                    "language": guess.language,
                    "confidence": round(guess.confidence, 4),
                }
            )
        return paragraphs

    def detect_document(self, text: str, paragraphs: list[dict[str, object]]) -> LanguageGuess:
        """The language of a document from its detected paragraphs, weighted by their letters.

        Only paragraphs long enough for n-gram statistics vote. When they hold too few letters,
        or no language has most of them (a genuinely mixed text), the whole text is detected.
        Confidence is the winner's share of the letters times their mean confidence.
        """
        letters: dict[str, int] = {}
        weighted: dict[str, float] = {}
        for paragraph in paragraphs:
            language = str(paragraph["language"])
            count = _letters(text[int(paragraph["start"]) : int(paragraph["end"])])  # type: ignore[call-overload]
            if language == UNDETERMINED or count < MIN_LETTERS:
                continue
            letters[language] = letters.get(language, 0) + count
            weighted[language] = weighted.get(language, 0.0) + count * float(paragraph["confidence"])  # type: ignore[arg-type]
        total = sum(letters.values())
        if total < DOCUMENT_LETTERS:
            return self.detect(text)
        best = min(letters, key=lambda code: (-letters[code], code))
        if 2 * letters[best] <= total:
            return self.detect(text)
        return LanguageGuess(best, round(weighted[best] / total, 4))

    def _statistical(self, text: str) -> LanguageGuess | None:
        from langdetect.lang_detect_exception import LangDetectException

        detector = _factory(self.seed).create()
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return None
        return LanguageGuess(self._code_map.get(best.lang, best.lang), float(best.prob))

    def _ranked_hits(self, words: list[str]) -> tuple[str, int, int]:
        """The language with most function words among `words`, its count and the runner-up's."""
        hits = {code: sum(w in stop for w in words) for code, stop in self._stopwords.items()}
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
        best_code, best_hits = ranked[0]
        return best_code, best_hits, ranked[1][1] if len(ranked) > 1 else 0

    def _decisive(self, words: list[str]) -> LanguageGuess | None:
        """The language of plain prose in one supported language, from its function words (see DECISIVE_HITS)."""
        if not words:
            return None
        code, best, runner_up = self._ranked_hits(words)
        if best < DECISIVE_HITS or best < DECISIVE_SHARE * len(words) or best < DECISIVE_MARGIN * runner_up:
            return None
        return LanguageGuess(code, round(best / (best + runner_up), 4))

    def _vote(self, words: list[str]) -> LanguageGuess | None:
        if not words:
            return None
        best_code, best_hits, runner_up = self._ranked_hits(words)
        if best_hits == 0 or best_hits == runner_up:
            return None
        return LanguageGuess(best_code, round(best_hits / (best_hits + runner_up), 4), fallback=True)


def _letters(text: str) -> int:
    return sum(len(w) for w in _WORD.findall(text))


@lru_cache(maxsize=4)
def get_detector(languages: tuple[str, ...] | None = None) -> LanguageDetector:
    """A shared detector per language set (built once per process)."""
    return LanguageDetector(languages)


class LanguageStage:
    """spaCy component: sets `doc._.lang`, `doc._.lang_confidence` and `doc._.paragraphs`.

    Values already routed in `doc._.meta` (by the extractor, which detects the language
    before choosing a pipeline) are kept; otherwise they are detected here.
    """

    def __init__(self, nlp: object, name: str = "incident_langid") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta or {}
        if meta.get("language") and meta.get("paragraphs") is not None:
            doc._.lang = meta["language"]
            doc._.lang_confidence = float(meta.get("language_confidence") or 1.0)
            doc._.paragraphs = meta["paragraphs"]
            return doc
        detector = get_detector()
        paragraphs = detector.detect_paragraphs(doc.text)
        guess = detector.detect_document(doc.text, paragraphs)
        doc._.lang = meta.get("language") or guess.language
        doc._.lang_confidence = 1.0 if meta.get("language") else guess.confidence
        doc._.paragraphs = paragraphs
        return doc
