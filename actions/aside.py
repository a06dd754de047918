"""Under Rasa, a question typed where a short, well-formed answer was asked (a phone number, a
rating, a tracking code). The Rasa export lets only cancel skip those slots (DIET may read "5" or a
phone number as a question, and the form would stall), so the question arrives as the slot's value.
The form's validator then does what the embedded engine's interruption does: answers it aside,
clears the slot and lets the form ask again. A value that is a valid answer is always the answer."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable

from rasa_sdk import FormValidationAction
from rasa_sdk.events import SlotSet

from actions.common import metadata
from feedback import validation
from nlu.entities import normalize_tracking_code
from nlu.replies import read_rating

# slot -> "is this text a valid answer?"
FORMAT_SLOTS: dict[str, Callable[[str], bool]] = {
    "reporter_phone": lambda text: validation.phone(text)[0] is not None,
    "tracking_code": lambda text: bool(normalize_tracking_code(text)),
    "survey_answer": lambda text: read_rating(text).level is not None,
    "feedback_rating": lambda text: read_rating(text).level is not None,
}
SURE = 0.8  # the engine's confidence for an interruption on a strict slot


def aside_intent(tracker) -> str | None:
    """The interrupting intent of the latest message when it is a question instead of the answer."""
    from dialogue.routes import INTERRUPTING, looks_like_question

    if "conversation_id" in metadata(tracker):  # the embedded engine routes interruptions itself
        return None
    slot = tracker.get_slot("requested_slot")
    message = tracker.latest_message or {}
    text = (message.get("text") or "").strip()
    intent = message.get("intent") or {}
    if slot not in FORMAT_SLOTS or not text or text.startswith("/") or FORMAT_SLOTS[slot](text):
        return None
    name = intent.get("name")
    if name in INTERRUPTING and name != "check_feedback_status" and (intent.get("confidence") or 0) >= SURE and looks_like_question(text):
        return name
    return None


class AsideAwareValidation(FormValidationAction, ABC):
    """A form validator that answers a question typed in place of a fixed-format answer (abstract:
    rasa-sdk registers only the concrete forms' validators)."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher, tracker, domain) -> list[dict]:
        intent = aside_intent(tracker)
        if intent is None:
            return await super().run(dispatcher, tracker, domain)
        from actions.answer import ActionAnswerQuestion
        from actions.deadlines import ActionDeadlineQuery
        from actions.handoff import ActionHumanHandoff

        runner = {"ask_question": ActionAnswerQuestion, "ask_deadline": ActionDeadlineQuery, "human_handoff": ActionHumanHandoff}.get(intent)
        if runner is not None:
            runner().run(dispatcher, tracker, domain)
        else:
            dispatcher.utter_message(response="utter_capabilities")
        dispatcher.utter_message(response="utter_resume_form")
        return [SlotSet(tracker.get_slot("requested_slot"), None)]
