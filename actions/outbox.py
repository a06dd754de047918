"""Delivery of queued messages (an official's reply, a reminder) to a person who talks through a
Rasa server: bot.channels.rasa triggers EXTERNAL_outbox with the text, this action says it."""
from __future__ import annotations

import json

from rasa_sdk import Action

INTENT = "EXTERNAL_outbox"  # what bot.channels.rasa triggers; the Rasa export routes it here
TEXT_ENTITY = "outbox_text"
BUTTONS_ENTITY = "outbox_buttons"


def _entity(tracker, name: str) -> str | None:
    return next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == name), None)


def _buttons(raw: str | None) -> list[dict]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    return [{"title": str(b["title"]), "payload": str(b["payload"])} for b in items if isinstance(b, dict) and b.get("title") and b.get("payload")][:10]


class ActionDeliverMessage(Action):
    def name(self) -> str:
        return "action_deliver_message"

    def run(self, dispatcher, tracker, domain) -> list[dict]:
        text = _entity(tracker, TEXT_ENTITY)
        if text:
            dispatcher.utter_message(text=str(text), buttons=_buttons(_entity(tracker, BUTTONS_ENTITY)))
        return []
