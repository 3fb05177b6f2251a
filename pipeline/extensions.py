"""Every `Doc._` attribute insiden uses, registered once and idempotently.

Values are plain Python data (str, float, lists and dicts of them) so that Docs stay
serialisable (msgpack) for `nlp.pipe(n_process>1)` and Dask. List-valued attributes
default to None: a mutable default would be shared by every Doc.
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS: dict[str, str] = {
    "meta": "record metadata: doc_id, source, title, published, url, language, warnings",
    "lang": "detected ISO 639-1 language code",
    "lang_confidence": "confidence of the detected language",
    "paragraphs": "per-paragraph languages: [{start, end, language, confidence}]",
    "entities": "entity mentions: [{text, label, start, end, canonical, kb_id, role, source, sentence}]",
    "time_expressions": "normalised temporal expressions (schema.TimeExpression dicts)",
    "timing": "the incident's {start, end, duration} (schema dicts or None)",
    "cues": "causal and outage cue matches: [{key, text, start, end, sentence}]",
    "relations": "cause-effect relations: [{cause, effect, cue, cue_start, cue_end, evidence_start, ...}]",
    "causal": "the causal chain: {nodes: [...], edges: [...]}",
    "root_cause": "the root cause (schema.RootCause dict) or None",
    "is_incident": "whether the document reports an outage",
    "warnings": "report warnings: [{code, message}]",
}


def register_extensions() -> None:
    """Declare every Doc extension that is not declared yet."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def add_warning(doc: Doc, code: str, message: str) -> None:
    """Append a warning to `doc._.warnings`, once per code and message."""
    warnings = doc._.warnings
    if warnings is None:
        warnings = doc._.warnings = []
    entry = {"code": code, "message": message}
    if entry not in warnings:
        warnings.append(entry)
