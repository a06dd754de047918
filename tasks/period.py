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


# a frame the title names: "giai đoạn 2026 - 2030", "đến năm 2030", "năm 2026" (never the "tầm nhìn
# đến năm 2045" that follows a frame); parse_deadline reads it as a time cell would be read
_TITLE_FRAME = re.compile(r"\bgiai doan (?:tu )?(?:nam )?\d{4}(?:\s*[-–]\s*|\s+den\s+|\s+)(?:nam )?\d{4}|\bden (?:het )?nam \d{4}|\bnam \d{4}\s*$")
_VISION = re.compile(r",?\s*\btam nhin\b.*$")
TITLE = "tên văn bản"  # PlanPeriod.section of a frame read from the title


def title_period(title: str, issued: date | None) -> PlanPeriod | None:
    """The frame the plan's title states ("… giai đoạn 2026 - 2030, tầm nhìn đến năm 2045")."""
    shown = " ".join((title or "").split())
    plain = _VISION.sub("", folded(shown))
    found = _TITLE_FRAME.search(plain)
    if not found:
        return None
    schedule = parse_deadline(found.group(0), issued, column=True)
    if schedule.kind != "once" or not schedule.due or issued is not None and not issued.year - 1 <= schedule.due.year <= issued.year + 30:
        return None
    words = shown[found.start():found.end()] if len(folded(shown)) == len(shown) else found.group(0)
    return PlanPeriod(TITLE, words, schedule.due)


def plan_period(session: Session, document_id: int, issued: date | None, title: str = "") -> PlanPeriod | None:
    """The section stating the plan's time frame, else the frame its title names."""
    rows = session.execute(select(Chunk.section, Chunk.section_title, Chunk.text)
                           .where(Chunk.document_id == document_id, Chunk.role == "body").order_by(Chunk.ordinal)).all()
    for section, heading, text in rows:
        if not section or section.count(".") > MAX_DEPTH:
            continue
        if not _HEADING.search(folded((heading or "").split("›")[-1])):
            continue
        stated = " ".join(text.split(":", 1)[-1].split()) if ":" in text[:60] else " ".join(text.split())
        schedule = parse_deadline(stated[:200], issued)
        if schedule.kind == "once" and schedule.due:
            return PlanPeriod(section, stated[:200], schedule.due)
    return title_period(title, issued)
