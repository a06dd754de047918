"""Which part of a procedure a question asks about: documents, time, fee, place, steps, ...

Rules on folded text, so "can giay to gi", "cần giấy tờ gì" and "can j" all mean documents.
"""
from __future__ import annotations

import re

from vietnamese.abbreviations import expand
from vietnamese.text import fold_key

# Order matters: the first aspects listed win when a question mentions several.
ASPECT_PATTERNS: dict[str, tuple[str, ...]] = {
    "documents": (
        r"giay to", r"ho so (gi|gom|nhu|can|nao)", r"thanh phan", r"can (nhung )?gi\b", r"mang (theo )?gi",
        r"chuan bi (gi|nhung)", r"can (nhung )?giay", r"giay gi", r"gom nhung gi", r"nop nhung gi", r"can mang",
    ),
    "fee": (r"le phi", r"\bphi\b", r"bao nhieu tien", r"het bao nhieu", r"ton bao nhieu", r"mien phi", r"\btien\b"),
    "time": (
        r"bao lau", r"may ngay", r"bao nhieu ngay", r"thoi gian", r"thoi han", r"khi nao (co|xong|nhan)",
        r"bao gio (co|xong|nhan)", r"mat (may|bao)", r"trong ngay",
    ),
    "where": (
        r"o dau", r"nop (o )?dau", r"noi nop", r"co quan nao", r"lam o dau", r"truc tuyen", r"online",
        r"buu dien", r"buu chinh", r"ra dau", r"den dau", r"xin o dau", r"cho nao",
    ),
    "conditions": (r"dieu kien", r"co duoc (khong|ko)", r"duoc (khong|ko)\b", r"ai duoc", r"yeu cau gi", r"bat buoc"),
    "legal": (r"can cu\b", r"phap ly", r"luat nao", r"van ban nao", r"nghi dinh nao", r"thong tu nao", r"quy dinh nao"),
    "result": (r"ket qua (la|nhan|gi)", r"nhan duoc (gi|giay)", r"duoc cap (gi|giay)"),
    "steps": (
        r"cac buoc", r"trinh tu", r"lam sao", r"lam the nao", r"nhu the nao", r"the nao", r"quy trinh",
        r"cach (lam|thuc)", r"huong dan", r"ra sao", r"thu tuc (ra sao|the nao)",
    ),
}
_COMPILED = {aspect: [re.compile(p) for p in patterns] for aspect, patterns in ASPECT_PATTERNS.items()}


def detect_aspects(question: str) -> list[str]:
    """Aspects the question asks for, most specific first; [] means an overview."""
    text = fold_key(expand(question).text)
    found = [aspect for aspect, patterns in _COMPILED.items() if any(p.search(text) for p in patterns)]
    if "steps" in found and len(found) > 1:
        found.remove("steps")  # "làm sao để ... cần giấy tờ gì": the specific part wins
    return found
