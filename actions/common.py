"""Helpers shared by the action classes."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker

from vietnamese.text import fold_key

AFFIRM_WORDS = {"dung", "dung roi", "co", "ok", "oke", "okela", "dong y", "gui", "gui di", "xac nhan", "vang", "da",
                "da vang", "phai", "chinh xac", "uh", "u", "yes", "chuan", "duoc", "dung vay", "co a", "vang a", "dung the"}
DENY_WORDS = {"khong", "ko", "k", "sai", "sai roi", "chua dung", "khong phai", "khong dung", "no", "chua", "hok",
              "sua", "sua lai", "khong a", "da khong"}
SKIP_WORDS = {"bo qua", "khong", "ko", "k", "khong co", "khong ro", "khong biet", "khong lien quan", "skip", "thoi", "bo"}


def metadata(tracker: Tracker) -> dict[str, Any]:
    return (tracker.latest_message or {}).get("metadata") or {}


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
    return value == "/affirm" or folded(value) in AFFIRM_WORDS or _said(tracker, "affirm")


def is_deny(value: str | None, tracker: Tracker | None = None) -> bool:
    return value == "/deny" or folded(value) in DENY_WORDS or _said(tracker, "deny")


def is_skip(value: str | None) -> bool:
    return value == "/deny" or folded(value) in SKIP_WORDS


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


def sessions():
    from storage.db import session_factory

    return session_factory()


def knowledge():
    from knowledge.service import default_knowledge_base

    return default_knowledge_base()
