"""Dashboard accounts. Passwords are hashed with argon2 (argon2-cffi); after repeated failed
logins an account is locked for a while; roles decide what an account may see:
admin (everything), officer (only the feedback and tasks of its unit), viewer (statistics only)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import User

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
    return Account(user.id, user.username, user.role, user.agency_id, user.display_name or user.username)


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
        session.commit()


def set_active(sessions: sessionmaker[Session], username: str, active: bool) -> None:
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise AccountError(f"Không có tài khoản {username}.")
        user.active = active
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


def login(sessions: sessionmaker[Session], username: str, password: str, max_failures: int, lock_minutes: int,
          now: datetime | None = None) -> Account:
    """The account, or AccountError with one message for unknown names and wrong passwords."""
    now = now or utcnow()
    wrong = AccountError("Tên đăng nhập hoặc mật khẩu không đúng.")
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
        if user is None or not user.active:
            _hasher.hash(password or "x")  # the same work as a real check: no timing hint
            raise wrong
        locked = user.locked_until
        if locked and locked > now:
            minutes = max(1, int((locked - now).total_seconds() // 60) + 1)
            raise AccountError(f"Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau khoảng {minutes} phút.")
        try:
            _hasher.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= max_failures:
                user.locked_until, user.failed_logins = now + timedelta(minutes=lock_minutes), 0
                session.commit()
                raise AccountError(f"Đăng nhập sai {max_failures} lần: tài khoản tạm khóa {lock_minutes} phút.") from None
            session.commit()
            raise wrong from None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        session.commit()
        return _account(user)
