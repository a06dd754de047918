"""The feedback queue: filters, detail with conversation excerpt, photos, location and audit
trail; officials assign, change status and reply (the reply goes to the citizen's channel)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy import select

from accounts import users
from bot.admin.auth import Forbidden, check_csrf, require
from core.localtime import local_today
from bot.admin.common import agency_choices, local_time, render, unit_name
from core.config import get_settings
from feedback import service
from storage.db import session_factory
from storage.models import Turn

router = APIRouter()
NOT_FOUND = "Không tìm thấy phản ánh này."

# who acted, in the audit trail: the system's own actors by name, officials by their account
ACTOR_NAMES = {"citizen": "Người dân (qua trò chuyện)", "open311": "Hệ thống Open311", "system": "Hệ thống"}


def _visible(user, item) -> bool:
    return user.is_admin or (user.role == "officer" and item.agency_id == user.agency_id)


def _load(user, code: str):
    item = service.find(session_factory(), code, with_events=True)
    if item is None:
        raise Forbidden(NOT_FOUND, status=404)
    if not _visible(user, item):
        raise Forbidden("Phản ánh này thuộc đơn vị khác.")
    return item


@router.get("/feedback")
def queue(request: Request, status: str | None = None, agency: str | None = None, category: str | None = None,
          overdue: str | None = None, page: int = 1):
    user = require(request, "feedback")
    unit = user.agency_id if user.role == "officer" else (agency or None)
    today = local_today()
    limit = 50
    items, total = service.list_items(session_factory(), status=status or None, agency_id=unit, category=category or None,
                                      overdue=bool(overdue), today=today, limit=limit, offset=(max(page, 1) - 1) * limit)
    rows = [{**{k: getattr(i, k) for k in ("code", "content", "agency_name", "category", "status", "due_at", "assigned_to")},
             "overdue": i.status not in service.CLOSED and i.due_at is not None and i.due_at < today} for i in items]
    return render(request, "feedback_list.html", user, "feedback", "Phản ánh, kiến nghị", items=rows, total=total,
                  statuses=service.STATUSES, categories=service.CATEGORIES, agencies=agency_choices(),
                  unit_name=unit_name(user.agency_id), f={"status": status, "agency": agency, "category": category, "overdue": overdue})


@router.get("/feedback/{code}")
def detail(request: Request, code: str):
    user = require(request, "feedback")
    return _detail_page(request, user, _load(user, code))


def _detail_page(request: Request, user, item, error: str | None = None, form: dict | None = None):
    excerpt = []
    if item.conversation_id:
        with session_factory()() as session:
            turns = session.scalars(
                select(Turn).where(Turn.conversation_id == item.conversation_id, Turn.created_at <= item.received_at)
                .order_by(Turn.id.desc()).limit(12)
            ).all()
        excerpt = [{"at": local_time(t.created_at), "text": t.text} for t in reversed(turns)]
    events = [{"at": local_time(e.created_at), "actor": ACTOR_NAMES.get(e.actor, e.actor), "text": _event_text(e)} for e in item.events]
    photos = [f"/admin/feedback/{item.code}/media/{i}" for i, m in enumerate(item.media or []) if m.get("path")]
    return render(request, "feedback_detail.html", user, "feedback", f"Phản ánh {item.code}", status_code=400 if error else 200,
                  item=item, events=events, excerpt=excerpt, photos=photos, received=local_time(item.received_at),
                  statuses=service.STATUSES, categories=service.CATEGORIES, kinds=service.KINDS, agencies=agency_choices(),
                  assignees=_assignees(item), error=error, form=form or {})


def _assignees(item) -> list[dict]:
    """Who can be given the item: the active accounts of its unit, and the administrators."""
    rows = [a for a in users.list_accounts(session_factory()) if a["active"]
            and (a["role"] == "admin" or (a["role"] == "officer" and a["agency_id"] == item.agency_id))]
    if item.assigned_to and item.assigned_to not in {a["username"] for a in rows}:
        rows.append({"username": item.assigned_to, "display_name": item.assigned_to})
    return rows


def _event_text(event) -> str:
    if event.action == "status":  # with the internal note typed along with the change
        change = f"trạng thái {service.STATUSES.get(event.from_status, event.from_status or '—')} → {service.STATUSES.get(event.to_status, event.to_status)}"
        return f"{change} (ghi chú: {event.note})" if event.note else change
    labels = {"created": "tiếp nhận", "reply": "trả lời", "assign": "giao xử lý", "route": "chuyển đơn vị", "note": "ghi chú",
              "rating": "người gửi đánh giá", "category": "đổi loại"}
    text = labels.get(event.action, event.action)
    return f"{text}: {event.note}" if event.note else text


@router.post("/feedback/{code}")
async def update(request: Request, code: str):
    user = require(request, "feedback")
    form = await request.form()
    check_csrf(request, form)
    item = _load(user, code)
    typed = {k: str(form.get(k) or "") for k in ("reply", "note")}  # kept in the form when something is refused
    status = str(form.get("status") or "") or None
    assign = str(form.get("assign") or "").strip()
    if assign and assign not in {a["username"] for a in _assignees(item)}:
        return _detail_page(request, user, item, error="Chỉ giao được cho cán bộ của đơn vị xử lý hoặc quản trị viên.", form=typed)
    agency = str(form.get("agency") or "").strip() or None if user.is_admin else None
    category = str(form.get("category") or "").strip() or None
    changes = {
        "status": status if status != item.status else None,
        "category": category if category and category != item.category else None,
        "assign": assign if assign != (item.assigned_to or "") else None,  # "" takes the item back
        "agency_id": agency if agency and agency != item.agency_id else None,
        "reply": str(form.get("reply") or "").strip() or None,
        "note": str(form.get("note") or "").strip() or None,
    }
    try:
        service.update(session_factory(), item.code, actor=user.username, **changes)
    except service.FeedbackError as exc:
        return _detail_page(request, user, item, error=f"{exc}.", form=typed)
    return RedirectResponse(f"/admin/feedback/{item.code}?msg=saved", status_code=303)


@router.get("/feedback/{code}/media/{index}")
def media(request: Request, code: str, index: Annotated[int, PathParam(ge=0, le=99)]):
    user = require(request, "feedback")
    item = _load(user, code)
    entries = item.media or []
    if not 0 <= index < len(entries) or not entries[index].get("path"):
        raise Forbidden("Không có ảnh này.")
    root = get_settings().media_path.resolve()
    path = (root / entries[index]["path"]).resolve()
    if root not in path.parents or not path.is_file():
        raise Forbidden("Không có ảnh này.")
    return FileResponse(Path(path), headers={"Cache-Control": "private, no-store"})
