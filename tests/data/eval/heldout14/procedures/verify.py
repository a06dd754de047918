#!/usr/bin/env python3
"""Check questions.jsonl of the heldout14 procedures set.

Usage: python3 verify.py [questions.jsonl] [procedures.jsonl.gz]
Prints every problem found and ends with "<n> problems".
Standard library only.
"""
import collections
import gzip
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
QFILE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "questions.jsonl")
DATA = sys.argv[2] if len(sys.argv) > 2 else \
    "/work/shared/data/procedures/dichvucong-procedures-2026-06.jsonl.gz"

KEYS = ["id", "question", "style", "aspect", "family", "gold",
        "gold_quote", "fact_keys", "note"]
STYLES = ["formal", "unaccented", "informal"]
ASPECTS = {"documents", "time", "fee", "place", "form", "deadline", "result",
           "conditions", "online", "who", "steps"}
N_TOTAL, N_ANSWERABLE, N_OOS = 180, 150, 30
PER_STYLE, OOS_PER_STYLE = 60, 10
MAX_PER_PROCEDURE, MIN_FAMILIES = 6, 12

problems = []


def bad(msg):
    problems.append(msg)
    print("PROBLEM:", msg)


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


# ---- load procedure data ----
records = {}
with gzip.open(DATA, "rt", encoding="utf-8") as f:
    for line in f:
        if line.strip():
            r = json.loads(line)
            records[r["ma_thu_tuc"]] = r
print(f"loaded {len(records)} procedure records")

# ---- load questions ----
rows = []
with open(QFILE, "rb") as f:
    raw = f.read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    bad(f"file is not UTF-8: {e}")
    text = raw.decode("utf-8", "replace")
for ln, line in enumerate(text.splitlines(), 1):
    if not line.strip():
        bad(f"line {ln}: empty line")
        continue
    if unicodedata.normalize("NFC", line) != line:
        bad(f"line {ln}: not NFC")
    try:
        rows.append((ln, json.loads(line, object_pairs_hook=lambda p: p)))
    except json.JSONDecodeError as e:
        bad(f"line {ln}: bad JSON: {e}")

items = []
for ln, pairs in rows:
    keys = [k for k, _ in pairs]
    if keys != KEYS:
        bad(f"line {ln}: keys {keys} != {KEYS}")
    items.append((ln, dict(pairs)))

if len(items) != N_TOTAL:
    bad(f"{len(items)} questions, expected {N_TOTAL}")

seen_q = {}
style_count = collections.Counter()
oos_style = collections.Counter()
n_ans = n_oos = 0
proc_count = collections.Counter()
families = set()

for idx, (ln, it) in enumerate(items, 1):
    tag = f"line {ln} ({it.get('id')})"
    if it.get("id") != f"p14-{idx:03d}":
        bad(f"{tag}: id should be p14-{idx:03d}")
    q = it.get("question")
    if not isinstance(q, str) or not q.strip():
        bad(f"{tag}: empty question")
        continue
    key = norm(q).lower()
    if key in seen_q:
        bad(f"{tag}: duplicate question of line {seen_q[key]}")
    seen_q[key] = ln
    style = it.get("style")
    if style not in STYLES:
        bad(f"{tag}: bad style {style!r}")
    style_count[style] += 1
    if style == "unaccented" and not q.isascii():
        bad(f"{tag}: unaccented question is not pure ASCII")
    if style == "formal" and q.isascii():
        bad(f"{tag}: formal question has no diacritics")
    note = it.get("note")
    if not isinstance(note, str) or not note.strip():
        bad(f"{tag}: empty note")

    fam = it.get("family")
    gold, quote, fkeys, aspect = it.get("gold"), it.get("gold_quote"), it.get("fact_keys"), it.get("aspect")
    if fam == "out_of_scope":
        n_oos += 1
        oos_style[style] += 1
        if aspect is not None:
            bad(f"{tag}: out-of-scope aspect must be null")
        if gold != []:
            bad(f"{tag}: out-of-scope gold must be []")
        if quote is not None:
            bad(f"{tag}: out-of-scope gold_quote must be null")
        if fkeys != []:
            bad(f"{tag}: out-of-scope fact_keys must be []")
        continue

    n_ans += 1
    if not isinstance(fam, str) or not fam.strip():
        bad(f"{tag}: empty family")
    families.add(fam)
    if aspect not in ASPECTS:
        bad(f"{tag}: bad aspect {aspect!r}")
    if not isinstance(gold, list) or not gold:
        bad(f"{tag}: gold must be a non-empty list")
        continue
    if len(set(gold)) != len(gold):
        bad(f"{tag}: duplicate codes in gold")
    for g in gold:
        if g not in records:
            bad(f"{tag}: gold code {g} not in data")
    proc_count[gold[0]] += 1
    if not isinstance(quote, str) or not quote.strip():
        bad(f"{tag}: empty gold_quote")
        continue
    first = records.get(gold[0])
    if first is not None:
        nq = norm(quote)
        fields = [k for k, v in first.items()
                  if k != "raw_text" and isinstance(v, str) and nq in norm(v)]
        if not fields:
            bad(f"{tag}: gold_quote not found in non-raw_text fields of {gold[0]}")
    if not isinstance(fkeys, list) or not 1 <= len(fkeys) <= 3:
        bad(f"{tag}: fact_keys must have 1-3 strings")
        continue
    for k in fkeys:
        if not isinstance(k, str) or not k.strip():
            bad(f"{tag}: empty fact key")
        elif norm(k) not in norm(quote):
            bad(f"{tag}: fact key {k!r} not inside gold_quote")

if n_ans != N_ANSWERABLE:
    bad(f"{n_ans} answerable questions, expected {N_ANSWERABLE}")
if n_oos != N_OOS:
    bad(f"{n_oos} out-of-scope questions, expected {N_OOS}")
for s in STYLES:
    if style_count[s] != PER_STYLE:
        bad(f"style {s}: {style_count[s]} questions, expected {PER_STYLE}")
    if oos_style[s] != OOS_PER_STYLE:
        bad(f"style {s}: {oos_style[s]} out-of-scope, expected {OOS_PER_STYLE}")
for code, n in proc_count.items():
    if n > MAX_PER_PROCEDURE:
        bad(f"procedure {code}: {n} questions (max {MAX_PER_PROCEDURE})")
if len(families) < MIN_FAMILIES:
    bad(f"only {len(families)} families (min {MIN_FAMILIES})")

print(f"styles {dict(style_count)}; answerable {n_ans}; out of scope {n_oos}; "
      f"families {len(families)}")
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
