"""Officials' HTTP API for handoffs ("gặp cán bộ"), with the same Bearer tokens as the feedback
API (`server.api_tokens`): list, read, reply (queued to the citizen's channel), close."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, Field

from bot.feedback_api import official
from dialogue import handoff
from storage.db import session_factory

router = APIRouter(prefix="/api/handoffs")
HandoffId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # a database integer id


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


@router.get("")
def list_handoffs(status: str | None = "open", user: str = Depends(official)):
    if status not in (None, "open", "closed", "all"):
        raise HTTPException(400, "status: open | closed | all")
    rows = handoff.listing(session_factory(), None if status == "all" else status)
    for row in rows:
        row["messages"] = [m for m in (handoff.thread(session_factory(), row["id"]) or {}).get("messages", []) if m["sender"] == "citizen"]
    return {"total": len(rows), "items": rows}


@router.get("/{handoff_id}")
def read(handoff_id: HandoffId, user: str = Depends(official)):
    data = handoff.thread(session_factory(), handoff_id)
    if data is None:
        raise HTTPException(404, "Không tìm thấy yêu cầu gặp cán bộ này.")
    return data


def _act(fn, handoff_id: int):
    try:
        fn()
    except handoff.HandoffError as exc:
        raise HTTPException(404 if "Không tìm thấy" in str(exc) else 409, str(exc)) from exc
    return handoff.thread(session_factory(), handoff_id)


@router.post("/{handoff_id}/messages")
def send(handoff_id: HandoffId, body: Reply, user: str = Depends(official)):
    return _act(lambda: handoff.reply(session_factory(), handoff_id, user, body.text), handoff_id)


@router.post("/{handoff_id}/close")
def close(handoff_id: HandoffId, user: str = Depends(official)):
    return _act(lambda: handoff.close(session_factory(), handoff_id, actor=user), handoff_id)
