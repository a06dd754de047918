"""Fake Zalo servers: the Zalo Bot Platform API (Telegram-like) and the Zalo Official Account
API v3 with its OAuth token endpoint (single-use refresh tokens). Every call is recorded."""
from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

PHOTO = b"\x89PNG\r\n\x1a\n fake image bytes"


class FakeZaloBot:
    def __init__(self, token: str):
        self.token = token
        self.sent: list[dict] = []
        self.calls: list[tuple[float, str, dict]] = []
        self.updates: list[dict] = []
        self.rate_limited = 0
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self.app = self._build()

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [m["text"] for m in self.sent if chat_id is None or m["chat_id"] == chat_id]

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def call(token: str, method: str, request: Request):
            params = await request.json() if await request.body() else {}
            with self.lock:
                self.calls.append((time.monotonic(), method, params))
            if token != self.token:
                return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
            if method == "getMe":
                return {"ok": True, "result": {"id": "bot1", "account_name": "troly.dvc", "account_type": "BASIC", "can_join_groups": False}}
            if method == "setWebhook":
                return {"ok": True, "result": {"url": params.get("url")}}
            if method == "sendMessage":
                with self.lock:
                    if self.rate_limited > 0:
                        self.rate_limited -= 1
                        return JSONResponse({"ok": False, "error_code": 429, "description": "Too Many Requests"}, status_code=429, headers={"Retry-After": "1"})
                    self.sent.append({"chat_id": params["chat_id"], "text": params["text"]})
                return {"ok": True, "result": {"message_id": f"out{next(self._ids)}", "date": int(time.time() * 1000)}}
            if method == "getUpdates":
                deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
                while time.monotonic() < deadline:
                    with self.lock:
                        if self.updates:
                            return {"ok": True, "result": self.updates.pop(0)}
                    await asyncio.sleep(0.05)
                return {"ok": False, "error_code": 408, "description": "Request timeout"}
            return JSONResponse({"ok": False, "error_code": 404, "description": "Method not found"}, status_code=404)

        @app.get("/media/{name}")
        async def media(name: str):
            return Response(PHOTO, media_type="image/png")

        return app


def bot_text(message_id: str, user: str, text: str) -> dict:
    return {"event_name": "message.text.received", "message": _bot_message(message_id, user) | {"text": text}}


def bot_photo(message_id: str, user: str, url: str, caption: str | None = None) -> dict:
    message = _bot_message(message_id, user) | {"photo": url}
    if caption:
        message["caption"] = caption
    return {"event_name": "message.image.received", "message": message}


def bot_sticker(message_id: str, user: str) -> dict:
    return {"event_name": "message.sticker.received", "message": _bot_message(message_id, user) | {"sticker": "st1"}}


def _bot_message(message_id: str, user: str) -> dict:
    return {"message_id": message_id, "date": int(time.time() * 1000),
            "from": {"id": user, "display_name": "Dân", "is_bot": False}, "chat": {"id": user, "chat_type": "PRIVATE"}}


class FakeZaloOA:
    """OA message API + OAuth. Access tokens in ``valid`` work; others get error -216."""

    def __init__(self, app_id: str, app_secret: str, access_token: str, refresh_token: str):
        self.app_id, self.app_secret = app_id, app_secret
        self.valid = {access_token}
        self.refresh_tokens = {refresh_token}
        self.sent: list[dict] = []
        self.refresh_calls: list[str] = []
        self.refresh_delay = 0.0
        self.rate_limited = 0
        self.lock = threading.Lock()
        self._n = itertools.count(1)
        self._generation = itertools.count(1)
        self.app = self._build()

    def texts(self, user_id: str | None = None) -> list[str]:
        return [m["text"] for m in self.sent if user_id is None or m["user_id"] == user_id]

    def expire_all(self) -> None:
        self.valid.clear()

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v3.0/oa/message/cs")
        async def send(request: Request):
            body = await request.json()
            token = request.headers.get("access_token")
            with self.lock:
                if token not in self.valid:
                    return {"error": -216, "message": "Access token is invalid"}
                if self.rate_limited > 0:
                    self.rate_limited -= 1
                    return {"error": -32, "message": "Request limit exceeded"}
                self.sent.append({"user_id": body["recipient"]["user_id"], "text": body["message"]["text"], "token": token})
            return {"error": 0, "message": "Success", "data": {"message_id": f"m{next(self._n)}", "user_id": body["recipient"]["user_id"]}}

        @app.post("/v4/oa/access_token")
        async def refresh(request: Request):
            form = await request.form()
            if request.headers.get("secret_key") != self.app_secret or form.get("app_id") != self.app_id:
                return {"error": -14002, "error_name": "Invalid app", "error_description": "app_id or secret_key is wrong"}
            if form.get("grant_type") != "refresh_token":
                return {"error": -14003, "error_name": "Invalid grant_type"}
            await asyncio.sleep(self.refresh_delay)
            with self.lock:
                old = form.get("refresh_token")
                self.refresh_calls.append(old)
                if old not in self.refresh_tokens:  # single use: a second refresh with it fails
                    return {"error": -14014, "error_name": "Invalid refresh token", "error_description": "Refresh token is invalid or used"}
                self.refresh_tokens.discard(old)
                n = next(self._generation)
                access, refresh_token = f"access-{n}", f"refresh-{n}"
                self.valid.add(access)
                self.refresh_tokens.add(refresh_token)
            return {"access_token": access, "refresh_token": refresh_token, "expires_in": "90000"}

        @app.get("/img/{name}")
        async def image(name: str):
            return Response(PHOTO, media_type="image/jpeg")

        return app


def oa_event(app_id: str, event_name: str, user: str, message: dict, timestamp: int | None = None) -> dict:
    return {"app_id": app_id, "user_id_by_app": f"app-{user}", "event_name": event_name,
            "timestamp": str(timestamp or int(time.time() * 1000)),
            "sender": {"id": user}, "recipient": {"id": "oa-1"}, "message": message}


def oa_sign(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    """Computed here independently of the code under test."""
    return "mac=" + hashlib.sha256(f"{app_id}{body.decode()}{timestamp}{secret_key}".encode()).hexdigest()


def oa_body(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()
