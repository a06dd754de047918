"""Vietnamese text basics: NFC, diacritic folding, syllable tokens.

Everything downstream (search, NLU, matching agency names) compares *folded* text:
lower-case, no tone or vowel marks, ``đ`` -> ``d``, and the i/y spelling variants of open
syllables unified (``ký``/``kí`` -> ``ki``), so that "dang ky khai sinh", "đăng kí khai sinh"
and "ĐĂNG KÝ KHAI SINH" are the same string.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x1EFF + 1):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[code] = base.lower()
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    for code in range(0x0300, 0x036F + 1):  # stray combining marks (NFD input)
        table[code] = ""
    return table


_FOLD_TABLE = _build_fold_table()
_ACCENTED = frozenset(chr(c) for c in _FOLD_TABLE if 0x00C0 <= c <= 0x1EFF)
_OPEN_Y = re.compile(r"\b([bcdghklmnprstv]|qu|ph|th|tr|ch|nh|kh|gh|ng)y\b")


def nfc(text: str) -> str:
    """Unicode NFC (Vietnamese arrives both composed and decomposed)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case and strip every diacritic: 'Đăng ký' -> 'dang ky'."""
    return nfc(text).translate(_FOLD_TABLE).lower()


def unify_iy(folded: str) -> str:
    """Spelling variants: 'ky'/'ki', 'ly'/'li', 'quy'/'qui' -> the 'i' form (folded text only)."""
    return _OPEN_Y.sub(r"\1i", folded)


def fold_key(text: str) -> str:
    """The comparison key used for matching: folded, i/y unified, single spaces."""
    return " ".join(unify_iy(fold(text)).split())


def words(text: str) -> list[str]:
    """Syllables/words (letters and digits), in order, case kept."""
    return _WORD.findall(text)


def folded_words(text: str) -> list[str]:
    return _WORD.findall(unify_iy(fold(text)))


def has_diacritics(word: str) -> bool:
    return any(ch in _ACCENTED for ch in word)


def accent_ratio(text: str) -> float:
    """Share of alphabetic words that carry a diacritic (0.0 for 'thu tuc dang ky')."""
    letters = [w for w in words(nfc(text)) if not w.isdigit()]
    if not letters:
        return 0.0
    return sum(1 for w in letters if has_diacritics(w)) / len(letters)


@lru_cache(maxsize=4096)
def fold_word(word: str) -> str:
    return unify_iy(word.translate(_FOLD_TABLE).lower())


def clean_spaces(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def first_words(text: str, limit: int) -> str:
    """The first ``limit`` words of a text, "…" when some are left out (cut at a word, never inside one)."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= limit else " ".join(parts[:limit]).rstrip(".,;:") + "…"
