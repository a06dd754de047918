"""How a question becomes an answer, in explicit stages:

    guard      -> empty or unusable input gets a clear message
    retrieve   -> hybrid search (query rewriting happens inside)
    assess     -> calibrated confidence; abstain when too low
    compose    -> procedure answer by the asked aspect, or a quoted plan passage
    cite       -> every answer ends with its source; sources listed best first

Every answer carries a status from a fixed set, so unanswered questions can be counted.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from core.config import get_settings
from knowledge.answer import messages, plan, procedure
from knowledge.answer.aspects import detect_aspects
from knowledge.answer.confidence import ConfidenceModel
from knowledge.answer.sources import Source, rank_sources
from knowledge.index.search import IndexNotReady
from knowledge.ingest.procedures import Procedure

if TYPE_CHECKING:
    from knowledge.service import KnowledgeBase

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 500


class Status(str, Enum):
    ANSWERED = "answered"
    NO_CONTENT = "no_content_found"
    INVALID = "invalid_question"
    NOT_READY = "index_not_ready"
    ERROR = "error"


@dataclass
class Answer:
    question: str
    text: str
    status: Status
    sources: list[Source] = field(default_factory=list)
    confidence: float = 0.0
    aspects: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)

    @property
    def abstained(self) -> bool:
        return self.status != Status.ANSWERED

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "status": self.status.value,
            "confidence": round(self.confidence, 3),
            "sources": [s.to_json() for s in self.sources],
        }


class Answerer:
    def __init__(self, kb: "KnowledgeBase"):
        self.kb = kb
        self.settings = get_settings().knowledge.retrieval
        self.confidence = ConfidenceModel.load()

    def answer(self, question: str, mode: str = "hybrid") -> Answer:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        # guard
        cleaned = " ".join((question or "").split())
        if not re.search(r"[^\W\d_]", cleaned):
            return Answer(question, messages.EMPTY_QUESTION, Status.INVALID)
        note = ""
        if len(cleaned) > MAX_QUESTION_CHARS:
            cleaned, note = cleaned[:MAX_QUESTION_CHARS], messages.LONG_QUESTION_NOTE
        # retrieve
        try:
            result = self.kb.search(cleaned, top_k=30, mode=mode)
        except IndexNotReady:
            return Answer(question, messages.NOT_READY, Status.NOT_READY)
        timings.update({f"search.{k}": v for k, v in result.timings.items()})
        # assess
        t = time.perf_counter()
        confidence = self.confidence.predict(result.hits)
        sources = rank_sources(result.hits, self.settings.top_k)
        top_score = sources[0].score if sources else 1.0
        for s in sources:  # the best source carries the calibrated confidence, the rest scale with it
            s.score = confidence * (s.score / top_score if top_score > 0 else 0.0)
        timings["assess"] = time.perf_counter() - t
        if not sources or confidence < self.settings.min_confidence:
            answer = self._abstain(question, sources, confidence)
            answer.timings = {**timings, "total": time.perf_counter() - started}
            return answer
        # compose
        t = time.perf_counter()
        aspects = detect_aspects(cleaned)
        try:
            text = self._compose(sources, cleaned, aspects)
        except Exception:  # a broken stored document must not take the conversation down
            log.exception("compose failed for %s", sources[0].id)
            return Answer(question, messages.ERROR, Status.ERROR, sources, confidence, aspects)
        timings["compose"] = time.perf_counter() - t
        if note:
            text = f"{note}\n\n{text}"
        timings["total"] = time.perf_counter() - started
        return Answer(question, text, Status.ANSWERED, sources, confidence, aspects, timings)

    def _compose(self, sources: list[Source], question: str, aspects: list[str]) -> str:
        top = sources[0]
        if top.kind == "procedure":
            doc = self.kb.load_documents([top.hit.meta.document_id])[top.hit.meta.document_id]
            text = procedure.compose(Procedure.from_meta(doc.meta), aspects)
        else:
            chunk_text = self.kb.load_chunk_texts([top.hit.meta.chunk_id])[top.hit.meta.chunk_id]
            text = plan.compose(top.hit.meta, chunk_text, question)
        others = [s for s in sources[1:3] if s.id != top.id or s.section != top.section]
        if others:
            text += "\n\n" + messages.SEE_ALSO + "\n" + "\n".join(f"• {_label(s)}" for s in others)
        return text

    def _abstain(self, question: str, sources: list[Source], confidence: float) -> Answer:
        parts = [messages.NO_ANSWER]
        suggestions = [_label(s) for s in sources[:2]] if confidence >= self.settings.min_confidence / 2 else []
        if suggestions:
            parts.append(messages.SUGGESTIONS + "\n" + "\n".join(f"• {s}" for s in suggestions))
        parts.append(messages.NEXT_STEPS)
        return Answer(question, "\n\n".join(parts), Status.NO_CONTENT, sources, confidence, suggestions=suggestions)


def _label(source: Source) -> str:
    if source.kind == "procedure":
        return f"{source.title} (mã {source.code})"
    where = f", mục {source.section}" if source.section else ""
    number = f" {source.doc_number}" if source.doc_number else ""
    return f"{source.title}{number}{where}"
