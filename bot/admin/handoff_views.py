"""The handoff inbox: citizens who asked for a person ("gặp cán bộ"), newest first; officials
read the conversation so far, reply (the text reaches the citizen's channel) and close."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from bot.admin.auth import Forbidden, check_csrf, require
from bot.admin.common import DbId, local_time, render, unit_name
from core.config import get_settings
from datetime import datetime
from dialogue import handoff
from storage.db import session_factory

router = APIRouter()


def _unit(user) -> str | None:
    return None if user.is_admin else user.agency_id


def _when(value: str | None) -> str:
    return local_time(datetime.fromisoformat(value)) if value else "—"


@router.get("/handoffs")
def inbox(request: Request, status: str = "open"):
    user = require(request, "handoff")
    rows = handoff.listing(session_factory(), status=status if status in ("open", "closed") else None, agency_id=_unit(user))
    for row in rows:
        row["opened"], row["waiting"] = _when(row["opened_at"]), _when(row["waiting_since"])
    return render(request, "handoffs.html", user, "handoff", "Gặp cán bộ", rows=rows, status=status,
                  alert=handoff.waiting_too_long(session_factory(), _unit(user)), minutes=get_settings().handoff.alert_minutes,
                  unit_name=unit_name(user.agency_id))


def _thread_page(request: Request, user, handoff_id: int, error: str | None = None, typed: str = ""):
    data = handoff.thread(session_factory(), handoff_id, _unit(user))
    if data is None:
        raise Forbidden("Không tìm thấy yêu cầu này (hoặc thuộc đơn vị khác).", status=404)
    for item in data["messages"] + data["conversation"]:
        item["when"] = _when(item["at"])
    return render(request, "handoff_thread.html", user, "handoff", f"Gặp cán bộ #{handoff_id}", status_code=400 if error else 200,
                  h=data, error=error, typed=typed)


@router.get("/handoffs/{handoff_id}")
def thread(request: Request, handoff_id: DbId):
    user = require(request, "handoff")
    return _thread_page(request, user, handoff_id)


@router.post("/handoffs/{handoff_id}")
async def act(request: Request, handoff_id: DbId):
    user = require(request, "handoff")
    form = await request.form()
    check_csrf(request, form)
    if handoff.thread(session_factory(), handoff_id, _unit(user)) is None:
        raise Forbidden("Không tìm thấy yêu cầu này (hoặc thuộc đơn vị khác).", status=404)
    text = str(form.get("text") or "")
    try:
        if form.get("action") == "close":
            handoff.close(session_factory(), handoff_id, actor=user.username)
        else:
            handoff.reply(session_factory(), handoff_id, user.username, text)
    except handoff.HandoffError as exc:
        return _thread_page(request, user, handoff_id, error=str(exc), typed=text)
    return RedirectResponse(f"/admin/handoffs/{handoff_id}", status_code=303)
