"""POST /api/chat: the web chat and the end-to-end tests talk to the engine through it.

Each request is bounded: text and payload length, a rate per identity and per client address
(429 with Retry-After), and a short wait for the conversation's previous message (503)."""
from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot import chat_identity
from bot.channels.common import BUSY_TEXT, SLOW_DOWN_TEXT, Incoming, run_turn, too_long_text
from core.config import get_settings
from core.ratelimit import default_limiter
from dialogue.store import ConversationBusy

log = logging.getLogger(__name__)
router = APIRouter()


class ChatRequest(BaseModel):
    user_id: str | None = Field(default=None, max_length=64, description="only for trusted integrations (server.chat_tokens)")
    text: str | None = Field(default=None, max_length=100_000)
    payload: str | None = Field(default=None, max_length=1000)


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "messages": [{"text": message, "buttons": []}]}, status_code=status, headers=headers)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def slow_down(*checks: tuple[str, str, str]) -> JSONResponse | None:
    limiter = default_limiter()
    for rule, scope, key in checks:
        wait = limiter.hit(rule, scope, key)
        if wait is not None:
            return error(429, SLOW_DOWN_TEXT.format(seconds=wait), {"Retry-After": str(wait)})
    return None


@router.get("/api/chat/updates")
def updates(request: Request, user_id: str | None = None):
    """Messages pushed to this web-chat user (feedback replies, reminders) since the last poll."""
    from delivery.outbox import pull
    from storage.db import session_factory

    limited = slow_down((get_settings().limits.updates_per_address, "updates", client_address(request)))
    if limited is not None:
        return limited
    user = user_id if user_id and len(user_id) <= 64 and chat_identity.trusted(request) else chat_identity.current(request)
    return {"messages": pull(session_factory(), "web", user) if user else []}


@router.post("/api/chat")
def chat(body: ChatRequest, request: Request):
    limits = get_settings().limits
    if not (body.text and body.text.strip()) and not (body.payload and body.payload.strip()):
        return error(400, "Tin nhắn trống: cần trường “text” hoặc “payload”.")
    if body.text and len(body.text) > limits.chat_text_chars:
        return error(413, too_long_text(limits.chat_text_chars))
    claimed = body.user_id.strip() if body.user_id else None
    user, cookie = chat_identity.identify(request, claimed)
    checks = [(limits.chat_per_user, "chat-user", user)]
    if not (claimed and chat_identity.trusted(request)):  # a trusted relay speaks for many people
        checks.insert(0, (limits.chat_per_address, "chat-address", client_address(request)))
    limited = slow_down(*checks)
    if limited is not None:
        return limited
    try:
        reply = run_turn(request.app.state.engine, Incoming("web", user, user, text=body.text, payload=body.payload, address=client_address(request)))
    except ConversationBusy:
        return error(503, BUSY_TEXT, {"Retry-After": "2"})
    response = JSONResponse(reply.to_json())
    if cookie:
        chat_identity.set_cookie(response, cookie)
    return response
