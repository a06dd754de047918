"""Chat abbreviations and everyday names -> official wording (data in data/abbreviations.yml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from vietnamese.text import fold_word, has_diacritics, nfc, words

DATA_FILE = Path(__file__).with_name("data") / "abbreviations.yml"


@dataclass(frozen=True)
class _Entry:
    key_words: tuple[str, ...]  # as written in the data file (lower case, maybe accented)
    meaning: str
    is_phrase: bool


@dataclass
class Expansion:
    text: str  # the message with chat abbreviations replaced
    additions: list[str] = field(default_factory=list)  # official names of everyday terms found

    @property
    def full_text(self) -> str:
        return " ".join([self.text, *self.additions]).strip()


class Abbreviations:
    def __init__(self, words_map: dict[str, str], phrases_map: dict[str, str]):
        self._by_first: dict[str, list[_Entry]] = {}
        for key, meaning in words_map.items():
            self._add(str(key), str(meaning), is_phrase=False)
        for key, meaning in phrases_map.items():
            self._add(str(key), str(meaning), is_phrase=True)
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e.key_words))  # longest match first

    def _add(self, key: str, meaning: str, is_phrase: bool) -> None:
        key_words = tuple(w.lower() for w in words(nfc(key)))
        if key_words:
            self._by_first.setdefault(fold_word(key_words[0]), []).append(_Entry(key_words, nfc(meaning), is_phrase))

    @staticmethod
    def _matches(entry: _Entry, tokens: list[str], folded: list[str], start: int) -> bool:
        n = len(entry.key_words)
        if start + n > len(tokens):
            return False
        for key_word, token, token_folded in zip(entry.key_words, tokens[start : start + n], folded[start : start + n]):
            if fold_word(key_word) != token_folded:
                return False
            # A word typed WITH diacritics must carry the key's own diacritics.
            if has_diacritics(token) and token.lower() != key_word and has_diacritics(key_word):
                return False
            if has_diacritics(token) and not has_diacritics(key_word) and not entry.is_phrase:
                return False
        return True

    def expand(self, text: str, phrases: bool = True, units: bool = False) -> Expansion:
        """``units``: split a number typed with its unit's letter ("48h" -> "48 giờ"); the
        knowledge search asks for it, the intent model is trained on the text as typed."""
        tokens = [part for token in words(nfc(text)) for part in (_with_unit(token) if units else [token])]
        folded = [fold_word(t) for t in tokens]
        out: list[str] = []
        additions: list[str] = []
        i = 0
        while i < len(tokens):
            entry = next(
                (
                    e
                    for e in self._by_first.get(folded[i], [])
                    if (phrases or not e.is_phrase) and self._matches(e, tokens, folded, i)
                ),
                None,
            )
            if entry is None:
                out.append(tokens[i])
                i += 1
                continue
            n = len(entry.key_words)
            if entry.is_phrase:
                out.append(self.expand(" ".join(tokens[i : i + n]), phrases=False).text)
                if entry.meaning not in additions:
                    additions.append(entry.meaning)
            else:
                out.append(entry.meaning)
            i += n
        return Expansion(" ".join(out), additions)


@lru_cache(maxsize=1)
def default_abbreviations() -> Abbreviations:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return Abbreviations(data.get("words") or {}, data.get("phrases") or {})


def expand(text: str, units: bool = False) -> Expansion:
    return default_abbreviations().expand(text, units=units)


# a number typed with its unit's chat letter: "48h" (48 giờ), "30p", "2tr", "50k", "14t" (an age)
_UNITS = {"h": "giờ", "p": "phút", "ph": "phút", "tr": "triệu", "k": "nghìn", "t": "tuổi"}  # not "đ": "4đ" is a score as often as a price
_NUMBER_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)(h|ph|p|tr|k|t)$", re.IGNORECASE)


def _with_unit(token: str) -> list[str]:
    m = _NUMBER_UNIT.match(token)
    return [m.group(1), _UNITS[m.group(2).lower()]] if m else [token]
