#!/usr/bin/env python3
"""Verify questions.jsonl of the heldout21 procedures evaluation set (ids p21-NNN).

Standard library only. Usage:
    python3 verify.py [questions.jsonl] [records.jsonl.gz]
Prints each problem found, then "N problems"; exits 0 only when clean.
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
DATA = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/data/procedures/dichvucong-procedures-2026-06.jsonl.gz"

KEYS = ["id", "question", "style", "aspect", "family", "gold", "gold_quote", "fact_keys", "note"]
STYLES = ["formal", "unaccented", "informal"]
ASPECTS = {"documents", "time", "fee", "place", "form", "deadline", "result",
           "conditions", "online", "who", "steps"}
EXCLUDED_FIELDS = {"raw_text", "detail_url"}
N_TOTAL, N_OOS, PER_STYLE, OOS_PER_STYLE = 180, 30, 60, 10
MAX_PER_PRIMARY, MIN_FAMILIES = 3, 15

problems = []


def bad(msg):
    problems.append(msg)
    print("PROBLEM:", msg)


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


# ---------- load records ----------
records = {}
with gzip.open(DATA, "rt", encoding="utf-8") as fh:
    for line in fh:
        if line.strip():
            r = json.loads(line)
            records[r["ma_thu_tuc"]] = r

# ---------- raw file checks ----------
raw = open(QFILE, "rb").read()
if raw.startswith(b"\xef\xbb\xbf"):
    bad("file starts with a UTF-8 BOM")
if b"\r" in raw:
    bad("file contains CR characters (must be LF only)")
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    bad(f"file is not valid UTF-8: {e}")
    text = raw.decode("utf-8", "replace")
if text != unicodedata.normalize("NFC", text):
    bad("file text is not NFC-normalised")
if not text.endswith("\n"):
    bad("file does not end with a newline")

items = []
for ln, line in enumerate(text.split("\n"), 1):
    if line == "":
        continue
    try:
        obj = json.loads(line, object_pairs_hook=lambda p: p)
    except json.JSONDecodeError as e:
        bad(f"line {ln}: invalid JSON ({e})")
        continue
    keys = [k for k, _ in obj]
    if keys != KEYS:
        bad(f"line {ln}: keys/order {keys} != {KEYS}")
    items.append(dict(obj))

# ---------- counts ----------
if len(items) != N_TOTAL:
    bad(f"{len(items)} items, expected {N_TOTAL}")
oos = [it for it in items if it.get("family") == "out_of_scope"]
if len(oos) != N_OOS:
    bad(f"{len(oos)} out-of-scope items, expected {N_OOS}")
sc = collections.Counter(it.get("style") for it in items)
oc = collections.Counter(it.get("style") for it in oos)
for s in STYLES:
    if sc[s] != PER_STYLE:
        bad(f"style {s}: {sc[s]} items, expected {PER_STYLE}")
    if oc[s] != OOS_PER_STYLE:
        bad(f"style {s}: {oc[s]} out-of-scope items, expected {OOS_PER_STYLE}")
for s in sc:
    if s not in STYLES:
        bad(f"unknown style {s!r}")

# ---------- per item ----------
seen_q = {}
primary = collections.Counter()
families = set()
for n, it in enumerate(items, 1):
    iid = it.get("id")
    if iid != f"p21-{n:03d}":
        bad(f"item {n}: id {iid!r} not sequential (expected p21-{n:03d})")
    q = it.get("question")
    if not isinstance(q, str) or not q.strip():
        bad(f"{iid}: empty question")
        continue
    if not (25 <= len(q) <= 200):
        bad(f"{iid}: question length {len(q)} outside 25-200")
    ql = q.casefold().strip()
    if ql in seen_q:
        bad(f"{iid}: duplicate question (same as {seen_q[ql]})")
    seen_q[ql] = iid
    for k in ("question", "note", "family", "gold_quote"):
        v = it.get(k)
        if isinstance(v, str) and v != unicodedata.normalize("NFC", v):
            bad(f"{iid}: field {k} not NFC")
    if not isinstance(it.get("note"), str) or not it["note"].strip():
        bad(f"{iid}: note must be a non-empty string")
    style = it.get("style")
    if style == "unaccented" and not q.isascii():
        bad(f"{iid}: unaccented question contains non-ASCII characters")
    if style == "informal" and q.isascii():
        bad(f"{iid}: informal question has no non-ASCII character")

    if it.get("family") == "out_of_scope":
        if it.get("aspect") is not None:
            bad(f"{iid}: out-of-scope item must have aspect null")
        if it.get("gold") != []:
            bad(f"{iid}: out-of-scope item must have gold []")
        if it.get("gold_quote") is not None:
            bad(f"{iid}: out-of-scope item must have gold_quote null")
        if it.get("fact_keys") != []:
            bad(f"{iid}: out-of-scope item must have fact_keys []")
        continue

    # answerable
    if style in ("formal", "informal") and q.isascii():
        bad(f"{iid}: {style} answerable question has no non-ASCII character")
    if it.get("aspect") not in ASPECTS:
        bad(f"{iid}: aspect {it.get('aspect')!r} not allowed")
    fam = it.get("family")
    if not isinstance(fam, str) or not fam.strip():
        bad(f"{iid}: empty family")
    else:
        families.add(fam)
    gold = it.get("gold")
    if not isinstance(gold, list) or not gold or not all(isinstance(g, str) for g in gold):
        bad(f"{iid}: gold must be a non-empty list of codes")
        continue
    if len(set(gold)) != len(gold):
        bad(f"{iid}: duplicate codes in gold")
    missing = [g for g in gold if g not in records]
    if missing:
        bad(f"{iid}: gold codes not in data: {missing}")
        continue
    primary[gold[0]] += 1
    quote = it.get("gold_quote")
    if not isinstance(quote, str) or not quote.strip():
        bad(f"{iid}: gold_quote must be a non-empty string")
        continue
    nq = norm(quote)
    rec = records[gold[0]]
    fields = [k for k, v in rec.items() if k not in EXCLUDED_FIELDS and isinstance(v, str) and nq in norm(v)]
    if not fields:
        bad(f"{iid}: gold_quote not found in any non-raw_text field of {gold[0]}")
    keys = it.get("fact_keys")
    if not isinstance(keys, list) or not (1 <= len(keys) <= 3) or not all(isinstance(k, str) and k.strip() for k in keys):
        bad(f"{iid}: fact_keys must be 1-3 non-empty strings")
        continue
    for k in keys:
        if norm(k) not in nq:
            bad(f"{iid}: fact key {k!r} not inside gold_quote")

for code, c in primary.items():
    if c > MAX_PER_PRIMARY:
        bad(f"primary procedure {code} used {c} times (> {MAX_PER_PRIMARY})")
if len(families) < MIN_FAMILIES:
    bad(f"only {len(families)} families (< {MIN_FAMILIES})")

print(f"{len(problems)} problems")
sys.exit(0 if not problems else 1)
