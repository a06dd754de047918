"""Officials' HTTP API for feedback: list, read (with contact and audit trail), update.

Authenticated with `Authorization: Bearer <token>` (config `server.api_tokens`); every change is
recorded with the token's user name in the audit trail, and a reply reaches the citizen on the
channel they used.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from pydantic import BaseModel, Field

from core.config import get_settings
from feedback import service
from storage.db import session_factory

router = APIRouter(prefix="/api/feedback")


def official(authorization: str | None = Header(default=None)) -> str:
    token = (authorization or "").removeprefix("Bearer ").strip()
    user = get_settings().server.api_tokens.get(token) if token else None
    if not user:
        raise HTTPException(401, "Cần mã truy cập hợp lệ (Authorization: Bearer <token>).")
    return user


class Update(BaseModel):
    status: str | None = None
    category: str | None = None
    reply: str | None = Field(default=None, max_length=10000)
    note: str | None = Field(default=None, max_length=2000)
    assign: str | None = None
    agency_id: str | None = None


@router.get("")
def list_feedback(
    user: str = Depends(official),
    status: str | None = None,
    agency: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
):
    items, total = service.list_items(session_factory(), status, agency, category, overdue or None, limit=limit, offset=offset)
    return {"total": total, "items": [service.to_json(i) for i in items]}


@router.get("/{code}")
def show_feedback(code: str, user: str = Depends(official)):
    item = service.find(session_factory(), code, with_events=True)
    if item is None:
        raise HTTPException(404, f"Không tìm thấy phản ánh {code}")
    return service.to_json(item, with_contact=True, with_events=True)


@router.post("/{code}")
def update_feedback(code: str, body: Update, user: str = Depends(official)):
    try:
        item = service.update(session_factory(), code, actor=user, status=body.status, reply=body.reply, note=body.note,
                              assign=body.assign, agency_id=body.agency_id, category=body.category)
    except service.FeedbackError as exc:
        raise HTTPException(404 if "Không tìm thấy" in str(exc) else 400, str(exc)) from exc
    return service.to_json(item, with_contact=True, with_events=True)
