"""The conversation engine: (channel, user, text or button payload) -> messages with buttons.

One turn:
    lease the conversation → load its state → expire an idle session → understand the message
    → continue the active form (cancel / correct / interrupt / fill and validate a slot) or route
    the intent (respond, run an action, start a form) → save the state → log the turn.

Actions are rasa-sdk Action classes from the `actions` package, called in-process through
rasa-sdk's ActionExecutor with the same request a Rasa server would send; forms follow Rasa's
loop (ask `utter_ask_<slot>`/`action_ask_<slot>`, validate with `validate_<form>`, then run the
form's submit action).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

import rasa_sdk
from rasa_sdk.executor import ActionExecutor
from sqlalchemy.orm import Session, sessionmaker

from core.config import get_settings
from dialogue import domain as dom
from dialogue import handoff, store
from dialogue.routes import (FORM_SUBMIT, FREE_TEXT_SLOTS, INTENT_ACTIONS, INTENT_FORMS, INTENT_RESPONSES, INTERRUPTING,
                             PROMPTS, SKIPPABLE_SLOTS, STRICT_SLOTS, looks_like_question)
from dialogue.messages import OutgoingMessage, Reply
from feedback import intake
from nlu import replies
from nlu.commands import says_right
from nlu.parser import NLU, ParseResult, default_nlu
from storage.db import session_factory
from vietnamese.text import fold_key

log = logging.getLogger(__name__)

_CANCEL_WORDS = {"huy", "thoi", "huy bo", "dung lai", "thoat", "cancel", "stop", "thoi khong gui nua", "dung", "huy di"}


@dataclass
class Turn:
    conversation_id: int
    channel: str
    user_id: str
    state: dict[str, Any]
    parse: ParseResult
    attachments: list[dict] = field(default_factory=list)
    out: list[OutgoingMessage] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    answer_status: str | None = None
    answer_confidence: float | None = None
    message_metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def slots(self) -> dict[str, Any]:
        return self.state.setdefault("slots", {})

    @property
    def active_loop(self) -> str | None:
        return self.state.get("active_loop")

    @active_loop.setter
    def active_loop(self, value: str | None) -> None:
        self.state["active_loop"] = value

    @property
    def requested_slot(self) -> str | None:
        return self.state.get("requested_slot")

    @requested_slot.setter
    def requested_slot(self, value: str | None) -> None:
        self.state["requested_slot"] = value


def _run_coroutine(coroutine):
    """Run an action coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def build_executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


