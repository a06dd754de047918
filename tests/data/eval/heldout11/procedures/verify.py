#!/usr/bin/env python3
"""Verify questions.jsonl against the procedure dataset. Prints problems and '<n> problems'."""
import gzip, json, re, sys, unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path('/work/shared/data/procedures/dichvucong-procedures-2026-06.jsonl.gz')
QFILE = HERE / 'questions.jsonl'
KEYS = ['id', 'question', 'style', 'aspect', 'family', 'gold', 'gold_quote', 'fact_keys', 'note']
STYLES = {'formal', 'unaccented', 'informal'}
ASPECTS = {'documents', 'time', 'deadline', 'fee', 'place', 'form', 'conditions',
           'result', 'steps', 'online', 'who'}
N_ANS, N_OOS, N_OOS_NEAR, N_OOS_UNREL = 150, 30, 20, 10
MARK = 'title regexes (no match):'


def norm(s):
    return re.sub(r'\s+', ' ', unicodedata.normalize('NFC', s or '')).strip()


def main():
    recs = {}
    with gzip.open(DATA, 'rt', encoding='utf-8') as f:
        for line in f:
            r = json.loads(line)
            recs[r['ma_thu_tuc']] = r
    titles = [norm(r['ten_thu_tuc']) for r in recs.values()]

    probs = []
    def bad(i, msg):
        probs.append(f'{i}: {msg}')

    raw_lines = QFILE.read_text(encoding='utf-8').splitlines()
    items = []
    for n, line in enumerate(raw_lines, 1):
        if unicodedata.normalize('NFC', line) != line:
            bad(f'line {n}', 'line not NFC')
        try:
            items.append(json.loads(line))
        except Exception as e:
            bad(f'line {n}', f'bad json {e}')

    # counts / split
    if len(items) != N_ANS + N_OOS:
        bad('file', f'{len(items)} items, expected {N_ANS + N_OOS}')
    ans = [o for o in items if o.get('gold')]
    oos = [o for o in items if not o.get('gold')]
    if len(ans) != N_ANS:
        bad('file', f'{len(ans)} answerable, expected {N_ANS}')
    if len(oos) != N_OOS:
        bad('file', f'{len(oos)} out-of-scope, expected {N_OOS}')
    for grp, name, want in ((ans, 'answerable', N_ANS // 3), (oos, 'oos', N_OOS // 3)):
        c = Counter(o.get('style') for o in grp)
        for s in STYLES:
            if c[s] != want:
                bad('file', f'{name} style {s}={c[s]}, expected {want}')
    near = [o for o in oos if MARK in o.get('note', '')]
    if len(near) != N_OOS_NEAR or len(oos) - len(near) != N_OOS_UNREL:
        bad('file', f'oos near={len(near)} unrelated={len(oos) - len(near)}, expected {N_OOS_NEAR}/{N_OOS_UNREL}')

    seenq = set()
    for k, o in enumerate(items, 1):
        i = o.get('id', f'#{k}')
        if list(o.keys()) != KEYS:
            bad(i, f'key order {list(o.keys())}')
        if o.get('id') != f'p11-{k:03d}':
            bad(i, f'id not sequential (expected p11-{k:03d})')
        for key in ('question', 'gold_quote', 'note', 'aspect', 'family', 'style'):
            v = o.get(key, '')
            if isinstance(v, str) and unicodedata.normalize('NFC', v) != v:
                bad(i, f'{key} not NFC')
        for v in o.get('fact_keys', []) + o.get('gold', []):
            if unicodedata.normalize('NFC', v) != v:
                bad(i, 'list value not NFC')
        q = o.get('question', '')
        qn = norm(q).lower()
        if qn in seenq:
            bad(i, 'duplicate question')
        seenq.add(qn)
        st = o.get('style')
        if st not in STYLES:
            bad(i, f'bad style {st}')
        is_ascii = all(ord(ch) < 128 for ch in q)
        if st == 'unaccented':
            if not is_ascii or q != q.lower():
                bad(i, 'unaccented question not pure lowercase ASCII')
        elif is_ascii:
            bad(i, f'{st} question is pure ASCII')

        gold = o.get('gold', [])
        if gold:
            if o.get('aspect') not in ASPECTS:
                bad(i, f'bad aspect {o.get("aspect")}')
            if not o.get('family') or o.get('family') == 'none':
                bad(i, 'missing family')
            if len(set(gold)) != len(gold):
                bad(i, 'duplicate gold code')
            for c in gold:
                if c not in recs:
                    bad(i, f'gold code {c} not in dataset')
            quote = norm(o.get('gold_quote', ''))
            if not quote:
                bad(i, 'empty gold_quote')
            elif gold[0] in recs:
                r = recs[gold[0]]
                fields = [norm(v) for kk, v in r.items() if kk != 'raw_text' and isinstance(v, str)]
                if not any(quote in fv for fv in fields):
                    bad(i, f'quote not found in a field of {gold[0]}: {quote[:80]}')
            fk = o.get('fact_keys', [])
            if not 1 <= len(fk) <= 3:
                bad(i, f'{len(fk)} fact keys')
            for key in fk:
                if norm(key) not in quote:
                    bad(i, f'fact key not in quote: {key}')
        else:
            if o.get('gold_quote') or o.get('fact_keys'):
                bad(i, 'oos item with quote/keys')
            if o.get('aspect') != 'none' or o.get('family') != 'none':
                bad(i, 'oos aspect/family must be none')
            note = o.get('note', '')
            if MARK in note:
                rxs = [x.strip() for x in note.split(MARK, 1)[1].split(' ; ') if x.strip()]
                if not rxs:
                    bad(i, 'no regexes in note')
                for rx in rxs:
                    pat = re.compile(unicodedata.normalize('NFC', rx), re.I)
                    hits = [t for t in titles if pat.search(t)]
                    if hits:
                        bad(i, f'regex {rx!r} matches title: {hits[0][:80]}')

    for p in probs:
        print(p)
    print(f'{len(probs)} problems')
    return 1 if probs else 0


if __name__ == '__main__':
    sys.exit(main())
