"""Small pieces of channel state that every server process must share."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ButtonPayload, ChannelEvent, ChatMenu


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def first_delivery(sessions: sessionmaker[Session], channel: str, event_key: str) -> bool:
    """True the first time (channel, event_key) is seen; False for a platform's retry."""
    with sessions() as session:
        try:
            session.add(ChannelEvent(channel=channel, event_key=str(event_key)[:128]))
            session.commit()
            return True
        except IntegrityError:
            session.rollback()
            return False


def forget_events(sessions: sessionmaker[Session], older_than_days: int = 7) -> int:
    with sessions() as session:
        deleted = session.execute(delete(ChannelEvent).where(ChannelEvent.received_at < utcnow() - timedelta(days=older_than_days))).rowcount
        session.commit()
        return deleted


def payload_key(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def store_payload(sessions: sessionmaker[Session], payload: str) -> str:
    key = payload_key(payload)
    with sessions() as session:
        if session.get(ButtonPayload, key) is None:
            try:
                session.add(ButtonPayload(key=key, payload=payload))
                session.commit()
            except IntegrityError:  # the same payload stored concurrently
                session.rollback()
    return key


def load_payload(sessions: sessionmaker[Session], key: str) -> str | None:
    with sessions() as session:
        row = session.get(ButtonPayload, key)
        return row.payload if row else None


def save_menu(sessions: sessionmaker[Session], channel: str, chat_id: str, buttons: list[dict[str, Any]]) -> None:
    with sessions() as session:
        menu = session.get(ChatMenu, (channel, chat_id))
        if menu is None:
            try:
                session.add(ChatMenu(channel=channel, chat_id=chat_id, buttons=buttons, updated_at=utcnow()))
                session.commit()
                return
            except IntegrityError:
                session.rollback()
                menu = session.get(ChatMenu, (channel, chat_id))
        menu.buttons, menu.updated_at = buttons, utcnow()
        session.commit()


def load_menu(sessions: sessionmaker[Session], channel: str, chat_id: str) -> list[dict[str, Any]]:
    with sessions() as session:
        menu = session.scalar(select(ChatMenu).where(ChatMenu.channel == channel, ChatMenu.chat_id == chat_id))
        return list(menu.buttons or []) if menu else []
