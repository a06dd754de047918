"""`civic eval retrieval FILE [--half tune|test]`: how the knowledge engine answers a question set.

Question lines: {"id", "question", "style", "gold": [...], "fact_keys": [...]} where gold items
are procedure codes ("1.001193" or {"code": ...}) or plan sections ({"doc": "341/KH-UBND",
"section": "II.3"}); an empty gold list marks a question the knowledge base cannot answer.

Per style: hit@1 and hit@3 of the sources, MRR, answerable questions refused, out-of-scope
questions refused, and the share of answers that contain the asked fact (every fact key, compared
without diacritics, case, spacing or thousands separators).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from knowledge.answer.sources import matches_gold
from vietnamese.text import fold_key, nfc

STYLES = ("formal", "accented", "unaccented", "informal")
NOT_REFUSED = ("answered", "clarification")


def _gold(item: dict) -> list[dict]:
    return [{"code": g} if isinstance(g, str) else g for g in item.get("gold") or []]


def load_dev(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if "question" not in item or "gold" not in item:
            raise ValueError(f"{path.name}:{number}: cần các trường 'question' và 'gold'")
        item["gold"] = _gold(item)
        items.append(item)
    return items


def first_hit_rank(sources: list[dict], gold: list[dict], depth: int = 10) -> int | None:
    for rank, source in enumerate(sources[:depth], 1):
        if any(matches_gold(source, g) for g in gold):
            return rank
    return None


def normalise_fact(text: str) -> str:
    """Compare facts without diacritics, case, spacing or thousands separators ("20.000" = "20,000")."""
    folded = fold_key(nfc(text))
    folded = re.sub(r"(?<=\d)\s*(d|vnd|viet nam dong)\b", " dong", folded)  # "200.000đ" = "200,000 Việt Nam Đồng" = "200.000 đồng"
    folded = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", folded)
    folded = re.sub(r"\b0+(?=\d)", "", folded)  # "05 ngày" = "5 ngày"
    return re.sub(r"\s+", " ", folded)


def fact_present(answer: str, keys: list[str]) -> bool:
    shown = normalise_fact(answer)
    return all(normalise_fact(k) in shown for k in keys)


def evaluate(items: Iterable[dict], run: Callable[[str], tuple[list[dict], str, str]]) -> dict:
    """``run(question) -> (sources as JSON dicts best first, status, answer text)``."""
    groups: dict[str, list[dict]] = defaultdict(list)
    rows = []
    for item in items:
        sources, status, text = run(item["question"])
        gold = _gold(item)
        rank = first_hit_rank(sources, gold) if gold else None
        keys = item.get("fact_keys") or []
        row = {
            "id": item.get("id"),
            "style": item.get("style", "?"),
            "answerable": bool(gold),
            "rank": rank,
            "status": status,
            "refused": status not in NOT_REFUSED,
            "fact": fact_present(text, keys) if keys and gold else None,
        }
        rows.append(row)
        groups[row["style"]].append(row)
        groups["all"].append(row)
    report = {name: _metrics(group) for name, group in groups.items()}
    report["_rows"] = rows
    return report


def _metrics(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    with_fact = [r for r in answerable if r["fact"] is not None]
    n = len(answerable)

    def share(predicate, pool) -> float | None:
        return round(sum(1 for r in pool if predicate(r)) / len(pool), 3) if pool else None

    return {
        "questions": len(rows),
        "answerable": n,
        "hit@1": share(lambda r: r["rank"] == 1, answerable),
        "hit@3": share(lambda r: r["rank"] is not None and r["rank"] <= 3, answerable),
        "mrr": round(sum(1 / r["rank"] for r in answerable if r["rank"]) / n, 3) if n else None,
        "fact": share(lambda r: r["fact"], with_fact),
        "refused_answerable": share(lambda r: r["refused"], answerable),
        "unanswerable": len(unanswerable),
        "refused_unanswerable": share(lambda r: r["refused"], unanswerable),
    }


def format_report(report: dict, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{'nhóm':<12}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'MRR':>7}{'dữ kiện':>9}{'từ chối':>9}{'ngoài':>7}{'từ chối':>9}")
    lines.append(f"{'':<12}{'':>5}{'':>8}{'':>8}{'':>7}{'đúng':>9}{'(có đáp)':>9}{'phạm vi':>7}{'(ngoài)':>9}")

    def f(v):
        return "-" if v is None else f"{v:.3f}"

    for name in (*STYLES, "all"):
        m = report.get(name)
        if not m:
            continue
        lines.append(
            f"{name:<12}{m['answerable']:>5}{f(m['hit@1']):>8}{f(m['hit@3']):>8}{f(m['mrr']):>7}{f(m['fact']):>9}"
            f"{f(m['refused_answerable']):>9}{m['unanswerable']:>7}{f(m['refused_unanswerable']):>9}"
        )
    return "\n".join(lines)
