"""The officials' dashboard at /admin: server-rendered pages (Jinja2), Vietnamese UI."""
from __future__ import annotations

from fastapi import APIRouter

# Sent with every /admin response: only this server's own scripts, styles and images run; the pages
# cannot be framed, sniffed as another type or kept in a shared cache (they show personal data).
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def router() -> APIRouter:
    from bot.admin import (feedback_views, handoff_views, knowledge_views, session_views, sipas_views, tasks_views,
                           unanswered_views)

    combined = APIRouter(prefix="/admin", include_in_schema=False)
    for module in (session_views, feedback_views, handoff_views, sipas_views, tasks_views, knowledge_views, unanswered_views):
        combined.include_router(module.router)
    return combined
