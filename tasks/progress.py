"""Officials' progress on plan tasks: marking a task done or reopening it, audited, and the paged,
filtered list officials follow it in.

Who may change a task: administrators (and the command line) any task; an officer only the tasks
their unit leads (chủ trì) — the coordinating units help, the lead unit reports completion. Every
change writes a PlanTaskEvent (who, when, done or reopen, which task); repeating the current
state changes nothing and writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agencies.registry import default_registry
from storage.models import Document, PlanTask, PlanTaskEvent
from tasks.query import TaskFilter, TaskView, list_tasks

DONE, REOPEN = "done", "reopen"
STATUSES = {"all": "Tất cả", "due": "Đến hạn", "overdue": "Quá hạn", "ongoing": "Thường xuyên", "done": "Đã hoàn thành"}
PER_PAGE = 50


class ProgressError(Exception):
    """Why a task cannot be changed (a Vietnamese message and an HTTP-like status)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def leads(lead: list[dict], agency_id: str) -> bool:
    """Whether the unit ``agency_id`` (a registry id) is among a task's lead units."""
    registry = default_registry()
    for unit in lead:
        if unit.get("id") == agency_id:
            return True
        if not unit.get("id") and (known := registry.resolve(unit.get("name") or "")) is not None and known.id == agency_id:
            return True
    return False


def set_done(sessions: sessionmaker[Session], task_id: int, done: bool, actor: str, day: date, unit: str | None = None) -> bool:
    """Mark a task done on ``day`` (``done``) or reopen it, as ``actor``; ``unit`` (an officer's
    unit id) limits the change to tasks that unit leads. Returns whether anything changed."""
    with sessions() as session, session.begin():
        task = session.get(PlanTask, task_id, with_for_update=True)
        if task is None:
            raise ProgressError("Không tìm thấy nhiệm vụ này (kế hoạch có thể vừa được cập nhật hoặc gỡ).", 404)
        if unit is not None and not leads(task.lead, unit):
            raise ProgressError("Chỉ đơn vị chủ trì nhiệm vụ (hoặc quản trị viên) mới cập nhật được tiến độ của nhiệm vụ này.", 403)
        if bool(task.completed_on) == done:
            return False
        task.completed_on = day if done else None
        doc = session.get(Document, task.document_id)
        session.add(PlanTaskEvent(
            task_id=task.id, document_id=task.document_id, plan=(doc.doc_number or doc.title) if doc else "",
            section=task.section_path, title=task.title, action=DONE if done else REOPEN, actor=actor,
        ))
        return True


def changeable(sessions: sessionmaker[Session], task_ids: list[int], unit: str | None) -> set[int]:
    """Which of these tasks ``unit`` may mark (None: an administrator, all of them)."""
    if not task_ids:
        return set()
    with sessions() as session:
        rows = session.execute(select(PlanTask.id, PlanTask.lead).where(PlanTask.id.in_(task_ids))).all()
    return {task_id for task_id, lead in rows if unit is None or leads(lead, unit)}


def last_events(sessions: sessionmaker[Session], task_ids: list[int]) -> dict[int, PlanTaskEvent]:
    """The latest progress mark of each of these tasks."""
    if not task_ids:
        return {}
    with sessions() as session:
        events = session.scalars(select(PlanTaskEvent).where(PlanTaskEvent.task_id.in_(task_ids)).order_by(PlanTaskEvent.id)).all()
    return {e.task_id: e for e in events}


def events(sessions: sessionmaker[Session], task_id: int | None = None, limit: int = 100) -> list[PlanTaskEvent]:
    with sessions() as session:
        query = select(PlanTaskEvent).order_by(PlanTaskEvent.id.desc()).limit(limit)
        if task_id is not None:
            query = query.where(PlanTaskEvent.task_id == task_id)
        return list(session.scalars(query))


# ---------------------------------------------------------------------------- the officials' list


@dataclass
class Board:
    views: list[TaskView]  # this page
    total: int
    page: int
    pages: int


def plans(sessions: sessionmaker[Session]) -> list[dict]:
    """The loaded plans to filter by: {"id", "label"} (số hiệu — title), newest first."""
    with sessions() as session:
        rows = session.execute(
            select(Document.id, Document.doc_number, Document.title).where(Document.kind == "plan").order_by(Document.id.desc())
        ).all()
    return [{"id": i, "label": f"{n} — {t}" if n else t} for i, n, t in rows]


def board(sessions: sessionmaker[Session], today: date, days_ahead: int, unit_name: str | None = None,
          document_id: int | None = None, status: str = "all", month: tuple[date, date] | None = None,
          page: int = 1, per_page: int = PER_PAGE) -> Board:
    """The tasks of a unit (lead or coordinating; None: every unit), of one plan, in one state today
    (due within ``days_ahead`` days, overdue, ongoing, done, all), with a due date in ``month``
    (first, last) — tasks done or carried on continuously count in every month they belong to —
    soonest first, one page of them. "due" with a month means "not done, due in that month"."""
    views = list_tasks(sessions, TaskFilter(agency=unit_name), today, days_ahead)
    if document_id is not None:
        with sessions() as session:
            key = session.scalar(select(Document.key).where(Document.id == document_id))
        views = [v for v in views if v.plan_id == key]
    if month is not None:
        first, last = month
        dated = {v.id for v in list_tasks(sessions, TaskFilter(agency=unit_name, date_from=first, date_to=last), today)}
        views = [v for v in views if v.id in dated or v.status in ("ongoing", "on_request")
                 or (v.status == "done" and any(d and first <= d <= last for d in (v.due, v.completed_on)))]
    if status == "due" and month is not None:
        views = [v for v in views if v.status not in ("done", "ongoing", "on_request")]
    elif status == "ongoing":
        views = [v for v in views if v.status in ("ongoing", "on_request")]
    elif status in ("due", "overdue", "done"):
        views = [v for v in views if v.status == status]
    pages = max(1, -(-len(views) // per_page))
    page = min(max(page, 1), pages)
    return Board(views[(page - 1) * per_page: page * per_page], len(views), page, pages)
