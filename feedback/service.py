"""Feedback intake and handling: tracking codes, category, routing, due dates, audit trail,
replies queued for delivery to the citizen's channel."""
from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from agencies.registry import default_registry
from core.config import get_settings
from core.localtime import local_today
from storage.models import Feedback, FeedbackEvent, OutboundMessage
from vietnamese.text import fold_key
from vietnamese.workdays import default_calendar

STATUSES = {
    "received": "Đã tiếp nhận",
    "rejected": "Không tiếp nhận",
    "classified": "Đã phân loại",
    "forwarded": "Đã chuyển",
    "in_progress": "Đang xử lý",
    "resolved": "Đã có kết quả",
    "published": "Đã công khai",
}
CLOSED = {"rejected", "resolved", "published"}
CATEGORIES = {
    "conduct": "Hành vi, thái độ của cán bộ, công chức",
    "procedure": "Thủ tục hành chính, hồ sơ",
    "regulation": "Quy định hành chính",
    "other": "Khác",
}
KINDS = {"feedback": "Phản ánh, kiến nghị", "complaint": "Khiếu nại", "denunciation": "Tố cáo"}
_CATEGORY_RULES = [
    ("conduct", r"\b(can bo|cong chuc|vien chuc|thai do|hach dich|nhung nhieu|doi tien|quat|gay kho|tieu cuc|hoi lo|voi vinh|phien ha|cua quyen|boi duong)\b"),
    ("regulation", r"\b(quy dinh|khong phu hop|bat hop ly|chinh sach|van ban|de xuat sua|kien nghi sua|sua doi)\b"),
    ("procedure", r"\b(ho so|thu tuc|tre hen|qua han|qua hen|chua co ket qua|tra lai|bo sung|cham|giay to|nop|truc tuyen|ket qua)\b"),
]


class FeedbackError(ValueError):
    """A request an official or API client made that cannot be carried out (message in Vietnamese)."""


@dataclass
class Draft:
    content: str
    reporter_name: str | None = None
    reporter_address: str | None = None
    reporter_phone: str | None = None
    kind: str = "feedback"
    category: str | None = None  # set by the caller (Open311 service_code), else classified from the text
    procedure_code: str | None = None
    procedure_title: str | None = None
    procedure_agency: str | None = None  # the procedure's executing agency, as published
    agency_hint: str | None = None  # a unit the citizen named
    location_address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    media: list[dict] = field(default_factory=list)
    channel: str | None = None
    conversation_id: int | None = None
    source: str = "chat"


def classify(content: str) -> str:
    folded = fold_key(content)
    for category, pattern in _CATEGORY_RULES:
        if re.search(pattern, folded):
            return category
    return "other"


def route(draft: Draft) -> tuple[str | None, str, str]:
    """(agency id, agency name, why) — by the procedure's agency, by a unit named, else the default desk."""
    registry = default_registry()
    if draft.procedure_agency:
        agency = registry.resolve(draft.procedure_agency) or next(iter(m.agency for m in registry.find(draft.procedure_agency)), None)
        if agency:
            return agency.id, agency.name, "theo thủ tục"
    for text in (draft.agency_hint, draft.content):
        for mention in registry.find(text or ""):
            if mention.agency and mention.agency.is_current:
                return mention.agency.id, mention.agency.name, "theo cơ quan được nêu"
    desk = registry.get(registry.default_desk or "")
    return (desk.id, desk.name, "bộ phận tiếp nhận chung") if desk else (None, "Bộ phận tiếp nhận chung", "bộ phận tiếp nhận chung")


def due_date(category: str, received: date) -> date:
    days = get_settings().feedback.sla_working_days.get(category, 10)
    return default_calendar().add_working_days(received, days)


def forward_due(received: date) -> date:
    return default_calendar().add_working_days(received, get_settings().feedback.forward_working_days)


def submit(sessions: sessionmaker[Session], draft: Draft, now: datetime | None = None) -> Feedback:
    now = now or datetime.now(timezone.utc)
    received = local_today(now)
    category = draft.category if draft.category in CATEGORIES else classify(draft.content)
    agency_id, agency_name, why = route(draft)
    with sessions() as session, session.begin():
        item = Feedback(
            kind=draft.kind,
            category=category,
            status="received",
            content=draft.content,
            procedure_code=draft.procedure_code,
            procedure_title=draft.procedure_title,
            agency_id=agency_id,
            agency_name=agency_name,
            reporter_name=draft.reporter_name,
            reporter_address=draft.reporter_address,
            reporter_phone=draft.reporter_phone,
            location_address=draft.location_address,
            latitude=draft.latitude if _on_earth(draft.latitude, 90) else None,
            longitude=draft.longitude if _on_earth(draft.longitude, 180) else None,
            media=draft.media,
            source=draft.source,
            channel=draft.channel,
            conversation_id=draft.conversation_id,
            received_at=now,
            due_at=due_date(category, received),
        )
        item.code = _unused_code(session, received.year)
        session.add(item)
        session.flush()
        session.add(FeedbackEvent(feedback_id=item.id, actor="citizen" if draft.source == "chat" else draft.source,
                                  action="created", to_status="received", note=f"Chuyển {agency_name} ({why})", created_at=now))
        session.flush()
        session.expunge(item)
    return item


CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: readable over the phone


def new_code(year: int) -> str:
    """PA-2026-7K3M9X: the readable prefix and year, then 6 random characters (31^6 ≈ 887 million),
    so nobody can walk through other people's codes."""
    tail = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{get_settings().feedback.code_prefix}-{year}-{tail}"


def _unused_code(session: Session, year: int) -> str:
    for _ in range(10):
        code = new_code(year)
        if session.scalar(select(Feedback.id).where(Feedback.code == code)) is None:
            return code  # the unique index still guards the (vanishing) race
    raise RuntimeError("no free tracking code after 10 draws")


def find(sessions: sessionmaker[Session], code: str, with_events: bool = False) -> Feedback | None:
    with sessions() as session:
        query = select(Feedback).where(Feedback.code == code.upper())
        if with_events:
            query = query.options(selectinload(Feedback.events))
        item = session.scalar(query)
        if item is not None:
            session.expunge(item)
        return item


RATEABLE = ("resolved", "published")


def awaiting_rating(sessions: sessionmaker[Session], conversation_id: int, limit: int = 2) -> list[Feedback]:
    """The conversation's own feedback with a result and no rating yet, newest first: what the
    citizen can rate when they ask to rate "việc xử lý" without naming the item."""
    with sessions() as session:
        items = list(session.scalars(
            select(Feedback)
            .where(Feedback.conversation_id == conversation_id, Feedback.status.in_(RATEABLE), Feedback.satisfaction.is_(None))
            .order_by(Feedback.updated_at.desc(), Feedback.id.desc())
            .limit(limit)
        ))
        for item in items:
            session.expunge(item)
        return items


def update(
    sessions: sessionmaker[Session],
    code: str,
    actor: str,
    status: str | None = None,
    reply: str | None = None,
    note: str | None = None,
    assign: str | None = None,
    agency_id: str | None = None,
    category: str | None = None,
    now: datetime | None = None,
) -> Feedback:
    """Change status / category / write the reply / assign / re-route; audit every change; queue the reply."""
    now = now or datetime.now(timezone.utc)
    if status and status not in STATUSES:
        raise FeedbackError(f"Trạng thái không hợp lệ: {status}. Dùng một trong: {', '.join(STATUSES)}")
    if category and category not in CATEGORIES:
        raise FeedbackError(f"Loại không hợp lệ: {category}. Dùng một trong: {', '.join(CATEGORIES)}")
    with sessions() as session, session.begin():
        item = session.scalar(select(Feedback).where(Feedback.code == code.upper()).with_for_update())
        if item is None:
            raise FeedbackError(f"Không tìm thấy phản ánh {code}")
        events = []
        if agency_id and agency_id != item.agency_id:
            agency = default_registry().get(agency_id)
            if agency is None:
                raise FeedbackError(f"Không có đơn vị {agency_id} trong danh mục")
            events.append(FeedbackEvent(actor=actor, action="route", note=f"{item.agency_name} → {agency.name}"))
            item.agency_id, item.agency_name = agency.id, agency.name
        if category and category != item.category:
            events.append(FeedbackEvent(actor=actor, action="category", note=f"{CATEGORIES.get(item.category, item.category)} → {CATEGORIES[category]}"))
            item.category = category
            if item.status not in CLOSED:  # the handling time follows the category
                item.due_at = due_date(category, local_today(item.received_at))
        if assign is not None and assign != item.assigned_to:
            events.append(FeedbackEvent(actor=actor, action="assign", note=assign or "(bỏ giao)"))
            item.assigned_to = assign or None
        if status and status != item.status:
            events.append(FeedbackEvent(actor=actor, action="status", from_status=item.status, to_status=status, note=note))
            item.status = status
            if status in ("resolved", "published") and item.resolved_at is None:
                item.resolved_at = now
        elif note:
            events.append(FeedbackEvent(actor=actor, action="note", note=note))
        if note and status:
            item.status_note = note
        if reply is not None and reply.strip() and reply.strip() != (item.reply or ""):
            item.reply = reply.strip()
            events.append(FeedbackEvent(actor=actor, action="reply", note=reply.strip()))
        if not events:
            raise FeedbackError("Không có thay đổi nào")
        for event in events:
            event.created_at = now
            item.events.append(event)
        item.updated_at = now
        session.flush()
        if item.conversation_id and any(e.action in ("reply", "status") for e in events):
            _queue_notice(session, item, events[-1], now)
        session.flush()
        session.refresh(item, ["events"])
        session.expunge(item)
    return item


