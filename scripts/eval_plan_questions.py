"""Plan questions written by people who never saw the code (tests/data/eval/plans/questions_*.jsonl)
against the knowledge base in CIVIC_HOME (the plans must be ingested, with whatever else a
deployment holds: the real procedures, the seeds, other plans).

- content questions: the knowledge answer's first source must be the right plan, at a section
  whose passage holds the gold quote (section hit@1); the plan alone counts as plan hit@1;
- deadline questions go through the chat (the dialogue engine, as an official would type them):
  "date" — the due date (dd/mm/yyyy) is in the reply; "none" — the reply says the document sets
  no deadline; "list" — every gold task is in the reply (its leading words).

    python scripts/eval_plan_questions.py [--half tune|test|all] [--dir tests/data/eval/plans] [-v]

Two label shapes are read: {"gold": {"answer", "due", "tasks"}} and set 16's flat
{"kind", "gold_due", "gold_tasks"}; a recurring date with no single due date is left out.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NO_DEADLINE = re.compile(r"không (nêu|quy định|đặt|ghi|có) (thời hạn|hạn|mốc)|chưa (có|đặt) (thời hạn|hạn)|không có hạn", re.I)


def folded(text: str) -> str:
    from vietnamese.text import fold_key

    return fold_key(text or "")


def _lead_words(text: str, n: int = 6) -> str:
    return " ".join(folded(text).split()[:n])


def section_hit(source, gold_section: str, gold_quote: str, chunk_text: str) -> bool:
    """The cited passage holds the answer: its section is the gold one, or an ancestor (or a
    part) whose text contains the gold quote's first words."""
    section = (source.section or "").strip(".")
    gold = (gold_section or "").strip(".")
    if section and section.lower() == gold.lower():
        return True
    quote = _lead_words(gold_quote, 8)
    return bool(quote) and quote in folded(chunk_text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=str(ROOT / "tests" / "data" / "eval" / "plans"))
    parser.add_argument("--half", default="tune", choices=["tune", "test", "all"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    import yaml

    from core.holdout import select
    from dialogue.engine import Engine
    from knowledge.service import default_knowledge_base

    folder = Path(args.dir)
    numbers = {}
    for path in folder.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        numbers[data["document"]] = (data.get("header") or {}).get("number")
    rows = [json.loads(l) for p in sorted(folder.glob("questions_*.jsonl")) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    rows = select(rows, args.half)
    from storage.db import session_factory
    from tasks import store

    kb = default_knowledge_base()
    engine = Engine()
    store.sync(session_factory())
    results = defaultdict(list)
    failures = []
    run = uuid.uuid4().hex[:8]
    for n, row in enumerate(rows):
        # without a label file, the published file name holds the number ("0125-KH-UBND.md": 0125/KH-UBND)
        number = numbers.get(row["doc"]) or re.sub(r"^(\d+)-", r"\1/", Path(row["doc"]).stem)
        if row["type"] == "content":
            answer = kb.answer(row["question"])
            top = answer.sources[0] if answer.sources else None
            plan_ok = bool(top and top.kind == "plan" and number and (top.doc_number or "").lower() == number.lower())
            text = kb.load_chunk_texts([top.hit.meta.chunk_id]).get(top.hit.meta.chunk_id, "") if top and top.hit else ""
            ok = plan_ok and section_hit(top, row.get("gold_section", ""), row.get("gold_quote", ""), text)
            results[("content", "plan")].append(plan_ok)
            results[("content", "section")].append(ok)
            results[("content", row["style"])].append(ok)
            if not ok:
                failures.append((row["id"], row["question"], f"got {top.doc_number if top else None} § {top.section if top else None}; "
                                 f"want {number} § {row.get('gold_section')}"))
        else:
            gold = row.get("gold") or {"answer": row["kind"], "due": row.get("gold_due"), "tasks": row.get("gold_tasks")}
            if gold["answer"] == "date" and not gold["due"]:
                continue  # a recurring date ("hằng năm trước ngày 15/12") has no one due date to find
            # a fresh conversation per question and run (the database keeps earlier runs' forms)
            reply = engine.handle("web", f"eval-official-{run}-{n}", text=row["question"])
            text = "\n".join(m.text for m in reply.messages)
            if gold["answer"] == "date":
                due = date.fromisoformat(gold["due"])
                ok = f"{due:%d/%m/%Y}" in text
            elif gold["answer"] == "none":
                ok = bool(NO_DEADLINE.search(text)) and not re.search(r"\bhạn \d{2}/\d{2}/\d{4}", text.split("\n")[0])
            else:
                wanted = [_lead_words(t) for t in gold["tasks"]]
                found = [w for w in wanted if w in folded(text)]
                ok = len(found) == len(wanted)
                results[("deadline", "list recall")].append(len(found) / len(wanted) if wanted else 1.0)
            results[("deadline", gold["answer"])].append(ok)
            results[("deadline", "all")].append(ok)
            results[("deadline", row["style"])].append(ok)
            if not ok:
                failures.append((row["id"], row["question"], text[:300].replace("\n", " | ")))
    report = {f"{a}/{b}": round(sum(v) / len(v), 3) for (a, b), v in sorted(results.items()) if v}
    report["n"] = len(rows)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for key, value in report.items():
            print(f"{key:28} {value}")
    if args.verbose:
        for fid, question, why in failures:
            print(f"\n✗ {fid}: {question}\n   {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
