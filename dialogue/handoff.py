"""Live handoff to an official ("gặp cán bộ"), the part of a helpdesk inbox this product needs.

    open     the citizen asks for a person: the assistant acknowledges once and from then on
             stays silent in that conversation; every citizen message joins the thread
    reply    an official answers in /admin or over the API: the text reaches the citizen on
             the channel they use, through the outbox
    close    an official (or the citizen, typing "kết thúc") ends it: the assistant answers again

Outside office hours (working days, `handoff.office_hours`) the citizen is told when someone
will read the messages and is offered to file feedback instead. Every step is a "system"
message of the thread: the audit trail.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agencies.registry import default_registry
from core.config import get_settings
from core.localtime import local_zone
from storage.models import Conversation, Handoff, HandoffMessage, OutboundMessage, Turn, User
from vietnamese.text import fold_key
from vietnamese.workdays import default_calendar

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
CLOSED_BY_CITIZEN = ("ket thuc", "ket thuc tro chuyen", "thoat", "thoi khong can", "khong can nua", "tro lai tro ly", "quay lai tro ly")
ENDED_BY_CITIZEN = "Đã kết thúc cuộc trò chuyện với cán bộ. Trợ lý tự động tiếp tục hỗ trợ bạn."
STILL_OPEN = ("Bạn đang trò chuyện với cán bộ: tin nhắn bạn gửi được chuyển cho cán bộ, và câu trả lời sẽ hiện ở đây. "
              "Gõ “kết thúc” để quay lại trợ lý tự động.")


def citizen_turn(text: str, intent: str, from_payload: bool) -> str:
    """What a citizen's message does while an official has the conversation: "end" ("kết thúc",
    the Hủy button), "leave" (a button of another flow: close, then handle it) or "relay"."""
    if fold_key(text or "").strip(" .!") in CLOSED_BY_CITIZEN or (from_payload and intent == "cancel"):
        return "end"
    if from_payload and intent == "greet":
        return "greeted"  # the chat opened again (a new tab, Telegram /start): the handoff goes on
    if from_payload and intent not in ("cancel", "human_handoff"):
        return "leave"
    return "relay"


class HandoffError(ValueError):
    """A request an official made that cannot be carried out (message in Vietnamese)."""


@dataclass
class Opened:
    handoff: Handoff
    created: bool  # False: one was already open
    in_hours: bool
    opens_at: datetime | None  # the next time officials are at work, when outside office hours


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def office_clock() -> datetime:
    """The moment office hours are judged at (a separate function so tests can move it)."""
    return now_utc()


def _hours() -> list[tuple[time, time]]:
    spans = []
    for span in get_settings().handoff.office_hours:
        start, end = span.split("-")
        spans.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    return sorted(spans)


def in_office_hours(moment: datetime) -> bool:
    local = moment.astimezone(local_zone())
    if not default_calendar().is_working_day(local.date()):
        return False
    return any(start <= local.time() < end for start, end in _hours())


def next_opening(moment: datetime) -> datetime:
    """The next moment officials are at work (the start of the next office-hours span)."""
    local = moment.astimezone(local_zone())
    day = local.date()
    for _ in range(60):
        if default_calendar().is_working_day(day):
            for start, _end in _hours():
                candidate = datetime.combine(day, start, tzinfo=local_zone())
                if candidate > local:
                    return candidate
        day += timedelta(days=1)
    return local


def describe_opening(moment: datetime) -> str:
    local = moment.astimezone(local_zone())
    return f"{local:%H:%M} {WEEKDAYS[local.weekday()]}, ngày {local:%d/%m/%Y}"


def _agency() -> str | None:
    return get_settings().handoff.agency or default_registry().default_desk


def staffed(sessions: sessionmaker[Session]) -> bool:
    """Can anyone read a handoff: an active dashboard account that handles them (admin, officer)
    or a token of the officials' HTTP API. A fresh installation has neither."""
    if get_settings().server.api_tokens:
        return True
    with sessions() as session:
        return session.scalar(select(User.id).where(User.active.is_(True), User.role.in_(("admin", "officer"))).limit(1)) is not None


