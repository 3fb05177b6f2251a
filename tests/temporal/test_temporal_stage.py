"""The spaCy stage: reads doc._.lang and doc._.meta, writes plain, serialisable values."""

from __future__ import annotations

import pytest
import spacy
import srsly
from spacy.tokens import Doc

from pipeline.errors import Warnings
from pipeline.stages.temporal import TemporalTagger

EXTENSIONS = ("lang", "meta", "time_expressions", "timing", "warnings")


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    return spacy.blank("xx")


def _run(nlp: spacy.language.Language, text: str, lang: str, published: str | None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.lang = lang
    doc._.meta = {"published": published}
    return TemporalTagger(nlp, "incident_temporal")(doc)


def test_stage_temporal_sets_expressions_and_timing(nlp: spacy.language.Language) -> None:
    doc = _run(nlp, "Gangguan terjadi Senin (20/10/2025) selama sekitar 14 jam.", "id", "2025-10-24")
    assert [e["text"] for e in doc._.time_expressions] == ["Senin (20/10/2025)", "sekitar 14 jam"]
    assert doc._.timing["duration"]["seconds"] == 50400
    assert doc._.timing["duration"]["approximate"] is True
    assert doc._.timing["start"]["date"] == "2025-10-20"
    assert doc._.timing["end"] is None
    assert doc._.warnings == []
    srsly.msgpack_dumps({"t": doc._.time_expressions, "timing": doc._.timing})  # plain values only


def test_stage_temporal_warns_without_published_date(nlp: spacy.language.Language) -> None:
    doc = _run(nlp, "The outage began last Monday.", "en", None)
    codes = [w["code"] for w in doc._.warnings]
    assert codes == [Warnings.W003, Warnings.W006]
    assert all(w["message"] for w in doc._.warnings)
    assert doc._.time_expressions[0]["resolved"] is False


def test_stage_temporal_unsupported_language_is_empty(nlp: spacy.language.Language) -> None:
    doc = _run(nlp, "Le service a été interrompu pendant 14 heures.", "fr", "2025-10-24")
    assert doc._.time_expressions == []
    assert doc._.timing == {"start": None, "end": None, "duration": None}


def test_stage_temporal_keeps_existing_warnings(nlp: spacy.language.Language) -> None:
    doc = nlp.make_doc("no dates here")
    doc._.lang, doc._.meta = "en", None
    doc._.warnings = [{"code": "W004", "message": "repaired"}]
    TemporalTagger(nlp, "incident_temporal")(doc)
    assert [w["code"] for w in doc._.warnings] == ["W004", Warnings.W006]
