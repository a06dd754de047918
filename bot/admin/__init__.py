"""The officials' dashboard at /admin: server-rendered pages (Jinja2), Vietnamese UI."""
from __future__ import annotations

from fastapi import APIRouter


def router() -> APIRouter:
    from bot.admin import feedback_views, knowledge_views, session_views, sipas_views, tasks_views, unanswered_views

    combined = APIRouter(prefix="/admin", include_in_schema=False)
    for module in (session_views, feedback_views, sipas_views, tasks_views, knowledge_views, unanswered_views):
        combined.include_router(module.router)
    return combined
