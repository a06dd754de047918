"""How people ask for a procedure: generated at ingestion and indexed beside the record.

    "Thủ tục đăng ký thường trú"  ->  short name "đăng ký thường trú"
        + everyday names from the citizen vocabulary ("nhập hộ khẩu", "chuyển khẩu", ...)
        + question templates per aspect and style ("nhập hộ khẩu cần giấy tờ gì",
          "nhap ho khau mat bao lau", "lm nhập hộ khẩu ở đâu v")

The same generator, with a seeded random source, produces training questions for the ranker
(knowledge/rank/train.py).
"""
from __future__ import annotations

import random
import re

from knowledge.vocabulary import Vocabulary, default_vocabulary
from vietnamese.text import fold, nfc

_PREFIX = re.compile(r"^\s*(?:thủ tục|tthc)\s+", re.IGNORECASE)
_LEVEL = re.compile(r"\(\s*(?:thực hiện|cấp)[^)]*\)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

# Aspect templates, written the way people ask ({n}: what they call the procedure).
TEMPLATES: dict[str, tuple[str, ...]] = {
    "documents": ("{n} cần giấy tờ gì", "làm {n} cần chuẩn bị những gì", "hồ sơ {n} gồm những gì"),
    "time": ("{n} mất bao lâu", "{n} bao lâu thì có kết quả", "{n} mất mấy ngày"),
    "fee": ("{n} hết bao nhiêu tiền", "lệ phí {n} là bao nhiêu", "{n} có mất phí không"),
    "where": ("{n} nộp ở đâu", "{n} làm ở đâu", "{n} có làm online được không"),
    "steps": ("thủ tục {n} thế nào", "cách làm {n}", "{n} làm như thế nào"),
    "conditions": ("điều kiện để {n} là gì", "ai được {n}"),
}
# A few chat abbreviations, the reverse of vietnamese/data/abbreviations.yml's `words`.
CHAT = {"không": "ko", "được": "dc", "gì": "j", "vậy": "v", "làm": "lm", "bao nhiêu": "bn", "như thế nào": "ntn",
        "em": "e", "anh": "a", "mình": "mk", "hồ sơ": "hs", "đăng ký": "dk", "căn cước công dân": "cccd",
        "giấy phép lái xe": "gplx", "bảo hiểm xã hội": "bhxh", "thời gian": "tg", "bao giờ": "bh"}
OPENERS = ("", "", "cho em hỏi ", "ad ơi ", "xin hỏi ", "mình muốn hỏi ", "chị ơi ", "cho tôi hỏi ")
ENDINGS = ("", "", " ạ", " vậy", " nhé", " với", "?", " ad")


def short_name(title: str) -> str:
    """'Thủ tục cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)' -> 'cấp lại thẻ căn cước'."""
    text = _LEVEL.sub(" ", nfc(title))
    text = _PREFIX.sub("", text.strip())
    return _SPACES.sub(" ", text).strip(" .;:,").lower()


def names(title: str, vocabulary: Vocabulary | None = None, limit: int = 12) -> list[str]:
    """What people call the procedure: its short name and the vocabulary's everyday names."""
    vocabulary = vocabulary or default_vocabulary()
    short = short_name(title)
    # long titles are asked about by their head ("cấp giấy phép xây dựng mới đối với ..." -> first words)
    head = " ".join(short.split()[:8])
    found = [short] + ([head] if head != short else []) + vocabulary.everyday_for_title(title)
    return list(dict.fromkeys(found))[:limit]


def chat_style(text: str, rng: random.Random | None = None) -> str:
    """Chat abbreviations and dropped diacritics, as typed on a phone."""
    out = text
    for word, short in sorted(CHAT.items(), key=lambda kv: -len(kv[0])):
        if rng is None or rng.random() < 0.7:
            out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", short, out)
    if rng is None or rng.random() < 0.6:
        out = fold(out)
    return out


def asked_text(title: str, vocabulary: Vocabulary | None = None) -> str:
    """The index-side text of how people ask for the procedure (one line per phrasing)."""
    known = names(title, vocabulary)
    lines = list(known)
    for n in known[:3]:
        for aspect in ("documents", "time", "fee", "where"):
            lines.append(TEMPLATES[aspect][0].format(n=n))
    everyday = known[2:4] or known[:1]
    for n in everyday:
        lines.append(fold(TEMPLATES["documents"][1].format(n=n)))
        lines.append(chat_style(TEMPLATES["time"][0].format(n=n)))
    return "\n".join(dict.fromkeys(lines))


def generate_questions(title: str, rng: random.Random, count: int, vocabulary: Vocabulary | None = None) -> list[tuple[str, str, str]]:
    """``count`` training questions (question, style, aspect) for one procedure."""
    known = names(title, vocabulary)
    out = []
    for _ in range(count):
        n = rng.choice(known)
        words = n.split()
        if len(words) > 6 and rng.random() < 0.5:  # people name long procedures by their head
            n = " ".join(words[: rng.randint(3, 6)])
        aspect = rng.choice(list(TEMPLATES))
        question = rng.choice(OPENERS) + rng.choice(TEMPLATES[aspect]).format(n=n) + rng.choice(ENDINGS)
        style = rng.choice(("accented", "unaccented", "informal"))
        if style == "unaccented":
            question = fold(question)
        elif style == "informal":
            question = chat_style(question, rng)
        out.append((question, style, aspect))
    return out
