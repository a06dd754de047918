"""Plan tasks in the database, kept in step with the ingested plan documents.

``sync`` extracts the tasks of every plan whose text (or the extractor) changed since the last
extraction; it runs after ingestion and before task queries, so a newly ingested or edited plan
is reflected without a restart. A task marked done keeps that mark across re-extraction when
its section and title are unchanged.
"""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.ingest.plan_text import Footnote
from knowledge.ingest.plans import PlanDocument, Section
from storage.models import Document, PlanTarget, PlanTask, TaskExtraction
from tasks.extract import extract

log = logging.getLogger(__name__)
EXTRACTOR_VERSION = 2  # 2: the real-plan parser (tables, appendices, task blocks, unit splitting)


def plan_from_document(doc: Document) -> PlanDocument:
    """The parsed plan, rebuilt from what ingestion stored (no file needed)."""
    meta = doc.meta or {}
    return PlanDocument(
        title=doc.title,
        doc_type=meta.get("doc_type"),
        doc_number=doc.doc_number,
        issuer=doc.issuer,
        place=doc.place,
        issued_date=doc.issued_date,
        date_text=doc.date_text,
        signer=doc.signer,
        preamble=meta.get("preamble") or [],
        sections=[Section(**s) for s in meta.get("sections") or []],
        footnotes={int(k): Footnote(**v) for k, v in (meta.get("footnotes") or {}).items()},
    )


def _source(doc: Document) -> str:
    return f"{doc.content_hash}:x{EXTRACTOR_VERSION}"


def sync(sessions: sessionmaker[Session]) -> int:
    """Extract the tasks of new or changed plans; returns how many plans were (re)extracted."""
    with sessions() as session:
        plans = session.execute(select(Document.id, Document.content_hash).where(Document.kind == "plan")).all()
        done = dict(session.execute(select(TaskExtraction.document_id, TaskExtraction.source_hash)).all())
    stale = [doc_id for doc_id, digest in plans if done.get(doc_id) != f"{digest}:x{EXTRACTOR_VERSION}"]
    for doc_id in stale:
        try:
            _extract_one(sessions, doc_id)
        except IntegrityError:  # another process (SQLite: no row locks) extracted this plan first
            log.info("plan %s was extracted by another process", doc_id)
    return len(stale)


def _extract_one(sessions: sessionmaker[Session], doc_id: int) -> None:
    with sessions() as session, session.begin():
        # Lock the plan's document row: it always exists, unlike the extraction mark of a new plan,
        # so two processes syncing at once (PostgreSQL) take turns instead of both inserting.
        doc = session.get(Document, doc_id, with_for_update=True)
        if doc is None:
            return
        source = _source(doc)
        mark = session.get(TaskExtraction, doc_id, populate_existing=True)
        if mark is not None and mark.source_hash == source:
            return  # another process did it meanwhile
        try:
            tasks, targets = extract(plan_from_document(doc))
        except Exception:  # a plan the extractor cannot read still answers questions
            log.exception("task extraction failed for %s", doc.key)
            tasks, targets = [], []
        completed = {
            (t.section_path, t.title): t.completed_on
            for t in session.scalars(select(PlanTask).where(PlanTask.document_id == doc_id, PlanTask.completed_on.is_not(None)))
        }
        session.execute(delete(PlanTask).where(PlanTask.document_id == doc_id))
        session.execute(delete(PlanTarget).where(PlanTarget.document_id == doc_id))
        for t in tasks:
            s = t.schedule
            session.add(PlanTask(
                document_id=doc_id, position=t.position, section_path=t.section_path, section_title=t.section_title,
                title=t.title, text=t.text, lead=t.lead, coordinating=t.coordinating, deadline_text=t.deadline_text,
                kind=s.kind, due=s.due, recurring=s.recurring, schedule=s.to_json(),
                completed_on=completed.get((t.section_path, t.title)),
            ))
        for g in targets:
            session.add(PlanTarget(document_id=doc_id, position=g.position, section_path=g.section_path, text=g.text,
                                   value=g.value, unit=g.unit, subject=g.subject))
        if mark is None:
            session.add(TaskExtraction(document_id=doc_id, source_hash=source, tasks=len(tasks), targets=len(targets)))
        else:
            mark.source_hash, mark.tasks, mark.targets = source, len(tasks), len(targets)
        log.info("extracted %d tasks and %d targets from %s", len(tasks), len(targets), doc.key)


def mark_done(sessions: sessionmaker[Session], task_id: int, day: date | None) -> bool:
    """Mark a one-off task done on ``day`` (None: not done)."""
    with sessions() as session, session.begin():
        task = session.get(PlanTask, task_id)
        if task is None:
            return False
        task.completed_on = day
        return True
