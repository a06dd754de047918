"""What every channel shares: one turn through the engine, long-text splitting, numbered menus
for platforms without buttons, and storing the photos citizens send."""
from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass, field

from bot.metrics import ANSWERS, ERRORS, LATENCY, MESSAGES
from core.config import get_settings
from core.inputs import clean
from core.ratelimit import default_limiter
from dialogue.messages import OutgoingMessage, Reply
from dialogue.store import ConversationBusy
from vietnamese.text import fold_key

log = logging.getLogger(__name__)

BUSY_TEXT = "Tin nhắn trước của bạn đang được xử lý, vui lòng gửi lại sau giây lát."
ERROR_TEXT = "Xin lỗi, hệ thống vừa gặp sự cố. Thông tin bạn đã nhập vẫn được giữ, bạn vui lòng gửi lại tin nhắn."
UNSUPPORTED_TEXT = "Hiện tôi chỉ đọc được tin nhắn chữ, ảnh và vị trí. Bạn vui lòng gõ nội dung cần hỏi."
SLOW_DOWN_TEXT = "Bạn gửi tin nhắn quá nhanh. Vui lòng chờ {seconds} giây rồi gửi lại."
ID_CHARS = 128  # the conversations.user_id column


def too_long_text(limit: int) -> str:
    return (f"Tin nhắn quá dài (tối đa {limit:,} ký tự). Bạn vui lòng gửi ngắn gọn hơn "
            "hoặc chia thành nhiều tin.").replace(",", ".")


def text_limit(channel: str) -> int:
    limits = get_settings().limits
    if channel == "telegram":
        return limits.telegram_text_chars
    if channel.startswith("zalo"):
        return limits.zalo_text_chars
    return limits.chat_text_chars


@dataclass
class Incoming:
    channel: str
    user_id: str
    chat_id: str
    text: str | None = None
    payload: str | None = None
    attachments: list[dict] = field(default_factory=list)
    address: str | None = None  # the client's network address (web chat), for per-address limits

    def __post_init__(self) -> None:
        # platforms sign what they send, so their texts are cleaned here rather than refused
        self.user_id = clean(str(self.user_id))[:ID_CHARS]
        self.chat_id = clean(str(self.chat_id))[:ID_CHARS]
        self.text = clean(self.text) if self.text else self.text
        self.payload = clean(self.payload)[: get_settings().limits.payload_chars] if self.payload else self.payload

    @classmethod
    def button(cls, channel: str, user_id: str, chat_id: str, payload: str) -> "Incoming":
        """A pressed button: '/intent{...}' payloads go as payloads, plain values as typed text."""
        if payload.startswith("/"):
            return cls(channel, user_id, chat_id, payload=payload)
        return cls(channel, user_id, chat_id, text=payload)


def run_turn(engine, incoming: Incoming) -> Reply:
    """One message through the engine, counted in the metrics. Raises ConversationBusy."""
    channel = incoming.channel
    MESSAGES.labels(channel).inc()
    started = time.perf_counter()
    try:
        reply = engine.handle(
            channel, incoming.user_id, text=incoming.text, payload=incoming.payload,
            attachments=incoming.attachments, chat_id=incoming.chat_id,
            metadata={"address": incoming.address} if incoming.address else None,
        )
    except ConversationBusy:
        ERRORS.labels(channel, "busy").inc()
        raise
    except Exception:
        ERRORS.labels(channel, "engine").inc()
        raise
    finally:
        LATENCY.labels(channel).observe(time.perf_counter() - started)
    ANSWERS.labels(channel, reply.answer_status or "none").inc()
    if reply.answer_status == "error":
        ERRORS.labels(channel, "turn").inc()
    return reply


async def converse(engine, incoming: Incoming) -> list[OutgoingMessage]:
    """The messages to send back; a busy conversation or a failure becomes a Vietnamese notice."""
    limit = text_limit(incoming.channel)
    if incoming.text and len(incoming.text) > limit:
        return [OutgoingMessage(too_long_text(limit))]
    try:
        reply = await asyncio.to_thread(run_turn, engine, incoming)
    except ConversationBusy:
        return [OutgoingMessage(BUSY_TEXT)]
    except Exception:
        log.exception("turn failed on %s", incoming.channel)
        return [OutgoingMessage(ERROR_TEXT)]
    return reply.messages


def slow_down(channel: str, user_id: str):
    """A 429 with Retry-After when ``user_id`` sends faster than limits.webhook_per_user: the
    platform delivers the update again later (already handled ones are skipped), nothing is lost."""
    from fastapi.responses import JSONResponse

    wait = default_limiter().hit(get_settings().limits.webhook_per_user, channel, str(user_id))
    if wait is None:
        return None
    ERRORS.labels(channel, "rate_limited").inc()
    return JSONResponse({"error": SLOW_DOWN_TEXT.format(seconds=wait)}, status_code=429, headers={"Retry-After": str(wait)})


async def send_or_queue(sender, sessions, incoming: Incoming, messages: list[OutgoingMessage]) -> None:
    """Send the replies now; what the platform does not take (down, rate limit) waits in the outbox."""
    from delivery.outbox import PermanentFailure, TemporaryFailure, queue

    for i, message in enumerate(messages):
        buttons = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        try:
            await sender.send(incoming.chat_id, message.text, buttons)
        except TemporaryFailure as exc:
            ERRORS.labels(incoming.channel, "send").inc()
            rest = [{"text": m.text, "buttons": [{"title": b.title, "payload": b.payload} for b in m.buttons]} for m in messages[i:]]
            await asyncio.to_thread(queue, sessions, incoming.channel, incoming.user_id, rest)
            log.warning("%s reply queued for later (%s)", incoming.channel, exc)
            return
        except PermanentFailure as exc:
            ERRORS.labels(incoming.channel, "send").inc()
            log.warning("%s reply cannot be delivered: %s", incoming.channel, exc)
            return


# ---------------------------------------------------------------------------- long texts

def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, line, sentence or word ends."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = -1
        for pattern in (r"\n\s*\n", r"\n", r"[.!?;:](?=\s)", r"\s"):
            ends = [m.end() for m in re.finditer(pattern, window)]
            ends = [e for e in ends if e >= limit // 3]
            if ends:
                cut = ends[-1]
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


# ---------------------------------------------------------------------------- numbered menus

def numbered(buttons: list[dict]) -> bool:
    """Number the choices unless a choice is itself a number (1-5 ratings): then "1" must stay 1."""
    return not any(re.fullmatch(r"\s*\d+\s*", b["payload"]) or re.match(r"\s*\d", b["title"]) for b in buttons)


def menu_text(text: str, buttons: list[dict]) -> str:
    """The message with its buttons written out as choices the user can type."""
    if not buttons:
        return text
    if numbered(buttons):
        lines = [f"{i}. {b['title']}" for i, b in enumerate(buttons, 1)]
        hint = "(Trả lời bằng số thứ tự của lựa chọn.)"
    else:
        lines = [f"• {b['title']}" for b in buttons]
        hint = "(Trả lời bằng số điểm hoặc gõ lựa chọn.)"
    return "\n".join([text, "", *lines, hint])


def choose(text: str, buttons: list[dict]) -> str | None:
    """The payload a typed reply picks from the last menu: its number, or its title typed out."""
    typed = text.strip()
    if not typed or not buttons:
        return None
    if typed.isdigit() and numbered(buttons):
        index = int(typed)
        return buttons[index - 1]["payload"] if 1 <= index <= len(buttons) else None
    key = fold_key(typed)
    for b in buttons:
        if fold_key(b["title"]) == key:
            return b["payload"]
    return None
