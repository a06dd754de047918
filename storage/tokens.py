"""A platform's access/refresh token pair, shared by every process.

Refresh tokens that are single-use (Zalo OA) need exactly one refresher: a process claims the
refresh of generation g with a conditional UPDATE; the others wait until generation g+1 appears.
The new pair replaces the old one in one UPDATE, so no process ever sees half a pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ChannelToken


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str | None
    generation: int


def current(sessions: sessionmaker[Session], channel: str, seed_access: str | None, seed_refresh: str | None) -> TokenPair | None:
    """The stored pair; the configured pair seeds the table the first time."""
    with sessions() as session:
        row = session.get(ChannelToken, channel)
        if row is None:
            if not seed_access:
                return None
            try:
                session.add(ChannelToken(channel=channel, access_token=seed_access, refresh_token=seed_refresh, generation=0))
                session.commit()
            except IntegrityError:  # another process seeded it first
                session.rollback()
            row = session.get(ChannelToken, channel)
        return TokenPair(row.access_token, row.refresh_token, row.generation)


def claim_refresh(sessions: sessionmaker[Session], channel: str, generation: int, seconds: float = 30) -> bool:
    """True for the one process that may refresh generation ``generation`` now."""
    now = utcnow()
    with sessions() as session:
        won = session.execute(
            update(ChannelToken)
            .where(
                ChannelToken.channel == channel,
                ChannelToken.generation == generation,
                or_(ChannelToken.refreshing_until.is_(None), ChannelToken.refreshing_until < now),
            )
            .values(refreshing_until=now + timedelta(seconds=seconds))
        ).rowcount
        session.commit()
        return bool(won)


def store_refreshed(
    sessions: sessionmaker[Session], channel: str, generation: int, access_token: str, refresh_token: str | None, expires_in: float | None
) -> TokenPair:
    now = utcnow()
    with sessions() as session:
        session.execute(
            update(ChannelToken)
            .where(ChannelToken.channel == channel, ChannelToken.generation == generation)
            .values(
                access_token=access_token, refresh_token=refresh_token, generation=generation + 1, refreshing_until=None,
                expires_at=now + timedelta(seconds=expires_in) if expires_in else None, updated_at=now,
            )
        )
        session.commit()
    return TokenPair(access_token, refresh_token, generation + 1)


def give_up_refresh(sessions: sessionmaker[Session], channel: str, generation: int) -> None:
    with sessions() as session:
        session.execute(
            update(ChannelToken).where(ChannelToken.channel == channel, ChannelToken.generation == generation).values(refreshing_until=None)
        )
        session.commit()
