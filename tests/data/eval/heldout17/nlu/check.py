#!/usr/bin/env python3
"""Validate utterances.jsonl of heldout17/nlu (Python 3 standard library only).

Usage: python3 check.py [path/to/utterances.jsonl]   -> exits 0 when clean.
"""
import json
import os
import sys
import unicodedata
from collections import Counter

INTENTS = ["greet", "goodbye", "thank", "affirm", "deny", "cancel", "bot_capabilities",
           "ask_question", "file_feedback", "check_feedback_status", "give_rating",
           "human_handoff", "ask_deadline", "subscribe_reminders", "unsubscribe_reminders",
           "out_of_scope"]
PER_STYLE = {"formal": 6, "unaccented": 6, "informal": 8}
PER_INTENT = sum(PER_STYLE.values())            # 20
TOTAL = PER_INTENT * len(INTENTS)               # 320
KEYS = ["id", "text", "intent", "style", "note"]
PREFIX = "u17-"

# Example strings from the format spec and from the brief: must not be reused verbatim.
FORBIDDEN_EQUAL = [
    "nhà e mới sinh em bé thì làm giấy tờ j",
    "đường thôn e ngập cả tuần ko ai xử lý",
    "ko cần nữa",
    "k muốn nhận nhắc nữa",
    "phản ánh",
    "hài lòng, có điều phải chờ hơi lâu",
    "hài lòng", "tốt", "good", "rất hài lòng", "tuyệt vời", "bình thường", "tạm được",
    "không hài lòng", "chưa hài lòng", "hơi tệ", "chán", "bực", "rất không hài lòng", "quá tệ",
    "chưa",
    "bạn xác nhận gửi phản ánh này chứ?",
    "bạn đánh giá mức độ hài lòng thế nào?",
]
FORBIDDEN_SUBSTR = [
    "nhà e mới sinh em bé",
    "đường thôn e ngập cả tuần",
    "có điều phải chờ hơi lâu",
]


def fold(s):
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def has_diacritics(s):
    if "đ" in s or "Đ" in s:
        return True
    return any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", s))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "utterances.jsonl")
    errors = []
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"not UTF-8: {e}")
        return 1
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.append("file starts with a BOM")
    if "\r" in text:
        errors.append("CR characters found (LF line endings required)")
    if unicodedata.normalize("NFC", text) != text:
        errors.append("file is not NFC")
    if not text.endswith("\n"):
        errors.append("file does not end with a newline")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]

    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            errors.append(f"line {n}: empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: bad JSON: {e}")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {n}: not an object")
            continue
        if list(obj.keys()) != KEYS:
            errors.append(f"line {n}: keys {list(obj.keys())} != {KEYS}")
        rows.append((n, obj))

    if len(rows) != TOTAL:
        errors.append(f"{len(rows)} rows, expected {TOTAL}")

    seen = {}
    per_intent = Counter()
    per_cell = Counter()
    forb_eq = {fold(s) for s in FORBIDDEN_EQUAL}
    forb_sub = [fold(s) for s in FORBIDDEN_SUBSTR]
    for idx, (n, o) in enumerate(rows, 1):
        rid, t, intent, style, note = (o.get(k) for k in KEYS)
        want = f"{PREFIX}{idx:03d}"
        if rid != want:
            errors.append(f"line {n}: id {rid!r}, expected {want!r}")
        for k in KEYS:
            if not isinstance(o.get(k), str) or not o.get(k).strip():
                errors.append(f"line {n}: {k} must be a non-empty string")
        if not isinstance(t, str):
            continue
        if t != t.strip() or "  " in t or "\n" in t or "\t" in t:
            errors.append(f"line {n}: stray whitespace in text")
        if unicodedata.normalize("NFC", t) != t:
            errors.append(f"line {n}: text not NFC")
        if intent not in INTENTS:
            errors.append(f"line {n}: unknown intent {intent!r}")
        if style not in PER_STYLE:
            errors.append(f"line {n}: unknown style {style!r}")
        per_intent[intent] += 1
        per_cell[(intent, style)] += 1
        key = fold(t)
        if key in seen:
            errors.append(f"line {n}: duplicate text (case-folded) of line {seen[key]}: {t!r}")
        else:
            seen[key] = n
        if style == "unaccented" and not t.isascii():
            errors.append(f"line {n}: unaccented text is not pure ASCII: {t!r}")
        if style == "formal" and not has_diacritics(t):
            errors.append(f"line {n}: formal text has no diacritics: {t!r}")
        if key in forb_eq:
            errors.append(f"line {n}: text copies an example string: {t!r}")
        for s in forb_sub:
            if s in key:
                errors.append(f"line {n}: text contains example string {s!r}")

    # rows must be grouped by intent in INTENTS order
    order = [o.get("intent") for _, o in rows]
    grouped = [i for i in INTENTS for _ in range(per_intent[i])]
    if order != grouped:
        errors.append("rows are not grouped by intent in the documented order")

    for i in INTENTS:
        if per_intent[i] != PER_INTENT:
            errors.append(f"intent {i}: {per_intent[i]} rows, expected {PER_INTENT}")
        for s, k in PER_STYLE.items():
            if per_cell[(i, s)] != k:
                errors.append(f"intent {i} style {s}: {per_cell[(i, s)]} rows, expected {k}")

    styles = Counter(o.get("style") for _, o in rows)
    print(f"{len(rows)} rows; styles: " + ", ".join(f"{s}={styles[s]}" for s in PER_STYLE))
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
