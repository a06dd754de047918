"""Officials ask about plan tasks and deadlines: which tasks a unit leads, what is due or overdue,
when a plan's report is due. Answers list tasks with section citations and relative dates."""
from __future__ import annotations

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import knowledge, sessions, today
from core.config import get_settings
from knowledge.index.search import IndexNotReady
from tasks import ask, store
from tasks.answer import compose, rank_by_cadence, read_question
from tasks.query import list_tasks


def task_question(tracker) -> ask.TaskQuestion | None:
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    if text.startswith("/"):
        return None
    store.sync(sessions())
    return ask.read(sessions(), text, message.get("entities") or [], locate=_plans_answering)


def _plans_answering(text: str) -> list[int]:
    """The plans whose sections the knowledge search ranks first for the question."""
    try:
        hits = knowledge().search(text, top_k=5).hits
    except IndexNotReady:  # no index yet: no plan located, the question is still answered
        return []
    return [h.meta.document_id for h in hits[:1] if h.meta.kind == "plan"]


def answer_tasks(dispatcher, tracker, question: ask.TaskQuestion) -> list[dict]:
    text, count = ask.answer(sessions(), question, today(tracker))
    dispatcher.utter_message(text=text)
    return [SlotSet("answer_status", "answered" if count else "no_content_found")]


class ActionDeadlineQuery(Action):
    def name(self) -> str:
        return "action_deadline_query"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if text.startswith("/") and len(text.split()) == 1:  # the button or command alone
            dispatcher.utter_message(response="utter_ask_deadline_prompt")
            return [SlotSet("answer_status", "prompted")]
        asked = task_question(tracker)
        if asked is not None:  # a question about one plan's tasks (a list, or one task's deadline)
            return answer_tasks(dispatcher, tracker, asked)
        day = today(tracker)
        store.sync(sessions())
        question = read_question(text, message.get("entities") or [], day, get_settings().tasks.due_window_days)
        views = list_tasks(sessions(), question.filter, day, get_settings().tasks.due_window_days)
        views = rank_by_cadence(views, question.cadence)
        dispatcher.utter_message(text=compose(question, views, day), buttons=self._buttons(question))
        return [SlotSet("answer_status", "answered" if views else "no_content_found")]

    @staticmethod
    def _buttons(question) -> list[dict]:
        buttons = []
        if question.agency:
            if question.filter.status != "overdue":
                buttons.append({"title": "Nhiệm vụ quá hạn", "payload": f"nhiệm vụ quá hạn của {question.agency}"})
            buttons.append({"title": "Đăng ký nhắc hạn", "payload": f'/subscribe_reminders{{"agency": "{question.agency}"}}'})
        return buttons
