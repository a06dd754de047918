"""The web chat page: a chat box with buttons over POST /api/chat; assets served locally."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def chat_page(request: Request):
    return templates.TemplateResponse(request, "chat.html", {"title": "Trợ lý dịch vụ công"})
