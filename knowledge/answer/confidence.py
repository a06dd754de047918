"""Calibrated confidence that the best source answers the question.

A logistic model over a few retrieval signals of the top hit, fitted on the development set
(`civic eval calibrate FILE`) and shipped as data (knowledge/data/confidence.json). Below the
configured threshold the assistant abstains: a confident wrong answer is worse than none.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from knowledge.index.search import Hit

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "confidence.json"
FEATURES = ("dense", "sparse_log", "title_match", "title_precision", "agree", "margin", "is_plan")


def features(hits: list[Hit]) -> list[float]:
    if not hits:
        return [0.0] * len(FEATURES)
    top = hits[0]
    second = hits[1].score if len(hits) > 1 else 0.0
    return [
        top.dense,
        math.log1p(top.sparse),
        top.title_match,
        top.title_precision,
        1.0 if top.dense_rank == 1 and top.sparse_rank == 1 else 0.0,
        top.score - second,
        1.0 if top.meta.kind == "plan" else 0.0,
    ]


@dataclass
class ConfidenceModel:
    weights: list[float]
    bias: float
    provenance: str = ""

    def predict(self, hits: list[Hit]) -> float:
        if not hits:
            return 0.0
        z = self.bias + sum(w * x for w, x in zip(self.weights, features(hits)))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "ConfidenceModel":
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} do not match {FEATURES}; re-run calibration")
        return cls([float(w) for w in data["weights"]], float(data["bias"]), data.get("provenance", ""))

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {"features": list(FEATURES), "weights": self.weights, "bias": self.bias, "provenance": self.provenance},
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )


def fit(rows: list[tuple[list[float], int]], provenance: str) -> tuple[ConfidenceModel, dict]:
    """Fit on (features of the top hit, 1 if that hit is correct else 0); report 5-fold CV."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows], dtype=int)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    folds = min(5, int(min(y.sum(), len(y) - y.sum()))) if len(set(y)) > 1 else 0
    cv = cross_val_score(model, x, y, cv=folds, scoring="accuracy").mean() if folds >= 2 else float("nan")
    model.fit(x, y)
    scaler, logistic = model[0], model[1]
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    weights = logistic.coef_[0] / scale  # fold the standardisation into plain weights
    bias = float(logistic.intercept_[0] - np.sum(logistic.coef_[0] * scaler.mean_ / scale))
    fitted = ConfidenceModel([round(float(w), 6) for w in weights], round(bias, 6), provenance)
    return fitted, {"samples": len(rows), "positives": int(y.sum()), "cv_accuracy": round(float(cv), 3)}
