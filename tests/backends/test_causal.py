"""Tests for the causal-sentence classifiers: loading, dispatch, scoring and training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.backends import causal
from pipeline.backends.causal_data import Example, binary_scores, group_split, read_labelled_tsv
from pipeline.errors import InsidenError

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
CNC_TRAIN = REPO.parent / "shared" / "data" / "causal_news_corpus_v2" / "train_subtask1.csv"
MAX_WEIGHT_BYTES = 15 * 1024 * 1024

# Clear cases, written for these tests (not taken from any corpus).
CAUSAL = {
    "en": [
        "The outage was caused by a faulty configuration change pushed to the DNS servers.",
        "Because the power supply failed, thousands of customers lost access to the service.",
        "A bug in the deployment script triggered a cascade of failures across the data centre.",
        "Heavy rain flooded the substation, which led to a blackout across the city.",
    ],
    "id": [
        "Gangguan layanan itu disebabkan oleh kesalahan konfigurasi pada server DNS.",
        "Karena pasokan listrik terputus, ribuan pelanggan tidak dapat mengakses layanan.",
        "Pemadaman listrik di pusat data mengakibatkan aplikasi perbankan lumpuh selama enam jam.",
        "Hujan deras membanjiri gardu induk sehingga listrik padam di seluruh kota.",
    ],
}
NOT_CAUSAL = {
    "en": [
        "The company has offices in Jakarta, Singapore and Sydney.",
        "The new data centre opened in March with two hundred employees.",
        "Shares of the firm closed at twelve dollars on Tuesday.",
        "The minister visited the port on Monday morning.",
    ],
    "id": [
        "Perusahaan itu memiliki kantor di Jakarta, Singapura dan Sydney.",
        "Pusat data baru itu dibuka pada bulan Maret dengan dua ratus karyawan.",
        "Saham perusahaan ditutup pada harga dua belas ribu rupiah pada hari Selasa.",
        "Menteri mengunjungi pelabuhan pada Senin pagi.",
    ],
}


def _write_model_dirs(root: Path, backends: dict[str, str], mapping: str) -> Path:
    (root / "causal.yaml").write_text(mapping, encoding="utf-8")
    for name, backend in backends.items():
        (root / name).mkdir()
        (root / name / "meta.json").write_text(json.dumps({"backend": backend}), encoding="utf-8")
    return root


MAPPING = "languages:\n  en: causal_en\ndefault: causal_xx\n"


@pytest.mark.parametrize(
    ("lang", "expected_dir", "expected_class"),
    [
        ("en", "causal_en", "MiniLMCausalClassifier"),
        ("id", "causal_xx", "USECausalClassifier"),
        ("fr", "causal_xx", "USECausalClassifier"),
    ],
)
def test_causal_load_classifier_follows_mapping(
    tmp_path: Path, lang: str, expected_dir: str, expected_class: str
) -> None:
    models = _write_model_dirs(tmp_path, {"causal_en": "minilm", "causal_xx": "use"}, MAPPING)
    clf = causal.load_causal_classifier(lang, models)
    assert type(clf).__name__ == expected_class
    assert clf.model_dir == models / expected_dir  # type: ignore[attr-defined]
    assert isinstance(clf, causal.CausalSentenceClassifier)


@pytest.mark.parametrize(
    ("backends", "mapping", "code"),
    [
        ({"causal_en": "minilm"}, MAPPING, "E101"),  # causal_xx has no meta.json
        ({"causal_en": "minilm"}, "languages:\n  en: causal_en\n", "E102"),  # no default
        ({"causal_en": "minilm", "causal_xx": "svm"}, MAPPING, "E103"),
    ],
)
def test_causal_load_classifier_errors_are_coded(tmp_path: Path, backends: dict, mapping: str, code: str) -> None:
    models = _write_model_dirs(tmp_path, backends, mapping)
    with pytest.raises(InsidenError, match=code):
        causal.load_causal_classifier("id", models)


def test_causal_minilm_without_torch_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.backends import causal_minilm

    monkeypatch.setattr(causal_minilm, "has_torch", False)
    with pytest.raises(InsidenError, match=r'pip install "insiden\[transformers\]"'):
        causal_minilm.MiniLMCausalClassifier(MODELS / "causal_en").predict_proba(["A caused B."])


@pytest.mark.parametrize(
    ("labels", "probs", "f1", "precision", "recall"),
    [
        ([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2], 1.0, 1.0, 1.0),
        ([1, 1, 0, 0], [0.9, 0.1, 0.7, 0.2], 0.5, 0.5, 0.5),
        ([1, 0], [0.1, 0.2], 0.0, 0.0, 0.0),
    ],
)
def test_causal_binary_scores_table(labels: list, probs: list, f1: float, precision: float, recall: float) -> None:
    scores = binary_scores(labels, probs)
    assert (scores["f1"], scores["precision"], scores["recall"]) == (f1, precision, recall)


def test_causal_read_labelled_tsv_skips_header_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("text\tlabel\n# comment\nA caused B.\t1\n\nB happened.\t0\n", encoding="utf-8")
    assert [(ex.text, ex.label) for ex in read_labelled_tsv(path)] == [("A caused B.", 1), ("B happened.", 0)]
    path.write_text("no label here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold\.tsv:1"):
        read_labelled_tsv(path)


def test_causal_group_split_keeps_documents_whole() -> None:
    examples = [Example(f"s{i}", i % 2, f"doc{i // 3}") for i in range(30)]
    fit, val = group_split(examples, 0.2, seed=1)
    assert len(fit) + len(val) == 30 and val
    assert not {ex.group for ex in fit} & {ex.group for ex in val}
    assert group_split(examples, 0.2, seed=1) == (fit, val)


class _HashEncoder:
    """A stand-in for USE: 'caused' and 'because' light up one dimension, other words hash into the rest."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, 0 if word in {"caused", "because"} else 1 + sum(map(ord, word)) % 15] += 1.0
        return out


