"""Where each intent goes, shared by the engine, the actions that route by themselves (a handoff
relay, an aside answered inside a form) and the Rasa export: the form it opens, the action it
runs or the response it gets, which intents may interrupt a form, and which slots take what.
"""
from __future__ import annotations

import re

from vietnamese.text import fold_key

FORM_SUBMIT = {
    "feedback_form": "action_submit_feedback",
    "feedback_status_form": "action_check_feedback_status",
    "reminder_form": "action_subscribe_reminders",
    "survey_form": "action_finish_survey",
    "feedback_rating_form": "action_rate_feedback",
}
INTENT_FORMS = {
    "file_feedback": "feedback_form",
    "check_feedback_status": "feedback_status_form",
    "subscribe_reminders": "reminder_form",
    "give_rating": "survey_form",
}
INTENT_ACTIONS = {
    "ask_question": "action_answer_question",
    "ask_deadline": "action_deadline_query",
    "unsubscribe_reminders": "action_unsubscribe_reminders",
    "human_handoff": "action_human_handoff",
}
INTENT_RESPONSES = {
    "greet": "utter_greet",
    "bot_capabilities": "utter_capabilities",
    "goodbye": "utter_goodbye",
    "thank": "utter_thank",
    "out_of_scope": "utter_out_of_scope",
    "cancel": "utter_nothing_to_cancel",
    "affirm": "utter_ask_affirm_context",
    "deny": "utter_ask_affirm_context",
}
# Payload-only buttons that need the user to type the question itself.
PROMPTS = {"ask_question": "utter_ask_question_prompt", "ask_deadline": "utter_ask_deadline_prompt"}
# Intents that may interrupt a form (answered, then the form resumes).
INTERRUPTING = {"ask_question", "ask_deadline", "bot_capabilities", "human_handoff", "check_feedback_status"}
# Slots whose answers are short and well-formed: a confident other intent is an interruption.
STRICT_SLOTS = {"reporter_phone", "tracking_code", "feedback_confirmed", "feedback_attachment", "survey_answer", "feedback_rating"}
# Slots whose question may be skipped ("bỏ qua") without leaving the form.
SKIPPABLE_SLOTS = {"survey_answer", "feedback_subject", "feedback_attachment"}
# Slots that take free text: never interrupted except by cancel.
FREE_TEXT_SLOTS = {"feedback_content"}

_QUESTION = re.compile(r"\?|\b(gi|nao|bao nhieu|bao lau|o dau|the nao|sao|khong|ko|chua|may)\b")


def looks_like_question(text: str) -> bool:
    """A question mark or a question word ("gì", "bao nhiêu", "ở đâu", "không" at the end ...)."""
    return bool(_QUESTION.search(fold_key(text or "")))
