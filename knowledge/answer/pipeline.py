"""How a question becomes an answer, in explicit stages:

    guard      -> empty or unusable input gets a clear message
    context    -> a short follow-up ("còn lệ phí thì sao") is about the procedure just discussed
    retrieve   -> hybrid search with the learned ranker (query rewriting happens inside)
    assess     -> calibrated confidence; below it, offer the best candidates instead of guessing
    clarify    -> variants of one procedure that the question does not decide between: ask which
    compose    -> procedure answer by the asked aspect with the matching sentences quoted, or a
                  quoted plan passage
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
from knowledge.answer import messages, plan, procedure, variants as variant_facts
from knowledge.answer.aspects import detect_aspects
from knowledge.answer.confidence import ConfidenceModel
from knowledge.answer.domain import DomainModel
from knowledge.answer.evidence import EvidenceModel
from knowledge.answer.sources import Source, rank_sources
from knowledge.index.search import IndexNotReady
from knowledge.index.search import coverage as search_coverage
from knowledge.ingest.procedures import Procedure
from knowledge.query import content_words
from vietnamese.abbreviations import expand
from vietnamese.text import folded_words

if TYPE_CHECKING:
    from knowledge.service import KnowledgeBase

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 500
FOLLOW_UP_COVERAGE = 0.6  # share of a follow-up's own words the conversation's procedure must hold
NAMES_TITLE = 0.3  # share of another procedure's title words a follow-up must say to change the topic
IN_DOMAIN = 0.5  # the domain model's own boundary: a question about procedures at all
# Words of a follow-up that say nothing about *which* procedure ("còn lệ phí thì sao").
_FOLLOW_UP_FILLER = set(
    """con thi sao vay the nao nhu a ad oi nhi nhe nua them luon cai do nay kia no thu tuc ay vay ha
    hen ok va voi roi the ra sao lam duoc khong ko k chua co phai bi bao gio xong lien ngay tinh
    sau truoc khi luc dung han som muon nha minh em toi
    online truc tuyen qua mang tren app vneid admin nguoi nha di thay ve tan noi""".split()
)


class Status(str, Enum):
    ANSWERED = "answered"
    CLARIFICATION = "clarification"  # variants of one procedure: the user picks one
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
    options: list[Source] = field(default_factory=list)  # candidates offered as buttons
    truncated: bool = False  # the compact answer left something out ("Xem đầy đủ")
    follow_up: bool = False  # answered about the procedure of the conversation's context

    @property
    def abstained(self) -> bool:
        return self.status not in (Status.ANSWERED, Status.CLARIFICATION)

    @property
    def suggestions(self) -> list[str]:
        return [label(s) for s in self.options]

    @property
    def topic(self) -> str | None:
        """What the answer is about, for follow-ups: 'procedure:1.001193' or a plan key; after a
        clarifying question, the procedures offered ('choice:1.001456,1.001457')."""
        if self.status == Status.CLARIFICATION:
            codes = [o.code for o in self.options if o.kind == "procedure" and o.code]
            return "choice:" + ",".join(codes) if codes else None
        if self.status != Status.ANSWERED or not self.sources:
            return None
        top = self.sources[0]
        return f"procedure:{top.code}" if top.kind == "procedure" else top.id

    def to_json(self) -> dict:
        data = {
            "answer": self.text,
            "abstained": self.abstained,
            "status": self.status.value,
            "confidence": round(self.confidence, 3),
            "sources": [s.to_json() for s in self.sources],
        }
        if self.options:
            data["options"] = [s.to_json() for s in self.options]
        return data


def label(source: Source) -> str:
    if source.kind == "procedure":
        return f"{source.title} (mã {source.code})"
    where = f", mục {source.section}" if source.section else ""
    number = f" {source.doc_number}" if source.doc_number else ""
    return f"{source.title}{number}{where}"


def follow_up_words(question: str, aspects: list[str]) -> list[str] | None:
    """The topic words of a possible follow-up ("nộp ở đâu", "còn lệ phí thì sao", "bao lâu thì
    có giấy đăng ký mới"), or None when the question is not short and aspect-like enough."""
    folded = folded_words(question)
    if re.search(r"\b(thu tuc|cai|viec) (do|nay|ay)\b", " ".join(folded)):
        return []
    if not aspects or len(folded) > 14:
        return None
    return [w for w in content_words(expand(question).text) if w not in _FOLLOW_UP_FILLER]


class Answerer:
    def __init__(self, kb: "KnowledgeBase"):
        self.kb = kb
        self.settings = get_settings().knowledge.retrieval
        self.confidence = ConfidenceModel.load()
        self.domain = DomainModel.load()
        self.evidence = EvidenceModel.load()
        configured = self.settings.min_confidence
        self.threshold = configured if configured is not None else self.confidence.threshold

    # ---- entry points -----------------------------------------------------------------
    def answer(self, question: str, mode: str = "hybrid", rerank: bool = True, context: str | None = None) -> Answer:
        """``context``: the topic of the conversation so far ('procedure:<code>'), for follow-ups."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        cleaned = " ".join((question or "").split())
        if not re.search(r"[^\W\d_]", cleaned):
            return Answer(question, messages.EMPTY_QUESTION, Status.INVALID)
        note = ""
        if len(cleaned) > MAX_QUESTION_CHARS:
            cleaned, note = cleaned[:MAX_QUESTION_CHARS], messages.LONG_QUESTION_NOTE
        aspects = detect_aspects(cleaned)
        kind, _, topic = (context or "").partition(":")
        choice = topic.split(",") if kind == "choice" else None
        if choice and (again := self._ask_again(choice, cleaned, aspects)):
            return again  # "nộp ở đâu" after "which of these?": which one, for this new aspect
        held = self._follow_up(topic, cleaned, aspects) if kind == "procedure" else None  # None: no follow-up

        def about_topic() -> Answer | None:  # composed only when chosen
            return self._answer_follow_up(topic, aspects, question=cleaned) if held is not None else None

        try:
            result = self.kb.search(cleaned, top_k=30, mode=mode, rerank=rerank)
        except IndexNotReady:
            return about_topic() or Answer(question, messages.NOT_READY, Status.NOT_READY)
        timings.update({f"search.{k}": v for k, v in result.timings.items()})
        t = time.perf_counter()
        alive = self.kb.existing_chunks(h.meta.chunk_id for h in result.hits)
        if result.hits and not alive:  # everything found is gone since the live build: the sample retired
            return about_topic() or Answer(question, messages.NOT_READY, Status.NOT_READY)  # while real data is indexed
        if len(alive) < len(result.hits):  # the live build predates a change not yet rebuilt
            result.hits = [h for h in result.hits if h.meta.chunk_id in alive]
        covered, missing = self.coverage(result)
        in_domain = self.in_domain(cleaned)
        confidence = self.confidence.predict(result.hits, covered, missing, in_domain)
        if self.kb.searcher.is_small(self.kb.searcher.index()) and result.hits:
            # outside the regime the confidence model was fitted on: judge the passage itself
            close = result.hits[0].dense >= self.settings.small_index_min_dense and covered >= self.settings.small_index_min_covered
            if close:  # between the threshold and 1 by how much of the question the passage holds
                confidence = self.threshold + (1 - self.threshold) * covered
            elif covered > 0:  # at most a suggestion
                confidence = min(confidence, self.threshold / 2)
            else:  # the passage holds none of its words ("xyz qwe"): nothing to suggest
                confidence = 0.0
        # a short question without an answer of its own that sounds like a procedure question at all
        # (not "giá vàng hôm nay bao nhiêu") is about the conversation's topic
        orphan = confidence < self.threshold and in_domain >= IN_DOMAIN
        if choice and orphan and (again := self._ask_again(choice, cleaned, aspects, bare=False)):
            return again  # "hết bn tiền 1 cuốn" after "which passport?": which one, for the fee
        # the record holds the follow-up's words: it stays unless another procedure is named outright;
        # it does not ("bao lâu thì được duyệt"): only when the question has no answer of its own
        if (held and not self._names_another(result, confidence, topic, cleaned, aspects)) or (held is False and orphan):
            if (answer := about_topic()) is not None:
                return answer
        sources = rank_sources(result.hits, max(self.settings.top_k, 5))
        top_score = sources[0].hit.score if sources else 0.0
        for s in sources:  # the best source carries the calibrated confidence, the rest a share of it
            s.score = confidence if s is sources[0] else confidence * _relative(s.hit.score, top_score)
        timings["assess"] = time.perf_counter() - t
        if not sources or confidence < self.threshold:
            answer = self._abstain(question, sources, confidence, aspects)
        elif (variants := self._variants(sources, result.query.sparse_text)) :
            answer = self._clarify(question, sources, variants, confidence, aspects)
        else:
            t = time.perf_counter()
            answer = self._compose(question, cleaned, sources, confidence, aspects)
            timings["compose"] = time.perf_counter() - t
            if note:
                answer.text = f"{note}\n\n{answer.text}"
        timings["total"] = time.perf_counter() - started
        answer.timings = {**timings, **answer.timings}
        return answer

    def _follow_up(self, code: str, question: str, aspects: list[str]) -> bool | None:
        """Whether the conversation's procedure record mostly holds the words of a short
        follow-up (True also when it has none of its own); None when the question is no
        follow-up or the procedure is gone."""
        words = follow_up_words(question, aspects)
        if words is None:
            return None
        found = self.kb.procedure_document(code)
        if found is None:
            return None
        if not words:
            return True
        text = self.kb.searchable_text(found[0], 0, whole_document=True)
        covered, _missing = search_coverage(self.kb.searcher.index(), words, text)
        return covered >= FOLLOW_UP_COVERAGE

    def _answer_follow_up(self, code: str, aspects: list[str], question: str) -> Answer | None:
        answer = self.answer_procedure(code, aspects, question=question)
        answer.follow_up = answer.status == Status.ANSWERED
        return answer if answer.follow_up else None

    def _ask_again(self, codes: list[str], question: str, aspects: list[str], bare: bool = True) -> Answer | None:
        """A short follow-up to a clarifying question, about none of the options in particular:
        the same options again, their buttons now answering the new aspect. ``bare``: only when
        the follow-up has no topic words at all ("nộp ở đâu"); otherwise ("hết bn tiền 1 cuốn")
        the caller asks only when the question has no answer of its own."""
        words = follow_up_words(question, aspects)
        if words is None or (bare and words):
            return None  # not a bare follow-up ("nộp ở đâu"): a question of its own
        options = []
        for code in codes[:5]:
            found = self.kb.procedure_document(code)
            if found:
                options.append(Source("procedure", f"procedure:{code}", code, None, found[2], None, None, 1.0, None))
        if len(options) < 2:
            return None
        return self._clarify(question, options, options, 1.0, aspects)

    def _names_another(self, result, confidence: float, code: str, question: str = "", aspects: list[str] | None = None) -> bool:
        """The question names another procedure outright: that title covers the question, and
        the question says a good part of that title ("còn kết hôn thì sao" names "Đăng ký kết
        hôn"; "bao lâu thì được kích hoạt" does not name "Kích hoạt tài khoản người sử dụng
        Cổng thông tin một cửa quốc gia", it asks about the account just discussed) — or its
        topic words are in that title and in none of the conversation's ("chứng thực bản sao
        cccd hết bn tiền" after "xác nhận tình trạng hôn nhân", whose documents mention both)."""
        if not result.hits or confidence < self.threshold:
            return False
        top = result.hits[0]
        if top.meta.kind != "procedure" or top.meta.code == code:
            return False
        if top.title_match >= 0.5 and top.title_precision >= NAMES_TITLE:
            return True
        words = set(follow_up_words(question, aspects or []) or [])
        found = self.kb.procedure_document(code) if len(words) >= 4 else None  # two words of two syllables, not "kích hoạt" alone
        return found is not None and top.title_match >= NAMES_TITLE and not words & set(folded_words(found[2]))

    def in_domain(self, question: str) -> float:
        """How much the question sounds like what the data answers (1.0 without a domain model)."""
        return self.domain.probability(question) if self.domain is not None else 1.0

    def coverage(self, result) -> tuple[float, float]:
        """How much of the question the best hit's record covers (a confidence signal)."""
        if not result.hits:
            return 0.0, 0.0
        top = result.hits[0].meta
        text = self.kb.searchable_text(top.document_id, top.chunk_id, whole_document=top.kind == "procedure")
        return search_coverage(self.kb.searcher.index(), content_words(result.query.expanded), text)

    def answer_procedure(self, code: str, aspects: list[str] | None = None, question: str = "", full: bool = False) -> Answer:
        """The answer about one procedure chosen by its code (a button, a follow-up)."""
        found = self.kb.procedure_document(code)
        if found is None:
            return Answer(question or code, messages.UNKNOWN_PROCEDURE, Status.NO_CONTENT)
        doc_id, meta, title = found
        source = Source("procedure", f"procedure:{code}", code, None, title, None, None, 1.0, None)
        proc = Procedure.from_meta(meta)
        aspects = list(aspects if aspects is not None else detect_aspects(question))
        composed = procedure.compose(proc, aspects, question, self.evidence, full=full)
        return Answer(question or code, composed.text, Status.ANSWERED, [source], 1.0, aspects, truncated=composed.truncated)

    # ---- stages ---------------------------------------------------------------------
    def _compose(self, question: str, cleaned: str, sources: list[Source], confidence: float, aspects: list[str]) -> Answer:
        top = sources[0]
        try:
            if top.kind == "procedure":
                doc = self.kb.load_documents([top.hit.meta.document_id])[top.hit.meta.document_id]
                composed = procedure.compose(Procedure.from_meta(doc.meta), aspects, cleaned, self.evidence, key=doc.content_hash)
                text, truncated = composed.text, composed.truncated
            else:
                chunk_text = self.kb.load_chunk_texts([top.hit.meta.chunk_id])[top.hit.meta.chunk_id]
                text, truncated = plan.compose(top.hit.meta, chunk_text, cleaned), False
        except Exception:  # a broken stored document must not take the conversation down
            log.exception("compose failed for %s", top.id)
            return Answer(question, messages.ERROR, Status.ERROR, sources, confidence, aspects)
        others = [s for s in sources[1:3] if s.id != top.id or s.section != top.section]
        return Answer(question, text, Status.ANSWERED, sources, confidence, aspects, options=others, truncated=truncated)

    def _variants(self, sources: list[Source], query_text: str) -> list[Source]:
        """Procedures near the top that are variants of one another, none of them the general
        one, with nothing in the question that tells them apart."""
        procedures = [s for s in sources[:4] if s.kind == "procedure"]
        if len(procedures) < 2 or sources[0].kind != "procedure":
            return []
        top = procedures[0]
        asked = set(folded_words(query_text))
        top_words = set(content_words(top.title))
        close = [top]
        for s in procedures[1:]:
            words = set(content_words(s.title))
            shared = len(top_words & words) / max(len(top_words | words), 1)
            if shared < 0.5 or s.hit.score < top.hit.score - self.settings.clarify_margin:
                continue
            if words <= top_words or top_words <= words:  # one is the general form of the other
                return []
            close.append(s)
        if len(close) < 2:
            return []
        common = set.intersection(*(set(content_words(s.title)) for s in close))
        distinguishing = set().union(*(set(content_words(s.title)) for s in close)) - common
        return [] if distinguishing & asked else close

    def _clarify(self, question: str, sources: list[Source], variants: list[Source], confidence: float, aspects: list[str]) -> Answer:
        """Which variant is meant, with each variant's asked fact when it is short."""
        text = None
        records = []
        for s in variants:
            found = self.kb.procedure_document(s.code) if s.kind == "procedure" and s.code else None
            if found is not None:
                records.append((s.code, found[2], Procedure.from_meta(found[1])))
        if len(records) == len(variants):
            try:
                text = variant_facts.compare(records, aspects, question, self.evidence)
            except Exception:  # a broken stored record must not take the conversation down
                log.exception("comparing variants failed")
        text = text or messages.CLARIFY + "\n" + "\n".join(f"• {label(s)}" for s in variants)
        return Answer(question, text, Status.CLARIFICATION, sources, confidence, aspects, options=variants)

    def _abstain(self, question: str, sources: list[Source], confidence: float, aspects: list[str]) -> Answer:
        parts = [messages.NO_ANSWER]
        options = sources[:3] if confidence >= self.settings.min_suggestion_confidence else []
        if options:
            parts.append(messages.SUGGESTIONS + "\n" + "\n".join(f"• {label(s)}" for s in options))
        parts.append(messages.NEXT_STEPS)
        return Answer(question, "\n\n".join(parts), Status.NO_CONTENT, sources, confidence, aspects, options=options)


def _relative(score: float, top: float) -> float:
    """A ranker score as a share of the top one (ranker scores may be negative)."""
    if top <= 0:
        return 1.0 / (1.0 + max(top - score, 0.0))
    return max(score, 0.0) / top
