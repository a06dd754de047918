"""Satisfaction survey. Minimal version (issue 3): one overall question on the 1-5 scale;
the SIPAS questionnaire, resume and statistics replace it (issue 4)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import SlotSet

from nlu.entities import parse_rating

SCALE = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]


class ValidateSurveyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_survey_form"

    def validate_survey_subject(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        text = (value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(text="Bạn cho biết tên cơ quan hoặc thủ tục muốn đánh giá.")
            return {"survey_subject": None}
        return {"survey_subject": text[:200], "survey_question": "Mức độ hài lòng chung của bạn?"}

    def validate_survey_answer(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        rating = parse_rating(value or "")
        if not rating:
            dispatcher.utter_message(text="Bạn chọn từ 1 (rất không hài lòng) đến 5 (rất hài lòng).")
            return {"survey_answer": None}
        return {"survey_answer": str(rating)}


class ActionFinishSurvey(Action):
    def name(self) -> str:
        return "action_finish_survey"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        rating = int(tracker.get_slot("survey_answer") or 0)
        dispatcher.utter_message(text=f"Cảm ơn bạn đã đánh giá: {SCALE[rating - 1] if rating else ''}.")
        return [SlotSet("survey_answer", None), SlotSet("survey_subject", None), SlotSet("answer_status", "survey_done")]
