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

from knowledge.answer.hashed import LinearText

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "domain.npz"
@dataclass
class DomainModel:
    model: LinearText  # classes "0" (out of scope) and "1" (the domain): one row of coefficients

    @property
    def provenance(self) -> str:
        return self.model.provenance

    def probability(self, question: str) -> float:
        return 1.0 / (1.0 + math.exp(-float(self.model.scores(question)[0])))

    @classmethod
    def fit(cls, texts: list[str], labels: list[int], provenance: str = "", c: float = 4.0) -> "DomainModel":
        return cls(LinearText.fit(texts, labels, provenance, c=c, balanced=True))

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "DomainModel | None":
        model = LinearText.load(path)
        return cls(model) if model is not None else None

    def save(self, path: Path = DEFAULT_PATH) -> None:
        self.model.save(path)


def out_of_fold(texts: list[str], labels: list[int], extra: list[str], folds: int = 5, seed: int = 2) -> list[float]:
    """Each text's probability from a model fitted without it (``extra``: in-domain texts added
    to every fold's training), so that the confidence model is fitted on honest values."""
    from sklearn.model_selection import StratifiedKFold

    values = np.zeros(len(texts))
    y = np.array(labels)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y):
        model = DomainModel.fit([texts[i] for i in train] + extra, list(y[train]) + [1] * len(extra)).model
        values[test] = 1.0 / (1.0 + np.exp(-model.matrix_scores([texts[i] for i in test])[:, 0]))
    return values.tolist()
