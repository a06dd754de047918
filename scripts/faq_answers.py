"""Answers to the 200 real national-portal FAQ questions, written out to be read by eye
(never used for tuning): `.venv/bin/python scripts/faq_answers.py` on a data directory that
holds the real data (CIVIC_HOME), output in bench-results/faq_answers.md."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAQ = ROOT.parent / "shared" / "data" / "faq" / "portal_faq_questions.jsonl"
sys.path.insert(0, str(ROOT))


def main() -> int:
    from knowledge.service import default_knowledge_base

    if not FAQ.exists():
        print(f"{FAQ} is absent", file=sys.stderr)
        return 2
    kb = default_knowledge_base()
    lines, statuses = ["# Answers to the portal FAQ questions (read by eye, not tuned on)", ""], Counter()
    for line in FAQ.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        answer = kb.answer(item["question"])
        statuses[answer.status.value] += 1
        top = answer.sources[0] if answer.sources else None
        lines += [f"## {item['id']}: {item['question']}", "",
                  f"status {answer.status.value}, confidence {answer.confidence:.2f}, top: {top.code or top.doc_number if top else '—'} {top.title[:120] if top else ''}",
                  "", "```", answer.text[:700], "```", ""]
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "faq_answers.md").write_text("\n".join(lines), encoding="utf-8")
    print(dict(statuses), f"-> {out / 'faq_answers.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
