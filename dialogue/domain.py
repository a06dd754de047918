"""The domain file (Rasa format) and rendering of its responses."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dialogue.messages import Button, OutgoingMessage

DOMAIN_FILE = Path(__file__).with_name("domain.yml")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def load_domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


def required_slots(form: str) -> list[str]:
    return list(load_domain().get("forms", {}).get(form, {}).get("required_slots", []))


def form_slots() -> set[str]:
    return {slot for form in load_domain().get("forms", {}) for slot in required_slots(form)}


def slot_mappings(slot: str) -> list[dict]:
    return load_domain().get("slots", {}).get(slot, {}).get("mappings", [])


def has_response(name: str) -> bool:
    return name in load_domain().get("responses", {})


def render(name: str, slots: dict[str, Any]) -> OutgoingMessage:
    """A response from the domain with {slot} placeholders filled (first variant)."""
    variant = load_domain()["responses"][name][0]
    text = _PLACEHOLDER.sub(lambda m: str(slots.get(m.group(1)) or ""), variant.get("text", ""))
    buttons = [Button(b["title"], b["payload"]) for b in variant.get("buttons", [])]
    return OutgoingMessage(text, buttons, variant.get("image"))


def from_dispatcher(message: dict, slots: dict[str, Any]) -> OutgoingMessage | None:
    """A rasa_sdk dispatcher message -> OutgoingMessage (responses rendered from the domain)."""
    if message.get("response"):
        rendered = render(message["response"], {**slots, **(message.get("kwargs") or {})})
        if message.get("buttons"):
            rendered.buttons = [Button(b["title"], b["payload"]) for b in message["buttons"]]
        return rendered
    text = message.get("text") or ""
    buttons = [Button(b["title"], b["payload"]) for b in message.get("buttons") or []]
    if not text and not buttons and not message.get("image"):
        return None
    return OutgoingMessage(text, buttons, message.get("image"))
