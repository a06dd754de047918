#!/usr/bin/env python3
"""Validate the heldout19 NLU evaluation files. Standard library only.

Usage: python3 check.py   (run from anywhere; files are read next to this script)
Prints each problem, then "<n> problems"; exit status 0 only when clean.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

INTENTS = [
    "greet", "goodbye", "thank", "affirm", "deny", "cancel", "bot_capabilities",
    "ask_question", "file_feedback", "check_feedback_status", "give_rating",
    "human_handoff", "ask_deadline", "subscribe_reminders", "unsubscribe_reminders",
    "out_of_scope",
]
STYLES = ["formal", "unaccented", "informal"]
STYLE_COUNTS = {"formal": 6, "unaccented": 6, "informal": 8}
LEVELS = [1, 2, 3, 4, 5, None]
ANSWERS = ["yes", "no", None]

problems = []


def bad(msg):
    problems.append(msg)


def load(name):
    path = os.path.join(HERE, name)
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        bad(f"{name}: cannot read ({e})")
        return []
    if raw.startswith(b"\xef\xbb\xbf"):
        bad(f"{name}: starts with a BOM")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad(f"{name}: not valid UTF-8 ({e})")
        return []
    if not unicodedata.is_normalized("NFC", text):
        bad(f"{name}: file is not NFC-normalized")
    if "\r" in text:
        bad(f"{name}: contains CR characters")
    if text and not text.endswith("\n"):
        bad(f"{name}: no final newline")
    rows = []
    for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        if not line.strip():
            bad(f"{name}:{n}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            bad(f"{name}:{n}: invalid JSON ({e})")
            continue
        if not isinstance(obj, dict):
            bad(f"{name}:{n}: not a JSON object")
            continue
        rows.append((n, obj))
    return rows


def common(name, rows, keys, prefix, total):
    if len(rows) != total:
        bad(f"{name}: {len(rows)} rows, expected {total}")
    seen = {}
    for i, (n, r) in enumerate(rows, 1):
        where = f"{name}:{n}"
        if list(r.keys()) != keys:
            bad(f"{where}: keys {list(r.keys())}, expected {keys} in that order")
        want = f"{prefix}-{i:03d}"
        if r.get("id") != want:
            bad(f"{where}: id {r.get('id')!r}, expected {want!r}")
        t = r.get("text")
        if not isinstance(t, str) or not t.strip():
            bad(f"{where}: text missing or empty")
            continue
        if t != t.strip():
            bad(f"{where}: text has leading/trailing whitespace")
        if not unicodedata.is_normalized("NFC", t):
            bad(f"{where}: text not NFC")
        if "\ufeff" in t:
            bad(f"{where}: text contains U+FEFF")
        key = re.sub(r"\s+", " ", t.casefold()).strip()
        if key in seen:
            bad(f"{where}: duplicate text (case-folded) of line {seen[key]}: {t!r}")
        else:
            seen[key] = n
        note = r.get("note")
        if not isinstance(note, str) or not note.strip():
            bad(f"{where}: note missing or empty")
        elif not unicodedata.is_normalized("NFC", note):
            bad(f"{where}: note not NFC")
        st = r.get("style", None)
        if "style" in keys:
            if st not in STYLES:
                bad(f"{where}: invalid style {st!r}")
            elif st == "unaccented" and not t.isascii():
                bad(f"{where}: unaccented text is not pure ASCII: {t!r}")
            elif st == "formal" and t.isascii():
                bad(f"{where}: formal text has no non-ASCII character: {t!r}")


def main():
    # utterances
    name = "utterances.jsonl"
    rows = load(name)
    common(name, rows, ["id", "text", "intent", "style", "note"], "u19", 320)
    per_intent = Counter()
    per_cell = Counter()
    order = []
    for n, r in rows:
        it, st = r.get("intent"), r.get("style")
        if it not in INTENTS:
            bad(f"{name}:{n}: invalid intent {it!r}")
            continue
        per_intent[it] += 1
        per_cell[(it, st)] += 1
        if st in STYLES:
            order.append((n, INTENTS.index(it), STYLES.index(st)))
        note = r.get("note", "")
        if isinstance(note, str) and note.lower().startswith("doubtful") and not note.startswith("doubtful:"):
            bad(f"{name}:{n}: doubtful note must start with 'doubtful:'")
    for a, b in zip(order, order[1:]):
        if b[1:] < a[1:]:
            bad(f"{name}:{b[0]}: out of order (intent order, then formal -> unaccented -> informal)")
    for it in INTENTS:
        if per_intent[it] != 20:
            bad(f"{name}: intent {it} has {per_intent[it]} rows, expected 20")
        for st in STYLES:
            if per_cell[(it, st)] != STYLE_COUNTS[st]:
                bad(f"{name}: {it}/{st} has {per_cell[(it, st)]} rows, expected {STYLE_COUNTS[st]}")

    # ratings
    name = "ratings.jsonl"
    rows = load(name)
    common(name, rows, ["id", "text", "level", "style", "note"], "r19", 200)
    per_level = Counter()
    for n, r in rows:
        lv = r.get("level", "missing")
        if isinstance(lv, bool) or lv not in LEVELS:
            bad(f"{name}:{n}: invalid level {lv!r}")
            continue
        per_level[lv] += 1
    for lv in LEVELS:
        want = 40 if lv is None else 32
        if per_level[lv] != want:
            bad(f"{name}: level {lv} has {per_level[lv]} rows, expected {want}")

    # yes/no
    name = "yesno.jsonl"
    rows = load(name)
    common(name, rows, ["id", "text", "answer", "note"], "y19", 120)
    per_ans = Counter()
    for n, r in rows:
        a = r.get("answer", "missing")
        if a not in ANSWERS:
            bad(f"{name}:{n}: invalid answer {a!r}")
            continue
        per_ans[a] += 1
    for a in ANSWERS:
        want = 20 if a is None else 50
        if per_ans[a] != want:
            bad(f"{name}: answer {a} has {per_ans[a]} rows, expected {want}")

    for p in problems:
        print(p)
    print(f"{len(problems)} problems")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
