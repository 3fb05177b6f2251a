"""Optional NER backend: any Hugging Face token-classification model, through `transformers`.

The component `incident_hf_ner` replaces a language's spaCy NER: it runs the model on each
sentence, maps the model's labels onto the labels `lang/<code>/entities.yaml` knows
(`label_map`), and writes `doc.ents`, which `incident_entities` then merges with the
knowledge base as usual. `model` is a local directory or, on a machine that can reach a
model hub, a hub name; nothing is loaded before the first document. torch and transformers
come with `pip install "insiden[transformers]"`.

To use it for Indonesian, put `"incident_hf_ner"` in place of `"tok2vec","ner"` in
`pipeline/configs/id.cfg` with

    [components.incident_hf_ner]
    factory = "incident_hf_ner"
    model = "/path/to/model"
    label_map = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

from pipeline.errors import Errors, InsidenError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

has_transformers = (
    importlib.util.find_spec("transformers") is not None and importlib.util.find_spec("torch") is not None
)


class TransformersNER:
    """spaCy component: sets `doc.ents` from a token-classification model."""

    def __init__(
        self,
        nlp: Language,
        name: str = "incident_hf_ner",
        *,
        model: str,
        label_map: dict[str, str],
        batch_size: int = 16,
    ) -> None:
        self.name = name
        self.model = model
        self.label_map = dict(label_map)
        self.batch_size = batch_size
        self._pipe: Any = None

    def initialize(self, get_examples: object = None, *, nlp: object = None) -> None:
        """Load the model (once)."""
        if self._pipe is not None:
            return
        if not has_transformers:
            raise InsidenError(Errors.E004.format(extra="transformers", what="the transformers NER backend"))
        from transformers import pipeline
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self._pipe = pipeline("token-classification", model=self.model, aggregation_strategy="simple", device=-1)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.util import filter_spans

        self.initialize()
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        texts = [sent.text for sent in sentences]
        spans = []
        for sent, found in zip(sentences, self._pipe(texts, batch_size=self.batch_size), strict=True):
            for item in found:
                label = self.label_map.get(str(item.get("entity_group", "")))
                if label is None:
                    continue
                span = doc.char_span(
                    sent.start_char + int(item["start"]),
                    sent.start_char + int(item["end"]),
                    label=label,
                    alignment_mode="expand",
                )
                if span is not None and span.text.strip():
                    spans.append(span)
        doc.set_ents(filter_spans(spans), default="outside")
        return doc
