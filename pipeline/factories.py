"""Every spaCy factory of insiden, in one place (no circular imports between stages)."""

from __future__ import annotations

from spacy.language import Language

from pipeline.extensions import register_extensions
from pipeline.stages.langid import LanguageStage

register_extensions()


@Language.factory(
    "incident_langid",
    assigns=["doc._.lang", "doc._.lang_confidence", "doc._.paragraphs"],
    default_config={},
)
def make_language_detector(nlp: Language, name: str) -> LanguageStage:
    """Language of the document and of each paragraph."""
    return LanguageStage(nlp, name)
