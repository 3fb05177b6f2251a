"""Every spaCy factory of insiden, in one place (no circular imports between stages)."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from pipeline.backends.hf import TransformersNER
from pipeline.errors import Errors, InsidenError
from pipeline.extensions import register_extensions
from pipeline.stages.causal import RelationStage
from pipeline.stages.chain import ChainStage
from pipeline.stages.chain_linker import LinkerModel
from pipeline.stages.cues import CueMatcher
from pipeline.stages.entities import EntityRecognizer
from pipeline.stages.incident import IncidentGate
from pipeline.stages.langid import LanguageStage
from pipeline.stages.roles import RoleStage
from pipeline.stages.sentences import LineBreakSentencizer
from pipeline.stages.temporal import TemporalTagger
from pipeline.types import SentenceScorer

register_extensions()


@Language.factory(
    "incident_langid",
    assigns=["doc._.lang", "doc._.lang_confidence", "doc._.paragraphs"],
    default_config={},
)
def make_language_detector(nlp: Language, name: str) -> LanguageStage:
    """Language of the document and of each paragraph."""
    return LanguageStage(nlp, name)


@Language.factory("incident_cues", assigns=["doc._.cues"], default_config={})
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    """Causal, outage, impact, mitigation, apology and speculation cues from `lang/<code>/cues.yaml`."""
    return CueMatcher(nlp, name)


@Language.factory("incident_relations", requires=["doc._.cues"], assigns=["doc._.relations"], default_config={})
def make_relation_finder(nlp: Language, name: str) -> RelationStage:
    """Cause and effect spans of every causal cue."""
    return RelationStage(nlp, name)


@Language.factory(
    "incident_chain",
    requires=["doc._.relations", "doc._.cues"],
    assigns=["doc._.causal", "doc._.root_cause"],
    default_config={"classifier": None, "linker": None},
)
def make_chain_builder(nlp: Language, name: str, *, classifier: str | None, linker: str | None) -> ChainStage:
    """Causal-chain graph and root cause; `classifier` names a causal-sentence model (None: cue priors only),
    `linker` a chain-linker folder under the models folder, or an absolute path (None: rule links only)."""
    scorer = load_sentence_scorer(classifier, nlp.lang) if classifier else None
    return ChainStage(nlp, name, scorer=scorer, linker=load_chain_linker(linker) if linker else None)


@Language.factory("incident_gate", requires=["doc._.cues", "doc._.causal"], assigns=["doc._.is_incident"])
def make_incident_gate(nlp: Language, name: str) -> IncidentGate:
    """Whether the document reports an outage."""
    return IncidentGate(nlp, name)


def load_chain_linker(name: str) -> LinkerModel:
    """The chain linker named in the config: a folder under the models folder, or an absolute path."""
    from pipeline.resources import models_dir

    path = Path(name).expanduser()
    return LinkerModel.load(path if path.is_absolute() else models_dir() / name)


def load_sentence_scorer(kind: str, lang: str) -> SentenceScorer:
    """The causal-sentence classifier named in the config."""
    from pipeline.backends.causal import load_causal_classifier
    from pipeline.resources import models_dir

    return load_causal_classifier(lang, models_dir())


@Language.factory("incident_entities", assigns=["doc._.entities", "doc.ents"], default_config={})
def make_entity_recognizer(nlp: Language, name: str) -> EntityRecognizer:
    """Knowledge-base ruler merged with the language's statistical NER."""
    return EntityRecognizer(nlp, name)


@Language.factory(
    "incident_roles",
    requires=["doc._.entities", "doc._.cues", "doc._.relations", "doc._.is_incident"],
    assigns=["doc._.entities"],
    default_config={"model_roles": False},
)
def make_role_assigner(nlp: Language, name: str, *, model_roles: bool) -> RoleStage:
    """Provider at fault, affected services, locations, and organisations only mentioned."""
    return RoleStage(nlp, name, model_roles=model_roles)


@Language.factory(
    "incident_temporal",
    requires=["doc._.meta"],
    assigns=["doc._.time_expressions", "doc._.timing"],
    default_config={},
)
def make_temporal_tagger(nlp: Language, name: str) -> TemporalTagger:
    """Dates, times, durations and intervals, normalised; the incident's start, end and duration."""
    return TemporalTagger(nlp, name)


@Language.factory("incident_line_breaks", assigns=["token.is_sent_start"], default_config={})
def make_line_break_sentencizer(nlp: Language, name: str) -> LineBreakSentencizer:
    """Sentence starts after line breaks (headlines, datelines, status lines)."""
    return LineBreakSentencizer(nlp, name)


@Language.factory(
    "incident_hf_ner",
    assigns=["doc.ents"],
    default_config={"model": None, "label_map": {}, "batch_size": 16},
)
def make_transformers_ner(
    nlp: Language, name: str, *, model: str | None, label_map: dict[str, str], batch_size: int
) -> TransformersNER:
    """NER from any Hugging Face token-classification model (a local path, or a hub name where reachable)."""
    if not model:
        raise InsidenError(Errors.E014.format(name=name))
    return TransformersNER(nlp, name, model=model, label_map=label_map, batch_size=batch_size)
