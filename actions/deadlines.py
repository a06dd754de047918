"""Officials ask about plan tasks and deadlines.

Minimal version (issue 3): answers from the plans' text through the knowledge base, restricted
to plan documents. Task extraction with normalised due dates replaces it (issue 6).
"""
from __future__ import annotations

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import knowledge


class ActionDeadlineQuery(Action):
    def name(self) -> str:
        return "action_deadline_query"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        question = (tracker.latest_message or {}).get("text") or ""
        answer = knowledge().answer(question)
        if answer.abstained or not answer.sources or answer.sources[0].kind != "plan":
            dispatcher.utter_message(response="utter_ask_deadline_prompt")
            return [SlotSet("answer_status", "no_content_found")]
        dispatcher.utter_message(text=answer.text)
        return [SlotSet("answer_status", answer.status.value)]
