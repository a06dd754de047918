"""Officials subscribe to reminders of the plan tasks of their unit."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import SlotSet
from sqlalchemy import select, update

from actions.common import identity, sessions
from core.config import get_settings
from tasks.answer import PLAN_NUMBER
from tasks.units import folded
from agencies.registry import default_registry
from feedback.validation import clean
from storage.models import ReminderSubscription


class ValidateReminderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_reminder_form"

    def validate_reminder_agency(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        text = clean(value)
        agency = default_registry().resolve(text) or next((m.agency for m in default_registry().find(text) if m.agency), None)
        if agency:
            return {"reminder_agency": agency.name}
        if len(text) < 5 or len(text) > 120:
            dispatcher.utter_message(text="Bạn cho biết tên đơn vị, ví dụ: Phòng Kinh tế, Văn phòng HĐND và UBND xã.")
            return {"reminder_agency": None}
        return {"reminder_agency": text}  # a unit the registry does not know is kept as written


def _plan_number(tracker) -> str | None:
    """"nhắc hạn kế hoạch 341 cho Phòng Nội vụ" → "341" (from any message of the form)."""
    said = [e.get("text") or "" for e in tracker.events or [] if e.get("event") == "user"][-2:]
    for text in reversed(said):  # the answer to "which unit?" or the request that opened the form
        m = PLAN_NUMBER.search(folded(text))
        if m:
            return m.group(1).replace(" ", "").upper()
    return None


class ActionSubscribeReminders(Action):
    def name(self) -> str:
        return "action_subscribe_reminders"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        name = tracker.get_slot("reminder_agency")
        agency = default_registry().resolve(name or "")
        conversation_id = identity(tracker).conversation_id
        plan = _plan_number(tracker)
        with sessions()() as session:
            existing = session.scalar(
                select(ReminderSubscription).where(
                    ReminderSubscription.conversation_id == conversation_id,
                    ReminderSubscription.agency_name == name,
                    ReminderSubscription.plan_number.is_(None) if plan is None else ReminderSubscription.plan_number == plan,
                    ReminderSubscription.active.is_(True),
                )
            )
            if existing is None:
                session.add(ReminderSubscription(
                    conversation_id=conversation_id, agency_id=agency.id if agency else None, agency_name=name, plan_number=plan,
                ))
                session.commit()
        days = get_settings().tasks.reminder_days_ahead
        scope = f" theo kế hoạch {plan}" if plan else ""
        dispatcher.utter_message(
            text=(f"Đã đăng ký nhắc việc cho {name}{scope}. Mỗi sáng ngày làm việc, tôi sẽ gửi danh sách nhiệm vụ "
                  f"đến hạn trong {days} ngày tới và các nhiệm vụ quá hạn của đơn vị (nếu có)."),
            buttons=[{"title": "Hủy nhắc việc", "payload": "/unsubscribe_reminders"}],
        )
        return [SlotSet("reminder_agency", None), SlotSet("answer_status", "subscribed")]


class ActionUnsubscribeReminders(Action):
    def name(self) -> str:
        return "action_unsubscribe_reminders"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        conversation_id = identity(tracker).conversation_id
        agency = next((e.get("value") for e in (tracker.latest_message or {}).get("entities", []) if e.get("entity") == "agency"), None)
        with sessions()() as session:
            query = update(ReminderSubscription).where(
                ReminderSubscription.conversation_id == conversation_id, ReminderSubscription.active.is_(True)
            )
            if agency:
                query = query.where(ReminderSubscription.agency_name == agency)
            count = session.execute(query.values(active=False)).rowcount
            session.commit()
        if count:
            dispatcher.utter_message(text=f"Đã hủy nhắc việc{' cho ' + agency if agency else ''}. Bạn sẽ không nhận tin nhắc hạn nữa.")
        else:
            dispatcher.utter_message(text="Bạn chưa đăng ký nhắc việc nào.")
        return [SlotSet("answer_status", "unsubscribed")]


class ActionCancelReminderForm(Action):
    def name(self) -> str:
        return "action_cancel_reminder_form"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        dispatcher.utter_message(response="utter_cancelled")
        return [SlotSet("reminder_agency", None), SlotSet("requested_slot", None)]
