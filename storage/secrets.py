"""Secrets shared by every instance through the database (first writer wins)."""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import SiteSecret


def shared_secret(sessions: sessionmaker[Session], name: str, initial: str | None = None) -> str:
    """The secret called ``name``; created once (from ``initial`` or random) by whichever
    process asks first, read by all the others."""
    with sessions() as session:
        value = session.scalar(select(SiteSecret.value).where(SiteSecret.name == name))
        if value:
            return value
        session.add(SiteSecret(name=name, value=initial or secrets.token_urlsafe(48)))
        try:
            session.commit()
        except IntegrityError:  # another instance created it just now
            session.rollback()
        return session.scalar(select(SiteSecret.value).where(SiteSecret.name == name))
