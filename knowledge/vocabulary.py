"""The citizen vocabulary (data/citizen_vocabulary.yml): everyday words <-> official wording.

    question side:  "nhap ho khau cho con can gi"   -> adds "đăng ký thường trú"
    index side:     procedure "Đăng ký thường trú"  -> indexed with "nhập hộ khẩu", "chuyển khẩu", ...

Phrases are matched on folded whole words (see vietnamese.text.fold_key), after chat
abbreviations have been expanded by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from vietnamese.text import fold_word, folded_words, has_diacritics, nfc, words

DATA_FILE = Path(__file__).resolve().parent / "data" / "citizen_vocabulary.yml"


@dataclass(frozen=True)
class Entry:
    id: int
    family: str
    official: tuple[str, ...]  # phrases as they appear in procedure titles
    everyday: tuple[str, ...]  # how people say it


def _key(text: str) -> tuple[str, ...]:
    return tuple(folded_words(text))


class Vocabulary:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        # first folded word -> [(folded words, written words, entry)], longest first
        self._everyday: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], Entry]]] = {}
        for entry in entries:
            for phrase in entry.everyday:
                key = _key(phrase)
                if key:
                    written = tuple(w.lower() for w in words(nfc(phrase)))
                    self._everyday.setdefault(key[0], []).append((key, written, entry))
        for candidates in self._everyday.values():
            candidates.sort(key=lambda c: -len(c[0]))
        self._official = [(_key(p), entry) for entry in entries for p in entry.official if _key(p)]

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> "Vocabulary":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = []
        for family, items in (data.get("families") or {}).items():
            for item in items or []:
                entries.append(
                    Entry(
                        id=len(entries),
                        family=str(family),
                        official=tuple(nfc(str(p)) for p in item.get("official") or []),
                        everyday=tuple(nfc(str(p)) for p in item.get("everyday") or []),
                    )
                )
        return cls(entries)

    # ---- question side ----------------------------------------------------------
    def matches(self, text: str) -> list[tuple[str, Entry]]:
        """Everyday phrases found in ``text`` (longest, non-overlapping), with their entries.

        A word the user typed WITH diacritics must carry the phrase's own ("số đo" is not
        "sổ đỏ"); unaccented words match any diacritics.
        """
        typed = [w for w in words(nfc(text))]
        folded = [fold_word(w) for w in typed]
        found: list[tuple[str, Entry]] = []
        i = 0
        while i < len(folded):
            hit = None
            for key, written, entry in self._everyday.get(folded[i], []):
                n = len(key)
                if tuple(folded[i : i + n]) != key:
                    continue
                if any(has_diacritics(t) and t.lower() != w for t, w in zip(typed[i : i + n], written) if has_diacritics(w)):
                    continue
                hit = (" ".join(typed[i : i + n]), entry, n)
                break
            if hit is None:
                i += 1
                continue
            found.append((hit[0], hit[1]))
            i += hit[2]
        return found

    def additions(self, text: str) -> list[str]:
        """Official wording for the everyday phrases in ``text`` (each once, in order)."""
        out: list[str] = []
        for _phrase, entry in self.matches(text):
            for official in entry.official:
                if official not in out:
                    out.append(official)
        return out

    def families(self, text: str) -> set[str]:
        return {entry.family for _phrase, entry in self.matches(text)}

    # ---- index side ---------------------------------------------------------------
    def entries_for_title(self, title: str) -> list[Entry]:
        """Entries whose official wording occurs (as whole words) in a procedure title."""
        folded = " " + " ".join(folded_words(title)) + " "
        out = []
        for key, entry in self._official:
            if f" {' '.join(key)} " in folded and entry not in out:
                out.append(entry)
        return out

    def everyday_for_title(self, title: str) -> list[str]:
        return list(dict.fromkeys(p for entry in self.entries_for_title(title) for p in entry.everyday))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return Vocabulary.load()
