"""Turn parsed procedures and plans into retrievable chunks with citation metadata."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from knowledge.asked import asked_text, names
from knowledge.ingest.plan_text import render_footnotes, strip_footnotes
from knowledge.ingest.plans import PlanDocument, Section
from knowledge.ingest.procedures import Procedure


@dataclass
class ChunkData:
    section: str | None
    section_title: str | None
    text: str  # shown and quoted
    search_text: str  # sparse index
    embed_text: str  # dense index
    role: str = "body"  # "body" | "asked" (how people ask for it: retrieval only, never shown)


def _truncate_words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit])


def procedure_chunks(proc: Procedure) -> list[ChunkData]:
    """One retrieval unit per procedure: answers are composed from its structured fields.
    (The index build adds a second row, the ways people ask for it: see asked_chunk.)"""
    agencies = "; ".join(dict.fromkeys(proc.agencies))
    results = "; ".join(proc.results)
    overview = [proc.name]
    if proc.field_name:
        overview.append(f"Lĩnh vực: {proc.field_name}")
    if proc.levels:
        overview.append(f"Cấp thực hiện: {', '.join(proc.levels)}")
    if agencies:
        overview.append(f"Cơ quan: {agencies}")
    if results:
        overview.append(f"Kết quả: {results}")
    text = ". ".join(overview)
    documents = "; ".join(_truncate_words(d.name, 25) for d in proc.documents[:12])
    search_text = " \n".join(
        part
        for part in [
            proc.name,
            proc.name,  # the name is what people ask about: count it twice
            proc.field_name or "",
            agencies,
            results,
            proc.audience or "",
            _truncate_words(documents, 120),
            _truncate_words(" ".join(proc.conditions), 60),
        ]
        if part
    )
    embed_text = _truncate_words(". ".join([proc.name, f"Lĩnh vực: {proc.field_name or ''}", results]), 80)
    return [ChunkData(section=None, section_title=None, text=text, search_text=search_text, embed_text=embed_text)]


def asked_chunk(title: str) -> ChunkData:
    """How people ask for a procedure (derived from its name and the citizen vocabulary)."""
    asked = asked_text(title)
    called = ". ".join(names(title))  # the dense model sees what people call it, kept short
    return ChunkData(section=None, section_title=None, text=asked, search_text=asked, embed_text=_truncate_words(called, 48), role="asked")


def _windows(paragraphs: list[str], max_words: int, overlap_words: int) -> list[list[str]]:
    """Group paragraphs into windows of about ``max_words``; long paragraphs are cut by words."""
    pieces: list[str] = []
    for p in paragraphs:
        words = p.split()
        if len(words) <= max_words:
            pieces.append(p)
            continue
        step = max(max_words - overlap_words, 1)
        for start in range(0, len(words), step):
            pieces.append(" ".join(words[start : start + max_words]))
            if start + max_words >= len(words):
                break
    windows: list[list[str]] = []
    current: list[str] = []
    count = 0
    for piece in pieces:
        n = len(piece.split())
        if current and count + n > max_words:
            windows.append(current)
            # carry the last paragraph over when it is short, for context
            current = [current[-1]] if len(current[-1].split()) <= overlap_words else []
            count = sum(len(c.split()) for c in current)
        current.append(piece)
        count += n
    if current:
        windows.append(current)
    return windows


def _heading_path(plan: PlanDocument, section: Section) -> str:
    chain = []
    node: Section | None = section
    while node is not None:
        is_letter = len(node.number) == 1 and node.number.islower()
        chain.append(f"{node.number}) {node.title}" if is_letter else f"{node.number}. {node.title}")
        node = plan.sections[node.parent] if node.parent is not None else None
    return " › ".join(reversed(chain))


def cite_plan(doc_type: str | None, doc_number: str | None, issued: date | None, date_text: str | None, issuer: str | None) -> str:
    """'Kế hoạch số 341/KH-UBND ngày 22/02/2023 của Ủy ban nhân dân huyện Chợ Mới'."""
    parts = [doc_type or "Văn bản"]
    if doc_number:
        parts.append(f"số {doc_number}")
    if issued:
        parts.append(f"ngày {issued:%d/%m/%Y}")
    elif date_text:
        parts.append(date_text)
    if issuer:
        parts.append(f"của {issuer}")
    return " ".join(parts)


def plan_citation(plan: PlanDocument) -> str:
    return cite_plan(plan.doc_type, plan.doc_number, plan.issued_date, plan.date_text, plan.issuer)


def plan_chunks(plan: PlanDocument, max_words: int = 160, overlap_words: int = 30) -> list[ChunkData]:
    chunks: list[ChunkData] = []
    header = f"{plan_citation(plan)}: {plan.title}"
    if plan.preamble:
        for window in _windows(plan.preamble, max_words, overlap_words):
            body = "\n".join(window)
            chunks.append(
                ChunkData(
                    section=None,
                    section_title="Phần mở đầu",
                    text=render_footnotes(body, plan.footnotes),
                    search_text=f"{header}\n{strip_footnotes(body)}",
                    embed_text=_truncate_words(f"{plan.title}. {strip_footnotes(body)}", 180),
                )
            )
    children: dict[int | None, list[Section]] = {}
    for s in plan.sections:
        children.setdefault(s.parent, []).append(s)
    for position, section in enumerate(plan.sections):
        path_title = _heading_path(plan, section)
        paragraphs = list(section.paragraphs)
        if not paragraphs:
            # A heading with sub-sections only: its own text is the list of what it contains.
            subs = children.get(position, [])
            if not subs:
                paragraphs = [section.heading]
            else:
                paragraphs = [f"{section.heading}: " + "; ".join(f"{c.number}. {c.title}" for c in subs)]
        notes = [plan.footnotes[i] for i in section.footnotes if i in plan.footnotes]
        for window in _windows(paragraphs, max_words, overlap_words):
            body = "\n".join(window)
            shown = render_footnotes(body, plan.footnotes)
            window_notes = [n for i, n in zip(section.footnotes, notes) if f"[^fn{i}]" in body]
            if window_notes:
                shown += "\n" + "\n".join(f"[{n.label}] {n.text}" for n in window_notes)
            plain = strip_footnotes(body)
            if window_notes:  # footnotes explain terms ("SIPAS: Chỉ số hài lòng ..."): search them too
                plain += "\n" + "\n".join(n.text for n in window_notes)
            chunks.append(
                ChunkData(
                    section=section.path,
                    section_title=path_title,
                    text=shown,
                    search_text=f"{header}\n{path_title}\n{plain}",
                    embed_text=_truncate_words(f"{path_title}. {plain}", 180),
                )
            )
    return chunks
