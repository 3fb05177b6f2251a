"""Fine-tuning of the English MiniLM causal-sentence classifier (training only; needs torch).

The embeddings and the layers below `first_layer` stay frozen, so their output is computed
once and cached; each epoch runs only the trained layers. Those layers are adapted either
with LoRA (`lora_rank > 0`: low-rank updates of every linear map, a few hundred kB) or by
full fine-tuning (`lora_rank == 0`: whole layers, 3.5 MB each in fp16). Only the trained
tensors and the head are saved; `causal_minilm.apply_trained` rebuilds the model.
"""

from __future__ import annotations

import importlib.metadata
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from pipeline.backends import causal_minilm
from pipeline.backends.causal_data import Example, binary_scores
from pipeline.backends.causal_train import CNC_NAME, seed_everything, write_json

LOGGER = logging.getLogger(__name__)


@dataclass
class MiniLMConfig:
    """Settings of a MiniLM fine-tuning run (defaults: the committed English model)."""

    layers: int = 3  # encoder layers kept from the bottom (of 6): half the compute, -1 F1 on CNC dev
    top_layers: int = 3  # layers adapted, counted from the top of the kept ones
    lora_rank: int = 8  # 0: fine-tune the top layers' full weights instead of LoRA
    lora_alpha: float = 16.0
    max_length: int = 96
    epochs: int = 4
    batch_size: int = 16
    lr_layers: float = 5e-4
    lr_head: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    dropout: float = 0.1
    seed: int = 13
    threads: int = 1
    max_steps: int | None = None  # stop early (for smoke tests)


