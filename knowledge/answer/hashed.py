"""Hashed character and word n-grams of a folded question, TF-IDF weighted: the features of the
small text models shipped as data (domain.py, the aspect model). Hashing needs no vocabulary, so a
model is its IDF weights and coefficients (numpy arrays, no pickle)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vietnamese.text import fold_key

N_FEATURES = 2**17


def _vectorizers():
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": None, "preprocessor": fold_key}
    return (HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common),
            HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"\S+", **common))


_VECTORIZERS = _vectorizers()


def tfidf(texts: list[str], idf: np.ndarray | None = None):
    """Sublinear TF-IDF of both n-gram kinds, each row L2-normalised per kind, side by side; the
    IDF (smoothed, as scikit-learn's) is learned when not given."""
    from scipy.sparse import hstack
    from sklearn.preprocessing import normalize

    parts, idfs = [], []
    for n, vectorizer in enumerate(_VECTORIZERS):
        counts = vectorizer.transform(texts).tocsr().astype(np.float64)
        if idf is None:
            df = np.bincount(counts.indices, minlength=N_FEATURES)
            weights = np.log((1 + counts.shape[0]) / (1 + df)) + 1.0
        else:
            weights = idf[n]
        counts.data = (1.0 + np.log(counts.data)) * weights[counts.indices]
        parts.append(normalize(counts))
        idfs.append(weights)
    return hstack(parts).tocsr(), np.array(idfs)


def one(text: str, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``tfidf`` of one text as (column indices, values), without building a matrix."""
    columns, values = [], []
    for n, vectorizer in enumerate(_VECTORIZERS):
        counts = vectorizer.transform([text])
        weights = (1.0 + np.log(counts.data)) * idf[n][counts.indices]
        norm = float(np.sqrt(weights @ weights))
        if norm:
            columns.append(n * N_FEATURES + counts.indices)
            values.append(weights / norm)
    if not columns:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(columns), np.concatenate(values)


@dataclass
class LinearText:
    """A logistic model over these features: one row of coefficients per class (one row in all
    for two classes, as scikit-learn fits them), saved as plain arrays."""
    classes: list[str]
    idf: np.ndarray  # (2, N_FEATURES)
    coef: np.ndarray  # (rows, 2 * N_FEATURES)
    bias: np.ndarray  # (rows,)
    provenance: str = ""

    def scores(self, text: str) -> np.ndarray:
        columns, values = one(text, self.idf)
        return self.bias + self.coef[:, columns] @ values

    def matrix_scores(self, texts: list[str]) -> np.ndarray:
        x, _ = tfidf(texts, self.idf)
        return np.asarray(x @ self.coef.T) + self.bias

    @classmethod
    def fit(cls, texts: list[str], labels: list, provenance: str = "", c: float = 1.0, balanced: bool = False) -> "LinearText":
        from sklearn.linear_model import LogisticRegression

        x, idf = tfidf(texts)
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None).fit(x, labels)
        return cls([str(k) for k in model.classes_], idf.astype(np.float32), model.coef_.astype(np.float32),
                   model.intercept_.astype(np.float64), provenance)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, classes=np.array(self.classes), idf=self.idf, coef=self.coef, bias=self.bias,
                            provenance=np.str_(self.provenance))

    @classmethod
    def load(cls, path: Path) -> "LinearText | None":
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            if data["idf"].shape != (2, N_FEATURES) or data["coef"].ndim != 2:
                return None
            return cls([str(k) for k in data["classes"]], data["idf"], data["coef"], data["bias"], str(data["provenance"]))
