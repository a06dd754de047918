"""Calibrated confidence that the best source answers the question.

A logistic model over a few retrieval signals of the top hit and the domain model's probability
(domain.py), fitted by `civic eval train-ranker` on the written training questions and shipped as
data (knowledge/data/confidence.json). Below the
configured threshold the assistant abstains: a confident wrong answer is worse than none.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from knowledge.index.search import Hit
from knowledge.rank.features import FEATURES as RANK_FEATURES

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "confidence.json"
FEATURES = ("score", "margin", "dense", "sparse_log", "title_match", "title_precision", "vocab_hit", "is_plan", "query_words",
            "covered", "missing_max", "in_domain")
_RANK = {name: RANK_FEATURES.index(name) for name in ("vocab_hit", "query_words")}


def features(hits: list[Hit], covered: float = 1.0, missing_max: float = 0.0, in_domain: float = 1.0) -> list[float]:
    """Signals of the top hit; ``covered``/``missing_max``: how much of the question its record
    covers (knowledge.index.search.coverage); ``in_domain``: how much the question sounds like
    what the data answers (domain.py)."""
    if not hits:
        return [0.0] * len(FEATURES)
    top = hits[0]
    second = hits[1].score if len(hits) > 1 else top.score - 1.0
    return [
        top.score,
        top.score - second,
        top.dense,
        math.log1p(top.sparse),
        top.title_match,
        top.title_precision,
        top.features[_RANK["vocab_hit"]] if top.features else 0.0,
        1.0 if top.meta.kind == "plan" else 0.0,
        top.features[_RANK["query_words"]] if top.features else 0.0,
        covered,
        missing_max,
        in_domain,
    ]


@dataclass
class ConfidenceModel:
    weights: list[float]
    bias: float
    provenance: str = ""
    threshold: float = 0.5  # answer at or above this confidence (chosen by `fit`)

    def predict(self, hits: list[Hit], covered: float = 1.0, missing_max: float = 0.0, in_domain: float = 1.0) -> float:
        if not hits:
            return 0.0
        z = self.bias + sum(w * x for w, x in zip(self.weights, features(hits, covered, missing_max, in_domain)))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "ConfidenceModel":
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"features": []}
        if tuple(data["features"]) != FEATURES:
            # not fitted for these features yet (`civic eval train-ranker` fits it): answer everything
            return cls([0.0] * len(FEATURES), 5.0, "unfitted")
        return cls([float(w) for w in data["weights"]], float(data["bias"]), data.get("provenance", ""), float(data.get("threshold", 0.5)))

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {"features": list(FEATURES), "weights": self.weights, "bias": self.bias, "threshold": self.threshold,
                 "provenance": self.provenance},
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )


def low_line(configured: float | None) -> float:
    """Below this an answer counts as given with low confidence: the configured value, or halfway
    between the fitted answering threshold and 1 (the scale moves each time the model is fitted)."""
    if configured is not None:
        return configured
    threshold = ConfidenceModel.load().threshold
    return round(threshold + (1.0 - threshold) / 2, 3)


# the product's own bar (out-of-scope questions refused >= 90 %), met exactly on cross-validated
# training questions, whose out-of-scope part is harder than citizens' (near-domain questions
# written to teach where the data ends); 0.91 until 2026-12-03 refused 7.4 % of the answerable
# training questions out of fold, 0.90 refuses 5.9 %
OOS_REFUSAL = 0.90


def fit(rows: list[tuple[list[float], int, bool]], provenance: str, oos_refusal: float = OOS_REFUSAL) -> tuple[ConfidenceModel, dict]:
    """Fit on (features of the top hit, 1 if that hit is correct else 0, answerable?).

    The answering threshold comes out of 5-fold cross-validated probabilities: the highest one
    that still refuses ``oos_refusal`` of the out-of-scope questions, so that as few answerable
    questions as possible are refused.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows], dtype=int)
    answerable = np.array([r[2] for r in rows], dtype=bool)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=1000))
    probabilities = cross_val_predict(model, x, y, cv=StratifiedKFold(5, shuffle=True, random_state=1), method="predict_proba")[:, 1]
    oos = probabilities[~answerable]
    # the lowest threshold that refuses enough out-of-scope questions
    threshold = float(np.quantile(oos, oos_refusal)) + 1e-6 if len(oos) else 0.5
    model.fit(x, y)
    scaler, logistic = model[0], model[1]
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    weights = logistic.coef_[0] / scale  # fold the standardisation into plain weights
    bias = float(logistic.intercept_[0] - np.sum(logistic.coef_[0] * scaler.mean_ / scale))
    fitted = ConfidenceModel([round(float(w), 6) for w in weights], round(bias, 6), provenance, round(threshold, 4))
    return fitted, {
        "samples": len(rows), "positives": int(y.sum()), "threshold": round(threshold, 3),
        "cv_refused_out_of_scope": round(float((oos < threshold).mean()), 3) if len(oos) else None,
        "cv_refused_answerable": round(float((probabilities[answerable] < threshold).mean()), 3),
        "cv_answered_right": round(float(((probabilities >= threshold) & (y == 1)).sum() / max(answerable.sum(), 1)), 3),
    }
