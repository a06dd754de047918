"""Hand the conversation over to an official."""
from __future__ import annotations

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import metadata, sessions
from storage.models import HandoffRequest


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        meta = metadata(tracker)
        with sessions()() as session:
            session.add(HandoffRequest(conversation_id=meta["conversation_id"], message=(tracker.latest_message or {}).get("text") or ""))
            session.commit()
        dispatcher.utter_message(
            text=(
                "Tôi đã chuyển yêu cầu của bạn tới cán bộ trực. Cán bộ sẽ trả lời ngay trong cuộc trò chuyện này "
                "trong giờ hành chính (sáng 7h30–11h30, chiều 13h30–17h00 các ngày làm việc). "
                "Bạn có thể nhắn trước nội dung cần hỗ trợ."
            )
        )
        return [SlotSet("answer_status", "handoff")]
