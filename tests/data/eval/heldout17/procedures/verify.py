#!/usr/bin/env python3
"""Consistency checker for heldout17/procedures/questions.jsonl (Python 3 standard library only).

Usage: python3 verify.py [questions.jsonl] [procedures.jsonl.gz]
Prints every problem found and finally "<N> problems"; exit status 0 only when N == 0.

Normalisation used for all text comparisons: Unicode NFC, then every run of whitespace
collapsed to one space, then strip.  Comparisons are case-sensitive.
  * gold_quote must equal its own normalised form and be a substring of the normalised
    value of at least one field of the FIRST gold record other than raw_text / detail_url;
  * every fact key must be a substring of gold_quote (both normalised).
"""
import gzip
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QPATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'questions.jsonl')
DPATH = sys.argv[2] if len(sys.argv) > 2 else '/work/shared/data/procedures/dichvucong-procedures-2026-06.jsonl.gz'

KEYS = ['id', 'question', 'style', 'aspect', 'family', 'gold', 'gold_quote', 'fact_keys', 'note']
STYLES = ('formal', 'unaccented', 'informal')
ASPECTS = {'documents', 'time', 'fee', 'place', 'form', 'deadline', 'result', 'conditions',
           'online', 'who', 'steps'}
N_TOTAL, N_OOS, N_PER_STYLE, N_OOS_PER_STYLE = 180, 30, 60, 10
MAX_PER_PRIMARY = 6
MIN_FAMILIES = 12
SKIP_FIELDS = ('raw_text', 'detail_url')


def norm(s):
    return re.sub(r'\s+', ' ', unicodedata.normalize('NFC', s)).strip()


problems = []


def bad(msg):
    problems.append(msg)
    print('PROBLEM:', msg)


# ---- load procedures
recs = {}
with gzip.open(DPATH, 'rt', encoding='utf-8') as f:
    for line in f:
        if line.strip():
            r = json.loads(line)
            recs[r['ma_thu_tuc']] = r
norm_fields = {}


def fields_of(code):
    if code not in norm_fields:
        r = recs[code]
        norm_fields[code] = [norm(v) for k, v in r.items() if k not in SKIP_FIELDS and isinstance(v, str)]
    return norm_fields[code]


# ---- load questions
raw = open(QPATH, 'rb').read()
try:
    text = raw.decode('utf-8')
except UnicodeDecodeError as e:
    bad(f'file is not UTF-8: {e}')
    text = raw.decode('utf-8', 'replace')
if text.startswith('\ufeff'):
    bad('file starts with a BOM')
if unicodedata.normalize('NFC', text) != text:
    bad('file is not NFC')
lines = [l for l in text.split('\n') if l.strip()]
items = []
for i, line in enumerate(lines, 1):
    try:
        items.append(json.loads(line))
    except json.JSONDecodeError as e:
        bad(f'line {i}: invalid JSON ({e})')

# ---- per item checks
seen_q = set()
for i, it in enumerate(items, 1):
    iid = it.get('id', f'line{i}')
    if list(it.keys()) != KEYS:
        bad(f'{iid}: keys/order {list(it.keys())} != {KEYS}')
        continue
    if it['id'] != f'p17-{i:03d}':
        bad(f'{iid}: id not sequential (expected p17-{i:03d})')
    q = it['question']
    if not isinstance(q, str) or not q.strip():
        bad(f'{iid}: empty question')
        continue
    if norm(q) != q:
        bad(f'{iid}: question not NFC / has extra whitespace')
    key = norm(q).lower()
    if key in seen_q:
        bad(f'{iid}: duplicate question')
    seen_q.add(key)
    for k in ('question', 'note', 'family'):
        if isinstance(it[k], str) and unicodedata.normalize('NFC', it[k]) != it[k]:
            bad(f'{iid}: {k} not NFC')
    if it['style'] not in STYLES:
        bad(f'{iid}: bad style {it["style"]}')
    if it['style'] == 'unaccented' and not q.isascii():
        bad(f'{iid}: unaccented question is not pure ASCII')
    if it['style'] != 'unaccented' and q.isascii() and it['family'] != 'out_of_scope':
        bad(f'{iid}: {it["style"]} question has no diacritics at all')
    if not isinstance(it['note'], str) or not it['note'].strip():
        bad(f'{iid}: empty note')
    gold = it['gold']
    if not isinstance(gold, list) or len(set(gold)) != len(gold):
        bad(f'{iid}: gold must be a list of distinct codes')
        continue
    if not gold:  # out of scope
        if it['family'] != 'out_of_scope' or it['aspect'] is not None or it['gold_quote'] is not None \
                or it['fact_keys'] != []:
            bad(f'{iid}: out-of-scope item must have family out_of_scope, aspect/gold_quote null, fact_keys []')
        continue
    if it['family'] == 'out_of_scope':
        bad(f'{iid}: answerable item labelled out_of_scope')
    if it['aspect'] not in ASPECTS:
        bad(f'{iid}: bad aspect {it["aspect"]}')
    for g in gold:
        if g not in recs:
            bad(f'{iid}: gold code {g} not in data')
    if gold[0] not in recs:
        continue
    gq = it['gold_quote']
    if not isinstance(gq, str) or not gq:
        bad(f'{iid}: missing gold_quote')
        continue
    if norm(gq) != gq:
        bad(f'{iid}: gold_quote not stored normalised (NFC + collapsed whitespace)')
    if not any(norm(gq) in f for f in fields_of(gold[0])):
        bad(f'{iid}: gold_quote not found in non-raw_text fields of {gold[0]}')
    fk = it['fact_keys']
    if not isinstance(fk, list) or not (1 <= len(fk) <= 3):
        bad(f'{iid}: fact_keys must hold 1-3 strings')
        continue
    for k in fk:
        if not isinstance(k, str) or not k or norm(k) not in norm(gq):
            bad(f'{iid}: fact key {k!r} not inside gold_quote')

# ---- global counts
if len(items) != N_TOTAL:
    bad(f'{len(items)} items, expected {N_TOTAL}')
oos = [it for it in items if it.get('gold') == []]
if len(oos) != N_OOS:
    bad(f'{len(oos)} out-of-scope items, expected {N_OOS}')
sc = Counter(it.get('style') for it in items)
so = Counter(it.get('style') for it in oos)
for s in STYLES:
    if sc[s] != N_PER_STYLE:
        bad(f'style {s}: {sc[s]} items, expected {N_PER_STYLE}')
    if so[s] != N_OOS_PER_STYLE:
        bad(f'style {s}: {so[s]} out-of-scope items, expected {N_OOS_PER_STYLE}')
prim = Counter(it['gold'][0] for it in items if it.get('gold'))
for c, k in prim.items():
    if k > MAX_PER_PRIMARY:
        bad(f'primary procedure {c} used {k} times (> {MAX_PER_PRIMARY})')
fams = {it.get('family') for it in items if it.get('gold')}
if len(fams) < MIN_FAMILIES:
    bad(f'only {len(fams)} families (< {MIN_FAMILIES})')

print(f'{len(items)} items; styles {dict(sc)}; out of scope {len(oos)}; families {len(fams)}; '
      f'max per primary {max(prim.values()) if prim else 0}')
print(f'{len(problems)} problems')
sys.exit(1 if problems else 0)
