"""Named, expiring leases: exactly one process at a time polls a platform or runs a daily job.

A lease is a row; taking it is an INSERT (first time) or a conditional UPDATE that succeeds only
when the lease is free, expired or already ours, so it works across processes on SQLite and
PostgreSQL without holding a transaction open. A crashed holder's lease simply expires.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Lease

PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def acquire(sessions: sessionmaker[Session], name: str, seconds: float, holder: str = PROCESS_ID, now: datetime | None = None) -> bool:
    """Take or renew ``name`` for ``seconds``; False when another holder has it."""
    now = now or utcnow()
    expires = now + timedelta(seconds=seconds)
    with sessions() as session:
        won = session.execute(
            update(Lease)
            .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at < now))
            .values(holder=holder, expires_at=expires)
        ).rowcount
        session.commit()
        if won:
            return True
        try:
            session.add(Lease(name=name, holder=holder, expires_at=expires))
            session.commit()
            return True
        except IntegrityError:  # somebody holds it (or inserted it just now)
            session.rollback()
            return False


def release(sessions: sessionmaker[Session], name: str, holder: str = PROCESS_ID) -> None:
    with sessions() as session:
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))
        session.commit()
