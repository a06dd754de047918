"""What the engine sends back: channel-neutral messages with optional buttons."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class OutgoingMessage:
    text: str
    buttons: list[Button] = field(default_factory=list)
    image: str | None = None

    def to_json(self) -> dict:
        data = {"text": self.text, "buttons": [asdict(b) for b in self.buttons]}
        if self.image:
            data["image"] = self.image
        return data


@dataclass
class Reply:
    messages: list[OutgoingMessage]
    intent: str | None = None
    confidence: float | None = None
    action: str | None = None
    answer_status: str | None = None
    conversation_id: int | None = None

    def to_json(self) -> dict:
        return {"messages": [m.to_json() for m in self.messages]}
