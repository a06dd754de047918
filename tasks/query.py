"""Which tasks a unit leads or coordinates, when they are due, relative to a given day."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agencies.registry import default_registry
from storage.models import Document, PlanTask
from tasks.schedule import CONTINUOUS, ON_REQUEST, ONCE, RECURRING, Schedule
from tasks.units import folded
from vietnamese.workdays import default_calendar

STATUSES = ("due", "overdue", "ongoing")


@dataclass
class TaskFilter:
    agency: str | None = None  # any spelling of a unit; matched as lead or coordinating
    plan: str | None = None  # "341", "341/KH-UBND"
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None  # due | overdue | ongoing
    role: str | None = None  # lead | coordinating | None (either)
    words: list[str] = field(default_factory=list)  # topic words, folded ("bao cao", "qui")


@dataclass
class TaskView:
    id: int
    plan_id: str
    doc_number: str | None
    plan_title: str
    plan_date: date | None
    section: str
    section_title: str
    title: str
    text: str
    lead: list[str]
    coordinating: list[str]
    deadline_text: str | None
    kind: str
    due: date | None
    recurring: str | None
    next_due: date | None
    status: str  # overdue | due | upcoming | ongoing | on_request | undated | done
    reading: str | None
    completed_on: date | None
    role: str | None = None  # the asked unit's role: lead | coordinating
    occurrence: date | None = None  # the due date inside the asked window
    score: float = 0.0

    def to_json(self) -> dict:
        return {
            "id": self.id, "plan_id": self.plan_id, "doc_number": self.doc_number, "plan_title": self.plan_title,
            "section": self.section, "section_title": self.section_title, "title": self.title,
            "lead": self.lead, "coordinating": self.coordinating, "deadline_text": self.deadline_text,
            "kind": self.kind, "due": _iso(self.due), "recurring": self.recurring, "next_due": _iso(self.next_due),
            "status": self.status, "reading": self.reading, "completed_on": _iso(self.completed_on),
            **({"role": self.role} if self.role else {}), **({"occurrence": _iso(self.occurrence)} if self.occurrence else {}),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def plan_number_matches(asked: str, doc_number: str | None) -> bool:
    if not doc_number:
        return False
    a, d = folded(asked).replace(" ", ""), folded(doc_number).replace(" ", "")
    return a == d or d.startswith(a + "/") or d.split("/")[0] == a.split("/")[0]


def _role(task: PlanTask, agency: str) -> str | None:
    registry = default_registry()
    unit = registry.resolve(agency) or next((m.agency for m in registry.find(agency) if m.agency), None)
    key = folded(agency)

    def has(units: list[dict]) -> bool:
        if unit is not None:
            return any(u.get("id") == unit.id for u in units)
        return any(key in folded(u["name"]) for u in units)

    if has(task.lead):
        return "lead"
    if has(task.coordinating):
        return "coordinating"
    return None


def status_of(kind: str, due: date | None, next_due: date | None, completed: date | None, today: date, horizon: date) -> str:
    if completed:
        return "done"
    if kind == ONCE and due:
        deadline = next_due or due  # a deadline on a weekend or holiday moves to the next working day
        return "overdue" if deadline < today else ("due" if deadline <= horizon else "upcoming")
    if kind == RECURRING:
        return "due" if next_due and next_due <= horizon else "upcoming"
    if kind == CONTINUOUS:
        return "ongoing"
    if kind == ON_REQUEST:
        return "on_request"
    return "undated"


def list_tasks(sessions: sessionmaker[Session], flt: TaskFilter, today: date, days_ahead: int = 30) -> list[TaskView]:
    """Tasks matching ``flt``, soonest first. "due" means a due date in [from, to] (default: from
    today over the next ``days_ahead`` days)."""
    start = flt.date_from or today
    end = flt.date_to or (today + timedelta(days=days_ahead))
    cal = default_calendar()
    with sessions() as session:
        rows = session.execute(
            select(PlanTask, Document.key, Document.doc_number, Document.title, Document.issued_date)
            .join(Document, Document.id == PlanTask.document_id)
            .order_by(Document.id, PlanTask.position)
        ).all()
    views: list[TaskView] = []
    for task, key, doc_number, plan_title, plan_date in rows:
        if flt.plan and not plan_number_matches(flt.plan, doc_number):
            continue
        role = _role(task, flt.agency) if flt.agency else None
        if flt.agency and (role is None or (flt.role and role != flt.role)):
            continue
        schedule = Schedule.from_json(task.schedule) if task.schedule else Schedule(task.kind, task.due)
        next_due = schedule.next_due(today, cal)
        status = status_of(task.kind, task.due, next_due, task.completed_on, today, end)
        window = schedule.occurrences(start, end, cal) if not task.completed_on else []
        if flt.status == "overdue" and status != "overdue":
            continue
        if flt.status == "ongoing" and status not in ("ongoing", "on_request"):
            continue
        if flt.status == "due" and not window:
            continue
        if not flt.status and (flt.date_from or flt.date_to) and not window:
            continue
        views.append(TaskView(
            id=task.id, plan_id=key, doc_number=doc_number, plan_title=plan_title, plan_date=plan_date,
            section=task.section_path, section_title=task.section_title, title=task.title, text=task.text,
            lead=[u["name"] for u in task.lead], coordinating=[u["name"] for u in task.coordinating],
            deadline_text=task.deadline_text, kind=task.kind, due=task.due, recurring=task.recurring,
            next_due=next_due if not task.completed_on else None, status=status, reading=schedule.reading,
            completed_on=task.completed_on, role=role, occurrence=window[0] if window else None,
        ))
    if flt.words:
        for view in views:
            view.score = _topic_score(view, flt.words)
        best = max((v.score for v in views), default=0)
        if best > 0:
            views = [v for v in views if v.score >= best * 0.5]
        views.sort(key=lambda v: -v.score)
        return views
    return sorted(views, key=_order)


def _order(view: TaskView):
    day = view.occurrence or (view.due if view.status == "overdue" else view.next_due)
    return (day is None, day or date.max, view.plan_id, view.id)


def _topic_score(view: TaskView, words: list[str]) -> float:
    haystack = " " + " ".join(folded(x) for x in (view.title, view.text, view.deadline_text or "", view.section_title)) + " "
    score = 0.0
    for word in words:
        if f" {word} " in haystack or re.search(rf"\b{re.escape(word)}\b", haystack):
            score += 1.0 + 0.2 * len(word.split())
    if view.deadline_text and any(w in folded(view.deadline_text) for w in words):
        score += 0.5
    return score
