"""Dashboard sessions, CSRF tokens and access checks.

A signed session cookie (Starlette SessionMiddleware, itsdangerous) carries the account id and a
CSRF token; every POST form sends the token back and is refused without it. Pages need a login;
each area needs a role (accounts.users.Account.can)."""
from __future__ import annotations

import hmac
import os
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


def secret_key() -> str:
    """server.secret_key, or one generated once under <home> (shared by the worker processes)."""
    configured = get_settings().server.secret_key
    if configured:
        return configured
    path: Path = get_settings().home_path / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}")
        tmp.write_text(secrets.token_urlsafe(48))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # first writer wins; the others read its key
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


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
    user_id = request.session.get("uid")
    if not user_id:
        return None
    from storage.db import session_factory

    return users.get(session_factory(), int(user_id))


def require(request: Request, area: str) -> users.Account:
    user = account(request)
    if user is None:
        raise LoginRequired()
    if not user.can(area):
        raise Forbidden()
    return user
