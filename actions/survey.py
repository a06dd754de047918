"""The SIPAS satisfaction survey in chat, and the rating of a feedback's handling.

First: which agency or procedure the experience was about; then one criterion at a time with
1-5 buttons (typed answers work too: "5", "hài lòng", "rat hai long", "😍"); any question can be
skipped; "dừng"/"hủy" pauses and the next "khảo sát" resumes; one response per person, agency
and period. Responses are anonymous.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlalchemy import select

from actions.aside import AsideAwareValidation
from actions.common import button_title, folded, identity, is_skip, knowledge, metadata, payload_json, sessions, today
from agencies.registry import default_registry, looks_like_body
from feedback import service as feedback_service
from feedback.intake import names_a_feedback
from nlu.commands import menu_intent, says_right
from nlu.entities import normalize_tracking_code
from nlu.replies import read_rating, read_yes_no
from storage.models import Feedback
from survey import service
from survey.profile import read_profile
from survey.questionnaire import current_questionnaire

SURVEY_SLOTS = ["survey_subject", "survey_answer", "survey_response_id", "survey_step", "survey_question", "survey_proposed"]
_PAUSE = {"dung", "de sau", "tam dung", "luc khac", "dung lai", "stop"}
SUBJECT_CHOICES = ["trung-tam-phvhcc-xa", "cong-an-xa", "ubnd-xa"]


def _subject_from(value: str) -> service.Subject | None:
    """'procedure:1.001193' / 'agency:cong-an-xa' / free text -> a subject (None if empty)."""
    chosen = payload_json(value, "subject") or value or ""
    registry = default_registry()
    if chosen.startswith("procedure:"):  # a button: only a procedure the knowledge base has
        found = knowledge().find_procedure(chosen.split(":", 1)[1])
        return service.Subject(procedure_code=found["code"], procedure_title=found["title"]) if found else None
    if chosen.startswith("agency:"):
        agency = registry.get(chosen.split(":", 1)[1])
        return service.Subject(agency_id=agency.id, agency_name=agency.name) if agency else None
    text = " ".join(chosen.split())[:200]
    if len(text) < 3:
        return None
    agency = registry.resolve(text) or next((m.agency for m in registry.find(text) if m.agency), None)
    if agency:
        return service.Subject(agency_id=agency.id, agency_name=agency.name)
    answer = knowledge().answer(text)
    if not answer.abstained and answer.sources and answer.sources[0].kind == "procedure":
        top = answer.sources[0]
        return service.Subject(procedure_code=top.code, procedure_title=top.title)
    if looks_like_body(text):
        return service.Subject(agency_name=text)  # a body the registry does not know, kept as written
    return None  # "cho hỏi cái này với", "5 sao": not something to rate; asked again with the buttons


def _subject_key(subject: service.Subject) -> str:
    if subject.procedure_code:
        return f"procedure:{subject.procedure_code}"
    if subject.agency_id:
        return f"agency:{subject.agency_id}"
    return subject.agency_name or subject.label


def rating_buttons(scale: dict[int, str]) -> list[dict]:
    return [{"title": f"{n} - {scale[n]}", "payload": str(n)} for n in range(5, 0, -1)]


def typed_level(text: str, proposed: str | None, dispatcher, scale: dict[int, str], extra: list[dict] | None = None) -> tuple[int | None, str | None]:
    """The level to store for a typed answer, and the level now shown back for agreement.

    A plain choice ("4", "4 sao", "ko hài lòng") is stored as typed. Any other answer the reader
    understands ("hài lòng nhưng chờ hơi lâu") is shown back as the level understood, with the
    scale's buttons, and stored only once the person agrees ("đúng", "ừ", or taps it): a level
    the person did not mean is never stored. An answer not understood is asked again."""
    reading = read_rating(text)
    if proposed and reading.level is None and read_yes_no(text) == "yes":
        return int(proposed), None
    if reading.plain(text):
        return reading.level, None
    if reading.level is not None:
        level = reading.level
        dispatcher.utter_message(
            text=f"Tôi hiểu là bạn chọn mức {level} – {scale[level]}. Đúng không? Bạn bấm để xác nhận, hoặc chọn mức khác.",
            buttons=[{"title": f"Đúng, mức {level} – {scale[level]}", "payload": str(level)}]
            + [b for b in rating_buttons(scale) if b["payload"] != str(level)] + (extra or []),
        )
        return None, str(level)
    dispatcher.utter_message(
        text="Tôi chưa rõ bạn chọn mức nào. Bạn bấm một mức từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng)"
        + (", hoặc “Bỏ qua”." if extra else "."),
        buttons=rating_buttons(scale) + (extra or []),
    )
    return None, None


def _step(index: float | None):
    steps = current_questionnaire().steps()
    return steps[int(index)] if index is not None and int(index) < len(steps) else None


def may_start_survey(address: str | None) -> bool:
    """Fair use: limits.survey_per_address new responses from one client address (web chat)."""
    if not address:
        return True  # platform users are one verified account each
    from core.config import get_settings
    from core.ratelimit import default_limiter

    return default_limiter().hit(get_settings().limits.survey_per_address, "survey-address", address) is None


class ActionAskSurveySubject(Action):
    def name(self) -> str:
        return "action_ask_survey_subject"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        buttons = []
        # "đánh giá việc xử lý": the person's own feedback with a result comes first
        for item in feedback_service.awaiting_rating(sessions(), identity(tracker).conversation_id):
            buttons.append({"title": f"Việc xử lý phản ánh {item.code}", "payload": f'/give_rating{{"feedback": "{item.code}"}}'})
        if not buttons and names_a_feedback((tracker.latest_message or {}).get("text") or ""):
            dispatcher.utter_message(response="utter_nothing_to_rate")  # said plainly, not a silent switch to the survey
        paused = tracker.get_slot("survey_paused_subject")
        if paused and (subject := _subject_from(paused)) is not None:  # the survey left unfinished in this conversation
            buttons.append({"title": button_title(f"Tiếp tục: {subject.label}"), "payload": f'/give_rating{{"subject": "{paused}"}}'})
        topic = tracker.get_slot("last_topic") or ""
        if topic.startswith("procedure:"):
            found = knowledge().find_procedure(topic.split(":", 1)[1])
            if found:
                label = found["title"] if found["title"].lower().startswith("thủ tục") else f"Thủ tục: {found['title']}"
                buttons.append({"title": button_title(label), "payload": f'/give_rating{{"subject": "{topic}"}}'})
        for agency_id in SUBJECT_CHOICES:
            agency = default_registry().get(agency_id)
            if agency:
                buttons.append({"title": agency.name, "payload": f'/give_rating{{"subject": "agency:{agency.id}"}}'})
        dispatcher.utter_message(response="utter_ask_survey_subject", buttons=buttons)
        return []


class ActionAskSurveyAnswer(Action):
    """One question: the criterion with 1-5 buttons, or a profile question with its options."""

    def name(self) -> str:
        return "action_ask_survey_answer"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        questionnaire = current_questionnaire()
        step = _step(tracker.get_slot("survey_step"))
        if step is None or tracker.get_slot("survey_proposed"):
            return []  # the level understood was just shown back with the buttons: that is the question
        total = len(questionnaire.criteria)
        if step.kind == "criterion":
            element = next(e for e in questionnaire.elements if e.id == step.element_id)
            text = f"Câu {step.index + 1}/{total} — {element.name}\n{step.text}"
            buttons = rating_buttons(questionnaire.scale)
        else:
            text = f"Thông tin thêm (không bắt buộc): {step.text}"
            buttons = [{"title": option, "payload": option} for option in step.options]
        buttons += [{"title": "Bỏ qua", "payload": "/deny"}, {"title": "Dừng, làm tiếp sau", "payload": "dừng"}]
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet("survey_question", text)]


class ValidateSurveyForm(AsideAwareValidation):
    def name(self) -> str:
        return "validate_survey_form"

    async def run(self, dispatcher, tracker, domain) -> list[dict]:
        events = await super().run(dispatcher, tracker, domain)
        stop = any(e.get("name") == "survey_answer" and e.get("value") in ("paused", "already_done") for e in events)
        if stop:  # paused, or answered already this period: leave the form, keep the progress
            return [SlotSet(slot, None) for slot in SURVEY_SLOTS] + [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events

    def validate_survey_subject(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if menu_intent(str(value or "")) == "give_rating":  # "khảo sát" names no procedure ("… khảo sát luồng đường thủy")
            paused = tracker.get_slot("survey_paused_subject")
            if not paused:
                dispatcher.utter_message(text="Bạn cho biết tên cơ quan hoặc thủ tục muốn đánh giá, hoặc chọn một nút gợi ý.")
                return {"survey_subject": None}
            value = paused  # as the pause message says: the survey left unfinished
        subject = _subject_from(value or "")
        if subject is None:
            dispatcher.utter_message(text="Bạn cho biết tên cơ quan hoặc thủ tục muốn đánh giá, hoặc chọn một nút gợi ý.")
            return {"survey_subject": None}
        meta, who = metadata(tracker), identity(tracker)
        questionnaire = current_questionnaire()
        progress = service.start(sessions(), questionnaire, who.channel, who.user_id, subject,
                                 today(tracker), may_start=lambda: may_start_survey(meta.get("address")))
        if progress.refused:
            dispatcher.utter_message(text="Hiện có quá nhiều phiếu đánh giá được gửi từ cùng một địa chỉ mạng. Bạn vui lòng thử lại sau.")
            return {"survey_subject": subject.label, "survey_answer": "paused"}
        if progress.already_done:
            dispatcher.utter_message(text=f"Bạn đã đánh giá {subject.label} trong kỳ này. Cảm ơn bạn đã dành thời gian!")
            return {"survey_subject": subject.label, "survey_answer": "already_done", "survey_paused_subject": None}
        if progress.resumed:
            dispatcher.utter_message(text=f"Tiếp tục phiếu đánh giá {subject.label} đang làm dở ({progress.rated}/{progress.criteria} câu đã trả lời).")
        else:
            dispatcher.utter_message(text=f"Đánh giá {subject.label}. {questionnaire.intro}")
        return {
            "survey_subject": subject.label,
            "survey_paused_subject": _subject_key(subject),  # offered again if this survey is left unfinished
            "survey_response_id": progress.response_id,
            "survey_step": progress.step.index if progress.step else None,
            "survey_answer": None if progress.step else "done",
        }

    def validate_survey_answer(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        questionnaire = current_questionnaire()
        step = _step(tracker.get_slot("survey_step"))
        response_id = tracker.get_slot("survey_response_id")
        if step is None or response_id is None:
            return {"survey_answer": "done"}
        text = value or ""
        if folded(text) in _PAUSE and not says_right(text):
            dispatcher.utter_message(text="Đã lưu các câu bạn đã trả lời. Khi muốn làm tiếp, bạn gõ “khảo sát”.")
            return {"survey_answer": "paused"}
        if is_skip(text):
            answer = None
        elif step.kind == "criterion":
            answer, proposed = typed_level(text, tracker.get_slot("survey_proposed"), dispatcher, questionnaire.scale,
                                           [{"title": "Bỏ qua", "payload": "/deny"}])
            if answer is None:  # never store a level the person may not have meant: show it back or ask again
                return {"survey_answer": None, "survey_proposed": proposed}
        else:
            answer = read_profile(step.options, text)
            if answer is None:
                dispatcher.utter_message(text="Bạn chọn một trong các lựa chọn, hoặc “Bỏ qua”.")
                return {"survey_answer": None}
        progress = service.record(sessions(), questionnaire, int(response_id), step, answer)
        if progress.step is None:
            return {"survey_answer": "done", "survey_proposed": None}
        return {"survey_answer": None, "survey_step": progress.step.index, "survey_proposed": None}


class ActionFinishSurvey(Action):
    def name(self) -> str:
        return "action_finish_survey"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        response_id = tracker.get_slot("survey_response_id")
        if response_id is not None:
            service.complete(sessions(), int(response_id))
            dispatcher.utter_message(text="Cảm ơn bạn đã hoàn thành phiếu đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.")
        return [SlotSet(slot, None) for slot in SURVEY_SLOTS] + [SlotSet("answer_status", "survey_done"), SlotSet("survey_paused_subject", None)]


class ActionCancelSurveyForm(Action):
    def name(self) -> str:
        return "action_cancel_survey_form"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        dispatcher.utter_message(text="Đã tạm dừng khảo sát; các câu đã trả lời được giữ lại. Gõ “khảo sát” để làm tiếp.")
        return [SlotSet(slot, None) for slot in SURVEY_SLOTS]


def _earlier_value(tracker, slot: str) -> str | None:
    """The slot's value before the latest message (the tracker already holds this turn's)."""
    seen_user = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value") or None
    return None


def _owned_feedback(session, code: str | None, conversation_id) -> Feedback | None:
    item = session.scalar(select(Feedback).where(Feedback.code == (code or "").upper()))
    return item if item is not None and item.conversation_id == conversation_id else None


class ActionAskFeedbackRating(Action):
    def name(self) -> str:
        return "action_ask_feedback_rating"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        code = tracker.get_slot("rating_feedback_code") or ""
        if tracker.get_slot("feedback_rating_proposed"):
            return []  # the level understood was just shown back with the buttons
        dispatcher.utter_message(
            text=f"Bạn hài lòng với kết quả xử lý phản ánh {code} ở mức nào? Bạn bấm hoặc gõ một mức từ 1 đến 5.",
            buttons=rating_buttons(current_questionnaire().scale),
        )
        return []


class ValidateFeedbackRatingForm(AsideAwareValidation):
    """The item must be the person's own; the level is read the shared way (nlu.replies)."""

    def name(self) -> str:
        return "validate_feedback_rating_form"

    async def run(self, dispatcher, tracker, domain) -> list[dict]:
        events = await super().run(dispatcher, tracker, domain)
        refused = any(e.get("name") == "rating_feedback_code" and e.get("value") == "" for e in events)
        if refused:  # not this person's feedback: leave the form
            return [SlotSet("rating_feedback_code", None), SlotSet("feedback_rating", None), ActiveLoop(None), SlotSet("requested_slot", None)]
        return events

    def validate_rating_feedback_code(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        code = normalize_tracking_code(str(value or ""))
        kept = _earlier_value(tracker, "rating_feedback_code") if code is None else None
        if kept:  # not a code at all (an entity a statistical extractor read from "5"): keep the item rated
            return {"rating_feedback_code": kept}
        with sessions()() as session:
            item = _owned_feedback(session, code or value, identity(tracker).conversation_id)
        if item is None:
            dispatcher.utter_message(text="Chỉ người gửi phản ánh mới đánh giá được việc xử lý phản ánh đó.")
            return {"rating_feedback_code": ""}
        return {"rating_feedback_code": item.code}

    def validate_feedback_rating(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        typed = ((tracker.latest_message or {}).get("text") or "").strip()  # the words, not an entity read from them
        text = typed if typed and not typed.startswith("/") else str(value or "")
        level, proposed = typed_level(text, tracker.get_slot("feedback_rating_proposed"), dispatcher,
                                      current_questionnaire().scale)
        if level is None:
            return {"feedback_rating": None, "feedback_rating_proposed": proposed}
        return {"feedback_rating": str(level), "feedback_rating_proposed": None}


class ActionRateFeedback(Action):
    """Stores the citizen's rating of how their feedback was handled (the form's submission)."""

    def name(self) -> str:
        return "action_rate_feedback"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        code, rating = tracker.get_slot("rating_feedback_code"), tracker.get_slot("feedback_rating")
        done = [SlotSet("rating_feedback_code", None), SlotSet("feedback_rating", None), SlotSet("feedback_rating_proposed", None)]
        if not code or not rating:
            return done
        with sessions()() as session:
            item = _owned_feedback(session, code, identity(tracker).conversation_id)
            if item is None:
                dispatcher.utter_message(text="Chỉ người gửi phản ánh mới đánh giá được việc xử lý phản ánh đó.")
                return done
            item.satisfaction = int(rating)
            session.commit()
        dispatcher.utter_message(text="Cảm ơn bạn đã đánh giá việc xử lý phản ánh.")
        return done + [SlotSet("answer_status", "feedback_rated")]


class ActionCancelFeedbackRatingForm(Action):
    def name(self) -> str:
        return "action_cancel_feedback_rating_form"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        dispatcher.utter_message(response="utter_cancelled")
        return [SlotSet("rating_feedback_code", None), SlotSet("feedback_rating", None), SlotSet("requested_slot", None)]
