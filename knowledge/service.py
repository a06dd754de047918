"""The knowledge base as the rest of the system sees it: ingest, search, answer."""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import defer
from sqlalchemy.orm import Session, sessionmaker

from core.config import get_settings
from core.embedder import Embedder, get_embedder
from knowledge.index.build import BuildReport, build_index, current_stamp, data_stamp, index_store
from knowledge.index.search import Searcher, SearchResult
from knowledge.ingest.pipeline import IngestReport, Ingestor
from storage.db import session_factory
from storage.models import Chunk, Document, TaskExtraction  # (the task count shown with a plan)
from vietnamese.text import fold_key

log = logging.getLogger(__name__)


class KnowledgeBase:
    def __init__(self, sessions: sessionmaker[Session] | None = None, embedder: Embedder | None = None):
        self.sessions = sessions or session_factory()
        self._embedder = embedder
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()
        self._answerer = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    @property
    def searcher(self) -> Searcher:
        with self._lock:
            if self._searcher is None:
                self._searcher = Searcher(index_store(), self.embedder, get_settings().knowledge.retrieval)
            return self._searcher

    # ---- ingestion ---------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[Path],
        progress: Callable[[str, int], object] | None = None,
        rebuild: bool = True,
        show_progress: bool = False,
    ) -> tuple[IngestReport, BuildReport | None]:
        report = Ingestor(self.sessions, progress).ingest(paths)
        build = None
        if rebuild:  # also when nothing changed: an interrupted earlier run is finished here
            build = self.rebuild(show_progress=show_progress) if report.changed else self.sync(show_progress=show_progress)
        return report, build

    def rebuild(self, show_progress: bool = False) -> BuildReport:
        report = build_index(self.sessions, self.embedder, show_progress=show_progress)
        if self._searcher is not None:
            self._searcher.refresh()
        return report

    def in_step(self) -> bool:
        """Whether the live build holds exactly the passages the database holds."""
        with self.sessions() as session:
            stamp, _missing = data_stamp(session)
        return stamp.startswith("0:") or stamp == current_stamp(index_store())  # nothing to index yet

    def sync(self, write: bool = True, show_progress: bool = False) -> BuildReport | None:
        """Bring the live index in step with the database; None when it already was. ``write``
        (an ingest, the server at start): also embed rows an interrupted ingest left without
        embeddings. Without it (instances following another's ingest) the build only reads the
        database and raises NotReady while embeddings are missing."""
        if self.in_step():
            return None
        report = build_index(self.sessions, self.embedder, show_progress=show_progress, write=write, skip_if_current=True)
        if self._searcher is not None:
            self._searcher.refresh()
        return report

    def existing_chunks(self, ids: Iterable[int]) -> set[int]:
        """Which of these passage ids still exist (a build made before a change may name gone ones)."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return set()
        with self.sessions() as session:
            return set(session.scalars(select(Chunk.id).where(Chunk.id.in_(ids))))

    # ---- documents: list, delete, replace -------------------------------------------
    def documents(self, kind: str | None = None, query: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
        """One page of the stored documents (plans first, then the latest updated) and how many
        match: ``kind`` "plan" | "procedure"; ``query`` words of the title, số hiệu, code or
        issuer, with or without diacritics."""
        rows = select(*_LISTED, TaskExtraction.tasks).outerjoin(TaskExtraction, TaskExtraction.document_id == Document.id)
        if kind:
            rows = rows.where(Document.kind == kind)
        rows = rows.order_by(Document.kind, Document.updated_at.desc(), Document.id.desc())
        with self.sessions() as session:
            if not query:
                total = session.scalar(select(func.count(Document.id)).where(*([Document.kind == kind] if kind else []))) or 0
                return [_listed(r) for r in session.execute(rows.limit(limit).offset(offset))], total
            wanted = fold_key(query)
            found = [r for r in session.execute(rows) if wanted in fold_key(" ".join(filter(None, (r.title, r.doc_number, r.code, r.issuer))))]
        return [_listed(r) for r in found[offset:offset + limit]], len(found)

    def document(self, document_id: int) -> dict | None:
        """One stored document as ``documents`` lists it, or None."""
        with self.sessions() as session:
            row = session.execute(
                select(*_LISTED, TaskExtraction.tasks).outerjoin(TaskExtraction, TaskExtraction.document_id == Document.id)
                .where(Document.id == document_id)
            ).first()
        return _listed(row) if row else None

    def delete_document(self, document_id: int, rebuild: bool = True) -> dict | None:
        """Remove a document with its passages (its plan tasks and targets go with it: foreign
        keys); the search index follows. Returns what was deleted, or None when it did not exist.
        The caller tells the tasks side (tasks.store.plan_removed), as it calls sync after ingest."""
        gone = self.document(document_id)
        if gone is None:
            return None
        with self.sessions() as session, session.begin():
            session.execute(delete(Document).where(Document.id == document_id))
        if rebuild:
            self.rebuild()
        return gone

    def replace_document(
        self, document_id: int, path: Path, progress: Callable[[str, int], object] | None = None, rebuild: bool = True
    ) -> tuple[IngestReport, BuildReport | None]:
        """Replace a stored document by a file, in place (same id, passages replaced); raises
        knowledge.ingest.pipeline.ReplaceError with the reason when the file cannot replace it."""
        report = Ingestor(self.sessions, progress).replace(document_id, Path(path))
        build = None
        if rebuild:
            build = self.rebuild() if report.changed else self.sync()
        return report, build

    def document_count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count(Document.id))) or 0

    def is_ready(self) -> bool:
        return index_store().current_dir() is not None

    # ---- questions ---------------------------------------------------------------
    def search(self, question: str, top_k: int | None = None, mode: str = "hybrid", rerank: bool = True) -> SearchResult:
        return self.searcher.search(question, top_k=top_k, mode=mode, rerank=rerank)

    def reset_answerer(self) -> None:
        """Forget the answerer so that a newly fitted confidence model is read."""
        self._answerer = None

    @property
    def answerer(self):
        from knowledge.answer.pipeline import Answerer

        if self._answerer is None:
            self._answerer = Answerer(self)
        return self._answerer

    def answer(self, question: str, mode: str = "hybrid", rerank: bool = True, context: str | None = None):
        return self.answerer.answer(question, mode=mode, rerank=rerank, context=context)

    def answer_procedure(self, code: str, aspects: list[str] | None = None, question: str = "", full: bool = False):
        return self.answerer.answer_procedure(code, aspects, question=question, full=full)

    def find_procedure(self, code: str) -> dict | None:
        """{"code", "title", "agency"} of an ingested procedure, or None."""
        with self.sessions() as session:
            doc = session.scalar(
                select(Document).options(defer(Document.original)).where(Document.key == f"procedure:{code}")
            )
            if doc is None:
                return None
            meta = doc.meta or {}
            agency = meta.get("executing_agency") or meta.get("authority")
            return {"code": code, "title": doc.title, "agency": agency, "field": meta.get("field_name")}

    def procedure_document(self, code: str) -> tuple[int, dict, str] | None:
        """(document id, parsed meta, title) of an ingested procedure, or None."""
        with self.sessions() as session:
            row = session.execute(
                select(Document.id, Document.meta, Document.title).where(Document.key == f"procedure:{code}")
            ).first()
        return (row[0], row[1], row[2]) if row else None

    def searchable_text(self, document_id: int, chunk_id: int, whole_document: bool) -> str:
        """What the index knows of a hit: its row, or every row of its document (a procedure's
        record and the ways people ask for it)."""
        with self.sessions() as session:
            condition = Chunk.document_id == document_id if whole_document else Chunk.id == chunk_id
            return "\n".join(session.scalars(select(Chunk.search_text).where(condition)))

    def load_chunk_texts(self, ids: Iterable[int]) -> dict[int, str]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        with self.sessions() as session:
            return dict(session.execute(select(Chunk.id, Chunk.text).where(Chunk.id.in_(ids))).all())

    def load_documents(self, ids: Iterable[int]) -> dict[int, Document]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        with self.sessions() as session:
            docs = session.scalars(select(Document).options(defer(Document.original)).where(Document.id.in_(ids))).all()
            for doc in docs:
                session.expunge(doc)
        return {d.id: d for d in docs}


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    return KnowledgeBase()


_LISTED = (Document.id, Document.kind, Document.key, Document.code, Document.doc_number, Document.issuer, Document.issued_date,
           Document.title, Document.is_sample, Document.updated_at, Document.source_path)


def _listed(row) -> dict:
    return {
        "id": row.id, "kind": row.kind, "key": row.key, "code": row.code, "doc_number": row.doc_number, "issuer": row.issuer,
        "issued_date": row.issued_date, "title": row.title, "tasks": row.tasks, "sample": row.is_sample,
        "updated_at": row.updated_at, "source": Path(row.source_path).name if row.source_path else None,
    }
