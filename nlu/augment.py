"""Training-time variants of an example: without diacritics, and in chat style."""
from __future__ import annotations

import random
import re

from vietnamese.text import fold

# official word -> how it gets typed in chat (folded forms)
_CHAT = [
    (r"\bkhong\b", ["ko", "k", "hok"]),
    (r"\bduoc\b", ["dc", "đc"]),
    (r"\bgi\b", ["j"]),
    (r"\bvay\b", ["v", "z"]),
    (r"\broi\b", ["r"]),
    (r"\bem\b", ["e"]),
    (r"\banh\b", ["a"]),
    (r"\bnhu the nao\b", ["ntn"]),
    (r"\bbao nhieu\b", ["bn"]),
    (r"\bke hoach\b", ["kh"]),
    (r"\bnhiem vu\b", ["nv"]),
    (r"\bho so\b", ["hs"]),
    (r"\bcan bo\b", ["cb"]),
    (r"\bdang ky\b", ["dk", "dky"]),
    (r"\bphan anh kien nghi\b", ["pakn"]),
    (r"\bcan cuoc cong dan\b", ["cccd"]),
    (r"\bso dien thoai\b", ["sdt"]),
    (r"\bthu tuc\b", ["tt"]),
    (r"\bket qua\b", ["kq"]),
]


def unaccented(text: str) -> str:
    return fold(text)


def chat_style(text: str, rng: random.Random) -> str:
    """Folded text with some words replaced by their chat abbreviations."""
    out = fold(text)
    for pattern, options in _CHAT:
        if rng.random() < 0.7:
            out = re.sub(pattern, lambda _m: rng.choice(options), out)
    return out
