"""Who is talking on the web chat: a random id the server issues in a signed cookie.

A client cannot choose its identity (which would let a script file any number of survey
responses); only a trusted integration holding a `server.chat_tokens` Bearer token may name the
user it relays. The signing key is the server's (config, or one stored in the database), so every
instance behind a load balancer recognises the cookie.
"""
from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from core.config import get_settings

COOKIE = "civic_chat"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    from bot.admin.auth import secret_key

    return URLSafeSerializer(secret_key(), salt="civic-web-chat")


def trusted(request: Request) -> bool:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return False
    given = header[7:].strip().encode()
    return any(hmac.compare_digest(given, token.encode()) for token in get_settings().server.chat_tokens if token)


def current(request: Request) -> str | None:
    """The id in the request's cookie, when the server signed it."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def identify(request: Request, claimed: str | None) -> tuple[str, str | None]:
    """(user id, cookie to set): the relayed id for a trusted integration, else the cookie's id,
    else a new one."""
    if claimed and trusted(request):
        return claimed, None
    known = current(request)
    if known:
        return known, None
    new = "w-" + secrets.token_urlsafe(12)
    return new, _serializer().dumps(new)


def set_cookie(response: Response, value: str) -> None:
    public = get_settings().server.public_url or ""
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="lax", secure=public.startswith("https://"), path="/")
