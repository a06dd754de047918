"""Ranked, de-duplicated sources from search hits, and matching them against gold labels."""
from __future__ import annotations

from dataclasses import dataclass

from knowledge.index.search import Hit


@dataclass
class Source:
    kind: str  # "procedure" | "plan"
    id: str  # document key
    code: str | None
    doc_number: str | None
    title: str
    section: str | None
    section_title: str | None
    score: float
    hit: Hit

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "code": self.code,
            "doc_number": self.doc_number,
            "title": self.title,
            "section": self.section,
            "score": round(self.score, 3),
        }


def rank_sources(hits: list[Hit], limit: int) -> list[Source]:
    """One source per procedure, one per (plan, section); best hit first."""
    seen: set[tuple[str, str | None]] = set()
    sources: list[Source] = []
    for hit in hits:
        m = hit.meta
        key = (m.key, m.section if m.kind == "plan" else None)
        if key in seen:
            continue
        seen.add(key)
        sources.append(Source(m.kind, m.key, m.code, m.doc_number, m.title, m.section, m.section_title, hit.score, hit))
        if len(sources) >= limit:
            break
    return sources


def matches_gold(source: dict, gold: dict) -> bool:
    """Gold is {"code": ...} or {"doc": "341/KH-UBND" | "file:x.txt", "section": "II.3"}."""
    if "code" in gold:
        return source.get("code") == gold["code"]
    doc = gold["doc"]
    same_doc = source.get("doc_number") == doc or source.get("id") == f"plan:{doc}"
    if not same_doc:
        return False
    wanted = gold.get("section")
    if not wanted:
        return True
    section = source.get("section") or ""
    return section == wanted or section.startswith(wanted + ".")
