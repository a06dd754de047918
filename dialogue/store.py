"""Conversation state in the database, with a per-conversation lease lock.

Any server process can take the next message of any conversation: it leases the row (an
atomic UPDATE that succeeds only when nobody else holds an unexpired lease), loads the state,
runs the turn, saves the state and releases the lease. A crashed worker's lease expires.
Works the same on SQLite and PostgreSQL and holds no transaction open while a turn runs.
"""
from __future__ import annotations

import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.privacy import mask_pii
from storage.models import Conversation, Turn


class ConversationBusy(RuntimeError):
    """Another process is still handling this conversation's previous message."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def ensure_conversation(sessions: sessionmaker[Session], channel: str, user_id: str, chat_id: str | None = None) -> int:
    with sessions() as session:
        conversation_id = session.scalar(
            select(Conversation.id).where(Conversation.channel == channel, Conversation.user_id == user_id)
        )
        if conversation_id is not None:
            return conversation_id
        conversation = Conversation(channel=channel, user_id=user_id, chat_id=chat_id or user_id, state={})
        session.add(conversation)
        try:
            session.commit()
            return conversation.id
        except IntegrityError:  # created by a concurrent request
            session.rollback()
            return session.scalar(
                select(Conversation.id).where(Conversation.channel == channel, Conversation.user_id == user_id)
            )


_waiting: dict[int, int] = {}  # conversation -> messages waiting for its lock in this process
_waiting_lock = threading.Lock()
MAX_WAITING = 3  # people send a few short messages in a row; a flood is refused at once


@contextmanager
def _bounded_wait(conversation_id: int) -> Iterator[None]:
    """At most MAX_WAITING messages of one conversation wait here for its lock; a further one is
    refused at once, so one busy conversation cannot hold the server's threads."""
    with _waiting_lock:
        if _waiting.get(conversation_id, 0) >= MAX_WAITING:
            raise ConversationBusy(conversation_id)
        _waiting[conversation_id] = _waiting.get(conversation_id, 0) + 1
    try:
        yield
    finally:
        with _waiting_lock:
            _waiting[conversation_id] -= 1
            if not _waiting[conversation_id]:
                del _waiting[conversation_id]


@contextmanager
def lease(sessions: sessionmaker[Session], conversation_id: int, seconds: float, wait: float) -> Iterator[str]:
    token = uuid.uuid4().hex
    with _bounded_wait(conversation_id):
        _take(sessions, conversation_id, token, seconds, wait)
    try:
        yield token
    finally:
        with sessions() as session:
            session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.locked_by == token)
                .values(locked_by=None, locked_until=None)
            )
            session.commit()


def _take(sessions: sessionmaker[Session], conversation_id: int, token: str, seconds: float, wait: float) -> None:
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        now = utcnow()
        with sessions() as session:
            result = session.execute(
                update(Conversation)
                .where(
                    Conversation.id == conversation_id,
                    or_(Conversation.locked_until.is_(None), Conversation.locked_until < now),
                )
                .values(locked_by=token, locked_until=now + timedelta(seconds=seconds))
            )
            session.commit()
        if result.rowcount == 1:
            return
        if time.monotonic() > deadline:
            raise ConversationBusy(conversation_id)
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def load(sessions: sessionmaker[Session], conversation_id: int) -> tuple[dict[str, Any], datetime, str, str]:
    with sessions() as session:
        row = session.get(Conversation, conversation_id)
        return dict(row.state or {}), row.last_active_at, row.channel, row.user_id


def save(sessions: sessionmaker[Session], conversation_id: int, state: dict[str, Any], chat_id: str | None, token: str) -> None:
    with sessions() as session:
        values: dict[str, Any] = {"state": state, "last_active_at": utcnow(), "version": Conversation.version + 1}
        if chat_id:
            values["chat_id"] = chat_id
        result = session.execute(
            update(Conversation).where(Conversation.id == conversation_id, Conversation.locked_by == token).values(**values)
        )
        session.commit()
        if result.rowcount != 1:
            raise ConversationBusy(f"lease of conversation {conversation_id} was lost")


def log_turn(sessions: sessionmaker[Session], conversation_id: int, channel: str, text: str, **fields: Any) -> None:
    with sessions() as session:
        if fields.get("intent"):
            fields["intent"] = fields["intent"][:64]
        if fields.get("action"):
            fields["action"] = fields["action"][:64]
        session.add(Turn(conversation_id=conversation_id, channel=channel, text=mask_pii(text)[:2000], **fields))
        session.commit()
