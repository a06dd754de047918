"""Hand the conversation over to an official (dialogue.handoff): from now on a person answers."""
from __future__ import annotations

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import identity, sessions
from agencies.registry import default_registry
from dialogue import handoff

FEEDBACK_BUTTON = {"title": "Gửi phản ánh thay thế", "payload": "/file_feedback"}
END_BUTTON = {"title": "Kết thúc, quay lại trợ lý", "payload": "/cancel"}


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        text = (tracker.latest_message or {}).get("text") or ""
        opened = handoff.open_handoff(sessions(), identity(tracker).conversation_id, text)
        unit = default_registry().get(opened.handoff.agency_id or "")
        who = f"cán bộ {unit.name}" if unit else "cán bộ trực"
        if opened.in_hours:
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
        return [SlotSet("answer_status", "handoff")]
