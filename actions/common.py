"""Helpers shared by the action classes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rasa_sdk import Tracker

from nlu import replies
from nlu.replies import read_yes_no
from vietnamese.text import fold_key



def metadata(tracker: Tracker) -> dict[str, Any]:
    return (tracker.latest_message or {}).get("metadata") or {}


@dataclass(frozen=True)
class Identity:
    """Who is talking: the channel and user the assistant answers, and their conversation row."""

    channel: str
    user_id: str
    conversation_id: int


# Rasa channels whose sender id is the chat the assistant's own sender reaches (Rasa's Telegram
# connector uses the chat id): officials' replies and reminders go out through that channel.
SHARED_CHANNELS = {"telegram"}
# Any other Rasa channel (rest, socketio, ...) is the "rasa" channel here: its outbox is handed to
# Rasa by action_deliver_messages (docs/rasa.md).
RASA_CHANNEL = "rasa"


def identity(tracker: Tracker) -> Identity:
    """The embedded engine passes the conversation in the message metadata; under Rasa the
    identity comes from the tracker alone (sender id and input channel) and the conversation row
    is created on first use, so feedback, handoffs and reminders can reach the person later."""
    meta = metadata(tracker)
    if meta.get("conversation_id") is not None:
        return Identity(str(meta.get("channel") or "web"), str(meta.get("user_id") or ""), int(meta["conversation_id"]))
    from dialogue import store

    sender = str(tracker.sender_id or "")[:100]
    source = str(tracker.get_latest_input_channel() or "rest")[:24]
    channel, user_id = (source, sender) if source in SHARED_CHANNELS else (RASA_CHANNEL, f"{source}:{sender}")
    return Identity(channel, user_id, store.ensure_conversation(sessions(), channel, user_id, chat_id=sender))


def today(tracker: Tracker) -> date:
    value = metadata(tracker).get("today")
    return date.fromisoformat(value) if value else date.today()


def folded(text: str | None) -> str:
    return fold_key(text or "").strip(" .!?")


def _said(tracker: Tracker | None, intent: str) -> bool:
    """The NLU read the latest message as ``intent`` with good confidence."""
    if tracker is None:
        return False
    parsed = (tracker.latest_message or {}).get("intent") or {}
    return parsed.get("name") == intent and (parsed.get("confidence") or 0) >= 0.6


def is_affirm(value: str | None, tracker: Tracker | None = None) -> bool:
    """Yes, as nlu.replies reads it ("ừ", "gửi đi", "k sao, gửi luôn"); the classifier's affirm
    only when the reading does not say no."""
    if value == "/affirm":
        return True
    reading = read_yes_no(value)
    return reading == "yes" or (reading is None and _said(tracker, "affirm") and not (value or "").startswith("/"))


def is_deny(value: str | None, tracker: Tracker | None = None) -> bool:
    if value == "/deny":
        return True
    reading = read_yes_no(value)
    return reading == "no" or (reading is None and _said(tracker, "deny") and not (value or "").startswith("/"))


def is_skip(value: str | None) -> bool:
    return replies.is_skip(value)


def payload_json(value: str | None, key: str) -> str | None:
    """'/affirm{"subject": "procedure:1.001193"}' -> 'procedure:1.001193'."""
    import json

    m = re.match(r"^/\w+(\{.*\})$", value or "", re.DOTALL)
    if not m:
        return None
    try:
        return json.loads(m.group(1)).get(key)
    except (ValueError, AttributeError):
        return None


def button_title(text: str, limit: int = 60) -> str:
    """A button label cut at a word boundary ("Đăng ký khai sinh có yếu tố nước…")."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return (cut or text[: limit - 1]) + "…"


def distinct_titles(titles: list[str], limit: int = 60) -> list[str]:
    """Button labels that tell similar titles apart: when two cut labels would read the same, the
    words they share give way to where they differ ("Cấp lại chứng nhận đăng … tại cấp xã")."""
    cut = [button_title(t, limit) for t in titles]
    out = []
    for i, title in enumerate(titles):
        # labels that read the same: equal, or one cut where the other goes on ("… (thực hiện tại cấp…")
        twins = [t for j, t in enumerate(titles) if j != i and _alike(cut[i], cut[j])]
        if not twins:
            out.append(cut[i])
            continue
        words = title.split()
        shared = min(next((k for k, (a, b) in enumerate(zip(words, t.split())) if a != b), min(len(words), len(t.split())))
                     for t in twins)
        start = max(0, shared - 2)  # two words of context before the difference
        head = " ".join(words[: min(4, start)])  # and the start of the title, to keep the topic
        out.append(button_title(f"{head} … {' '.join(words[start:])}", limit) if start > 4 else cut[i])
    return out


def _alike(a: str, b: str) -> bool:
    a, b = a.rstrip("…"), b.rstrip("…")
    return a.startswith(b) or b.startswith(a)


def sessions():
    from storage.db import session_factory

    return session_factory()


def knowledge():
    from knowledge.service import default_knowledge_base

    return default_knowledge_base()
