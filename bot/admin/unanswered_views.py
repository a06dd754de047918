"""The questions the assistant could not answer (or answered with low confidence), most frequent
first, to grow the knowledge base. Turn texts are already masked (phones, ID numbers)."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Request
from sqlalchemy import and_, or_, select

from bot.admin.auth import require
from bot.admin.common import local_time, render
from core.config import get_settings
from knowledge.answer.confidence import low_line
from storage.db import session_factory
from storage.models import Turn
from vietnamese.text import fold_key

router = APIRouter()
STATUS_LABELS = {"no_content_found": "không tìm thấy", "invalid_question": "câu hỏi không rõ", "clarify": "phải hỏi lại",
                 "answered": "độ tin cậy thấp"}


def _key(text: str) -> str:
    """One group for the same question typed with or without diacritics, case or punctuation."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold_key(text)).split())


@router.get("/unanswered")
def page(request: Request):
    user = require(request, "unanswered")
    settings = get_settings().admin
    since = datetime.now(timezone.utc) - timedelta(days=settings.unanswered_days)
    low = low_line(settings.low_confidence)
    with session_factory()() as session:
        turns = session.execute(
            select(Turn.text, Turn.created_at, Turn.answer_status).where(
                Turn.created_at >= since,
                or_(Turn.answer_status.in_(["no_content_found", "invalid_question", "clarify"]),
                    and_(Turn.answer_status == "answered", Turn.answer_confidence < low)),
            )
        ).all()  # columns, not ORM objects
    groups: dict[str, dict] = defaultdict(lambda: {"count": 0, "text": "", "status": "", "last": None})
    for turn in turns:
        if turn.text.startswith("["):  # a button press, not a question
            continue
        group = groups[_key(turn.text)]
        group["count"] += 1
        if group["last"] is None or turn.created_at >= group["last"]:
            group["text"], group["last"], group["status"] = turn.text, turn.created_at, STATUS_LABELS.get(turn.answer_status, turn.answer_status)
    questions = sorted(groups.values(), key=lambda g: (-g["count"], g["text"]))[:100]
    for q in questions:
        q["last"] = local_time(q["last"])
    return render(request, "unanswered.html", user, "unanswered", "Câu hỏi chưa trả lời", questions=questions,
                  days=settings.unanswered_days, threshold=low)