def open_for(session: Session, conversation_id: int) -> Handoff | None:
    return session.scalar(select(Handoff).where(Handoff.conversation_id == conversation_id, Handoff.status == "open"))


def open_handoff(sessions: sessionmaker[Session], conversation_id: int, text: str, now: datetime | None = None) -> Opened:
    now = now or now_utc()
    with sessions() as session, session.begin():
        existing = open_for(session, conversation_id)
        created = existing is None
        handoff = existing or Handoff(conversation_id=conversation_id, message=text or "", status="open", agency_id=_agency(),
                                      waiting_since=now, last_activity_at=now, created_at=now)
        if created:
            session.add(handoff)
            session.flush()
            session.add(HandoffMessage(handoff_id=handoff.id, sender="system", author="opened", text="Người dân đề nghị gặp cán bộ.", created_at=now))
            if text and not text.startswith("/"):
                session.add(HandoffMessage(handoff_id=handoff.id, sender="citizen", text=text, created_at=now))
        session.flush()
        session.expunge(handoff)
    moment = office_clock()
    hours = in_office_hours(moment)
    return Opened(handoff, created, hours, None if hours else next_opening(moment))


def citizen_message(sessions: sessionmaker[Session], handoff_id: int, text: str, now: datetime | None = None) -> None:
    now = now or now_utc()
    with sessions() as session, session.begin():
        handoff = session.get(Handoff, handoff_id, with_for_update=True)
        if handoff is None or handoff.status != "open":
            return
        session.add(HandoffMessage(handoff_id=handoff_id, sender="citizen", text=text, created_at=now))
        handoff.waiting_since = handoff.waiting_since or now
        handoff.last_activity_at = now


def reply(sessions: sessionmaker[Session], handoff_id: int, author: str, text: str, now: datetime | None = None) -> Handoff:
    """An official's message: kept in the thread and queued for the citizen's channel."""
    now = now or now_utc()
    text = (text or "").strip()
    if not text:
        raise HandoffError("Nội dung trả lời đang trống.")
    if len(text) > 4000:
        raise HandoffError("Trả lời dài quá 4.000 ký tự; bạn chia thành nhiều tin.")
    with sessions() as session, session.begin():
        handoff = session.get(Handoff, handoff_id, with_for_update=True)
        if handoff is None:
            raise HandoffError(f"Không tìm thấy yêu cầu gặp cán bộ số {handoff_id}.")
        if handoff.status != "open":
            raise HandoffError("Cuộc trò chuyện này đã kết thúc.")
        session.add(HandoffMessage(handoff_id=handoff_id, sender="official", author=author, text=text, created_at=now))
        handoff.assigned_to = handoff.assigned_to or author
        handoff.waiting_since = None
        handoff.last_activity_at = now
        _queue(session, handoff.conversation_id, f"Cán bộ trả lời:\n{text}", "handoff_reply", now)
        session.flush()
        session.expunge(handoff)
    return handoff


def close(sessions: sessionmaker[Session], handoff_id: int, actor: str, by_citizen: bool = False, now: datetime | None = None) -> Handoff:
    now = now or now_utc()
    with sessions() as session, session.begin():
        handoff = session.get(Handoff, handoff_id, with_for_update=True)
        if handoff is None:
            raise HandoffError(f"Không tìm thấy yêu cầu gặp cán bộ số {handoff_id}.")
        if handoff.status == "open":
            handoff.status, handoff.closed_at, handoff.closed_by, handoff.waiting_since = "closed", now, actor, None
            session.add(HandoffMessage(handoff_id=handoff_id, sender="system", author="closed",
                                       text=f"Kết thúc ({'người dân' if by_citizen else actor}).", created_at=now))
            if not by_citizen:
                _queue(session, handoff.conversation_id,
                       "Cán bộ đã kết thúc cuộc trò chuyện. Trợ lý tự động tiếp tục hỗ trợ bạn; gõ “gặp cán bộ” nếu cần nói chuyện lại.",
                       "handoff_closed", now)
        session.flush()
        session.expunge(handoff)
    return handoff


