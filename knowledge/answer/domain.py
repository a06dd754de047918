"""How much a question sounds like something the loaded procedures and plans answer.

Retrieval always returns a best candidate, and a question about a subject the data does not hold
often shares most of its words with one ("cấp lại bằng tốt nghiệp" and the 229 "cấp lại …"
procedures; "giấy phép phòng khám" and the licences the data does have). The words that give it
away ("tốt nghiệp", "phòng khám", "thất nghiệp") are learned here from examples: a logistic
model over hashed character and word n-grams of the folded question, fitted by
`civic eval train-ranker` on the written training questions (answerable = in the domain, out of
scope = not) and on questions generated from every procedure's names (knowledge/asked.py), so
that procedures nobody wrote a question about still count as the domain. Its probability is one
signal of the answer-confidence model (confidence.py), never a decision of its own.

Hashed features need no vocabulary: the model is its IDF weights and coefficients, shipped as
knowledge/data/domain.npz.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.answer.hashed import N_FEATURES, one, tfidf

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "domain.npz"
@dataclass
class DomainModel:
    idf: np.ndarray  # (2, N_FEATURES)
    coef: np.ndarray  # (2 * N_FEATURES,)
    bias: float
    provenance: str = ""

    def probability(self, question: str) -> float:
        columns, values = one(question, self.idf)
        return 1.0 / (1.0 + math.exp(-(self.bias + float(values @ self.coef[columns]))))

    @classmethod
    def fit(cls, texts: list[str], labels: list[int], provenance: str = "", c: float = 4.0) -> "DomainModel":
        from sklearn.linear_model import LogisticRegression

        x, idf = tfidf(texts)
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, labels)
        return cls(idf.astype(np.float32), model.coef_[0].astype(np.float32), float(model.intercept_[0]), provenance)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "DomainModel | None":
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            if data["idf"].shape != (2, N_FEATURES):
                return None
            return cls(data["idf"], data["coef"], float(data["bias"]), str(data["provenance"]))

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, idf=self.idf, coef=self.coef, bias=np.float64(self.bias), provenance=np.str_(self.provenance))


def out_of_fold(texts: list[str], labels: list[int], extra: list[str], folds: int = 5, seed: int = 2) -> list[float]:
    """Each text's probability from a model fitted without it (``extra``: in-domain texts added
    to every fold's training), so that the confidence model is fitted on honest values."""
    from sklearn.model_selection import StratifiedKFold

    values = np.zeros(len(texts))
    y = np.array(labels)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y):
        model = DomainModel.fit([texts[i] for i in train] + extra, list(y[train]) + [1] * len(extra))
        x, _ = tfidf([texts[i] for i in test], model.idf)
        values[test] = 1.0 / (1.0 + np.exp(-(x @ model.coef + model.bias)))
    return values.tolist()
