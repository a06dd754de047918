"""Character n-gram TF-IDF of a record's sentences, built word by word.

The same vectors as scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
sublinear_tf=True)`` fitted on the record's sentences (the evidence model was trained on
those), computed in a fraction of the time: a "char_wb" n-gram never crosses a word, so a
sentence's n-gram counts are its word counts times each word's n-gram counts. The n-grams of a
word are worked out once per process, the sentence x word counts once per record, and the
product is one sparse matrix multiplication instead of a Python loop over every n-gram of
every word of every sentence (a long record took 20-40 ms to fit; now a few).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix

NGRAMS = (2, 4)


@lru_cache(maxsize=20_000)  # the real records hold about 3,000 distinct folded words
def word_grams(word: str) -> tuple[str, ...]:
    """The "char_wb" n-grams of one word, as scikit-learn forms them (short words once)."""
    padded = f" {word} "
    grams = []
    for n in range(NGRAMS[0], NGRAMS[1] + 1):
        grams.extend(padded[i:i + n] for i in range(max(len(padded) - n + 1, 1)))
        if len(padded) <= n:  # a word shorter than n is counted once, whole
            break
    return tuple(grams)


class CharGrams:
    """The TF-IDF matrix of some texts over their character n-grams, and the similarity of a
    new text to each of them (cosine, as the fitted vectorizer's ``transform`` gives it)."""

    def __init__(self, texts: list[str]):
        self.size = len(texts)
        words: dict[str, int] = {}
        rows, cols = [], []
        for i, text in enumerate(texts):
            for w in text.lower().split():
                rows.append(i)
                cols.append(words.setdefault(w, len(words)))
        self.vocabulary: dict[str, int] = {}
        w_rows, w_cols = [], []
        for w, j in words.items():
            for g in word_grams(w):
                w_rows.append(j)
                w_cols.append(self.vocabulary.setdefault(g, len(self.vocabulary)))
        ones = np.ones(len(rows), dtype=np.float64)
        by_word = csr_matrix((ones, (rows, cols)), shape=(len(texts), len(words)))
        grams = csr_matrix((np.ones(len(w_rows), dtype=np.float64), (w_rows, w_cols)), shape=(len(words), len(self.vocabulary)))
        counts = (by_word @ grams).tocsr()
        counts.sum_duplicates()
        self.matrix = None
        if self.vocabulary:
            # smooth idf, as scikit-learn: ln((1 + n) / (1 + df)) + 1
            df = np.bincount(counts.indices, minlength=len(self.vocabulary))
            self.idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
            self.matrix = _tfidf(counts, self.idf)

    def similarity(self, text: str) -> list[float]:
        if self.matrix is None:
            return [0.0] * self.size
        counts: dict[int, float] = {}
        for w in text.lower().split():
            for g in word_grams(w):
                j = self.vocabulary.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0.0) + 1.0
        if not counts:
            return [0.0] * self.size
        q = csr_matrix((list(counts.values()), ([0] * len(counts), list(counts.keys()))), shape=(1, len(self.vocabulary)))
        q = _tfidf(q, self.idf)
        return [float(v) for v in (self.matrix @ q.T).toarray().ravel()]


def _tfidf(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Sublinear tf (1 + ln tf) times idf, each row scaled to unit length."""
    weighted = counts.astype(np.float64, copy=True)
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    weighted.data /= np.repeat(norms, np.diff(weighted.indptr))
    return weighted