def _queue(session: Session, conversation_id: int, text: str, kind: str, now: datetime) -> None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        session.add(OutboundMessage(conversation_id=conversation.id, channel=conversation.channel, kind=kind, text=text,
                                    buttons=[], dedupe_key=f"{kind}:{uuid.uuid4().hex}", created_at=now, next_attempt_at=now))


# ---- what officials see -------------------------------------------------------------------


def visible(query, agency_id: str | None):
    """Officers see their unit's handoffs; administrators (agency_id None) see all."""
    return query if agency_id is None else query.where(Handoff.agency_id == agency_id)


def listing(sessions: sessionmaker[Session], status: str | None = "open", agency_id: str | None = None, limit: int = 100) -> list[dict]:
    with sessions() as session:
        query = visible(select(Handoff), agency_id)
        if status:
            query = query.where(Handoff.status == status)
        rows = session.scalars(query.order_by(Handoff.created_at.desc(), Handoff.id.desc()).limit(limit)).all()
        counts = dict(session.execute(
            select(HandoffMessage.handoff_id, func.count()).where(HandoffMessage.handoff_id.in_([r.id for r in rows]),
                                                                 HandoffMessage.sender == "citizen").group_by(HandoffMessage.handoff_id)
        ).all()) if rows else {}
        channels = dict(session.execute(select(Conversation.id, Conversation.channel).where(
            Conversation.id.in_([r.conversation_id for r in rows]))).all()) if rows else {}
        return [summary(r, counts.get(r.id, 0), channels.get(r.conversation_id)) for r in rows]


def summary(handoff: Handoff, citizen_messages: int = 0, channel: str | None = None) -> dict:
    return {
        "id": handoff.id, "status": handoff.status, "agency_id": handoff.agency_id, "assigned_to": handoff.assigned_to,
        "channel": channel, "opened_at": handoff.created_at.isoformat(), "waiting_since": handoff.waiting_since.isoformat() if handoff.waiting_since else None,
        "closed_at": handoff.closed_at.isoformat() if handoff.closed_at else None, "citizen_messages": citizen_messages,
    }


def thread(sessions: sessionmaker[Session], handoff_id: int, agency_id: str | None = None, turns: int = 20) -> dict | None:
    """The handoff with its messages and the conversation before it (masked as in the turn log)."""
    with sessions() as session:
        handoff = session.scalar(visible(select(Handoff), agency_id).where(Handoff.id == handoff_id))
        if handoff is None:
            return None
        channel = session.scalar(select(Conversation.channel).where(Conversation.id == handoff.conversation_id))
        before = session.scalars(
            select(Turn).where(Turn.conversation_id == handoff.conversation_id, Turn.created_at <= handoff.created_at)
            .order_by(Turn.id.desc()).limit(turns)
        ).all()
        data = summary(handoff, sum(1 for m in handoff.messages if m.sender == "citizen"), channel)
        data["messages"] = [{"sender": m.sender, "author": m.author, "text": m.text, "at": m.created_at.isoformat()} for m in handoff.messages]
        data["conversation"] = [{"text": t.text, "intent": t.intent, "at": t.created_at.isoformat()} for t in reversed(before)]
        return data


def waiting_too_long(sessions: sessionmaker[Session], agency_id: str | None = None, now: datetime | None = None) -> int:
    """Open handoffs whose citizen has waited longer than `handoff.alert_minutes` for an answer."""
    now = now or now_utc()
    limit = now - timedelta(minutes=get_settings().handoff.alert_minutes)
    with sessions() as session:
        query = visible(select(func.count(Handoff.id)), agency_id).where(Handoff.status == "open", Handoff.waiting_since <= limit)
        return session.scalar(query) or 0
