"""Answer a question from the knowledge base."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import knowledge, metadata
from core.config import get_settings

SURVEY_BUTTON = {"title": "Đánh giá dịch vụ", "payload": "/give_rating"}
FEEDBACK_BUTTON = {"title": "Gửi phản ánh", "payload": "/file_feedback"}
HANDOFF_BUTTON = {"title": "Gặp cán bộ", "payload": "/human_handoff"}


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        question = (tracker.latest_message or {}).get("text") or ""
        answer = knowledge().answer(question)
        meta = metadata(tracker)
        events: list[dict] = [SlotSet("answer_status", answer.status.value), SlotSet("answer_confidence", round(answer.confidence, 3))]
        if answer.abstained:
            if meta.get("fallback") and not answer.suggestions:
                # the NLU was unsure and the knowledge base found nothing: ask what the user wants
                dispatcher.utter_message(response="utter_clarify")
                return [SlotSet("answer_status", "clarify")]
            buttons = [{"title": s[:60], "payload": s} for s in answer.suggestions]
            dispatcher.utter_message(text=answer.text, buttons=buttons + [FEEDBACK_BUTTON, HANDOFF_BUTTON])
            return events
        top = answer.sources[0]
        buttons = []
        if top.kind == "procedure" and get_settings().dialogue.survey_after_answers:
            buttons = [SURVEY_BUTTON, FEEDBACK_BUTTON]
        dispatcher.utter_message(text=answer.text, buttons=buttons)
        events.append(SlotSet("last_topic", f"procedure:{top.code}" if top.kind == "procedure" else top.id))
        return events
