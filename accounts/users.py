"""Dashboard accounts. Passwords are hashed with argon2 (argon2-cffi); after repeated failed
logins an account is locked for a while; roles decide what an account may see:
admin (everything), officer (only the feedback and tasks of its unit), viewer (statistics only)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import LoginThrottle, User

ROLES = {"admin": "Quản trị", "officer": "Cán bộ đơn vị", "viewer": "Xem thống kê"}
MIN_PASSWORD = 10
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A Vietnamese message for the person managing accounts."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    agency_id: str | None
    display_name: str
    session_version: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def can(self, area: str) -> bool:
        """area: overview | feedback | handoff | tasks | sipas | knowledge | unanswered"""
        if self.role == "admin" or area == "overview":
            return True
        if self.role == "officer":
            return area in ("feedback", "handoff", "tasks", "sipas")
        return area == "sipas"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _account(user: User) -> Account:
    return Account(user.id, user.username, user.role, user.agency_id, user.display_name or user.username, user.session_version or 0)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if password.isdigit() or password.isalpha():
        raise AccountError("Mật khẩu cần có cả chữ và số.")


def create(sessions: sessionmaker[Session], username: str, password: str, role: str, agency_id: str | None = None,
           display_name: str | None = None) -> Account:
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9._-]{3,64}", username):
        raise AccountError("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang (3–64 ký tự).")
    if role not in ROLES:
        raise AccountError(f"Vai trò không hợp lệ: {role} (admin, officer, viewer).")
    if role == "officer" and not agency_id:
        raise AccountError("Tài khoản cán bộ đơn vị cần có đơn vị (--agency).")
    check_password(password)
    with sessions() as session:
        user = User(username=username, password_hash=_hasher.hash(password), role=role, agency_id=agency_id,
                    display_name=display_name or username, active=True)
        session.add(user)
        try:
            session.commit()
        except IntegrityError:
            raise AccountError(f"Tên đăng nhập {username} đã có.") from None
        return _account(user)


def set_password(sessions: sessionmaker[Session], username: str, password: str) -> None:
    check_password(password)
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise AccountError(f"Không có tài khoản {username}.")
        user.password_hash, user.failed_logins, user.locked_until = _hasher.hash(password), 0, None
        user.session_version = (user.session_version or 0) + 1  # signed-in sessions end
        session.execute(delete(LoginThrottle).where(LoginThrottle.name == user.username))
        session.commit()


def set_active(sessions: sessionmaker[Session], username: str, active: bool) -> None:
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise AccountError(f"Không có tài khoản {username}.")
        user.active = active
        user.session_version = (user.session_version or 0) + 1
        session.commit()


def end_sessions(sessions: sessionmaker[Session], user_id: int) -> None:
    """Void every session cookie of the account (logout ends them on all devices)."""
    with sessions() as session:
        session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))
        session.commit()


def list_accounts(sessions: sessionmaker[Session]) -> list[dict]:
    with sessions() as session:
        return [
            {"username": u.username, "display_name": u.display_name or u.username, "role": u.role, "agency_id": u.agency_id, "active": u.active,
             "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None}
            for u in session.scalars(select(User).order_by(User.username))
        ]


def get(sessions: sessionmaker[Session], user_id: int) -> Account | None:
    with sessions() as session:
        user = session.get(User, user_id)
        return _account(user) if user is not None and user.active else None


_DUMMY_HASH = _hasher.hash("an unknown name costs the same check as a known one")


def _take_attempt(session: Session, name: str, max_failures: int, now: datetime) -> datetime | None:
    """Count one attempt for ``name`` before any password is checked (one atomic UPDATE), so 40
    parallel guesses get at most ``max_failures`` checks. Returns the lock's end when locked."""
    for _ in range(3):
        row = session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.name == name, or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now))
            .values(attempts=case((LoginThrottle.locked_until.is_(None), LoginThrottle.attempts + 1), else_=1), locked_until=None)
            .returning(LoginThrottle.attempts)
        ).first()
        if row is not None:
            session.commit()
            return None if row[0] <= max_failures else now
        locked = session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.name == name))
        if locked is not None:
            session.commit()
            return locked
        try:
            session.add(LoginThrottle(name=name, attempts=1))
            session.commit()
            return None
        except IntegrityError:  # a parallel attempt created the row: count again
            session.rollback()
    return now


def _failed(session: Session, name: str, max_failures: int, lock_minutes: int, now: datetime) -> bool:
    """After a wrong password: lock the name when its attempts reached the limit."""
    locked = session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.name == name, LoginThrottle.attempts >= max_failures, LoginThrottle.locked_until.is_(None))
        .values(locked_until=now + timedelta(minutes=lock_minutes), attempts=0)
    ).rowcount
    session.commit()
    return bool(locked)


def login(sessions: sessionmaker[Session], username: str, password: str, max_failures: int, lock_minutes: int,
          now: datetime | None = None) -> Account:
    """The account, or AccountError with one message for unknown names and wrong passwords.
    Known and unknown names cost the same (one argon2 check) and lock the same way."""
    now = now or utcnow()
    name = (username or "").strip().lower()[:64]
    wrong = AccountError("Tên đăng nhập hoặc mật khẩu không đúng.")
    with sessions() as session:
        locked = _take_attempt(session, name, max_failures, now)
        if locked is not None:
            minutes = max(1, int((locked - now).total_seconds() // 60) + 1) if locked > now else lock_minutes
            raise AccountError(f"Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau khoảng {minutes} phút.")
        user = session.scalar(select(User).where(User.username == name))
        known = user is not None and user.active
        try:
            _hasher.verify(user.password_hash if known else _DUMMY_HASH, password or "")
            if not known:
                raise VerificationError()
        except (VerificationError, InvalidHashError):
            if _failed(session, name, max_failures, lock_minutes, now):
                raise AccountError(f"Đăng nhập sai {max_failures} lần: tài khoản tạm khóa {lock_minutes} phút.") from None
            raise wrong from None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        session.execute(delete(LoginThrottle).where(LoginThrottle.name == name))
        session.commit()
        return _account(user)
