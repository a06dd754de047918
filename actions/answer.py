"""Answer a question from the knowledge base, in the context of the conversation.

A typed question is answered with the conversation's last topic as context, so "còn lệ phí
thì sao" after an answer about kết hôn is about kết hôn. Buttons carry the procedure's code:
"Xem đầy đủ", a related procedure, a clarifying choice or a suggestion open that procedure
directly and answer the aspect first asked, instead of searching its title again.
"""
from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import button_title, distinct_titles, knowledge, metadata
from actions.deadlines import answer_tasks, task_question
from core.config import get_settings
from knowledge.answer.messages import FULL
from nlu.commands import menu_intent

SURVEY_BUTTON = {"title": "Đánh giá dịch vụ", "payload": "/give_rating"}
FEEDBACK_BUTTON = {"title": "Gửi phản ánh", "payload": "/file_feedback"}
HANDOFF_BUTTON = {"title": "Gặp cán bộ", "payload": "/human_handoff"}


def open_payload(code: str, aspects: list[str], full: bool = False) -> str:
    """The payload of a button that opens a procedure by its code: '/ask_question{...}'."""
    values: dict[str, str] = {"procedure": code}
    if aspects:
        values["aspect"] = ",".join(aspects)
    if full:
        values["full"] = "1"
    return "/ask_question" + json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _open_button(source, aspects: list[str]) -> dict | None:
    if source.kind == "procedure" and source.code:
        return {"title": button_title(source.title), "payload": open_payload(source.code, aspects)}
    return None


def _option_buttons(options, aspects: list[str]) -> list[dict]:
    """Buttons that open the suggested procedures, each label telling its procedure apart."""
    buttons = [b for b in (_open_button(s, aspects) for s in options) if b]
    titles = distinct_titles([s.title for s in options if s.kind == "procedure" and s.code])
    return [{**b, "title": t} for b, t in zip(buttons, titles)]


def _entity(tracker: Tracker, name: str) -> str | None:
    for e in (tracker.latest_message or {}).get("entities") or []:
        if e.get("entity") == name and e.get("value"):
            return str(e["value"])
    return None


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        kb = knowledge()
        text = (tracker.latest_message or {}).get("text") or ""
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        alone = text.startswith("/") and len(text.split()) == 1 and "{" not in text and intent != "nlu_fallback"
        if alone or menu_intent(text) == "ask_question":
            # the "Hỏi thủ tục" button or its label typed alone: ask for the question itself
            dispatcher.utter_message(response="utter_ask_question_prompt")
            return [SlotSet("answer_status", "prompted")]
        code = _entity(tracker, "procedure") if text.startswith("/") else None
        if code:  # a button: open this procedure
            aspects = [a for a in (_entity(tracker, "aspect") or "").split(",") if a]
            answer = kb.answer_procedure(code, aspects, full=bool(_entity(tracker, "full")))
        else:
            asked = task_question(tracker)
            if asked is not None:  # "kh 182 giao công an tỉnh chủ trì những việc gì": the plan's tasks answer it
                return answer_tasks(dispatcher, tracker, asked)
            answer = kb.answer(text, context=tracker.get_slot("last_topic"))
        meta = metadata(tracker)
        events: list[dict] = [SlotSet("answer_status", answer.status.value), SlotSet("answer_confidence", round(answer.confidence, 3))]
        if answer.status.value == "clarification":
            buttons = _option_buttons(answer.options, answer.aspects)
            dispatcher.utter_message(text=answer.text, buttons=buttons)
            return events + [SlotSet("last_topic", answer.topic)]
        if answer.abstained:
            unsure = meta.get("fallback") or intent == "nlu_fallback"
            if unsure and (not answer.options or intent == "nlu_fallback"):
                # the NLU was unsure and the knowledge base found nothing sure: ask what the user wants
                # (Rasa's fallback: with the knowledge base's guesses as buttons)
                dispatcher.utter_message(response="utter_clarify", buttons=_option_buttons(answer.options, answer.aspects))
                return [SlotSet("answer_status", "clarify")]
            buttons = _option_buttons(answer.options, answer.aspects)
            dispatcher.utter_message(text=answer.text, buttons=buttons + [FEEDBACK_BUTTON, HANDOFF_BUTTON])
            return events
        top = answer.sources[0]
        buttons = []
        if answer.truncated and top.kind == "procedure":
            buttons.append({"title": FULL, "payload": open_payload(top.code, answer.aspects, full=True)})
        buttons.extend(_option_buttons(answer.options[:2], answer.aspects))
        if top.kind == "procedure" and get_settings().dialogue.survey_after_answers:
            buttons.extend([SURVEY_BUTTON, FEEDBACK_BUTTON])
        dispatcher.utter_message(text=answer.text, buttons=buttons)
        events.append(SlotSet("last_topic", answer.topic))
        return events
