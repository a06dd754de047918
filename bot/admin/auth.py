"""Dashboard sessions, CSRF tokens and access checks.

A signed session cookie (Starlette SessionMiddleware, itsdangerous) carries the account id and a
CSRF token; every POST form sends the token back and is refused without it. Pages need a login;
each area needs a role (accounts.users.Account.can)."""
from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from fastapi import Request

from accounts import users
from core.config import get_settings


class LoginRequired(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, message: str = "Bạn không có quyền xem trang này.", status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


class BadCsrf(Exception):
    pass


_keys: dict[str, str] = {}


def secret_key() -> str:
    """server.secret_key (CIVIC_SECRET_KEY), or one generated once and kept in the database, so
    every instance signs and reads the same cookies. A key an older version kept under <home>
    becomes the stored one (sessions survive the upgrade)."""
    settings = get_settings()
    if settings.server.secret_key:
        return settings.server.secret_key
    if settings.database_url not in _keys:
        from storage.db import session_factory
        from storage.secrets import shared_secret

        legacy: Path = settings.home_path / "secret_key"
        initial = legacy.read_text().strip() if legacy.exists() else None
        _keys[settings.database_url] = shared_secret(session_factory(), "cookie_signing_key", initial)
    return _keys[settings.database_url]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, form) -> None:
    expected = request.session.get("csrf") or ""
    given = str(form.get("csrf_token") or "")
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        raise BadCsrf()


def account(request: Request) -> users.Account | None:
    """The signed-in account, when the cookie's session version is still the account's (logout,
    a new password or disabling the account void every older cookie)."""
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return None
    from storage.db import session_factory

    user = users.get(session_factory(), user_id)
    if user is None or request.session.get("ver") != user.session_version:
        return None
    return user


def require(request: Request, area: str) -> users.Account:
    user = account(request)
    if user is None:
        raise LoginRequired()
    if not user.can(area):
        raise Forbidden()
    return user