def test_causal_use_training_runs_and_reloads(tmp_path: Path) -> None:
    pytest.importorskip("torch")  # training uses torch; inference does not
    from pipeline.backends.causal_train import USEConfig, train_use
    from pipeline.backends.causal_use import USECausalClassifier

    fit = [Example(f"the rain caused flood number {i}", 1) for i in range(12)]
    fit += [Example(f"the city has a port number {i}", 0) for i in range(12)]
    val = [Example("wind caused damage", 1), Example("a port in the city", 0)]
    record = train_use(
        fit, val, tmp_path, USEConfig(hidden=(0, 8), weight_decay=(1e-4,), epochs=200, lr=1e-2), encoder=_HashEncoder()
    )
    assert len(record["candidates"]) == 2
    clf = USECausalClassifier(tmp_path, encoder=_HashEncoder())
    high, low = clf.predict_proba(["storm caused outage", "the city port"])
    assert high > low


def test_causal_minilm_training_runs_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    if not CNC_TRAIN.is_file():
        pytest.skip(f"Causal News Corpus not found at {CNC_TRAIN}")
    from pipeline.backends import causal_minilm, causal_train_minilm
    from pipeline.backends.causal_data import read_cnc

    examples = read_cnc(CNC_TRAIN)[:16]
    config = causal_train_minilm.MiniLMConfig(epochs=1, max_steps=1, batch_size=8, lr_layers=1e-2)
    record = causal_train_minilm.train_minilm(examples[:12], examples[12:], tmp_path, config)
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["backend"] == "minilm" and meta["first_layer"] == 0 and meta["lora_scale"] == 2.0
    assert meta["layers"] == 3  # the default keeps the bottom half of the encoder
    assert 0 < (tmp_path / causal_minilm.WEIGHTS_FILE).stat().st_size < MAX_WEIGHT_BYTES
    assert len(record["history"]) == 1
    clf = causal_minilm.MiniLMCausalClassifier(tmp_path)
    texts = [ex.text for ex in examples[12:]]
    probs = clf.predict_proba(texts)
    assert len(probs) == len(texts) and all(0.0 <= p <= 1.0 for p in probs)
    # The training path (cached lower layers + top layers) must equal the full forward pass.
    cache = causal_train_minilm.cache_hidden(clf._tokenizer, clf._bert, texts, meta["first_layer"], meta["max_length"])
    again = causal_train_minilm.cached_probs(clf._bert, clf._head, cache, meta["first_layer"])
    assert np.allclose(probs, again, atol=1e-5)
    assert len(clf._bert.encoder.layer) == 3


@pytest.fixture(scope="module")
def committed() -> dict[str, causal.CausalSentenceClassifier]:
    return {lang: causal.load_causal_classifier(lang, MODELS) for lang in ("en", "id")}


@pytest.mark.model
@pytest.mark.parametrize("lang", ["en", "id"])
def test_causal_committed_ranks_causal_above_plain(committed: dict, lang: str) -> None:
    clf = committed[lang]
    causal_probs = clf.predict_proba(CAUSAL[lang])
    plain_probs = clf.predict_proba(NOT_CAUSAL[lang])
    assert min(causal_probs) > max(plain_probs), (causal_probs, plain_probs)


@pytest.mark.model
@pytest.mark.parametrize("text_lang", ["en", "id"])
def test_causal_use_model_transfers_across_languages(text_lang: str) -> None:
    clf = causal.load_causal_classifier("xx", MODELS)
    causal_probs = clf.predict_proba(CAUSAL[text_lang])
    plain_probs = clf.predict_proba(NOT_CAUSAL[text_lang])
    assert np.mean(causal_probs) > 0.5 > np.mean(plain_probs), (causal_probs, plain_probs)


