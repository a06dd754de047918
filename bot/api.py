"""POST /api/chat: the web chat and the end-to-end tests talk to the engine through it."""
from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot.channels.common import Incoming, run_turn
from dialogue.store import ConversationBusy

log = logging.getLogger(__name__)
router = APIRouter()
MAX_TEXT = 20000


class ChatRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    text: str | None = None
    payload: str | None = Field(default=None, max_length=1000)


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "messages": [{"text": message, "buttons": []}]}, status_code=status)


@router.get("/api/chat/updates")
def updates(user_id: str):
    """Messages pushed to a web-chat user (feedback replies, reminders) since the last poll."""
    from delivery.outbox import pull
    from storage.db import session_factory

    return {"messages": pull(session_factory(), "web", user_id)}


@router.post("/api/chat")
def chat(body: ChatRequest, request: Request):
    if not (body.text and body.text.strip()) and not body.payload:
        return error(400, "Tin nhắn trống: cần trường “text” hoặc “payload”.")
    if body.text and len(body.text) > MAX_TEXT:
        return error(413, f"Tin nhắn quá dài (tối đa {MAX_TEXT:,} ký tự).".replace(",", "."))
    user = body.user_id.strip()
    try:
        reply = run_turn(request.app.state.engine, Incoming("web", user, user, text=body.text, payload=body.payload))
    except ConversationBusy:
        return error(503, "Tin nhắn trước của bạn đang được xử lý, vui lòng gửi lại sau giây lát.")
    return reply.to_json()
