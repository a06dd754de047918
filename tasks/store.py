"""Plan tasks in the database, kept in step with the ingested plan documents.

``sync`` extracts the tasks of every plan whose text (or the extractor) changed since the last
extraction; it runs after ingestion and before task queries, so a newly ingested or edited plan
is reflected without a restart. A task that is still there after re-extraction (the same section
and title, the same title in another section, or a near-identical title) keeps its row: its id,
its done mark and the audit of who marked it (tasks.progress). When a plan is deleted its tasks
go with it (foreign keys) and ``plan_removed`` stops the reminder subscriptions that named it.
"""
from __future__ import annotations

import logging
from difflib import SequenceMatcher

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.ingest.plan_text import Footnote
from knowledge.ingest.plans import PlanDocument, Section
from storage.models import Conversation, Document, OutboundMessage, PlanTarget, PlanTask, ReminderSubscription, TaskExtraction
from tasks.extract import extract
from tasks.query import plan_number_matches
from vietnamese.text import fold_key

log = logging.getLogger(__name__)
EXTRACTOR_VERSION = 8  # 2: the real-plan parser (tables, appendices, task blocks, unit splitting); 3: cross-references, action-named parts; 4: closing paragraphs with a time, ranges of quarters; 5: periods without a day say so, vision horizons are no deadlines; 6: "phòng, chống" (prevent) is no unit "phòng"; 7: a topic heading that ends on its time frame ("… đến năm 2030") dates its items; 8: so does an appendix caption ("PHỤ LỤC: … đến năm 2030")
NEAR_TITLE = 0.9  # titles this similar (folded, difflib ratio) are the same task after a correction


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
        old = list(session.scalars(select(PlanTask).where(PlanTask.document_id == doc_id).order_by(PlanTask.position)))
        kept = pair_tasks(old, tasks)
        session.execute(delete(PlanTarget).where(PlanTarget.document_id == doc_id))
        gone = [row.id for row in old if row.id not in {r.id for r in kept.values()}]
        if gone:
            session.execute(delete(PlanTask).where(PlanTask.id.in_(gone)))
        for i, t in enumerate(tasks):
            row = kept.get(i) or PlanTask(document_id=doc_id)  # the same task keeps its row: id, done mark, audit
            s = t.schedule
            row.position, row.section_path, row.section_title, row.title, row.text = t.position, t.section_path, t.section_title, t.title, t.text
            row.lead, row.coordinating, row.deadline_text = t.lead, t.coordinating, t.deadline_text
            row.kind, row.due, row.recurring, row.schedule = s.kind, s.due, s.recurring, s.to_json()
            if i not in kept:
                session.add(row)
        for g in targets:
            session.add(PlanTarget(document_id=doc_id, position=g.position, section_path=g.section_path, text=g.text,
                                   value=g.value, unit=g.unit, subject=g.subject))
        if mark is None:
            session.add(TaskExtraction(document_id=doc_id, source_hash=source, tasks=len(tasks), targets=len(targets)))
        else:
            mark.source_hash, mark.tasks, mark.targets = source, len(tasks), len(targets)
        log.info("extracted %d tasks and %d targets from %s", len(tasks), len(targets), doc.key)


def _near(a: str, b: str) -> float:
    """How alike two folded titles are (0 when clearly below NEAR_TITLE)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= NEAR_TITLE and matcher.quick_ratio() >= NEAR_TITLE else 0.0


def pair_tasks(old: list[PlanTask], new: list) -> dict[int, PlanTask]:
    """Which stored task each newly extracted one is (index in ``new`` -> row): the same section
    and title first, then the same title elsewhere (a renumbered section), then a near-identical
    title (a corrected word), preferring the same section."""
    free = {r.id: r for r in old}
    titles = {r.id: fold_key(r.title) for r in old}
    new_titles = [fold_key(t.title) for t in new]
    pairs: dict[int, PlanTask] = {}
    for same_section in (True, False):
        for i, t in enumerate(new):
            if i in pairs:
                continue
            row = next((r for r in free.values() if titles[r.id] == new_titles[i] and (not same_section or r.section_path == t.section_path)), None)
            if row is not None:
                pairs[i] = free.pop(row.id)
    scored = sorted(
        (_near(titles[r.id], new_titles[i]) + 0.01 * (r.section_path == t.section_path), i, r.id)
        for i, t in enumerate(new) if i not in pairs for r in free.values()
    )
    for score, i, row_id in reversed(scored):
        if score < NEAR_TITLE:
            break
        if i not in pairs and row_id in free:
            pairs[i] = free.pop(row_id)
    return pairs


def subscriptions_naming(sessions: sessionmaker[Session], doc_number: str | None) -> list[int]:
    """The active reminder subscriptions limited to the plan with this số hiệu (ids)."""
    if not doc_number:
        return []
    with sessions() as session:
        rows = session.execute(select(ReminderSubscription.id, ReminderSubscription.plan_number).where(
            ReminderSubscription.active.is_(True), ReminderSubscription.plan_number.is_not(None))).all()
    return [sub_id for sub_id, number in rows if plan_number_matches(number, doc_number)]


def plan_removed(sessions: sessionmaker[Session], doc_number: str | None) -> int:
    """A plan was deleted: the reminder subscriptions limited to it (when no plan left has that
    number) stop, and each subscriber is told in their chat. Returns how many stopped."""
    named = subscriptions_naming(sessions, doc_number)
    if not named:
        return 0
    with sessions() as session, session.begin():
        numbers = list(session.scalars(select(Document.doc_number).where(Document.kind == "plan", Document.doc_number.is_not(None))))
        stopped = 0
        for sub in session.scalars(select(ReminderSubscription).where(ReminderSubscription.id.in_(named)).with_for_update()):
            if not sub.active or any(plan_number_matches(sub.plan_number, n) for n in numbers):
                continue
            stopped += 1
            stop_subscription(
                session, sub, f"reminder-plan-removed:{sub.id}",
                f"Kế hoạch {sub.plan_number} đã được gỡ khỏi hệ thống, nên việc nhắc hạn cho {sub.agency_name} theo kế hoạch "
                f"này đã dừng. Muốn nhận nhắc việc của mọi kế hoạch, bạn nhắn “đăng ký nhắc hạn cho {sub.agency_name}”.",
            )
    return stopped


def stop_subscription(session: Session, sub: ReminderSubscription, dedupe_key: str, notice: str) -> None:
    """Deactivate a reminder subscription and tell the subscriber why, in their chat."""
    sub.active = False
    conversation = session.get(Conversation, sub.conversation_id)
    session.add(OutboundMessage(
        conversation_id=sub.conversation_id, channel=conversation.channel, kind="notice",
        text=notice, buttons=[], dedupe_key=dedupe_key,
    ))
