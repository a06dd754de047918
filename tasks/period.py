"""A plan's own time frame ("3. Thời gian thực hiện: Từ nay đến hết năm 2025"), read from the
section that states it near the top of the document, for tasks that set no deadline of their own:
they run within it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Chunk
from tasks.schedule import parse_deadline
from tasks.units import folded

_HEADING = re.compile(r"\bthoi gian (thuc hien|trien khai|to chuc)\b")
MAX_DEPTH = 1  # "II" or "II.3": the plan's own frame, not an activity's ("II.1.1.a Thời gian thực hiện: hằng năm")


@dataclass
class PlanPeriod:
    section: str
    text: str  # as the document writes it
    end: date


def plan_period(session: Session, document_id: int, issued: date | None) -> PlanPeriod | None:
    rows = session.execute(select(Chunk.section, Chunk.section_title, Chunk.text)
                           .where(Chunk.document_id == document_id, Chunk.role == "body").order_by(Chunk.ordinal)).all()
    for section, title, text in rows:
        if not section or section.count(".") > MAX_DEPTH:
            continue
        if not _HEADING.search(folded((title or "").split("›")[-1])):
            continue
        stated = " ".join(text.split(":", 1)[-1].split()) if ":" in text[:60] else " ".join(text.split())
        schedule = parse_deadline(stated[:200], issued)
        if schedule.kind == "once" and schedule.due:
            return PlanPeriod(section, stated[:200], schedule.due)
    return None
