"""Route documents to the pipeline of their language and turn each one into a report.

`Extractor.process(records)` is the per-partition function every engine runs (one
process, a worker pool, Dask): records in, `Outcome`s out, in the same order. One bad
document never stops a batch: a failure inside spaCy is isolated by re-running the
batch one document at a time, and the failing document becomes an error record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.errors import DocErrors, Errors, InsidenError
from pipeline.resources import config_path, configured_languages, models_dir
from pipeline.schema import ErrorRecord, IncidentReport
from pipeline.stages.assemble import assemble_report, unsupported_report
from pipeline.stages.langid import get_detector

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from pipeline.io import Record

logger = logging.getLogger(__name__)
DEFAULT_BATCH_SIZE = 32


@dataclass(slots=True)
class Outcome:
    """What became of one input document: a report or an error."""

    position: int
    report: IncidentReport | None = None
    error: ErrorRecord | None = None

    def to_json(self) -> str:
        """The JSONL line of this outcome."""
        model = self.report if self.report is not None else self.error
        assert model is not None
        return model.model_dump_json()


def load_language_pipeline(lang: str, overrides: dict[str, object] | None = None) -> Language:
    """Assemble the spaCy pipeline of one language from its config file.

    Raises:
        InsidenError: E003 when the language has no config.
    """
    import spacy

    import pipeline.factories  # noqa: F401  (registers the factories)

    path = config_path(lang)
    if not path.is_file():
        raise InsidenError(Errors.E003.format(lang=lang))
    config = spacy.util.load_config(path, overrides={"paths.models": str(models_dir()), **(overrides or {})})
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)


@lru_cache(maxsize=8)
def _cached_pipeline(lang: str, overrides_key: tuple[tuple[str, object], ...]) -> Language:
    return load_language_pipeline(lang, dict(overrides_key))


class Extractor:
    """Documents in, incident reports out; pipelines are loaded on first use and reused."""

    def __init__(
        self,
        *,
        overrides: dict[str, object] | None = None,
        include_text: bool = True,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.overrides_key = tuple(sorted((overrides or {}).items()))
        self.include_text = include_text
        self.batch_size = batch_size
        self.languages = configured_languages()
        self.detector = get_detector()

    def nlp(self, lang: str) -> Language:
        """The pipeline of one language (loaded once per process)."""
        return _cached_pipeline(lang, self.overrides_key)

    def process(self, records: Iterable[Record]) -> Iterator[Outcome]:
        """One outcome per record, in input order."""
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.batch_size:
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def _process_batch(self, batch: Sequence[Record]) -> list[Outcome]:
        outcomes: dict[int, Outcome] = {}
        routed: dict[str, list[tuple[Record, dict]]] = {}
        for record in batch:
            if record.error is not None:
                outcomes[record.position] = Outcome(record.position, error=_error_record(record))
                continue
            meta = self._route(record)
            lang = str(meta["language"])
            if lang in self.languages:
                routed.setdefault(lang, []).append((record, meta))
            else:
                report = unsupported_report(
                    record, lang, float(meta["language_confidence"]), meta["paragraphs"], include_text=self.include_text
                )
                outcomes[record.position] = Outcome(record.position, report=report)
        for lang, items in routed.items():
            for outcome in self._run_language(lang, items):
                outcomes[outcome.position] = outcome
        return [outcomes[record.position] for record in batch]

    def _route(self, record: Record) -> dict:
        """Record metadata plus the detected document and paragraph languages."""
        meta = record.meta
        assert record.text is not None
        paragraphs = self.detector.detect_paragraphs(record.text)
        if record.language:
            meta["language"], meta["language_confidence"] = record.language.lower()[:2], 1.0
        else:
            guess = self.detector.detect_document(record.text, paragraphs)
            meta["language"], meta["language_confidence"] = guess.language, guess.confidence
            if guess.fallback:
                meta["warnings"].append(
                    {
                        "code": "W002",
                        "message": "text too short or mixed for reliable detection; function-word vote used",
                    }
                )
        meta["paragraphs"] = paragraphs
        others = sorted({p["language"] for p in paragraphs} - {meta["language"], "und"})
        if others:
            meta["warnings"].append({"code": "W008", "message": f"paragraphs also in: {', '.join(others)}"})
        return meta

    def _run_language(self, lang: str, items: list[tuple[Record, dict]]) -> list[Outcome]:
        nlp = self.nlp(lang)
        try:
            docs = list(nlp.pipe(_make_doc(nlp, record, meta) for record, meta in items))
        except Exception:
            logger.warning("batch failed in the %s pipeline; retrying one document at a time", lang)
            return [self._run_one(nlp, record, meta) for record, meta in items]
        return [self._finish(doc, record) for doc, (record, _) in zip(docs, items, strict=True)]

    def _run_one(self, nlp: Language, record: Record, meta: dict) -> Outcome:
        try:
            doc = nlp(_make_doc(nlp, record, meta))
        except Exception as err:
            return Outcome(
                record.position, error=_error_record(record, DocErrors.PIPELINE, f"pipeline failed: {err!r}")
            )
        return self._finish(doc, record)

    def _finish(self, doc: Doc, record: Record) -> Outcome:
        try:
            return Outcome(record.position, report=assemble_report(doc, include_text=self.include_text))
        except Exception as err:
            return Outcome(record.position, error=_error_record(record, DocErrors.PIPELINE, f"report invalid: {err!r}"))


def _make_doc(nlp: Language, record: Record, meta: dict) -> Doc:
    doc = nlp.make_doc(record.text or "")
    doc._.meta = meta
    return doc


def _error_record(record: Record, code: str | None = None, reason: str | None = None) -> ErrorRecord:
    return ErrorRecord(
        doc_id=record.doc_id,
        source=record.source,
        position=record.position,
        code=code or (record.error.code if record.error else DocErrors.UNREADABLE),
        reason=reason or (record.error.reason if record.error else "unknown"),
    )
