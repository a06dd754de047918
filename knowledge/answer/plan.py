"""Compose an answer that quotes a plan's passage and cites number, date, issuer and section."""
from __future__ import annotations

from datetime import date

from knowledge.chunks import cite_plan
from knowledge.index.build import ChunkMeta
from knowledge.query import content_words

QUOTE_LIMIT = 700
# Lines that say who does what and when: worth quoting when the question asks who/when.
_DUTY_MARKERS = ("cơ quan chủ trì", "cơ quan thực hiện", "cơ quan phối hợp", "thời gian", "chậm nhất", "giao ")


def citation(meta: ChunkMeta) -> str:
    doc_type = "Kế hoạch" if meta.title.lower().startswith("kế hoạch") else "Văn bản"
    issued = date.fromisoformat(meta.issued_date) if meta.issued_date else None
    return cite_plan(doc_type, meta.doc_number, issued, meta.date_text, meta.issuer)


def select_passage(text: str, question: str, limit: int = QUOTE_LIMIT) -> str:
    """The lines of ``text`` that share most words with the question, in document order."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if sum(len(l) for l in lines) <= limit:
        return "\n".join(lines)
    wanted = set(content_words(question))
    asks_duty = any(w in wanted for w in ("ai", "nao", "chu", "tri", "han", "khi", "ngay"))
    scored = []
    for position, line in enumerate(lines):
        words = set(content_words(line))
        score = len(wanted & words) / (len(wanted) or 1)
        if asks_duty and line.lower().lstrip("-• ").startswith(_DUTY_MARKERS):
            score += 0.5
        scored.append((score, position, line))
    chosen: list[tuple[int, str]] = []
    used = 0
    for score, position, line in sorted(scored, key=lambda t: (-t[0], t[1])):
        clipped = line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"
        if used + len(clipped) > limit and chosen:
            continue
        chosen.append((position, clipped))
        used += len(clipped)
        if used >= limit * 0.8:
            break
    return "\n".join(line for _position, line in sorted(chosen))


def compose(meta: ChunkMeta, text: str, question: str) -> str:
    where = f"mục {meta.section}" if meta.section else "phần mở đầu"
    heading = meta.section_title.split(" › ")[-1] if meta.section_title and meta.section else None
    intro = f"Theo {citation(meta)} ({meta.title}), {where}" + (f" — {heading}" if heading else "") + ":"
    quote = select_passage(text, question)
    source = f"Nguồn: {citation(meta)}, {where}."
    return "\n\n".join([intro, f"“{quote}”", source])
