"""The word-by-word character n-gram TF-IDF gives scikit-learn's vectors (the evidence model
was fitted on those)."""
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.answer.chargrams import CharGrams

TEXTS = [
    " trong thoi han 60 ngay ke tu ngay sinh con cha hoac me co trach nhiem dang ky khai sinh ",
    " le phi 8 000 dong ",
    "",  # a sentence with no words (a row of zeros)
    " a o u e i y ",  # words shorter than every n-gram but one
    " nop ho so tai bo phan mot cua ubnd cap xa nop nop nop ",
    "   ",
]


@pytest.mark.parametrize("question", [
    "sinh con xong bao lau phai lam giay khai sinh",
    "le phi bao nhieu",
    "nop o dau",
    "a",
    "qqqq zzzz",  # nothing in common with any sentence
])
def test_same_similarities_as_scikit_learn(question):
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    expected = (vectorizer.fit_transform(TEXTS) @ vectorizer.transform([question]).T).toarray().ravel()
    assert np.allclose(CharGrams(TEXTS).similarity(question), expected, atol=1e-12)


def test_texts_without_words_give_zeros():
    assert CharGrams(["", "  "]).similarity("le phi") == [0.0, 0.0]
