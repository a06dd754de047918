"""Hand the conversation over to an official (dialogue.handoff): from now on a person answers."""
from __future__ import annotations

from rasa_sdk import Action
from rasa_sdk.events import FollowupAction, SlotSet

from actions.common import identity, sessions
from agencies.registry import default_registry
from dialogue import handoff

FEEDBACK_BUTTON = {"title": "Gửi phản ánh thay thế", "payload": "/file_feedback"}
END_BUTTON = {"title": "Kết thúc, quay lại trợ lý", "payload": "/cancel"}
OPEN_SLOT = "handoff_open"  # read by the rules of the Rasa export


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        text = (tracker.latest_message or {}).get("text") or ""
        opened = handoff.open_handoff(sessions(), identity(tracker).conversation_id, text)
        unit = default_registry().get(opened.handoff.agency_id or "")
        who = f"cán bộ {unit.name}" if unit else "cán bộ trực"
        if not handoff.staffed(sessions()):
            # kept for when officials are set up, but nobody can read it now: no promise
            message = (
                "Hệ thống này chưa có cán bộ nào được giao trả lời trực tuyến, nên tôi chưa thể hẹn khi nào "
                "có người đọc tin nhắn của bạn. Tin nhắn vẫn được lưu lại cho cán bộ; để chắc chắn được trả lời, "
                "bạn nên gửi phản ánh, kiến nghị (được theo dõi bằng mã). Gõ “kết thúc” để quay lại trợ lý tự động."
            )
            buttons = [FEEDBACK_BUTTON, END_BUTTON]
        elif opened.in_hours:
            message = (
                f"Tôi đã chuyển cuộc trò chuyện cho {who}. Cán bộ sẽ đọc và trả lời ngay tại đây; "
                "những tin bạn gửi tiếp theo sẽ được chuyển tới cán bộ. Gõ “kết thúc” để quay lại trợ lý tự động."
            )
            buttons = [END_BUTTON]
        else:
            message = (
                f"Hiện đang ngoài giờ làm việc. {who[:1].upper()}{who[1:]} sẽ đọc tin nhắn của bạn từ "
                f"{handoff.describe_opening(opened.opens_at)}. Bạn có thể để lại lời nhắn ngay tại đây, "
                "hoặc gửi phản ánh, kiến nghị để được theo dõi bằng mã. Gõ “kết thúc” để quay lại trợ lý tự động."
            )
            buttons = [FEEDBACK_BUTTON, END_BUTTON]
        dispatcher.utter_message(text=message, buttons=buttons)
        return [SlotSet("answer_status", "handoff"), SlotSet(OPEN_SLOT, True)]


def _route(intent: str) -> list[dict]:
    """What the assistant does with this intent once the official is gone (the engine's routes)."""
    from dialogue.routes import INTENT_ACTIONS, INTENT_FORMS, INTENT_RESPONSES

    target = INTENT_FORMS.get(intent) or INTENT_ACTIONS.get(intent) or INTENT_RESPONSES.get(intent) or "action_answer_question"
    return [FollowupAction(target)]


class ActionHandoffRelay(Action):
    """Under Rasa, while an official has the conversation (slot handoff_open): each message goes to
    the official's thread and the assistant stays silent; "kết thúc" or a button of another flow
    ends it, as in the embedded engine (dialogue.engine._in_handoff)."""

    def name(self) -> str:
        return "action_handoff_relay"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        message = tracker.latest_message or {}
        text, intent = message.get("text") or "", (message.get("intent") or {}).get("name") or ""
        from_payload = text.startswith("/")
        with sessions()() as session:
            open_one = handoff.open_for(session, identity(tracker).conversation_id)
        if open_one is None:  # the official ended it meanwhile: the assistant answers again
            return [SlotSet(OPEN_SLOT, False), *_route(intent)]
        what = handoff.citizen_turn(text, intent, from_payload)
        if what == "end":
            handoff.close(sessions(), open_one.id, actor="citizen", by_citizen=True)
            dispatcher.utter_message(text=handoff.ENDED_BY_CITIZEN)
            return [SlotSet(OPEN_SLOT, False), SlotSet("answer_status", "handoff_closed")]
        if what == "leave":
            handoff.close(sessions(), open_one.id, actor="citizen", by_citizen=True)
            return [SlotSet(OPEN_SLOT, False), *_route(intent)]
        if text and not from_payload:
            handoff.citizen_message(sessions(), open_one.id, text)
        return [SlotSet("answer_status", "handoff")]
