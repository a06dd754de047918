"""Tokens for the sparse (BM25) index: folded syllables plus syllable bigrams.

Vietnamese words are mostly two syllables ("khai sinh", "hộ tịch"); bigrams give BM25 the
word-level signal without a word segmenter, and folding makes "dang ky" match "đăng ký".
"""
from __future__ import annotations

from vietnamese.text import folded_words


def sparse_tokens(text: str) -> list[str]:
    syllables = folded_words(text)
    return syllables + [f"{a}_{b}" for a, b in zip(syllables, syllables[1:])]