@pytest.mark.model
@pytest.mark.parametrize("name", ["causal_en", "causal_en_l6", "causal_xx"])
def test_causal_committed_models_are_small_and_scored(name: str) -> None:
    meta = json.loads((MODELS / name / "meta.json").read_text(encoding="utf-8"))
    weights = [p for p in (MODELS / name).iterdir() if p.suffix in {".safetensors", ".npz"}]
    assert weights and sum(p.stat().st_size for p in weights) < MAX_WEIGHT_BYTES
    assert 0.5 < meta["dev"]["f1"] <= 1.0 and meta["seed"] == meta["config"]["seed"]


@pytest.mark.model
def test_causal_predict_proba_keeps_order_and_handles_empty(committed: dict) -> None:
    clf = committed["en"]
    texts = [CAUSAL["en"][0], NOT_CAUSAL["en"][0], CAUSAL["en"][1]]
    assert clf.predict_proba([]) == []
    assert clf.predict_proba(texts) == pytest.approx([clf.predict_proba([t])[0] for t in texts], abs=1e-4)


def test_causal_minilm_lora_merge_equals_adapter_forward() -> None:
    torch = pytest.importorskip("torch")
    from pipeline.backends import causal_minilm, causal_train_minilm

    texts = ["The storm caused a blackout.", "Shares closed higher on Friday after a quiet session."]
    tokenizer, bert = causal_minilm.load_base()
    head = causal_minilm.new_head(bert.config.hidden_size)
    torch.manual_seed(0)
    wrapped = causal_train_minilm._inject_lora(bert, 4, rank=4, alpha=8.0)
    for lora in wrapped.values():
        torch.nn.init.normal_(lora.lora_B, std=0.05)  # a trained-looking, non-zero update
    bert.eval()
    cache = causal_train_minilm.cache_hidden(tokenizer, bert, texts, 4, 96)
    adapter_probs = causal_train_minilm.cached_probs(bert, head, cache, 4)
    state = causal_train_minilm._trained_state(bert, head, 4, wrapped)
    _, fresh = causal_minilm.load_base()
    fresh_head = causal_minilm.new_head(bert.config.hidden_size)
    causal_minilm.apply_trained(fresh, fresh_head, state, lora_scale=2.0)
    merged_probs = causal_train_minilm.cached_probs(fresh, fresh_head, cache, 4)
    assert np.allclose(adapter_probs, merged_probs, atol=1e-5)
    base_probs = causal_train_minilm.cached_probs(causal_minilm.load_base()[1], fresh_head, cache, 4)
    assert not np.allclose(base_probs, merged_probs, atol=1e-3)  # the update really changed the model


@pytest.mark.parametrize(
    ("argument", "env", "native", "expected"),
    [
        ("fp32", "bf16", True, "fp32"),  # the argument wins over the environment
        (None, "bf16", False, "bf16"),  # asked for explicitly, even without native support
        (None, "FP32", True, "fp32"),
        (None, None, True, "bf16"),  # auto on a CPU with bf16 instructions
        (None, None, False, "fp32"),  # auto elsewhere
        ("auto", "fp32", True, "bf16"),
    ],
)
def test_causal_minilm_precision_resolution(
    monkeypatch: pytest.MonkeyPatch, argument: str | None, env: str | None, native: bool, expected: str
) -> None:
    from pipeline.backends import causal_minilm

    monkeypatch.setattr(causal_minilm, "native_bf16", lambda: native)
    if env is None:
        monkeypatch.delenv(causal_minilm.PRECISION_ENV, raising=False)
    else:
        monkeypatch.setenv(causal_minilm.PRECISION_ENV, env)
    assert causal_minilm.resolve_precision(argument) == expected


def test_causal_minilm_unknown_precision_is_a_coded_error() -> None:
    from pipeline.backends import causal_minilm

    with pytest.raises(InsidenError, match="E106"):
        causal_minilm.resolve_precision("int4")


@pytest.mark.model
def test_causal_minilm_bf16_scores_as_fp32_does() -> None:
    pytest.importorskip("torch")
    from pipeline.backends.causal_minilm import MiniLMCausalClassifier

    texts = CAUSAL["en"] + NOT_CAUSAL["en"]
    fp32 = MiniLMCausalClassifier(MODELS / "causal_en", precision="fp32").predict_proba(texts)
    bf16 = MiniLMCausalClassifier(MODELS / "causal_en", precision="bf16").predict_proba(texts)
    assert bf16 == pytest.approx(fp32, abs=0.03)
    assert [p > 0.5 for p in bf16] == [p > 0.5 for p in fp32]
    assert all(isinstance(p, float) for p in bf16)
