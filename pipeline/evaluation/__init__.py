"""Scoring predicted reports against the gold corpora (`insiden evaluate`)."""

from pipeline.evaluation.gold import GoldDocument, load_gold
from pipeline.evaluation.metrics import evaluate

__all__ = ["GoldDocument", "evaluate", "load_gold"]
