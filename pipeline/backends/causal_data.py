"""Data, splits, scores and speed for the causal-sentence classifiers (training and evaluation side)."""

from __future__ import annotations

import csv
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

CNC_DIR = "causal_news_corpus_v2"
CNC_TRAIN = "train_subtask1.csv"
CNC_DEV = "dev_subtask1.csv"


@dataclass(frozen=True)
class Example:
    """One labelled sentence; `group` keeps sentences of one document on one side of a split."""

    text: str
    label: int
    group: str = ""


def read_cnc(path: Path) -> list[Example]:
    """Read a Causal News Corpus subtask-1 CSV (`index,text,label`; the file starts with a BOM).

    The document id is the index without its last `_<sentence>` part (`train_09_B_24_2505`
    belongs to document `train_09_B_24`).
    """
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return [
            Example(text=row["text"], label=int(row["label"]), group=row["index"].rsplit("_", 1)[0])
            for row in csv.DictReader(handle)
        ]


def read_labelled_tsv(path: Path) -> list[Example]:
    """Read `text<TAB>label` lines (label 0 or 1); blank lines, `#` comments and a `text\tlabel` header are skipped."""
    examples = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, _, label = line.rpartition("\t")
        if number == 1 and label.strip().lower() == "label":
            continue
        if label.strip() not in {"0", "1"} or not text.strip():
            raise ValueError(f"{path}:{number}: expected 'text<TAB>0|1', got {line!r}")
        examples.append(Example(text=text.strip(), label=int(label), group=f"line{number}"))
    return examples


def group_split(examples: Sequence[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Split off about `fraction` of the documents (whole documents, seeded) as a validation set.

    Returns:
        (fit, validation) lists, each in the input order.
    """
    groups = sorted({ex.group for ex in examples})
    random.Random(seed).shuffle(groups)
    held = set(groups[: max(1, round(len(groups) * fraction))])
    return [ex for ex in examples if ex.group not in held], [ex for ex in examples if ex.group in held]


def binary_scores(labels: Sequence[int], probs: Sequence[float], threshold: float = 0.5) -> dict[str, float]:
    """Precision, recall and F1 of the causal class, accuracy and counts, as CASE-2022 subtask 1 scores them."""
    pred = [int(p >= threshold) for p in probs]
    tp = sum(1 for y, p in zip(labels, pred, strict=True) if y == 1 and p == 1)
    fp = sum(1 for y, p in zip(labels, pred, strict=True) if y == 0 and p == 1)
    fn = sum(1 for y, p in zip(labels, pred, strict=True) if y == 1 and p == 0)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(1 for y, p in zip(labels, pred, strict=True) if y == p) / len(labels) if labels else 0.0
    return {
        "f1": round(f1, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "accuracy": round(accuracy, 4),
        "n": len(labels),
        "positives": sum(labels),
        "threshold": threshold,
    }


def measure_speed(predict: Callable[[list[str]], list[float]], sentences: Sequence[str], repeats: int = 1) -> dict:
    """Sentences per wall-clock and per CPU second of `predict` over `sentences` (after a warm-up call)."""
    batch = list(sentences)
    predict(batch[:8])
    load_before = os.getloadavg()[0]
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        predict(batch)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    return {
        "sentences": len(batch) * repeats,
        "seconds": round(seconds, 3),
        "sentences_per_second": round(len(batch) * repeats / seconds, 1),
        # CPU time is less sensitive than wall time to other processes sharing the cores.
        "cpu_seconds": round(cpu_seconds, 3),
        "sentences_per_cpu_second": round(len(batch) * repeats / cpu_seconds, 1),
        "mean_chars": round(sum(len(s) for s in batch) / max(1, len(batch)), 1),
        # The machine is shared: the 1-minute load average, before and after, says how contended the run was.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }
