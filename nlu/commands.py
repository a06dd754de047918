"""Typed menu labels and short commands (menu_labels.yml): "gửi phản ánh", "gui phan anh",
"tra cứu", "đánh giá", "gặp cán bộ" ... mean what their buttons mean, in every style."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from vietnamese.abbreviations import expand
from vietnamese.text import fold_key

DATA_FILE = Path(__file__).resolve().parent / "menu_labels.yml"
# polite particles and forms of address around a typed command
_FILLER = re.compile(r"\b(a|ah|ạ|nhe|nha|nhé|voi|vs|di|đi|oi|ơi|ad|admin|bot|giup|giúp|em|anh|chi|toi|tôi|minh|mình|cho|xin|vui long|lam on|muon|muốn)\b")


def _key(text: str) -> str:
    folded = fold_key(expand(text).text)
    folded = re.sub(r"[^\w\s]", " ", folded)
    return " ".join(_FILLER.sub(" ", folded).split())


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or {}
    table: dict[str, str] = {}
    for intent, labels in (data.get("labels") or {}).items():
        for label in labels:
            key = _key(str(label))
            if key:
                table.setdefault(key, intent)
    return table


def menu_intent(text: str) -> str | None:
    """The intent of a typed menu label or short command, or None (let the classifier decide)."""
    if not text or len(text) > 60:
        return None
    return _labels().get(_key(text))