class Engine:
    def __init__(
        self,
        sessions: sessionmaker[Session] | None = None,
        nlu: NLU | None = None,
        executor: ActionExecutor | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.sessions = sessions or session_factory()
        self._nlu = nlu
        self.executor = executor or build_executor()
        self.clock = clock or store.utcnow
        self.settings = get_settings()

    @property
    def nlu(self) -> NLU:
        if self._nlu is None:
            self._nlu = default_nlu()
        return self._nlu

    def today(self) -> date:
        return self.clock().astimezone(ZoneInfo(self.settings.nlu.timezone)).date()

    # ------------------------------------------------------------------ entry point
    def handle(
        self,
        channel: str,
        user_id: str,
        text: str | None = None,
        payload: str | None = None,
        attachments: list[dict] | None = None,
        chat_id: str | None = None,
        metadata: dict | None = None,
    ) -> Reply:
        """One message of ``user_id``; ``metadata`` (the client's address ...) reaches the actions
        as the message's metadata, as Rasa's channels pass it."""
        started = time.perf_counter()
        message = (payload or text or "").strip()
        conversation_id = store.ensure_conversation(self.sessions, channel, user_id, chat_id)
        d = self.settings.dialogue
        with store.lease(self.sessions, conversation_id, d.lock_seconds, d.lock_wait_seconds) as token:
            state, last_active, _channel, _user = store.load(self.sessions, conversation_id)
            asked = state.get("requested_slot")  # what this message answers, if it answers a question
            parse = self.nlu.parse(message, today=self.today()) if message else ParseResult("", "attachment", 1.0)
            turn = Turn(conversation_id, channel, user_id, state, parse, attachments or [], message_metadata=metadata or {})
            if last_active and self.clock() - last_active > timedelta(minutes=d.session_minutes) and state:
                self._expire(turn)
            try:
                self._process(turn)
            except Exception:  # the user's input must never take the process down
                log.exception("turn failed in conversation %s", conversation_id)
                turn.out.append(dom.render("utter_error", turn.slots))
                turn.answer_status = "error"
            state["last_intent"] = parse.intent
            store.save(self.sessions, conversation_id, state, chat_id, token)
        latency = (time.perf_counter() - started) * 1000
        store.log_turn(
            self.sessions,
            conversation_id,
            channel,
            _logged_text(message, parse, attachments, asked),
            intent=parse.intent,
            confidence=parse.confidence,
            action=turn.actions[-1] if turn.actions else None,
            answer_status=turn.answer_status,
            answer_confidence=turn.answer_confidence,
            latency_ms=latency,
        )
        return Reply(turn.out, parse.intent, parse.confidence, turn.actions[-1] if turn.actions else None, turn.answer_status, conversation_id)

    # ------------------------------------------------------------------ routing
    def _expire(self, turn: Turn) -> None:
        had_form = turn.active_loop
        turn.state.clear()
        if had_form:
            turn.out.append(dom.render("utter_session_expired", {}))

    def _process(self, turn: Turn) -> None:
        if self._in_handoff(turn):
            return
        if turn.active_loop and turn.parse.from_payload and turn.parse.intent == "greet":
            self._greet_in_form(turn)  # the chat opened again (a new tab, Telegram /start): not an answer
        elif turn.active_loop:
            self._continue_form(turn)
        else:
            self._route(turn)

    def _greet_in_form(self, turn: Turn) -> None:
        turn.out.append(dom.render("utter_resume_form", turn.slots))
        if turn.requested_slot:
            self._ask(turn, turn.requested_slot)
        turn.answer_status = "resumed"

    def _in_handoff(self, turn: Turn) -> bool:
        """While an official has the conversation, messages go to them and the assistant is silent.
        "kết thúc" (or a button of another flow) ends the handoff and the assistant answers again."""
        with self.sessions() as session:
            open_one = handoff.open_for(session, turn.conversation_id)
        if open_one is None:
            return False
        parse = turn.parse
        what = handoff.citizen_turn(parse.text, parse.intent, parse.from_payload)
        if what == "greeted":
            turn.out.append(OutgoingMessage(handoff.STILL_OPEN))
            turn.answer_status = "handoff"
            return True
        if what != "relay":
            handoff.close(self.sessions, open_one.id, actor="citizen", by_citizen=True)
            turn.actions.append("handoff_closed")
            if what == "end":
                turn.out.append(OutgoingMessage(handoff.ENDED_BY_CITIZEN))
                turn.answer_status = "handoff_closed"
                return True
            return False  # a button of another flow: close, then handle it
        text = parse.text if not parse.from_payload else ""
        if turn.attachments:
            names = {"photo": "ảnh", "location": "vị trí"}
            text = (text + " " + "[" + ", ".join(names.get(a.get("type"), "tệp") for a in turn.attachments) + "]").strip()
        if text:
            handoff.citizen_message(self.sessions, open_one.id, text)
        turn.actions.append("handoff_message")
        turn.answer_status = "handoff"
        return True

    def _route(self, turn: Turn) -> None:
        parse = turn.parse
        intent = parse.intent
        if intent == "attachment":
            turn.out.append(dom.render("utter_clarify", turn.slots))
            turn.answer_status = "clarify"
            return
        low = not parse.from_payload and parse.confidence < self.settings.nlu.threshold
        if low:
            # unsure: try the knowledge base, which asks a clarifying question when it finds nothing
            self._run_action(turn, "action_answer_question", metadata={"fallback": True})
            return
        if (parse.from_payload or parse.from_menu) and intent in PROMPTS and not parse.entities:
            self._respond(turn, PROMPTS[intent])
            return
        if self._rates_a_feedback(parse):
            self._activate(turn, "feedback_rating_form")  # rating a feedback's handling, not the survey
        elif intent in INTENT_FORMS:
            self._activate(turn, INTENT_FORMS[intent])
        elif intent in INTENT_ACTIONS:
            self._run_action(turn, INTENT_ACTIONS[intent])
        else:
            self._respond(turn, INTENT_RESPONSES.get(intent, "utter_clarify"))

    @staticmethod
    def _rates_a_feedback(parse: ParseResult) -> bool:
        """Rating a feedback's handling (the item named by a button or a typed code), not the survey."""
        return parse.intent == "give_rating" and bool(parse.entity("feedback") or parse.entity("tracking_code"))

    def _respond(self, turn: Turn, response: str) -> None:
        turn.out.append(dom.render(response, turn.slots))
        turn.actions.append(response)
        turn.answer_status = turn.answer_status or ("out_of_scope" if response == "utter_out_of_scope" else "handled")

    # ------------------------------------------------------------------ forms
    def _activate(self, turn: Turn, form: str) -> None:
        turn.active_loop = form
        turn.requested_slot = None
        for slot in dom.required_slots(form):
            turn.slots.pop(slot, None)
        turn.answer_status = "form"
        candidates = self._entity_candidates(turn, form)
        if form == "feedback_form" and not turn.parse.from_payload and not turn.parse.from_menu:
            candidates.setdefault("feedback_content", turn.parse.text)  # the validator keeps it only if substantive
            turn.state["prefill"] = True
        self._form_step(turn, form, candidates)
        turn.state.pop("prefill", None)

    def _continue_form(self, turn: Turn) -> None:
        form = turn.active_loop
        parse = turn.parse
        turn.answer_status = "form"
        if form != "feedback_rating_form" and self._rates_a_feedback(parse):
            turn.active_loop, turn.requested_slot = None, None  # a button naming the feedback to rate: that form instead
            self._route(turn)
            return
        if self._is_cancel(parse, turn.requested_slot):
            self._cancel_form(turn)
            return
        target = self._correction_target(turn)
        if target:
            turn.slots[target] = None
            turn.requested_slot = target
            value = self._entity_candidates(turn, form).get(target)
            self._form_step(turn, form, {target: value} if value else {})
            return
        if self._is_interruption(turn):
            turn.actions.append("interruption")
            self._route_interruption(turn)
            if turn.active_loop == form and turn.requested_slot:
                turn.out.append(dom.render("utter_resume_form", turn.slots))
                self._ask(turn, turn.requested_slot)
            return
        candidates = self._entity_candidates(turn, form)
        requested = turn.requested_slot
        if requested and not (parse.from_payload and requested in candidates):  # a button's own value wins
            candidates[requested] = self._text_value(turn, requested)
        self._form_step(turn, form, candidates)

    def _form_step(self, turn: Turn, form: str, candidates: dict[str, Any]) -> None:
        events = []
        if f"validate_{form}" in self.executor.actions:
            # also without candidates: the validator knows the form's dynamic required slots
            slot_events = [{"event": "slot", "name": k, "value": v} for k, v in candidates.items()]
            events = self._run_action(turn, f"validate_{form}", extra_events=slot_events, record=False)
        else:
            turn.slots.update(candidates)
        if turn.active_loop != form:  # the validator ended the form (e.g. a complaint declined)
            return
        explicit = next((e for e in events if e.get("event") == "slot" and e.get("name") == "requested_slot"), None)
        if explicit and explicit.get("value") is None and self._next_missing(turn, form):
            explicit = None  # a validator cannot end a form by clearing requested_slot; ActiveLoop(None) does
        next_slot = explicit["value"] if explicit else self._next_missing(turn, form)
        if next_slot:
            turn.requested_slot = next_slot
            self._ask(turn, next_slot)
            return
        turn.active_loop = None
        turn.requested_slot = None
        self._run_action(turn, FORM_SUBMIT[form])

    def _next_missing(self, turn: Turn, form: str) -> str | None:
        return next((s for s in dom.required_slots(form) if turn.slots.get(s) in (None, "")), None)

    def _ask(self, turn: Turn, slot: str) -> None:
        if f"action_ask_{slot}" in self.executor.actions:
            self._run_action(turn, f"action_ask_{slot}", record=False)
        else:
            turn.out.append(dom.render(f"utter_ask_{slot}", turn.slots))

    def _cancel_form(self, turn: Turn) -> None:
        form = turn.active_loop
        for slot in dom.required_slots(form or ""):
            turn.slots.pop(slot, None)
        turn.active_loop = None
        turn.requested_slot = None
        cancel_action = f"action_cancel_{form}"
        if cancel_action in self.executor.actions:
            self._run_action(turn, cancel_action)
        else:
            turn.out.append(dom.render("utter_cancelled", turn.slots))
        turn.actions.append("cancel")

    def _entity_candidates(self, turn: Turn, form: str) -> dict[str, Any]:
        candidates = {}
        for slot in dom.required_slots(form):
            for mapping in dom.slot_mappings(slot):
                if mapping.get("type") == "from_entity":
                    value = turn.parse.entity(mapping["entity"])
                    if value:
                        candidates[slot] = value
        return candidates

    def _text_value(self, turn: Turn, slot: str) -> Any:
        parse = turn.parse
        if parse.from_payload:
            if parse.entities:  # '/affirm{"subject": "procedure:1.001193"}': the validator reads the JSON
                return parse.text
            return {"affirm": "/affirm", "deny": "/deny"}.get(parse.intent, parse.text)
        if parse.intent == "attachment":
            return "/attachment"
        return parse.text

    def _is_cancel(self, turn_parse: ParseResult, requested: str | None = None) -> bool:
        if turn_parse.from_payload:
            return turn_parse.intent == "cancel"
        if requested in SKIPPABLE_SLOTS and replies.is_skip(turn_parse.text):
            return False  # "bỏ qua" this question, not the whole form
        if requested == "feedback_confirmed" and intake.wants_fix(turn_parse.text):
            return False  # "sửa lại" at the summary: which field?
        folded = fold_key(turn_parse.text).strip(" .!")
        return (folded in _CANCEL_WORDS and not says_right(turn_parse.text)) or \
            (turn_parse.intent == "cancel" and turn_parse.confidence >= 0.6 and len(folded.split()) <= 6)

    def _correction_target(self, turn: Turn) -> str | None:
        parse = turn.parse
        if parse.from_payload and parse.entity("fix"):
            target = parse.entity("fix")
            return target if target in dom.required_slots(turn.active_loop or "") else None
        if turn.active_loop != "feedback_form" or turn.requested_slot == "feedback_content":
            return None
        fixing = bool(turn.slots.get("feedback_fixing")) and turn.requested_slot == "feedback_confirmed"
        return intake.correction_target(parse.text, fixing)

    def _is_interruption(self, turn: Turn) -> bool:
        parse = turn.parse
        slot = turn.requested_slot
        if parse.from_payload:
            return parse.intent in INTERRUPTING
        if slot in FREE_TEXT_SLOTS:
            return parse.intent == "human_handoff" and parse.confidence >= 0.9
        if parse.intent not in INTERRUPTING or parse.confidence < 0.8:
            return False
        if parse.intent == "check_feedback_status" and turn.active_loop == "feedback_status_form":
            return False
        return slot in STRICT_SLOTS or looks_like_question(parse.text)

    def _route_interruption(self, turn: Turn) -> None:
        intent = turn.parse.intent
        if intent == "check_feedback_status":
            code = turn.parse.entity("tracking_code")
            if code:
                self._run_action(turn, "action_check_feedback_status", metadata={"tracking_code": code})
            else:
                turn.out.append(dom.render("utter_ask_tracking_code", turn.slots))
            return
        if intent in INTENT_ACTIONS:
            self._run_action(turn, INTENT_ACTIONS[intent])
        else:
            self._respond(turn, INTENT_RESPONSES.get(intent, "utter_clarify"))

    # ------------------------------------------------------------------ actions
    def _run_action(
        self,
        turn: Turn,
        name: str,
        extra_events: list[dict] | None = None,
        metadata: dict | None = None,
        record: bool = True,
    ) -> list[dict]:
        if record:
            turn.actions.append(name)
        parse = turn.parse
        slots = {**turn.slots, "requested_slot": turn.requested_slot}
        latest_message = {
            "text": parse.text,
            "intent": {"name": parse.intent, "confidence": parse.confidence},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in parse.ranking],
            "entities": [e.to_json() for e in parse.entities],
            "metadata": {
                **turn.message_metadata,
                "conversation_id": turn.conversation_id,
                "channel": turn.channel,
                "user_id": turn.user_id,
                "attachments": turn.attachments,
                "today": self.today().isoformat(),
                "prefill": bool(turn.state.get("prefill")),
                **(metadata or {}),
            },
        }
        tracker = {
            "sender_id": f"{turn.channel}:{turn.user_id}",
            "slots": slots,
            "latest_message": latest_message,
            "events": [{"event": "user", "text": parse.text, "parse_data": latest_message}, *(extra_events or [])],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": turn.active_loop} if turn.active_loop else {},
            "latest_action_name": turn.actions[-1] if turn.actions else None,
        }
        call = {"next_action": name, "sender_id": tracker["sender_id"], "tracker": tracker, "domain": dom.load_domain(), "version": rasa_sdk.__version__}
        result = _run_coroutine(self.executor.run(call))
        events = [dict(e) for e in result.events] if result else []
        followups = self._apply(turn, events)
        for message in result.responses if result else []:
            rendered = dom.from_dispatcher(message, turn.slots)
            if rendered:
                turn.out.append(rendered)
        for followup in followups:
            if followup in INTENT_FORMS.values():
                self._activate(turn, followup)
            else:
                self._run_action(turn, followup)
        return events

    def _apply(self, turn: Turn, events: list[dict]) -> list[str]:
        followups = []
        for event in events:
            kind = event.get("event")
            if kind == "slot":
                if event["name"] == "requested_slot":
                    turn.requested_slot = event.get("value")
                elif event["name"] == "answer_status":
                    turn.answer_status = event.get("value")
                elif event["name"] == "answer_confidence":
                    turn.answer_confidence = event.get("value")
                else:
                    turn.slots[event["name"]] = event.get("value")
            elif kind in ("active_loop", "form"):
                turn.active_loop = event.get("name")
                if not turn.active_loop:
                    turn.requested_slot = None
            elif kind == "followup":
                followups.append(event["name"])
            elif kind in ("restart", "reset_slots"):
                turn.state["slots"] = {}
                turn.active_loop = None
                turn.requested_slot = None
        return followups


