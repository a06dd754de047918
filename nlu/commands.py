"""Typed menu labels and short commands (menu_labels.yml): "gửi phản ánh", "gui phan anh",
"tra cứu", "đánh giá", "gặp cán bộ" ... mean what their buttons mean, in every style."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from vietnamese.abbreviations import expand
from vietnamese.text import fold, fold_key

DATA_FILE = Path(__file__).resolve().parent / "menu_labels.yml"
# polite particles and forms of address around a typed command
_FILLER = re.compile(r"\b(a|ah|ạ|nhe|nha|nhé|voi|vs|di|đi|oi|ơi|ad|admin|bot|giup|giúp|em|anh|chi|toi|tôi|minh|mình|cho|xin|vui long|lam on|muon|muốn)\b")


# folded keys that are two different words once the diacritics are gone: "dung" is "dừng" (stop)
# and "đúng" (right); typed without diacritics they are left to the classifier
AMBIGUOUS = {"dung"}


def says_right(text: str) -> bool:
    """ "đúng" (right, yes) typed with its diacritics: never "dừng" (stop), whatever the folding."""
    return bool(re.search(r"(?i)\bđúng\b", text or ""))


def _words(text: str) -> list[str]:
    """The command's words, lower case, with their diacritics; particles and punctuation dropped."""
    words = re.sub(r"[^\w\s]", " ", expand(text).text.lower()).split()
    return [w for w in words if not _FILLER.fullmatch(fold(w)) and not _FILLER.fullmatch(w)]


def _key(text: str) -> str:
    folded = fold_key(expand(text).text)
    folded = re.sub(r"[^\w\s]", " ", folded)
    return " ".join(_FILLER.sub(" ", folded).split())


@lru_cache(maxsize=1)
def _labels() -> dict[str, tuple[str, list[str]]]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or {}
    table: dict[str, tuple[str, list[str]]] = {}
    for intent, labels in (data.get("labels") or {}).items():
        for label in labels:
            key = _key(str(label))
            if key:
                table.setdefault(key, (intent, _words(str(label))))
    return table


def menu_intent(text: str) -> str | None:
    """The intent of a typed menu label or short command, or None (let the classifier decide).
    Words typed with diacritics must be the label's own ("đúng" is not "dừng")."""
    if not text or len(text) > 60:
        return None
    key = _key(text)
    found = _labels().get(key)
    if found is None:
        return None
    intent, label_words = found
    typed = _words(text)
    if len(typed) == len(label_words):
        if any(w != fold(w) and w != l for w, l in zip(typed, label_words)):
            return None
        if key in AMBIGUOUS and all(w == fold(w) for w in typed):
            return None
    return intent
