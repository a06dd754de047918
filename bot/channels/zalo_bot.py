"""Zalo Bot Platform: a thin httpx adapter (the python-zalo-bot package has no webhook support).

POST <base>/bot<TOKEN>/<method>. The webhook secret arrives in X-Bot-Api-Secret-Token and is
compared in constant time; bodies come wrapped {"ok","result"} or top-level; there is no
update_id, so duplicates are recognised by message_id. Zalo has no buttons: choices are written
out as a numbered list and a typed number (or the choice's text) picks one.
"""
from __future__ import annotations

import asyncio
import hmac
import logging

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from bot.channels.common import UNSUPPORTED_TEXT, Incoming, choose, converse, menu_text, send_or_queue, slow_down, split_text
from bot.channels.media import fetch_photo
from bot.channels.polling import while_leased
from core.config import ZaloBotSettings
from delivery.outbox import PermanentFailure, TemporaryFailure
from dialogue.messages import OutgoingMessage
from storage.channel_state import first_delivery, load_menu, save_menu

log = logging.getLogger(__name__)
MAX_TEXT = 2000


def unwrap(body: object) -> list[dict]:
    """Updates from a webhook body or a getUpdates result, in either shape."""
    if isinstance(body, dict) and "result" in body and ("ok" in body or "event_name" not in body):
        body = body["result"]
    if isinstance(body, list):
        return [u for u in body if isinstance(u, dict)]
    return [body] if isinstance(body, dict) and body.get("event_name") else []


def _id(update: dict, part: str):
    """message.<part>.id of an update, or None for any other shape."""
    value = (update.get("message") or {}).get(part)
    return value.get("id") if isinstance(value, dict) else None


def retry_after(response: httpx.Response, body: dict) -> float | None:
    value = response.headers.get("Retry-After") or (body.get("parameters") or {}).get("retry_after")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class ZaloBotChannel:
    name = "zalo_bot"
    path = "/zalo-bot/webhook"

    def __init__(self, settings: ZaloBotSettings, sessions, engine_getter):
        self.settings = settings
        self.sessions = sessions
        self.engine_getter = engine_getter
        self.client = httpx.AsyncClient(base_url=f"{settings.base_url.rstrip('/')}/bot{settings.token}/", timeout=httpx.Timeout(40, connect=10))
        self._poller: asyncio.Task | None = None
        self._polling: asyncio.Task | None = None

    # ------------------------------------------------------------------ platform calls
    async def call(self, method: str, payload: dict | None = None, timeout: float | None = None):
        try:
            response = await self.client.post(method, json=payload or {}, timeout=timeout or httpx.USE_CLIENT_DEFAULT)
        except httpx.TransportError as exc:
            raise TemporaryFailure(f"Zalo Bot {method}: {exc!r}") from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if body.get("error_code") == 408:  # getUpdates: nothing arrived within the timeout
            return []
        if response.status_code == 429 or body.get("error_code") == 429:
            raise TemporaryFailure(f"Zalo Bot {method}: rate limited", retry_after=retry_after(response, body))
        if response.status_code >= 500:
            raise TemporaryFailure(f"Zalo Bot {method}: HTTP {response.status_code}")
        if response.status_code >= 400 or not body.get("ok", False):
            raise PermanentFailure(f"Zalo Bot {method}: {body.get('description') or response.status_code}")
        return body.get("result")

    # ------------------------------------------------------------------ lifecycle
    async def start(self, public_url: str | None) -> None:
        if self.settings.mode == "polling":
            self._poller = asyncio.create_task(while_leased(self.sessions, "zalo-bot-polling", self._start_polling, self._stop_polling))
        elif public_url and self.settings.register_webhook and self.settings.webhook_secret:
            try:
                await self.call("setWebhook", {"url": public_url.rstrip("/") + self.path, "secret_token": self.settings.webhook_secret})
            except (TemporaryFailure, PermanentFailure) as exc:
                log.warning("Zalo Bot setWebhook failed: %s", exc)

    async def stop(self) -> None:
        for task in (self._poller, self._polling):
            if task:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await self.client.aclose()

    async def _start_polling(self) -> None:
        self._polling = asyncio.create_task(self._poll())

    async def _stop_polling(self) -> None:
        if self._polling:
            self._polling.cancel()
            await asyncio.gather(self._polling, return_exceptions=True)

    async def _poll(self) -> None:
        delay = 1.0
        while True:
            try:
                result = await self.call("getUpdates", {"timeout": "30"}, timeout=45)
                delay = 1.0
            except (TemporaryFailure, PermanentFailure) as exc:
                log.warning("Zalo Bot getUpdates failed: %s", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60)
                continue
            for update in unwrap(result):
                await self.handle(update)

    # ------------------------------------------------------------------ incoming
    async def webhook(self, request: Request) -> Response:
        secret = self.settings.webhook_secret or ""
        header = request.headers.get("X-Bot-Api-Secret-Token", "")
        if not secret or not hmac.compare_digest(header.encode(), secret.encode()):
            return JSONResponse({"error": "Sai mã bí mật webhook."}, status_code=403)
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "Dữ liệu không hợp lệ."}, status_code=400)
        updates = [u for u in unwrap(body) if isinstance(u.get("message") or {}, dict)]
        for update in updates:
            sender = _id(update, "from") or _id(update, "chat")
            limited = slow_down(self.name, sender) if sender else None
            if limited is not None:
                return limited
        for update in updates:
            try:
                await self.handle(update)
            except (AttributeError, TypeError, KeyError, ValueError):  # a shape we do not know: retrying will not help
                log.warning("Zalo Bot update not understood", exc_info=True)
        return JSONResponse({"ok": True})

    async def handle(self, update: dict) -> None:
        message = update.get("message") or {}
        chat_id = str(_id(update, "chat") or "")
        user_id = str(_id(update, "from") or chat_id)
        message_id = message.get("message_id")
        if not chat_id or not message_id:
            return
        if not await asyncio.to_thread(first_delivery, self.sessions, self.name, str(message_id)):
            log.info("Zalo Bot message %s already handled", message_id)
            return
        event = update.get("event_name", "")
        incoming = Incoming(self.name, user_id, chat_id)
        if event == "message.text.received" and message.get("text"):
            text = message["text"]
            picked = choose(text, await asyncio.to_thread(load_menu, self.sessions, self.name, chat_id))
            incoming = Incoming.button(self.name, user_id, chat_id, picked) if picked else Incoming(self.name, user_id, chat_id, text=text)
        elif event == "message.image.received" and message.get("photo"):
            incoming.text = message.get("caption") or None
            incoming.attachments.append(await fetch_photo(self.name, message["photo"]))
        else:  # stickers and unsupported messages
            await send_or_queue(self, self.sessions, incoming, [OutgoingMessage(UNSUPPORTED_TEXT)])
            return
        messages = await converse(self.engine_getter(), incoming)
        if not any(m.buttons for m in messages):  # the old choices no longer apply
            await asyncio.to_thread(save_menu, self.sessions, self.name, chat_id, [])
        await send_or_queue(self, self.sessions, incoming, messages)

    # ------------------------------------------------------------------ outgoing
    async def send(self, chat_id: str, text: str, buttons: list[dict]) -> None:
        if buttons:
            await asyncio.to_thread(save_menu, self.sessions, self.name, chat_id, buttons)
        for piece in split_text(menu_text(text, buttons), MAX_TEXT) or ["…"]:
            await self.call("sendMessage", {"chat_id": chat_id, "text": piece})