# what officials read for a tapped button in a conversation excerpt
BUTTON_NAMES = {"greet": "Bắt đầu", "goodbye": "Tạm biệt", "thank": "Cảm ơn", "bot_capabilities": "Trợ giúp",
                "ask_question": "Hỏi thủ tục", "ask_deadline": "Hỏi hạn nhiệm vụ", "file_feedback": "Gửi phản ánh",
                "check_feedback_status": "Tra cứu phản ánh", "give_rating": "Đánh giá", "subscribe_reminders": "Nhận nhắc việc",
                "unsubscribe_reminders": "Tắt nhắc việc", "human_handoff": "Gặp cán bộ", "affirm": "Đồng ý", "deny": "Không",
                "cancel": "Dừng"}
# slots whose answers are personal data: the turn log keeps that something was given, not what
PERSONAL_SLOTS = {"reporter_name": "họ tên", "reporter_address": "địa chỉ", "reporter_phone": "số điện thoại"}


def _logged_text(message: str, parse: ParseResult, attachments: list[dict] | None, asked: str | None = None) -> str:
    """What the turn log keeps: the text, a button's name, what was attached; the answer to a
    question for personal data only as "[họ tên — đã che]"."""
    if parse.from_payload:
        return f"[bấm nút: {BUTTON_NAMES.get(parse.intent, 'lựa chọn')}]"
    if asked in PERSONAL_SLOTS and message:
        return f"[{PERSONAL_SLOTS[asked]} — đã che]"
    if not message and attachments:
        names = {"photo": "ảnh", "location": "vị trí"}
        return "[" + ", ".join(names.get(a.get("type"), a.get("type", "tệp")) for a in attachments) + "]"
    return message
