"""The daily reminder digest: for each subscription, the tasks of its unit (and plan) due within
N days and the overdue ones, sent through the official's channel via the outbox.

Several server processes may run the job at once; each claims one subscription at a time with
SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL) and writes the digest row and the outgoing message
in the same transaction. The digest's unique (subscription, day) key makes a second writer fail
(SQLite, which has no SKIP LOCKED, relies on it alone): exactly one digest per subscription and
working day, whichever process sends it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.leases import PROCESS_ID
from storage.models import Conversation, OutboundMessage, ReminderDigest, ReminderSubscription
from tasks import store
from tasks.answer import line
from tasks.query import TaskFilter, list_tasks
from vietnamese.workdays import default_calendar

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    day: date
    digests: int = 0  # subscriptions handled by this process today
    messages: int = 0  # digests with something to say (queued for sending)
    skipped_day_off: bool = False

    def to_json(self) -> dict:
        return {"day": self.day.isoformat(), "digests": self.digests, "messages": self.messages, "day_off": self.skipped_day_off}


def digest_text(agency: str, plan: str | None, due: list, overdue: list, day: date, days_ahead: int) -> str | None:
    if not due and not overdue:
        return None
    scope = f" (kế hoạch {plan})" if plan else ""
    parts = [f"Nhắc việc ngày {day:%d/%m/%Y} — {agency}{scope}"]
    if due:
        parts.append(f"Đến hạn trong {days_ahead} ngày tới:")
        parts += [line(v, day, show_units=False) for v in due[:10]]
        if len(due) > 10:
            parts.append(f"… và {len(due) - 10} nhiệm vụ khác.")
    if overdue:
        parts.append("Đã quá hạn:")
        parts += [line(v, day, show_units=False) for v in overdue[:10]]
        if len(overdue) > 10:
            parts.append(f"… và {len(overdue) - 10} nhiệm vụ khác.")
    return "\n".join(parts)


def _claim(session: Session, day: date) -> ReminderSubscription | None:
    done_today = exists().where(and_(ReminderDigest.subscription_id == ReminderSubscription.id, ReminderDigest.day == day))
    query = select(ReminderSubscription).where(ReminderSubscription.active.is_(True), ~done_today).order_by(ReminderSubscription.id).limit(1)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


def run(sessions: sessionmaker[Session], day: date, days_ahead: int, holder: str = PROCESS_ID, force: bool = False) -> RunReport:
    """Send today's digests that nobody has sent yet. Working days only, unless ``force``."""
    report = RunReport(day)
    if not force and not default_calendar().is_working_day(day):
        report.skipped_day_off = True
        return report
    store.sync(sessions)
    skipped: set[int] = set()
    while True:
        with sessions() as session:
            subscription = _claim(session, day)
            if subscription is None or subscription.id in skipped:
                return report
            try:
                _write_digest(session, subscription, day, days_ahead, holder, sessions)
                session.commit()
            except IntegrityError:  # another process wrote this digest first
                session.rollback()
                skipped.add(subscription.id)
                continue
            report.digests += 1
            report.messages += int(bool(session.info.pop("queued", False)))


def _write_digest(session: Session, sub: ReminderSubscription, day: date, days_ahead: int, holder: str, sessions) -> None:
    base = TaskFilter(agency=sub.agency_name, plan=sub.plan_number)
    due = list_tasks(sessions, TaskFilter(**{**base.__dict__, "status": "due", "date_from": day, "date_to": day + timedelta(days=days_ahead)}), day)
    overdue = list_tasks(sessions, TaskFilter(**{**base.__dict__, "status": "overdue"}), day)
    session.add(ReminderDigest(subscription_id=sub.id, day=day, tasks=len(due) + len(overdue), sent_by=holder))
    session.flush()  # the unique (subscription, day) key is checked here
    text = digest_text(sub.agency_name, sub.plan_number, due, overdue, day, days_ahead)
    if text is None:
        return
    conversation = session.get(Conversation, sub.conversation_id)
    session.add(OutboundMessage(
        conversation_id=sub.conversation_id, channel=conversation.channel, kind="reminder", text=text,
        buttons=[{"title": "Hủy nhắc việc", "payload": "/unsubscribe_reminders"}],
        dedupe_key=f"reminder:{sub.id}:{day.isoformat()}",
    ))
    session.info["queued"] = True


def due_now(now: datetime, at: str) -> bool:
    hour, minute = (int(x) for x in at.split(":"))
    return (now.hour, now.minute) >= (hour, minute)


def cancel(sessions: sessionmaker[Session], subscription_id: int, agency_id: str | None = None) -> bool:
    """Stop a subscription from the dashboard and tell its subscriber; ``agency_id`` limits it to one unit."""
    with sessions() as session, session.begin():
        sub = session.get(ReminderSubscription, subscription_id, with_for_update=True)
        if sub is None or not sub.active or (agency_id is not None and sub.agency_id != agency_id):
            return False
        plan = f" (kế hoạch {sub.plan_number})" if sub.plan_number else ""
        store.stop_subscription(
            session, sub, f"reminder-cancel:{sub.id}",
            f"Đăng ký nhắc việc cho {sub.agency_name}{plan} đã được hủy trên trang quản trị. "
            f"Muốn nhận lại, bạn nhắn “đăng ký nhắc hạn cho {sub.agency_name}”.",
        )
    return True
