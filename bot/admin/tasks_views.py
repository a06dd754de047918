"""Plan tasks by unit (due, overdue, ongoing) with a month calendar, and reminder subscriptions."""
from __future__ import annotations

import calendar
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from bot.admin.auth import Forbidden, check_csrf, require
from core.localtime import local_today
from bot.admin.common import DbId, agency_choices, local_time, render, unit_name
from core.config import get_settings
from storage.db import session_factory
from storage.models import Conversation, PlanTask, ReminderSubscription
from tasks import reminders, store
from tasks.answer import when
from tasks.query import TaskFilter, list_tasks
from tasks.schedule import Schedule
from vietnamese.workdays import default_calendar

router = APIRouter()


@router.get("/tasks")
def page(request: Request, agency: str | None = None, status: str | None = None, month: str | None = None):
    user = require(request, "tasks")
    unit = user.agency_id if user.role == "officer" else (agency or None)
    name = unit_name(unit)
    sessions = session_factory()
    store.sync(sessions)
    today = local_today()
    views = list_tasks(sessions, TaskFilter(agency=name, status=status or None), today, get_settings().tasks.due_window_days)
    try:
        first = date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    # the calendar shows every due date of the unit's tasks in the month
    month_views = list_tasks(sessions, TaskFilter(agency=name, date_from=first, date_to=last), today)
    by_day: dict[date, list] = {}
    cal = default_calendar()
    with sessions() as session:
        for view in month_views:
            task = session.get(PlanTask, view.id)
            for day in Schedule.from_json(task.schedule).occurrences(first, last, cal):
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
    return render(request, "tasks.html", user, "tasks", "Nhiệm vụ", views=views, whens=[when(v, today) for v in views],
                  weeks=weeks, month_value=f"{first:%Y-%m}", month_label=f"{first:%m/%Y}", unit_name=name,
                  subscriptions=subscriptions, agencies=agency_choices(), f={"agency": agency, "status": status})


@router.post("/tasks/subscriptions/{subscription_id}/cancel")
async def cancel_subscription(request: Request, subscription_id: DbId):
    user = require(request, "tasks")
    check_csrf(request, await request.form())
    if not reminders.cancel(session_factory(), subscription_id, None if user.is_admin else user.agency_id):
        raise Forbidden("Không tìm thấy đăng ký nhắc việc này (hoặc đã hủy, hoặc thuộc đơn vị khác).", status=404)
    return RedirectResponse("/admin/tasks?msg=cancelled", status_code=303)
