"""`civic eval retrieval FILE`: hit@1, hit@3, MRR and abstention, split by question style.

Dev-set lines: {"id", "question", "style": "accented|unaccented|informal", "gold": [...]}
where gold items are {"code": "1.001193"} or {"doc": "341/KH-UBND", "section": "II.3"};
an empty gold list marks a question the knowledge base cannot answer (it should abstain).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from knowledge.answer.sources import matches_gold

STYLES = ("accented", "unaccented", "informal")


def load_dev(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if "question" not in item or "gold" not in item:
            raise ValueError(f"{path.name}:{number}: cần các trường 'question' và 'gold'")
        items.append(item)
    return items


def first_hit_rank(sources: list[dict], gold: list[dict], depth: int = 10) -> int | None:
    for rank, source in enumerate(sources[:depth], 1):
        if any(matches_gold(source, g) for g in gold):
            return rank
    return None


def evaluate(items: Iterable[dict], run: Callable[[str], tuple[list[dict], bool]]) -> dict:
    """``run(question) -> (sources as JSON dicts best first, abstained)``."""
    groups: dict[str, list[dict]] = defaultdict(list)
    rows = []
    for item in items:
        sources, abstained = run(item["question"])
        rank = first_hit_rank(sources, item["gold"]) if item["gold"] else None
        row = {"id": item.get("id"), "style": item.get("style", "?"), "answerable": bool(item["gold"]), "rank": rank, "abstained": abstained}
        rows.append(row)
        groups[row["style"]].append(row)
        groups["all"].append(row)
    report = {name: _metrics(group) for name, group in groups.items()}
    report["_rows"] = rows
    return report


def _metrics(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    n = len(answerable)

    def share(predicate, pool) -> float | None:
        return round(sum(1 for r in pool if predicate(r)) / len(pool), 3) if pool else None

    return {
        "questions": len(rows),
        "answerable": n,
        "hit@1": share(lambda r: r["rank"] == 1, answerable),
        "hit@3": share(lambda r: r["rank"] is not None and r["rank"] <= 3, answerable),
        "mrr": round(sum(1 / r["rank"] for r in answerable if r["rank"]) / n, 3) if n else None,
        # answered with the right source on top (what a user actually gets)
        "answered_correct": share(lambda r: r["rank"] == 1 and not r["abstained"], answerable),
        "answered_wrong": share(lambda r: r["rank"] != 1 and not r["abstained"], answerable),
        "abstained_answerable": share(lambda r: r["abstained"], answerable),
        "unanswerable": len(unanswerable),
        "abstained_unanswerable": share(lambda r: r["abstained"], unanswerable),
    }


def format_report(report: dict, title: str = "") -> str:
    lines = [title] if title else []
    header = f"{'nhóm':<12}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'MRR':>7}{'đúng':>7}{'sai':>7}{'từ chối':>9}{'ngoài':>7}{'từ chối':>9}"
    lines.append(header)
    lines.append(f"{'':<12}{'':>5}{'':>8}{'':>8}{'':>7}{'':>7}{'':>7}{'(có đáp)':>9}{'phạm vi':>7}{'(ngoài)':>9}")
    for name in (*STYLES, "all"):
        m = report.get(name)
        if not m:
            continue

        def f(v):
            return "-" if v is None else f"{v:.3f}"

        lines.append(
            f"{name:<12}{m['answerable']:>5}{f(m['hit@1']):>8}{f(m['hit@3']):>8}{f(m['mrr']):>7}"
            f"{f(m['answered_correct']):>7}{f(m['answered_wrong']):>7}{f(m['abstained_answerable']):>9}"
            f"{m['unanswerable']:>7}{f(m['abstained_unanswerable']):>9}"
        )
    return "\n".join(lines)
