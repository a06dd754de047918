"""Login, logout and the overview page."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from accounts import users
from bot.admin.auth import account, check_csrf, require
from core.localtime import local_today
from bot.admin.common import render, unit_name
from core.config import get_settings
from storage.db import session_factory

router = APIRouter()


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/admin") and not value.startswith("//") else "/admin/"


@router.get("/login")
def login_page(request: Request, next: str | None = None):
    if account(request):
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", None, "login", "Đăng nhập", next=_safe_next(next))


@router.post("/login")
async def login(request: Request):
    form = await request.form()
    check_csrf(request, form)
    settings = get_settings().admin
    username = str(form.get("username") or "")
    try:
        user = users.login(session_factory(), username, str(form.get("password") or ""), settings.max_failed_logins, settings.lockout_minutes)
    except users.AccountError as exc:
        return render(request, "login.html", None, "login", "Đăng nhập", status_code=401, error=str(exc),
                      username=username, next=_safe_next(str(form.get("next") or "")))
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["uid"] = user.id
    request.session["ver"] = user.session_version
    return RedirectResponse(_safe_next(str(form.get("next") or "")), status_code=303)


@router.post("/logout")
async def logout(request: Request):
    check_csrf(request, await request.form())
    user = account(request)
    if user is not None:  # the cookie may have been copied: void it on the server too
        users.end_sessions(session_factory(), user.id)
    request.session.clear()
    return RedirectResponse("/admin/login", status_code=303)


@router.get("/")
def overview(request: Request):
    user = require(request, "overview")
    from feedback import service
    from survey import stats
    from tasks import store
    from tasks.query import TaskFilter, list_tasks

    sessions = session_factory()
    today = local_today()
    data: dict = {"window": get_settings().tasks.due_window_days}
    unit = user.agency_id if user.role == "officer" else None
    if user.can("feedback"):
        data["open"] = sum(service.list_items(sessions, status=s, agency_id=unit, limit=1)[1] for s in service.STATUSES if s not in service.CLOSED)
        data["overdue"] = service.list_items(sessions, agency_id=unit, overdue=True, today=today, limit=1)[1]
    if user.can("handoff"):
        from dialogue import handoff

        data["handoffs_open"] = len(handoff.listing(sessions, "open", unit))
        data["handoffs_waiting"] = handoff.waiting_too_long(sessions, unit)
        data["handoff_minutes"] = get_settings().handoff.alert_minutes
    if user.can("sipas"):
        data["sipas"] = stats.report(sessions)["overall"]["index"]
    if user.can("tasks"):
        store.sync(sessions)
        agency = unit_name(unit)
        data["tasks_due"] = len(list_tasks(sessions, TaskFilter(agency=agency, status="due"), today, data["window"]))
        data["tasks_overdue"] = len(list_tasks(sessions, TaskFilter(agency=agency, status="overdue"), today))
    return render(request, "overview.html", user, "overview", "Tổng quan", stats=data)
