"""The transformers NER backend, on a tiny token-classification model the test builds and saves itself."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import spacy

import pipeline.backends.hf as hf
import pipeline.factories  # noqa: F401
from pipeline.errors import InsidenError

WORDS = ["gangguan", "layanan", "bank", "syariah", "indonesia", "di", "jakarta", "mati"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer BERT whose classifier always says I-ORG: every sentence is one ORG entity."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    path = tmp_path_factory.mktemp("tiny_ner")
    vocab = path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", *WORDS]) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    labels = {0: "O", 1: "B-ORG", 2: "I-ORG"}
    config = BertConfig(
        vocab_size=len(WORDS) + 6,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 0.0, 10.0]))
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def _nlp(model: Path, label_map: dict[str, str]):
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("incident_hf_ner", config={"model": str(model), "label_map": label_map})
    return nlp


def test_hf_ner_maps_model_labels_onto_ours(tiny_model: Path) -> None:
    text = "Layanan Bank Syariah Indonesia mati. Gangguan di Jakarta."
    doc = _nlp(tiny_model, {"ORG": "ORG"})(text)
    # The model tags every token (the full stop too) I-ORG: one entity per sentence, by sentence offsets.
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Layanan Bank Syariah Indonesia mati.", "ORG"),
        ("Gangguan di Jakarta.", "ORG"),
    ]
    for ent in doc.ents:
        assert text[ent.start_char : ent.end_char] == ent.text


def test_hf_ner_drops_labels_outside_the_map(tiny_model: Path) -> None:
    doc = _nlp(tiny_model, {"PER": "PER"})("Layanan bank mati.")
    assert doc.ents == ()


def test_hf_ner_without_transformers_says_what_to_install(tiny_model: Path, monkeypatch) -> None:
    monkeypatch.setattr(hf, "has_transformers", False)
    nlp = _nlp(tiny_model, {"ORG": "ORG"})
    with pytest.raises(InsidenError, match="insiden\\[transformers\\]"):
        nlp("Layanan bank mati.")


def test_hf_ner_needs_a_model() -> None:
    nlp = spacy.blank("id")
    with pytest.raises(InsidenError, match="E014"):
        nlp.add_pipe("incident_hf_ner")
