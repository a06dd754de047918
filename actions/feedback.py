"""Feedback: the form (with validation, suggestions, corrections), submission, status lookup."""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.aside import AsideAwareValidation
from actions.common import folded, identity, is_affirm, is_deny, is_skip, knowledge, metadata, payload_json, sessions
from agencies.registry import default_registry
from feedback import intake, service, validation
from feedback.category import classify as classify_category
from nlu.entities import normalize_tracking_code

FORM_SLOTS = [
    "feedback_content", "feedback_topic", "feedback_category", "feedback_category_confidence",
    "feedback_kind", "feedback_kind_confirmed", "feedback_subject", "feedback_procedure_code",
    "feedback_agency_id", "feedback_attachment", "reporter_name", "reporter_address", "reporter_phone",
    "feedback_confirmed", "feedback_summary", "feedback_fixing", "feedback_media",
]
MAX_ATTACHMENTS = 5
# Fields the citizen may correct from the summary (the "Sửa lại" buttons of utter_ask_what_to_fix).
EDITABLE = {"feedback_content", "feedback_category", "feedback_subject", "reporter_name", "reporter_address", "reporter_phone"}
ATTACHMENT_CHANNELS = {"telegram", "zalo_bot", "zalo_oa"}
# A category the classifier is less sure of than this is marked as such in the summary.
SURE_CATEGORY = 0.6
LAW_CHANNELS = {
    "complaint": (
        "Nội dung này là khiếu nại (theo Luật Khiếu nại 2011), không thuộc phạm vi phản ánh, kiến nghị theo "
        "Nghị định 20/2008/NĐ-CP. Bạn gửi đơn khiếu nại đến người đứng đầu cơ quan đã ra quyết định hoặc có hành vi "
        "hành chính bị khiếu nại, hoặc nộp tại Ban tiếp công dân / bộ phận tiếp công dân của Ủy ban nhân dân xã."
    ),
    "denunciation": (
        "Nội dung này là tố cáo (theo Luật Tố cáo 2018), không thuộc phạm vi phản ánh, kiến nghị theo "
        "Nghị định 20/2008/NĐ-CP. Bạn gửi đơn tố cáo đến cơ quan, người có thẩm quyền quản lý người bị tố cáo, "
        "hoặc nộp trực tiếp tại Ban tiếp công dân; người tố cáo được giữ bí mật theo luật."
    ),
}


def _summary(slots: dict[str, Any]) -> str:
    attachment = slots.get("feedback_attachment")
    attached = "" if attachment in (None, "none") else f"\n• Đính kèm: {_describe(json.loads(attachment))}"
    subject = slots.get("feedback_subject")
    category = service.CATEGORIES.get(slots.get("feedback_category") or "other", service.CATEGORIES["other"])
    unsure = " (hệ thống tự nhận biết; bấm “Sửa lại” nếu chưa đúng)" if float(slots.get("feedback_category_confidence") or 0) < SURE_CATEGORY else ""
    return (
        f"• Nội dung: {slots.get('feedback_content')}\n"
        f"• Loại: {category}{unsure}\n"
        f"• Liên quan: {subject if subject and subject != 'none' else 'chưa rõ'}{attached}\n"
        f"• Họ tên: {slots.get('reporter_name')}\n"
        f"• Địa chỉ: {slots.get('reporter_address')}\n"
        f"• Số điện thoại: {slots.get('reporter_phone')}"
    )


def _with_topic(topic: str | None, details: str) -> str:
    """The details the citizen gave, after the topic of their opening when they do not repeat it."""
    if not topic:
        return details
    said = set(folded(details).split())
    topic_words = [w for w in folded(topic).split() if len(w) > 1]
    if topic_words and sum(w in said for w in topic_words) / len(topic_words) >= 0.5:
        return details
    return f"{topic[:1].upper()}{topic[1:]}: {details}"


def _attachments(tracker: Tracker) -> list[dict]:
    return [a for a in metadata(tracker).get("attachments") or [] if a.get("type") in ("photo", "location")]


def _media(tracker: Tracker) -> list[dict]:
    """Photos and locations collected so far in this feedback."""
    try:
        return json.loads(tracker.get_slot("feedback_media") or "[]")
    except ValueError:
        return []


def _describe(items: list[dict]) -> str:
    photos = sum(1 for a in items if a["type"] == "photo")
    places = len(items) - photos
    parts = ([f"{photos} ảnh"] if photos else []) + ([f"{places} vị trí"] if places else [])
    return " và ".join(parts)


def _under_rasa(tracker: Tracker) -> bool:
    return "conversation_id" not in metadata(tracker)  # the embedded engine fills its slots itself


