"""A fake Telegram Bot API: the methods python-telegram-bot calls, files, long polling, and
switches for 429 answers. Every call is recorded."""
from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

BOT = {"id": 7000001, "is_bot": True, "first_name": "Trợ lý", "username": "troly_dvc_bot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class FakeTelegram:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[tuple[float, str, dict]] = []
        self.sent: list[dict] = []  # sendMessage calls that succeeded
        self.files: dict[str, bytes] = {}
        self.updates: list[dict] = []
        self.rate_limited = 0  # the next N sendMessage calls get 429
        self.retry_after = 1
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self.app = self._build()

    # ---------------------------------------------------------------- helpers for tests
    def texts(self, chat_id: int | str | None = None) -> list[str]:
        return [m["text"] for m in self.sent if chat_id is None or str(m["chat_id"]) == str(chat_id)]

    def method_calls(self, method: str) -> list[dict]:
        return [params for _, name, params in self.calls if name == method]

    def wait_for(self, predicate, timeout: float = 15) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False

    def add_file(self, file_id: str, data: bytes) -> None:
        self.files[file_id] = data

    # ---------------------------------------------------------------- the API
    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def call(token: str, method: str, request: Request):
            params = await self._params(request)
            with self.lock:
                self.calls.append((time.monotonic(), method, params))
            if token != self.token:
                return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
            handler = getattr(self, f"m_{method}", None)
            if handler is None:
                return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found: method not found"}, status_code=404)
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
            if isinstance(result, Response):
                return result
            return {"ok": True, "result": result}

        @app.get("/file/bot{token}/{path:path}")
        async def download(token: str, path: str):
            file_id = path.rsplit("/", 1)[-1].split(".")[0]
            if token != self.token or file_id not in self.files:
                return Response(status_code=404)
            return Response(self.files[file_id], media_type="image/jpeg")

        return app

    @staticmethod
    async def _params(request: Request) -> dict:
        if request.headers.get("content-type", "").startswith("application/json"):
            return await request.json()
        form = await request.form()
        params = {}
        for key, value in form.items():
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[key] = value
        return params

    def m_getMe(self, params):
        return BOT

    def m_setMyCommands(self, params):
        return True

    def m_setWebhook(self, params):
        return True

    def m_deleteWebhook(self, params):
        return True

    def m_answerCallbackQuery(self, params):
        return True

    def m_sendMessage(self, params):
        with self.lock:
            if self.rate_limited > 0:
                self.rate_limited -= 1
                return JSONResponse(
                    {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {self.retry_after}",
                     "parameters": {"retry_after": self.retry_after}},
                    status_code=429,
                )
            message_id = next(self._ids)
            self.sent.append({"chat_id": params["chat_id"], "text": params["text"], "reply_markup": params.get("reply_markup"), "at": time.monotonic()})
        chat = {"id": int(params["chat_id"]), "type": "private", "first_name": "Dân"}
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": params["text"], "from": BOT}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def m_getFile(self, params):
        file_id = params["file_id"]
        if file_id not in self.files:
            return JSONResponse({"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}, status_code=400)
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files[file_id]), "file_path": f"photos/{file_id}.jpg"}

    async def m_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self.lock:
                ready = [u for u in self.updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.05)


def text_update(update_id: int, user_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": _message(update_id, user_id) | {"text": text}}


def photo_update(update_id: int, user_id: int, file_id: str, caption: str | None = None) -> dict:
    sizes = [{"file_id": f"{file_id}_s", "file_unique_id": "s", "width": 90, "height": 90},
             {"file_id": file_id, "file_unique_id": "b", "width": 800, "height": 600, "file_size": 2048}]
    message = _message(update_id, user_id) | {"photo": sizes}
    if caption:
        message["caption"] = caption
    return {"update_id": update_id, "message": message}


def location_update(update_id: int, user_id: int, latitude: float, longitude: float) -> dict:
    return {"update_id": update_id, "message": _message(update_id, user_id) | {"location": {"latitude": latitude, "longitude": longitude}}}


def callback_update(update_id: int, user_id: int, data: str) -> dict:
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "chat_instance": "ci", "data": data,
        "from": {"id": user_id, "is_bot": False, "first_name": "Dân"},
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": user_id, "type": "private"}, "text": "…"},
    }}


def _message(update_id: int, user_id: int) -> dict:
    return {"message_id": 1000 + update_id, "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Dân"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Dân", "language_code": "vi"}}
