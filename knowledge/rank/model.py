"""The learned ranker: gradient-boosted trees (LightGBM, LambdaRank) over features.FEATURES.

Trained by `civic eval train-ranker` (knowledge/rank/train.py) and shipped as data
(knowledge/data/ranker.txt, LightGBM's text format, with the feature names it was trained on).
Without a trained model the search falls back to an unweighted fusion of the normalised
BM25 and dense scores, which is also the "no rerank" baseline of the evaluation.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from knowledge.rank.features import FEATURES

log = logging.getLogger(__name__)
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "ranker.txt"
_BM25_BODY, _BM25_ASKED = FEATURES.index("bm25_body"), FEATURES.index("bm25_asked")
_DENSE_BODY, _DENSE_ASKED = FEATURES.index("dense_body"), FEATURES.index("dense_asked")


def fused(rows: np.ndarray) -> np.ndarray:
    """Unweighted fusion: best normalised BM25 plus best cosine (no learning, no titles)."""
    if not len(rows):
        return np.zeros(0)
    return np.maximum(rows[:, _BM25_BODY], rows[:, _BM25_ASKED]) + np.maximum(rows[:, _DENSE_BODY], rows[:, _DENSE_ASKED])


class Ranker:
    def __init__(self, booster=None, provenance: str = ""):
        self.booster = booster
        self.provenance = provenance

    @property
    def trained(self) -> bool:
        return self.booster is not None

    def score(self, rows: list[list[float]]) -> np.ndarray:
        matrix = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
        if not len(matrix):
            return np.zeros(0)
        if self.booster is None:
            return fused(matrix)
        return self.booster.predict(matrix, num_threads=1)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "Ranker":
        if not path.exists():
            log.warning("No trained ranker at %s: ranking by unweighted fusion", path)
            return cls()
        import lightgbm

        booster = lightgbm.Booster(model_str=path.read_text(encoding="utf-8"))
        names = tuple(booster.feature_name())
        if names != FEATURES:
            log.warning("Ranker %s was trained on other features (%s): ranking by unweighted fusion", path, names)
            return cls()
        return cls(booster)

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.booster.model_to_string(), encoding="utf-8")