def _typed(tracker: Tracker) -> str:
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return "" if text.startswith("/") else text


def _requested_answer(tracker: Tracker, slot: str) -> dict[str, Any]:
    if not _under_rasa(tracker) or tracker.get_slot("requested_slot") != slot:
        return {}
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return {slot: text} if text else {}


def _prefilling(tracker: Tracker) -> bool:
    """The content comes with the message that opened the form (not as an answer to a question)."""
    if _under_rasa(tracker):
        return tracker.get_slot("requested_slot") is None
    return bool(metadata(tracker).get("prefill"))


class ValidateFeedbackForm(AsideAwareValidation):
    def name(self) -> str:
        return "validate_feedback_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        slots = ["feedback_content", "feedback_category"]  # the category is filled with the content
        if tracker.get_slot("feedback_kind") in LAW_CHANNELS:
            slots.append("feedback_kind_confirmed")
        slots.append("feedback_subject")
        if not _under_rasa(tracker) and identity(tracker).channel in ATTACHMENT_CHANNELS:  # Rasa's connectors pass no photos
            slots.append("feedback_attachment")
        return slots + ["reporter_name", "reporter_address", "reporter_phone", "feedback_confirmed"]

    async def run(self, dispatcher, tracker, domain) -> list[dict]:
        events = await super().run(dispatcher, tracker, domain)
        declined = any(e.get("name") == "feedback_kind_confirmed" and e.get("value") == "no" for e in events)
        if declined:  # a complaint the citizen chose not to keep: end the form
            return [SlotSet(slot, None) for slot in FORM_SLOTS] + [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events

    # Under Rasa these extractors supply what the embedded engine passes itself: the opening
    # message as the content, and the answers to the slots the form adds at run time.
    def extract_feedback_content(self, dispatcher, tracker, domain) -> dict[str, Any]:
        text = _typed(tracker)
        if _under_rasa(tracker) and text and tracker.get_slot("requested_slot") is None and not tracker.get_slot("feedback_content"):
            return {"feedback_content": text}
        return {}

    def extract_feedback_kind_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return _requested_answer(tracker, "feedback_kind_confirmed")

    def extract_feedback_attachment(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return _requested_answer(tracker, "feedback_attachment")

    def _after_edit(self, tracker: Tracker) -> dict[str, Any]:
        # a corrected field sends the citizen back to the summary
        return {"feedback_fixing": None} if tracker.get_slot("feedback_fixing") else {}

    def validate_feedback_content(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        prefill = _prefilling(tracker)
        extra = {}
        photos = _attachments(tracker)
        if photos:  # sent together with the description: collected, more may follow
            extra["feedback_media"] = json.dumps((_media(tracker) + photos)[:MAX_ATTACHMENTS], ensure_ascii=False)
        text = value if value != "/attachment" else ""
        said = f"{tracker.get_slot('feedback_topic') or ''} {text}"  # "tôi muốn khiếu nại ..." tells the kind
        if prefill:
            opening = intake.read(text)
            if opening.vague:  # "tôi muốn phản ánh hồ sơ bị chậm": ask what happened, where and when
                kind = validation.kind(text)
                if kind in LAW_CHANNELS:  # a khiếu nại / tố cáo: say where it belongs right away
                    dispatcher.utter_message(text=LAW_CHANNELS[kind])
                    extra["feedback_kind"] = kind
                return {"feedback_content": None, "feedback_topic": opening.topic or None, **extra}
            text = opening.topic or text  # the problem itself, without "tôi muốn phản ánh"
        else:
            text = _with_topic(tracker.get_slot("feedback_topic"), text)
        content, error = validation.content(text)
        if error:
            if not prefill:
                dispatcher.utter_message(text=error)
            return {"feedback_content": None, **extra}
        kind = validation.kind(said)
        if kind in LAW_CHANNELS and not tracker.get_slot("feedback_kind_confirmed") and tracker.get_slot("feedback_kind") != kind:
            dispatcher.utter_message(text=LAW_CHANNELS[kind])
        if prefill:
            dispatcher.utter_message(text="Tôi đã ghi nhận nội dung bạn vừa nêu.")
        category = classify_category(content)
        return {"feedback_content": content, "feedback_kind": kind, "feedback_category": category.name,
                "feedback_category_confidence": round(category.confidence, 3), **extra, **self._after_edit(tracker)}

    def validate_feedback_category(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        """Set by the content; asked only when the citizen corrects it (a button or the label typed)."""
        chosen = payload_json(value, "category") or value or ""
        key = next((k for k, label in service.CATEGORIES.items() if chosen == k or folded(chosen) in (folded(label), folded(k))), None)
        if key is None:
            dispatcher.utter_message(text="Bạn chọn một loại trong các nút giúp tôi.")
            return {"feedback_category": None}
        return {"feedback_category": key, "feedback_category_confidence": 1.0, **self._after_edit(tracker)}

    def validate_feedback_kind_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if is_affirm(value, tracker):
            return {"feedback_kind_confirmed": "yes"}
        if is_deny(value, tracker):
            dispatcher.utter_message(text="Đã dừng. Nội dung chưa được gửi. Bạn cần tôi hỗ trợ gì khác không?")
            return {"feedback_kind_confirmed": "no"}
        dispatcher.utter_message(text="Bạn bấm “Vẫn gửi để lưu lại” hoặc “Không gửi” giúp tôi.")
        return {"feedback_kind_confirmed": None}

    def validate_feedback_subject(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        chosen = payload_json(value, "subject")
        doc = knowledge().find_procedure(chosen.split(":", 1)[1]) if chosen and chosen.startswith("procedure:") else None
        if doc:  # a suggestion button (an unknown code falls through to the text rules)
            return {"feedback_subject": validation.procedure_label(doc["title"], doc["code"]), "feedback_procedure_code": doc["code"], **self._after_edit(tracker)}
        if chosen and chosen.startswith("agency:"):
            agency = default_registry().get(chosen.split(":", 1)[1])
            if agency:
                return {"feedback_subject": agency.name, "feedback_agency_id": agency.id, **self._after_edit(tracker)}
        if is_skip(value):
            return {"feedback_subject": "none", **self._after_edit(tracker)}
        text = validation.clean(value)[:200]
        if not text:
            return {"feedback_subject": "none", **self._after_edit(tracker)}
        mention = next(iter(default_registry().find(text)), None)
        if mention and mention.agency:
            return {"feedback_subject": mention.agency.name, "feedback_agency_id": mention.agency.id, **self._after_edit(tracker)}
        answer = knowledge().answer(text)
        top = answer.sources[0] if answer.sources and not answer.abstained else None
        if top and top.kind == "procedure":
            return {"feedback_subject": validation.procedure_label(top.title, top.code), "feedback_procedure_code": top.code, **self._after_edit(tracker)}
        if validation.has_digits_run(text):  # "sdt cua toi 0912…": personal data, not what the feedback is about
            dispatcher.utter_message(text="Ở bước này bạn chỉ cần gõ tên thủ tục hoặc cơ quan liên quan (hoặc bấm “Không rõ”); "
                                          "số điện thoại sẽ được hỏi ở bước sau.")
            return {"feedback_subject": None}
        return {"feedback_subject": text, **self._after_edit(tracker)}  # kept as written

    def validate_feedback_attachment(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        """Photos and locations may come one message at a time, until “Xong” (or the limit)."""
        media = _media(tracker)
        items = _attachments(tracker)
        if items:
            media = (media + items)[:MAX_ATTACHMENTS]
            stored = json.dumps(media, ensure_ascii=False)
            if len(media) >= MAX_ATTACHMENTS:
                dispatcher.utter_message(text=f"Đã nhận {_describe(media)} (tối đa {MAX_ATTACHMENTS}).")
                return {"feedback_attachment": stored, "feedback_media": stored, **self._after_edit(tracker)}
            dispatcher.utter_message(text=f"Đã nhận {_describe(items)}. Hiện có {_describe(media)} kèm phản ánh.")
            return {"feedback_attachment": None, "feedback_media": stored}
        if is_affirm(value, tracker) or is_skip(value):
            return {"feedback_attachment": json.dumps(media, ensure_ascii=False) if media else "none", **self._after_edit(tracker)}
        dispatcher.utter_message(text="Bạn gửi ảnh hoặc vị trí (nút đính kèm của ứng dụng), hoặc bấm “Xong”/“Bỏ qua”.")
        return {"feedback_attachment": None}

    def validate_reporter_name(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        name, error = validation.name(value)
        if error:
            dispatcher.utter_message(text=error)
        return {"reporter_name": name, **(self._after_edit(tracker) if name else {})}

    def validate_reporter_address(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        address, error = validation.address(value)
        if error:
            dispatcher.utter_message(text=error)
        return {"reporter_address": address, **(self._after_edit(tracker) if address else {})}

    def validate_reporter_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        phone, error = validation.phone(value)
        if error:
            dispatcher.utter_message(text=error)
        return {"reporter_phone": phone, **(self._after_edit(tracker) if phone else {})}

    def validate_feedback_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        # the embedded engine handles corrections before the form; under Rasa they arrive here
        target = payload_json(value, "fix") or intake.correction_target(value, bool(tracker.get_slot("feedback_fixing")))
        if target in EDITABLE:
            return {"feedback_confirmed": None, "feedback_fixing": "yes", target: None, "requested_slot": target}
        if is_affirm(value, tracker):
            return {"feedback_confirmed": "yes", "feedback_fixing": None}
        if is_deny(value, tracker) or intake.wants_fix(value):
            return {"feedback_confirmed": None, "feedback_fixing": "yes"}
        dispatcher.utter_message(text="Bạn chọn “Đúng, gửi đi”, “Sửa lại” hoặc “Hủy” giúp tôi.")
        return {"feedback_confirmed": None}


class ActionAskFeedbackSubject(Action):
    """Ask what the feedback is about, with suggestions from the knowledge base and the registry."""

    def name(self) -> str:
        return "action_ask_feedback_subject"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        content = tracker.get_slot("feedback_content") or ""
        buttons = []
        for mention in default_registry().find(content)[:2]:
            if mention.agency:
                buttons.append({"title": mention.agency.name[:60], "payload": f'/affirm{{"subject": "agency:{mention.agency.id}"}}'})
        try:
            result = knowledge().search(content, top_k=10)
            seen = set()
            for hit in result.hits:
                if hit.meta.kind == "procedure" and hit.meta.code not in seen and hit.title_match >= 0.3 and len(seen) < 2:
                    seen.add(hit.meta.code)
                    buttons.append({"title": f"Thủ tục: {hit.meta.title}"[:60], "payload": f'/affirm{{"subject": "procedure:{hit.meta.code}"}}'})
        except Exception:  # suggestions are a convenience; the question stands without them
            pass
        buttons.append({"title": "Không rõ", "payload": "/deny"})
        dispatcher.utter_message(response="utter_ask_feedback_subject", buttons=buttons)
        return []


class ActionAskFeedbackCategory(Action):
    def name(self) -> str:
        return "action_ask_feedback_category"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        dispatcher.utter_message(
            text="Phản ánh này thuộc loại nào?",
            buttons=[{"title": label, "payload": f'/affirm{{"category": "{key}"}}'} for key, label in service.CATEGORIES.items()],
        )
        return []


class ActionAskFeedbackContent(Action):
    """What happened, where and when — with an example, and the topic already said."""

    def name(self) -> str:
        return "action_ask_feedback_content"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        topic = tracker.get_slot("feedback_topic")
        about = f" về “{topic}”" if topic else ""
        dispatcher.utter_message(
            text=(
                f"Để cơ quan xử lý được, bạn kể rõ giúp tôi sự việc{about}: việc gì đã xảy ra, ở đâu, từ khi nào.\n"
                "Ví dụ: “Hồ sơ đăng ký đất đai tôi nộp ngày 3/11 tại bộ phận một cửa xã Mẫu Sơn đã quá hẹn hai tuần "
                "mà chưa có kết quả.”"
            )
        )
        return []


class ActionAskFeedbackKindConfirmed(Action):
    def name(self) -> str:
        return "action_ask_feedback_kind_confirmed"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        dispatcher.utter_message(
            text="Bạn vẫn muốn gửi nội dung này để cơ quan lưu lại và xem xét?",
            buttons=[{"title": "Vẫn gửi để lưu lại", "payload": "/affirm"}, {"title": "Không gửi", "payload": "/deny"}],
        )
        return []


class ActionAskFeedbackAttachment(Action):
    """Ask for photos/locations; once some have come, offer to add more or finish."""

    def name(self) -> str:
        return "action_ask_feedback_attachment"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        media = _media(tracker)
        if not media:
            dispatcher.utter_message(response="utter_ask_feedback_attachment")
        else:
            dispatcher.utter_message(
                text=f"Đã có {_describe(media)}. Gửi thêm ảnh/vị trí, hoặc bấm “Xong” để tiếp tục.",
                buttons=[{"title": "Xong", "payload": "/affirm"}],
            )
        return []


class ActionAskFeedbackConfirmed(Action):
    """Show the summary to confirm, or ask which field to correct."""

    def name(self) -> str:
        return "action_ask_feedback_confirmed"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        if tracker.get_slot("feedback_fixing"):
            dispatcher.utter_message(response="utter_ask_what_to_fix")
            return []
        summary = _summary(tracker.slots)
        dispatcher.utter_message(response="utter_ask_feedback_confirmed", feedback_summary=summary)
        return [SlotSet("feedback_summary", summary)]


class ActionSubmitFeedback(Action):
    def name(self) -> str:
        return "action_submit_feedback"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        slots = tracker.slots
        if slots.get("feedback_confirmed") != "yes" or not slots.get("feedback_content"):
            # a form ended without the citizen's "gửi đi" (a complaint they chose not to send): nothing is filed
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        who = identity(tracker)
        procedure_code = slots.get("feedback_procedure_code")
        procedure = knowledge().find_procedure(procedure_code) if procedure_code else None
        attachments = []
        if slots.get("feedback_attachment") not in (None, "none"):
            attachments = json.loads(slots["feedback_attachment"])
        location = next((a for a in attachments if a.get("type") == "location"), None)
        subject = slots.get("feedback_subject")
        draft = service.Draft(
            content=slots["feedback_content"],
            reporter_name=slots.get("reporter_name"),
            reporter_address=slots.get("reporter_address"),
            reporter_phone=slots.get("reporter_phone"),
            kind=slots.get("feedback_kind") or "feedback",
            category=slots.get("feedback_category"),
            procedure_code=procedure_code,
            procedure_title=procedure["title"] if procedure else None,
            procedure_agency=procedure["agency"] if procedure else None,
            agency_hint=default_registry().get(slots.get("feedback_agency_id") or "").name
            if slots.get("feedback_agency_id") and default_registry().get(slots["feedback_agency_id"])
            else (subject if subject and subject != "none" else None),
            latitude=location.get("latitude") if location else None,
            longitude=location.get("longitude") if location else None,
            media=[a for a in attachments if a.get("type") == "photo"],
            channel=who.channel,
            conversation_id=who.conversation_id,
        )
        item = service.submit(sessions(), draft)
        dispatcher.utter_message(
            text=(
                f"Đã tiếp nhận phản ánh của bạn. Mã theo dõi: {item.code}\n"
                f"Đơn vị xử lý: {item.agency_name}. Hạn xử lý dự kiến: {item.due_at:%d/%m/%Y}.\n"
                "Cơ quan sẽ phân loại, xử lý và trả lời bạn ngay trong cuộc trò chuyện này; bạn có thể tra cứu bằng mã "
                "trên bất cứ lúc nào."
            ),
            buttons=[{"title": "Tra cứu phản ánh", "payload": f'/check_feedback_status{{"tracking_code": "{item.code}"}}'}],
        )
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("answer_status", "feedback_submitted")]


class ValidateFeedbackStatusForm(AsideAwareValidation):
    def name(self) -> str:
        return "validate_feedback_status_form"

    def validate_tracking_code(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        code = normalize_tracking_code(value or "")
        if not code:
            dispatcher.utter_message(text="Mã phản ánh có dạng PA-2026-7K3M9X (chữ và số, không phân biệt hoa thường). Bạn kiểm tra lại giúp tôi.")
        return {"tracking_code": code}


class ActionCheckFeedbackStatus(Action):
    def name(self) -> str:
        return "action_check_feedback_status"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        meta = metadata(tracker)
        typed = next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == "tracking_code"), None)
        code = meta.get("tracking_code") or tracker.get_slot("tracking_code") or normalize_tracking_code(typed or "")
        if not code:
            dispatcher.utter_message(response="utter_ask_tracking_code")
            return []
        item = service.find(sessions(), code)
        if item is None:
            dispatcher.utter_message(text=f"Không tìm thấy phản ánh mã {code}. Bạn kiểm tra lại mã giúp tôi.")
        else:
            is_filer = item.conversation_id is not None and item.conversation_id == identity(tracker).conversation_id
            dispatcher.utter_message(text=service.status_text(item, show_contact=is_filer))
        return [SlotSet("tracking_code", None), SlotSet("answer_status", "status_checked")]


class _CancelForm(Action, ABC):
    """Hủy: the form's slots are cleared so that opening it again starts afresh (Rasa keeps slots
    a deactivated form filled; the embedded engine calls the same action)."""

    slots: list[str] = []

    @abstractmethod
    def name(self) -> str: ...

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        dispatcher.utter_message(response="utter_cancelled")
        return [SlotSet(slot, None) for slot in self.slots] + [SlotSet("requested_slot", None)]


class ActionCancelFeedbackForm(_CancelForm):
    slots = FORM_SLOTS

    def name(self) -> str:
        return "action_cancel_feedback_form"


class ActionCancelFeedbackStatusForm(_CancelForm):
    slots = ["tracking_code"]

    def name(self) -> str:
        return "action_cancel_feedback_status_form"