def _queue_notice(session: Session, item: Feedback, event: FeedbackEvent, now: datetime) -> None:
    """Tell the citizen, on the channel they used, that their feedback has news."""
    from storage.models import Conversation

    conversation = session.get(Conversation, item.conversation_id)
    if conversation is None:
        return
    text = f"Phản ánh {item.code} của bạn: {STATUSES[item.status]}."
    if event.action == "reply" or item.reply and item.status in ("resolved", "published"):
        text += f"\nTrả lời của {item.agency_name or 'cơ quan'}:\n{item.reply}"
    session.add(
        OutboundMessage(
            conversation_id=conversation.id,
            channel=conversation.channel,
            kind="feedback_reply",
            text=text,
            buttons=[{"title": "Đánh giá việc xử lý", "payload": f'/give_rating{{"feedback": "{item.code}"}}'}]
            if item.status in RATEABLE
            else [],
            dedupe_key=f"feedback:{item.id}:event:{event.id}",
            created_at=now,
            next_attempt_at=now,
        )
    )


def list_items(
    sessions: sessionmaker[Session],
    status: str | None = None,
    agency_id: str | None = None,
    category: str | None = None,
    overdue: bool | None = None,
    today: date | None = None,
    limit: int = 100,
    offset: int = 0,
    codes: Iterable[str] | None = None,
) -> tuple[list[Feedback], int]:
    today = today or local_today()
    query = select(Feedback)
    if status:
        query = query.where(Feedback.status == status)
    if agency_id:
        query = query.where(Feedback.agency_id == agency_id)
    if category:
        query = query.where(Feedback.category == category)
    if overdue:
        query = query.where(Feedback.status.notin_(CLOSED), Feedback.due_at < today)
    if codes:
        query = query.where(Feedback.code.in_(list(codes)))
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = session.scalars(query.order_by(Feedback.received_at.desc(), Feedback.id.desc()).limit(limit).offset(offset)).all()
        for item in items:
            session.expunge(item)
    return list(items), total


def is_overdue(item: Feedback, today: date | None = None) -> bool:
    return item.status not in CLOSED and item.due_at is not None and item.due_at < (today or local_today())


def status_text(item: Feedback, show_contact: bool) -> str:
    """What the chat shows for a code: status for anyone; the reply, the reason of a refusal, the
    content and contact only to the filer (``show_contact``), the published result to all."""
    lines = [
        f"Phản ánh {item.code}: {STATUSES.get(item.status, item.status)}",
        f"Tiếp nhận: {local_today(item.received_at):%d/%m/%Y}" + (f" — hạn xử lý: {item.due_at:%d/%m/%Y}" if item.due_at else ""),
        f"Đơn vị xử lý: {item.agency_name or 'chưa phân công'}",
    ]
    # the official's reply is the filer's; anyone else sees it once the agency publishes it
    if item.reply and (item.status == "published" or (show_contact and item.status == "resolved")):
        lines.append(f"Kết quả xử lý: {item.reply}")
    elif item.reply and item.status == "resolved":
        lines.append("Đã có kết quả trả lời gửi người phản ánh.")
    elif item.status_note and item.status == "rejected" and show_contact:
        lines.append(f"Lý do: {item.status_note}")
    if show_contact:
        lines.append(f"Nội dung: {item.content[:300]}{'…' if len(item.content) > 300 else ''}")
        lines.append(f"Người gửi: {item.reporter_name or ''} — {item.reporter_phone or ''} — {item.reporter_address or ''}")
    return "\n".join(lines)


def _on_earth(value, bound: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and -bound <= value <= bound


def finite(value: float | None) -> float | None:
    """Coordinates stored before they were checked may be NaN or infinite: JSON has no such numbers."""
    return value if value is not None and math.isfinite(value) else None


def to_json(item: Feedback, with_contact: bool = False, with_events: bool = False, today: date | None = None) -> dict:
    """An item for officials' tools; contact details only when asked for."""
    data = {
        "code": item.code,
        "status": item.status,
        "status_label": STATUSES.get(item.status, item.status),
        "kind": item.kind,
        "category": item.category,
        "content": item.content,
        "procedure_code": item.procedure_code,
        "procedure_title": item.procedure_title,
        "agency_id": item.agency_id,
        "agency_name": item.agency_name,
        "assigned_to": item.assigned_to,
        "channel": item.channel,
        "source": item.source,
        "received_at": item.received_at.isoformat() if item.received_at else None,
        "due_at": item.due_at.isoformat() if item.due_at else None,
        "overdue": is_overdue(item, today),
        "resolved_at": item.resolved_at.isoformat() if item.resolved_at else None,
        "reply": item.reply,
        "status_note": item.status_note,
        "satisfaction": item.satisfaction,
        "location": {"address": item.location_address, "lat": finite(item.latitude), "long": finite(item.longitude)},
        "media": item.media or [],
    }
    if with_contact:
        data["reporter"] = {"name": item.reporter_name, "address": item.reporter_address, "phone": item.reporter_phone}
    if with_events:
        data["events"] = [
            {"at": e.created_at.isoformat() if e.created_at else None, "actor": e.actor, "action": e.action,
             "from_status": e.from_status, "to_status": e.to_status, "note": e.note}
            for e in item.events
        ]
    return data
