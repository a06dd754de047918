"""Plan tasks by unit: a paged list with filters (plan, unit, status, month), marking a task done or
reopening it (audited, tasks.progress), a month calendar, and reminder subscriptions."""
from __future__ import annotations

import calendar
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from bot.admin.auth import Forbidden, check_csrf, require
from core.localtime import local_today
from bot.admin.common import DbId, agency_choices, local_time, render, unit_name
from core.config import get_settings
from storage.db import session_factory
from storage.models import Conversation, PlanTask, ReminderSubscription
from tasks import progress, reminders, store
from tasks.answer import when
from tasks.query import TaskFilter, list_tasks
from tasks.schedule import Schedule
from vietnamese.workdays import default_calendar

router = APIRouter()
MARKED = {"task-done": "Đã đánh dấu hoàn thành nhiệm vụ.", "task-reopened": "Đã mở lại nhiệm vụ.",
          "task-unchanged": "Nhiệm vụ đã ở trạng thái đó; không có gì thay đổi."}


def _month(value: str | None) -> date | None:
    try:
        return date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


@router.get("/tasks")
def page(request: Request, agency: str | None = None, status: str | None = None, month: str | None = None,
         plan: str | None = None, page: int = 1):
    user = require(request, "tasks")
    unit = user.agency_id if user.role == "officer" else (agency or None)
    name = unit_name(unit)
    sessions = session_factory()
    store.sync(sessions)
    today = local_today()
    status = status if status in progress.STATUSES else "all"
    document_id = int(plan) if plan and plan.isdigit() and int(plan) < 2**31 else None
    chosen = _month(month)
    first = chosen or today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    board = progress.board(sessions, today, get_settings().tasks.due_window_days, unit_name=name, document_id=document_id,
                           status=status, month=(first, last) if chosen else None, page=page)
    ids = [v.id for v in board.views]
    editable = progress.changeable(sessions, ids, None if user.is_admin else user.agency_id) if user.role in ("admin", "officer") else set()
    marks = {i: {"actor": e.actor, "at": local_time(e.at), "action": e.action} for i, e in progress.last_events(sessions, ids).items()}
    f = {"agency": agency if user.is_admin else None, "status": status, "month": month if chosen else None, "plan": document_id}
    query = {k: v for k, v in f.items() if v and not (k == "status" and v == "all")}
    here = "/admin/tasks" + (f"?{urlencode({**query, 'page': board.page})}" if query or board.page > 1 else "")
    pages = [{"n": n, "url": "/admin/tasks?" + urlencode({**query, "page": n})} for n in range(1, board.pages + 1)]
    month_url = "/admin/tasks?" + urlencode({**query, "month": f"{first:%Y-%m}"})  # the calendar's tasks, listed
    # the calendar shows every due date of the unit's tasks in the month
    month_views = list_tasks(sessions, TaskFilter(agency=name, date_from=first, date_to=last), today)
    by_day: dict[date, list] = {}
    cal = default_calendar()
    with sessions() as session:
        schedules = dict(session.execute(select(PlanTask.id, PlanTask.schedule).where(PlanTask.id.in_([v.id for v in month_views]))).all())
        for view in month_views:
            for day in Schedule.from_json(schedules[view.id]).occurrences(first, last, cal):
                by_day.setdefault(day, []).append(view)
        subs = session.execute(
            select(ReminderSubscription, Conversation.channel).join(Conversation, Conversation.id == ReminderSubscription.conversation_id)
            .where(ReminderSubscription.active.is_(True)).order_by(ReminderSubscription.id)
        ).all()
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append([
            {"date": d, "tasks": by_day.get(d, []), "off": not cal.is_working_day(d), "today": d == today} if d.month == first.month else None
            for d in week
        ])
    subscriptions = [{"id": s.id, "agency_name": s.agency_name, "plan_number": s.plan_number, "channel": channel, "created": local_time(s.created_at)}
                     for s, channel in subs if user.is_admin or s.agency_id == user.agency_id]
    flash = MARKED.get(request.query_params.get("msg", ""))
    return render(request, "tasks.html", user, "tasks", "Nhiệm vụ", views=board.views, whens=[when(v, today) for v in board.views],
                  total=board.total, page=board.page, pages=pages, month_url=month_url, editable=editable, marks=marks, here=here,
                  weeks=weeks, month_value=f"{first:%Y-%m}", month_label=f"{first:%m/%Y}", unit_name=name,
                  subscriptions=subscriptions, agencies=agency_choices(), plans=progress.plans(sessions),
                  statuses=progress.STATUSES, f=f, **({"flash": flash, "flash_kind": "ok"} if flash else {}))


async def _mark(request: Request, task_id: int, done: bool):
    user = require(request, "tasks")
    form = await request.form()
    check_csrf(request, form)
    if user.role not in ("admin", "officer"):
        raise Forbidden("Chỉ cán bộ đơn vị chủ trì hoặc quản trị viên mới cập nhật được tiến độ nhiệm vụ.")
    try:
        changed = progress.set_done(session_factory(), task_id, done, actor=user.username, day=local_today(),
                                    unit=None if user.is_admin else user.agency_id)
    except progress.ProgressError as exc:
        raise Forbidden(exc.message, status=exc.status) from exc
    back = str(form.get("next") or "")
    back = back if back.startswith("/admin/tasks") and "//" not in back and "\\" not in back else "/admin/tasks"
    msg = ("task-done" if done else "task-reopened") if changed else "task-unchanged"
    return RedirectResponse(f"{back}{'&' if '?' in back else '?'}msg={msg}#task-{task_id}", status_code=303)


@router.post("/tasks/{task_id}/done")
async def mark_done(request: Request, task_id: DbId):
    return await _mark(request, task_id, True)


@router.post("/tasks/{task_id}/reopen")
async def reopen(request: Request, task_id: DbId):
    return await _mark(request, task_id, False)


@router.post("/tasks/subscriptions/{subscription_id}/cancel")
async def cancel_subscription(request: Request, subscription_id: DbId):
    user = require(request, "tasks")
    check_csrf(request, await request.form())
    if not reminders.cancel(session_factory(), subscription_id, None if user.is_admin else user.agency_id):
        raise Forbidden("Không tìm thấy đăng ký nhắc việc này (hoặc đã hủy, hoặc thuộc đơn vị khác).", status=404)
    return RedirectResponse("/admin/tasks?msg=cancelled", status_code=303)
