"""Hashed character and word n-grams of a folded question, TF-IDF weighted: the features of the
small text models shipped as data (domain.py, the aspect model). Hashing needs no vocabulary, so a
model is its IDF weights and coefficients (numpy arrays, no pickle)."""
from __future__ import annotations

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