class LoRALinear(torch.nn.Module):
    """A frozen linear map plus a trained low-rank update (Hu et al. 2021, LoRA)."""

    def __init__(self, base: torch.nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.lora_A = torch.nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_B = torch.nn.Parameter(torch.zeros(base.out_features, rank))  # zero: training starts at the base
        torch.nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scale


def _inject_lora(bert: Any, first_layer: int, rank: int, alpha: float) -> dict[str, LoRALinear]:
    """Wrap every linear map of the layers from `first_layer` on; returns them by weight key."""
    wrapped = {}
    for index in range(first_layer, bert.config.num_hidden_layers):
        layer = bert.encoder.layer[index]
        for name, module in list(layer.named_modules()):
            if isinstance(module, torch.nn.Linear):
                parent_name, _, attr = name.rpartition(".")
                parent = layer.get_submodule(parent_name) if parent_name else layer
                lora = LoRALinear(module, rank, alpha)
                setattr(parent, attr, lora)
                wrapped[f"encoder.layer.{index}.{name}.weight"] = lora
    return wrapped


def _remove_lora(bert: Any, wrapped: dict[str, LoRALinear]) -> None:
    for key, lora in wrapped.items():
        parent_name, _, attr = key[: -len(".weight")].rpartition(".")
        setattr(bert.get_submodule(parent_name), attr, lora.base)


def _trained_state(bert: Any, head: Any, first_layer: int, wrapped: dict[str, LoRALinear]) -> dict[str, Any]:
    """The tensors this run changes, keyed as `causal_minilm.apply_trained` reads them."""
    if wrapped:
        state = {}
        for key, lora in wrapped.items():
            state[key + causal_minilm.LORA_A] = lora.lora_A.detach().clone()
            state[key + causal_minilm.LORA_B] = lora.lora_B.detach().clone()
    else:
        prefixes = tuple(f"encoder.layer.{i}." for i in range(first_layer, bert.config.num_hidden_layers))
        state = {k: v.clone() for k, v in bert.state_dict().items() if k.startswith(prefixes)}
    state.update({causal_minilm.HEAD_PREFIX + k: v.detach().clone() for k, v in head.state_dict().items()})
    return state


def cache_hidden(tokenizer: Any, bert: Any, texts: Sequence[str], first_layer: int, max_length: int) -> list:
    """Hidden states entering layer `first_layer`, one (tokens, dim) tensor per text.

    The layers below are frozen, so they run once here instead of once per epoch.
    """
    cached: list = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    layers = bert.encoder.layer
    bert.encoder.layer = layers[:first_layer]  # the trained layers' output is not needed here
    try:
        with torch.inference_mode():
            for start in range(0, len(order), 64):
                idx = order[start : start + 64]
                enc = tokenizer(
                    [texts[i] for i in idx], padding=True, truncation=True, max_length=max_length, return_tensors="pt"
                )
                states = bert(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
                for row, i in enumerate(idx):
                    length = int(enc["attention_mask"][row].sum())
                    cached[i] = states[row, :length].clone()
    finally:
        bert.encoder.layer = layers
    return cached


def _pad(items: list) -> tuple[torch.Tensor, torch.Tensor]:
    longest = max(t.shape[0] for t in items)
    hidden = torch.zeros(len(items), longest, items[0].shape[1])
    mask = torch.zeros(len(items), longest, dtype=torch.long)
    for row, tensor in enumerate(items):
        hidden[row, : tensor.shape[0]] = tensor
        mask[row, : tensor.shape[0]] = 1
    return hidden, mask


def _batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within pools of 50 batches, shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches.extend(chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def cached_probs(bert: Any, head: Any, cached: list, first_layer: int) -> list[float]:
    """Causal probabilities from cached layer inputs (equal to a full forward pass)."""
    probs: list[float] = []
    with torch.inference_mode():
        for start in range(0, len(cached), 64):
            hidden, mask = _pad(cached[start : start + 64])
            pooled = causal_minilm.mean_pool(causal_minilm.run_top_layers(bert, hidden, mask, first_layer), mask)
            probs.extend(torch.sigmoid(head(pooled).squeeze(-1)).tolist())
    return probs


def train_minilm(fit: Sequence[Example], val: Sequence[Example], out_dir: Path, config: MiniLMConfig) -> dict:
    """Adapt the MiniLM's top layers and train a head; save the best validation epoch to `out_dir`.

    Args:
        fit: training sentences.
        val: validation sentences, used only to choose the epoch.
        out_dir: model directory to write (`meta.json` and the fp16 tensors).
        config: the run's settings.

    Returns:
        The run's record: per-epoch history and the meta written.
    """
    started = time.perf_counter()
    seed_everything(config.seed, config.threads)
    tokenizer, bert = causal_minilm.load_base()
    causal_minilm.keep_layers(bert, config.layers)
    first_layer = bert.config.num_hidden_layers - config.top_layers
    bert.requires_grad_(False)
    fit_cache = cache_hidden(tokenizer, bert, [ex.text for ex in fit], first_layer, config.max_length)
    val_cache = cache_hidden(tokenizer, bert, [ex.text for ex in val], first_layer, config.max_length)
    cache_seconds = time.perf_counter() - started
    LOGGER.info(
        "minilm: cached layer-%d inputs of %d+%d sentences in %.0f s", first_layer, len(fit), len(val), cache_seconds
    )

    top = bert.encoder.layer[first_layer:]
    wrapped = _inject_lora(bert, first_layer, config.lora_rank, config.lora_alpha) if config.lora_rank else {}
    layer_params = [p for lora in wrapped.values() for p in (lora.lora_A, lora.lora_B)] or list(top.parameters())
    for param in layer_params:
        param.requires_grad_(True)
    head = causal_minilm.new_head(bert.config.hidden_size)
    dropout = torch.nn.Dropout(config.dropout)
    trained = layer_params + list(head.parameters())
    optimizer = torch.optim.AdamW(
        [{"params": layer_params, "lr": config.lr_layers}, {"params": list(head.parameters()), "lr": config.lr_head}],
        weight_decay=config.weight_decay,
    )
    steps_per_epoch = math.ceil(len(fit) / config.batch_size)
    total = min(config.max_steps or steps_per_epoch * config.epochs, steps_per_epoch * config.epochs)
    warmup = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    labels = torch.tensor([float(ex.label) for ex in fit])
    lengths = [t.shape[0] for t in fit_cache]
    rng = random.Random(config.seed)
    history: list[dict] = []
    best: tuple[float, int, dict] | None = None
    step = 0
    for epoch in range(1, config.epochs + 1):
        top.train()
        head.train()
        epoch_loss = 0.0
        for idx in _batches(lengths, config.batch_size, rng)[: total - step]:
            hidden, mask = _pad([fit_cache[i] for i in idx])
            pooled = causal_minilm.mean_pool(causal_minilm.run_top_layers(bert, hidden, mask, first_layer), mask)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(head(dropout(pooled)).squeeze(-1), labels[idx])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            epoch_loss += loss.detach().item() * len(idx)
        top.eval()
        head.eval()
        scores = binary_scores([ex.label for ex in val], cached_probs(bert, head, val_cache, first_layer))
        elapsed = time.perf_counter() - started
        history.append(
            {"epoch": epoch, "train_loss": round(epoch_loss / len(fit), 4), "val": scores, "seconds": round(elapsed, 1)}
        )
        LOGGER.info(
            "minilm epoch %d: loss %.4f, val F1 %.4f (%.0f s)", epoch, epoch_loss / len(fit), scores["f1"], elapsed
        )
        if best is None or scores["f1"] > best[0]:
            best = (scores["f1"], epoch, _trained_state(bert, head, first_layer, wrapped))
        if step >= total:
            break

    assert best is not None
    _remove_lora(bert, wrapped)
    weights = causal_minilm.save_trained(Path(out_dir), best[2])
    lora_scale = config.lora_alpha / config.lora_rank if config.lora_rank else 0.0
    what = f"LoRA rank {config.lora_rank} pairs for every linear map of" if config.lora_rank else "full weights of"
    meta = {
        "backend": "minilm",
        "base": causal_minilm.base_fingerprint(),
        "stored": (
            f"{weights.name}: {what} encoder layers {first_layer}-{bert.config.num_hidden_layers - 1}, and a linear "
            "head over mean-pooled tokens, fp16; every other weight comes from the base package"
        ),
        "weights_bytes": weights.stat().st_size,
        "first_layer": first_layer,
        "layers": bert.config.num_hidden_layers,
        "lora_scale": lora_scale,
        "max_length": config.max_length,
        "seed": config.seed,
        "config": asdict(config),
        "best_epoch": best[1],
        "val_f1": best[0],
        "train_sentences": len(fit),
        "val_sentences": len(val),
        "data": CNC_NAME,
        "training_seconds": round(time.perf_counter() - started, 1),
        "hidden_cache_seconds": round(cache_seconds, 1),
        "torch": importlib.metadata.version("torch"),
        "transformers": importlib.metadata.version("transformers"),
    }
    write_json(Path(out_dir) / "meta.json", meta)
    return {"meta": meta, "history": history}
