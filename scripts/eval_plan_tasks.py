"""Task extraction against hand labels: every task of a plan (section, starts, lead, due) as
written by people who never saw the code (tests/data/eval/plans/*.yml; the four held-out plans
in tests/data/eval/plans-heldout/*.yml, opened only at the end).

    python scripts/eval_plan_tasks.py [LABEL_DIR] [--plans ../shared/data/plans] [-v N] [--json]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("labels", nargs="?", default=str(ROOT / "tests" / "data" / "eval" / "plans"))
    parser.add_argument("--plans", default=str(ROOT.parent / "shared" / "data" / "plans"))
    parser.add_argument("-v", "--verbose", type=int, default=0, help="show up to N misses per plan")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    from knowledge.ingest.plans import parse_plan
    from knowledge.ingest.readers import read_plan_text
    from tasks.evaluate import evaluate_labelled

    total = dict(gold=0, matched=0, lead_gold=0, lead_correct=0, due_gold=0, due_correct=0, extracted=0)
    rows = []
    for gold in sorted(Path(args.labels).glob("*.yml")):
        plan = parse_plan(read_plan_text(Path(args.plans) / f"{gold.stem}.md"), gold.stem)
        report = evaluate_labelled(gold, plan)
        for key in total:
            total[key] += getattr(report, key)
        rows.append({"plan": gold.stem, **report.to_json(), "header": report.header})
        if not args.json:
            j = report.to_json()
            print(f"{gold.stem:14} gold {report.gold:3} extracted {report.extracted:3} recall {j['recall']} lead {j['lead']} "
                  f"due {j['due']} header {sum(report.header.values())}/{len(report.header)}")
            for miss in (report.misses[: args.verbose] + report.lead_errors[: args.verbose] + report.due_errors[: args.verbose]):
                print("    ", miss[:160])
    summary = {
        "recall": round(total["matched"] / max(total["gold"], 1), 3),
        "lead": round(total["lead_correct"] / max(total["lead_gold"], 1), 3),
        "due": round(total["due_correct"] / max(total["due_gold"], 1), 3),
        "precision": round(total["matched"] / max(total["extracted"], 1), 3),
        "tasks": total["gold"], "with_lead": total["lead_gold"], "with_due": total["due_gold"],
    }
    if args.json:
        print(json.dumps({"plans": rows, "total": summary}, ensure_ascii=False, indent=1))
    else:
        print("TOTAL", " ".join(f"{k} {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
