"""The actions with Rasa's tracker alone (no metadata only the embedded engine injects): the
person is known by sender id and input channel, the rows they need are created on first use, and
what officials send later reaches them through Rasa's HTTP API (bot.channels.rasa)."""
from __future__ import annotations

import asyncio
import json

import pytest
from fastapi import FastAPI, Request
from rasa_sdk.executor import ActionExecutor
from sqlalchemy import select

from core.config import RasaChannelSettings
from tests.fakes.server import LocalServer


@pytest.fixture
def executor(civic_db):
    from storage.db import get_engine

    get_engine()  # migrations
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def run(executor, action, text="", slots=None, entities=None, sender="rasa-user-1", channel="rest", intent="ask_question",
        active_loop=None, extracted=None):
    """Run ``action`` as Rasa's action server would; ``extracted``: slots Rasa's form filled from
    this message (SlotSet events after it, which the validator validates)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": entities or [], "metadata": {}}
    tracker = {
        "sender_id": sender,
        "slots": {"requested_slot": None, **(slots or {}), **(extracted or {})},
        "latest_message": latest,
        "events": [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
                   *({"event": "slot", "name": k, "value": v} for k, v in (extracted or {}).items())],
        "paused": False, "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    }
    from dialogue.domain import load_domain

    result = asyncio.run(executor.run({"next_action": action, "sender_id": sender, "tracker": tracker, "domain": load_domain(), "version": "3.6.21"}))
    return [dict(e) for e in result.events], result.responses


def conversation(channel, user):
    from storage.db import session_factory
    from storage.models import Conversation

    with session_factory()() as session:
        return session.scalar(select(Conversation).where(Conversation.channel == channel, Conversation.user_id == user))


def test_feedback_filed_through_rasa_belongs_to_the_sender(executor):
    slots = {"feedback_content": "Đèn đường tổ 3 thôn Bắc hỏng cả tuần nay", "feedback_category": "other",
             "feedback_subject": "none", "reporter_name": "Nguyễn Văn An", "reporter_address": "Thôn Bắc",
             "reporter_phone": "0912345678", "feedback_confirmed": "yes"}
    events, responses = run(executor, "action_submit_feedback", "đúng", slots=slots, intent="affirm")
    code = next(r["text"] for r in responses).split("Mã theo dõi: ")[1].split()[0]
    row = conversation("rasa", "rest:rasa-user-1")
    assert row is not None and row.chat_id == "rasa-user-1"
    from feedback import service
    from storage.db import session_factory

    item = service.find(session_factory(), code)
    assert item.channel == "rasa" and item.conversation_id == row.id
    # the filer sees the contact details of the handling unit; someone else with the code does not
    _, mine = run(executor, "action_check_feedback_status", code, slots={"tracking_code": code}, intent="check_feedback_status")
    _, theirs = run(executor, "action_check_feedback_status", code, slots={"tracking_code": code}, intent="check_feedback_status", sender="other")
    assert service.status_text(item, show_contact=True) in mine[0]["text"]
    assert service.status_text(item, show_contact=False) in theirs[0]["text"]


def test_handoff_and_reminders_work_without_engine_metadata(executor):
    from dialogue import handoff
    from storage.db import session_factory
    from storage.models import ReminderSubscription

    events, responses = run(executor, "action_human_handoff", "gặp cán bộ", intent="human_handoff", sender="771", channel="telegram")
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values == {"answer_status": "handoff", "handoff_open": True}
    row = conversation("telegram", "771")  # Rasa's Telegram connector: the assistant's own sender reaches the chat
    with session_factory()() as session:
        opened = handoff.open_for(session, row.id)
    assert opened is not None
    # while it is open (the export's rules send every message to the relay) the official reads it
    events, responses = run(executor, "action_handoff_relay", "hồ sơ đất của tôi chưa có kết quả", intent="file_feedback",
                            sender="771", channel="telegram", slots={"handoff_open": True})
    assert responses == [] and "hồ sơ đất của tôi chưa có kết quả" in [m["text"] for m in handoff.thread(session_factory(), opened.id)["messages"]]
    events, responses = run(executor, "action_handoff_relay", "kết thúc", intent="goodbye", sender="771", channel="telegram",
                            slots={"handoff_open": True})
    assert responses[0]["text"] == handoff.ENDED_BY_CITIZEN
    assert {"name": "handoff_open", "value": False} in [{"name": e["name"], "value": e["value"]} for e in events]
    with session_factory()() as session:
        assert handoff.open_for(session, row.id) is None
    # closed by the official meanwhile: the message is handled as usual
    events, _ = run(executor, "action_handoff_relay", "gửi phản ánh", intent="file_feedback", sender="771", channel="telegram",
                    slots={"handoff_open": True})
    assert {"event": "followup", "name": "feedback_form"}.items() <= events[-1].items()
    run(executor, "action_subscribe_reminders", "Phòng Nội vụ", slots={"reminder_agency": "Phòng Nội vụ"}, intent="subscribe_reminders")
    rasa_row = conversation("rasa", "rest:rasa-user-1")
    with session_factory()() as session:
        subscription = session.scalar(select(ReminderSubscription).where(ReminderSubscription.conversation_id == rasa_row.id))
    assert subscription is not None and subscription.active
    _, responses = run(executor, "action_unsubscribe_reminders", "hủy nhắc việc", intent="unsubscribe_reminders")
    assert "Đã hủy nhắc việc" in responses[0]["text"]


def test_a_correction_in_the_summary_asks_that_field_again(executor):
    slots = {"feedback_content": "Đèn đường tổ 3 thôn Bắc hỏng cả tuần nay", "feedback_category": "other", "feedback_subject": "none",
             "reporter_name": "Nguyễn Văn An", "reporter_address": "Thôn Bắc", "reporter_phone": "0912345678",
             "requested_slot": "feedback_confirmed", "feedback_fixing": "yes"}
    payload = '/deny{"fix": "reporter_phone"}'
    for text in (payload, "số điện thoại"):
        # Rasa's from_text fills the requested slot with the text; the validator reads it
        events, _ = run(executor, "validate_feedback_form", text, slots=slots, intent="deny", active_loop="feedback_form",
                        extracted={"feedback_confirmed": text})
        values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        assert values["requested_slot"] == "reporter_phone" and values["reporter_phone"] is None, values


def test_officials_messages_reach_a_rasa_conversation(executor):
    """An official's reply is queued for channel "rasa" and handed to Rasa's trigger_intent."""
    from delivery import outbox
    from bot.channels.rasa import RasaChannel
    from dialogue import handoff
    from storage.db import session_factory

    received = []
    fake = FastAPI()

    @fake.post("/conversations/{sender:path}/trigger_intent")
    async def trigger(sender: str, request: Request):
        received.append((sender, dict(request.query_params), await request.json()))
        return {"tracker": {}, "messages": []}

    run(executor, "action_human_handoff", "gặp cán bộ", intent="human_handoff", sender="web user/7")
    row = conversation("rasa", "rest:web user/7")
    with session_factory()() as session:
        opened = handoff.open_for(session, row.id)
    handoff.reply(session_factory(), opened.id, "can-bo", "Xã sẽ chi trợ cấp vào thứ Sáu.")
    with LocalServer(fake) as rasa:
        channel = RasaChannel(RasaChannelSettings(url=rasa.url, token="secret"))
        counts = asyncio.run(outbox.deliver(session_factory(), {"rasa": channel}))
    assert counts["sent"] >= 1
    sender, params, body = received[0]
    assert sender == "web user/7" and params == {"output_channel": "latest", "token": "secret"}
    assert body["name"] == "EXTERNAL_outbox" and "Xã sẽ chi trợ cấp vào thứ Sáu." in body["entities"]["outbox_text"]
    # Rasa's rule then runs action_deliver_message, which says the text with its buttons
    entities = [{"entity": k, "value": v} for k, v in body["entities"].items()]
    _, responses = run(executor, "action_deliver_message", "", entities=entities, intent="EXTERNAL_outbox", sender=sender)
    assert "Xã sẽ chi trợ cấp vào thứ Sáu." in responses[0]["text"]
    assert json.loads(body["entities"]["outbox_buttons"]) == [{"title": b["title"], "payload": b["payload"]} for b in responses[0]["buttons"]]


def test_a_question_where_a_phone_number_was_asked_is_answered_aside(engine):
    """Rasa fills a fixed-format slot with any text (DIET may read "0912345678" as a question);
    the validator answers a real question aside and asks again, and keeps a valid answer."""
    executor = ActionExecutor()
    executor.register_package("actions")
    slots = {"feedback_content": "Đèn đường tổ 3 thôn Bắc hỏng cả tuần nay", "feedback_category": "other", "feedback_subject": "none",
             "reporter_name": "Nguyễn Văn An", "reporter_address": "Thôn Bắc", "requested_slot": "reporter_phone"}
    question = "lệ phí đăng ký kết hôn bao nhiêu?"
    events, responses = run(executor, "validate_feedback_form", question, slots=slots, intent="ask_question",
                            active_loop="feedback_form", extracted={"reporter_phone": question})
    texts = [r.get("text") or r.get("response") for r in responses]
    assert any("9.000102" in (t or "") for t in texts) and "utter_resume_form" in texts
    assert [e for e in events if e.get("event") == "slot"] == [{"event": "slot", "timestamp": None, "name": "reporter_phone", "value": None}]
    # a valid phone number is the answer, whatever the classifier thought it was
    events, _ = run(executor, "validate_feedback_form", "0912345678", slots=slots, intent="ask_deadline",
                    active_loop="feedback_form", extracted={"reporter_phone": "0912345678"})
    assert {"name": "reporter_phone", "value": "+84912345678"} in [{"name": e["name"], "value": e["value"]} for e in events if e.get("event") == "slot"]
