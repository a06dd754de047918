"""Variants of one procedure that the question does not decide between ("trình báo mất hộ chiếu"
at the provincial, district or commune level; a vehicle registration online or in person).

Instead of only asking which one is meant, the clarifying message states the asked fact of each
variant when that fact is short (a fee, a time, a place, a form, a quoted deadline):

    Thủ tục này có nhiều trường hợp.

    Phí, lệ phí của từng trường hợp:
    • thực hiện tại cấp tỉnh (mã 1.001456): 160.000 đồng/hộ chiếu
    • thực hiện tại cấp trung ương (mã 1.001471): 200.000 đồng/hộ chiếu
    Bạn chọn một trường hợp để xem đầy đủ.

and says it once when every variant states the same thing. Long answers (document lists,
steps) that differ still get only the question with buttons.
"""
from __future__ import annotations

import re

from knowledge.answer import procedure
from knowledge.answer.evidence import EvidenceModel
from knowledge.ingest.procedures import Procedure
from vietnamese.text import fold_key

# aspects whose answer is a few lines, worth stating per variant
SHORT_ASPECTS = {"time", "fee", "where", "form", "online", "result", "deadline", "who"}
MAX_LINES = 4  # per variant
NOT_STATED = "hồ sơ thủ tục không nêu rõ"
ASPECT_NAMES = {
    "time": "Thời hạn giải quyết", "fee": "Phí, lệ phí", "where": "Nơi nộp", "form": "Mẫu đơn, tờ khai",
    "online": "Nộp trực tuyến", "result": "Kết quả", "deadline": "Thời hạn phải thực hiện", "who": "Người thực hiện",
    "documents": "Thành phần hồ sơ", "steps": "Trình tự", "conditions": "Điều kiện", "legal": "Căn cứ pháp lý",
}


def label(title: str, others: list[str], limit: int = 90) -> str:
    """The part of a variant's title that tells it from the others ("thực hiện tại cấp tỉnh")."""
    words = title.split()
    keys = [fold_key(w) for w in words]
    other_keys = [[fold_key(w) for w in o.split()] for o in others]
    start = min((_common_prefix(keys, o) for o in other_keys), default=0)
    end = min((_common_prefix(keys[::-1], o[::-1]) for o in other_keys), default=0)
    stop = len(words) - end
    if start >= stop:  # one title is the other's start or end: show it whole
        return procedure.clip(title, limit)
    if stop - start < 2:  # "mới" alone says little: "Cấp mới"
        start = max(0, start - 1)
    prefix = " ".join(words[:start])
    opened = prefix.rfind("(")
    if opened >= 0 and ")" not in prefix[opened:]:  # the difference sits in a parenthesis: show it whole
        start = len(prefix[:opened].split())
    text = " ".join(words[start:stop]).strip(" ,;:-()")
    return procedure.clip(text or title, limit)


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _block(proc: Procedure, aspect: str, question: str, evidence: EvidenceModel | None) -> list[str] | None:
    """The asked fact of one variant as a few lines, or None when it is too long to compare."""
    if aspect in procedure.COMPOSERS:
        composed = procedure.COMPOSERS[aspect](proc, False, question)
        lines = composed.text.splitlines()
        if lines and lines[0].endswith(":") and len(lines) > 1:
            lines = lines[1:]  # the heading is said once for all variants
        lines = [line.lstrip("• ").strip() for line in lines if line.strip()]
        if aspect == "where":
            lines = lines[:2]  # the agency and the address; the ways of submitting are the same for all
    elif evidence is not None and question:
        chosen = evidence.select(question, [aspect], proc, limit=1)
        lines = [f"“{procedure.focus(chosen[0].text, [aspect], limit=220, question=question)}”" if chosen else NOT_STATED]
    else:
        return None
    return lines if 0 < len(lines) <= MAX_LINES else None


def compare(variants: list[tuple[str, str, Procedure]], aspects: list[str], question: str,
            evidence: EvidenceModel | None) -> str | None:
    """``variants``: (code, title, record). The clarifying text with each variant's asked fact,
    or None when the question asks for no short fact (an overview, a document list)."""
    asked = [a for a in aspects if a in SHORT_ASPECTS][:2]
    if not asked or len(variants) < 2:
        return None
    titles = [title for _, title, _ in variants]
    parts = ["Thủ tục này có nhiều trường hợp."]
    for aspect in asked:
        blocks = [_block(proc, aspect, question, evidence) for _, _, proc in variants]
        if any(b is None for b in blocks):
            return None
        name = ASPECT_NAMES.get(aspect, aspect)
        if len({_same(b) for b in blocks}) == 1:
            parts.append(f"{name} (như nhau ở mọi trường hợp): " + "; ".join(blocks[0]))
            continue
        lines = [f"{name} của từng trường hợp:"]
        for (code, title, _), block in zip(variants, blocks):
            others = [t for t in titles if t != title]
            lines.append(f"• {label(title, others)} (mã {code}): " + "; ".join(block))
        parts.append("\n".join(lines))
    parts.append("Bạn chọn một trường hợp để xem đầy đủ.")
    return "\n\n".join(parts)


def _same(block: list[str]) -> str:
    return re.sub(r"\W+", " ", fold_key(" ".join(block))).strip()
