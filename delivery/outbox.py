"""The outbox: messages to push to users on the channel they used.

Every message waits in `outbound_messages` until a sender for its channel delivers it. Workers
claim a message with an atomic conditional UPDATE (works across processes on SQLite and
PostgreSQL), send it, and mark it sent; a platform that is down or rate-limits gets the message
again later with exponential backoff (honouring Retry-After). A claim expires, so a crashed
worker's messages go out later; a message is marked sent right after the platform accepts it.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Conversation, OutboundMessage

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120
MAX_ATTEMPTS = 30


class TemporaryFailure(Exception):
    """The platform is down or rate-limits; try again later (after ``retry_after`` seconds if given)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """The message can never be delivered (blocked bot, unknown chat)."""


class Sender(Protocol):
    """A channel's way to push a message; raises TemporaryFailure or PermanentFailure."""

    channel: str

    async def send(self, chat_id: str, text: str, buttons: list[dict]) -> None: ...


@dataclass
class Claimed:
    id: int
    channel: str
    chat_id: str
    text: str
    buttons: list[dict]
    attempts: int


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _due(now: datetime):
    return or_(
        and_(OutboundMessage.status == "pending", OutboundMessage.next_attempt_at <= now),
        and_(OutboundMessage.status == "sending", OutboundMessage.next_attempt_at <= now),  # an expired claim
    )


def claim(sessions: sessionmaker[Session], channels: set[str], limit: int = 50, now: datetime | None = None) -> list[Claimed]:
    now = now or utcnow()
    claimed: list[Claimed] = []
    with sessions() as session:
        candidates = session.execute(
            select(OutboundMessage.id, Conversation.chat_id, Conversation.channel)
            .join(Conversation, Conversation.id == OutboundMessage.conversation_id)
            .where(_due(now), OutboundMessage.channel.in_(channels))
            .order_by(OutboundMessage.id)
            .limit(limit)
        ).all()
        for message_id, chat_id, channel in candidates:
            won = session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == message_id, _due(now))
                .values(status="sending", next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
            ).rowcount
            session.commit()
            if won:
                message = session.get(OutboundMessage, message_id)
                claimed.append(Claimed(message.id, channel, chat_id, message.text, message.buttons or [], message.attempts))
    return claimed


def mark_sent(sessions: sessionmaker[Session], message_id: int, now: datetime | None = None) -> None:
    with sessions() as session:
        session.execute(
            update(OutboundMessage).where(OutboundMessage.id == message_id)
            .values(status="sent", sent_at=now or utcnow(), attempts=OutboundMessage.attempts + 1, last_error=None)
        )
        session.commit()


def mark_failed(sessions: sessionmaker[Session], message: Claimed, error: Exception, now: datetime | None = None) -> None:
    now = now or utcnow()
    attempts = message.attempts + 1
    if isinstance(error, PermanentFailure) or attempts >= MAX_ATTEMPTS:
        values = {"status": "failed", "attempts": attempts, "last_error": str(error)[:500]}
    else:
        delay = getattr(error, "retry_after", None) or min(10 * 2 ** (attempts - 1), 3600)
        values = {"status": "pending", "attempts": attempts, "last_error": str(error)[:500], "next_attempt_at": now + timedelta(seconds=delay)}
    with sessions() as session:
        session.execute(update(OutboundMessage).where(OutboundMessage.id == message.id).values(**values))
        session.commit()


async def deliver(
    sessions: sessionmaker[Session],
    senders: dict[str, Sender],
    now: datetime | None = None,
    limit: int = 50,
    observe: Callable[[str, str], None] | None = None,
) -> dict[str, int]:
    """Send what is due on the channels we have senders for; returns counts by outcome
    (``observe(channel, outcome)`` is called for each message, for metrics)."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message in await asyncio.to_thread(claim, sessions, set(senders), limit, now):
        outcome = await _deliver_one(sessions, senders[message.channel], message, now)
        counts[outcome] += 1
        if observe:
            observe(message.channel, outcome)
    return counts


async def _deliver_one(sessions: sessionmaker[Session], sender: Sender, message: Claimed, now: datetime | None) -> str:
    try:
        await sender.send(message.chat_id, message.text, message.buttons)
    except (TemporaryFailure, PermanentFailure) as exc:
        await asyncio.to_thread(mark_failed, sessions, message, exc, now)
        log.warning("delivery of message %s on %s failed: %s", message.id, message.channel, exc)
        return "failed" if isinstance(exc, PermanentFailure) else "retry"
    except Exception as exc:  # an unexpected sender error is treated as temporary
        await asyncio.to_thread(mark_failed, sessions, message, TemporaryFailure(repr(exc)), now)
        log.exception("delivery of message %s crashed", message.id)
        return "retry"
    await asyncio.to_thread(mark_sent, sessions, message.id, now)
    return "sent"


def queue(
    sessions: sessionmaker[Session], channel: str, user_id: str, messages: list[dict], kind: str = "reply", now: datetime | None = None
) -> int:
    """Keep messages that could not go out right away (platform down, rate limit) for the sender loop."""
    now = now or utcnow()
    with sessions() as session:
        conversation_id = session.scalar(select(Conversation.id).where(Conversation.channel == channel, Conversation.user_id == user_id))
        if conversation_id is None:
            return 0
        for message in messages:
            session.add(
                OutboundMessage(
                    conversation_id=conversation_id, channel=channel, kind=kind, text=message["text"],
                    buttons=message.get("buttons") or [], dedupe_key=f"{kind}:{uuid.uuid4().hex}",
                    created_at=now, next_attempt_at=now,
                )
            )
        session.commit()
    return len(messages)


def pull(sessions: sessionmaker[Session], channel: str, user_id: str, now: datetime | None = None) -> list[dict]:
    """Channels without push (the web chat) fetch their waiting messages: each is returned once."""
    now = now or utcnow()
    with sessions() as session:
        conversation_id = session.scalar(select(Conversation.id).where(Conversation.channel == channel, Conversation.user_id == user_id))
        if conversation_id is None:
            return []
        ids = session.scalars(
            select(OutboundMessage.id).where(OutboundMessage.conversation_id == conversation_id, _due(now)).order_by(OutboundMessage.id)
        ).all()
    messages = []
    for message_id in ids:
        with sessions() as session:
            won = session.execute(
                update(OutboundMessage).where(OutboundMessage.id == message_id, _due(now))
                .values(status="sent", sent_at=now, attempts=OutboundMessage.attempts + 1)
            ).rowcount
            session.commit()
            if won:
                message = session.get(OutboundMessage, message_id)
                messages.append({"text": message.text, "buttons": message.buttons or []})
    return messages
