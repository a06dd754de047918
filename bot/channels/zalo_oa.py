"""Zalo Official Account (API v3).

Webhook events are signed: X-ZEvent-Signature = "mac=" + sha256(app_id + raw body + timestamp +
OA secret key); a missing or wrong signature gets 403, as does an event older than the allowed
age (a replay). user_send_text, user_send_image and user_send_location reach the engine; replies
go through POST /v3.0/oa/message/cs. Error -216 (expired access token) triggers one refresh
across all processes (single-use refresh tokens) and the send is retried with the new token.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from bot.channels.common import UNSUPPORTED_TEXT, Incoming, choose, converse, menu_text, send_or_queue, slow_down, split_text
from bot.channels.media import fetch_photo
from core.config import ZaloOASettings
from delivery.outbox import PermanentFailure, TemporaryFailure
from dialogue.messages import OutgoingMessage
from storage import tokens
from storage.channel_state import first_delivery, load_menu, save_menu

log = logging.getLogger(__name__)
MAX_TEXT = 2000
TOKEN_EXPIRED = -216
RATE_LIMITED = {-32, -14}  # "request limit exceeded" codes; retried later
TEXT_EVENTS = {"user_send_text"}
HANDLED_EVENTS = {"user_send_text", "user_send_image", "user_send_location"}
UNSUPPORTED_EVENTS = {"user_send_sticker", "user_send_gif", "user_send_audio", "user_send_video", "user_send_file", "user_send_link"}


def signature(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    return "mac=" + hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret_key.encode()).hexdigest()


class ZaloOAChannel:
    name = "zalo_oa"
    path = "/zalo-oa/webhook"

    def __init__(self, settings: ZaloOASettings, sessions, engine_getter):
        self.settings = settings
        self.sessions = sessions
        self.engine_getter = engine_getter
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(20, connect=10))

    async def start(self, public_url: str | None) -> None:
        await asyncio.to_thread(self._token)  # seeds the shared token pair from the configuration

    async def stop(self) -> None:
        await self.client.aclose()

    # ------------------------------------------------------------------ incoming
    async def webhook(self, request: Request) -> Response:
        raw = await request.body()
        try:
            event = json.loads(raw)
            timestamp = str(event["timestamp"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "Sự kiện không hợp lệ."}, status_code=403 if not request.headers.get("X-ZEvent-Signature") else 400)
        expected = signature(self.settings.app_id or "", raw, timestamp, self.settings.secret_key or "")
        given = request.headers.get("X-ZEvent-Signature", "")
        if not self.settings.secret_key or not hmac.compare_digest(given.encode(), expected.encode()):
            return JSONResponse({"error": "Sai chữ ký sự kiện."}, status_code=403)
        if str(event.get("app_id")) != str(self.settings.app_id) or self._too_old(timestamp):
            return JSONResponse({"error": "Sự kiện không thuộc ứng dụng này hoặc đã quá cũ."}, status_code=403)
        sender = (event.get("sender") or {}).get("id") if isinstance(event.get("sender"), dict) else None
        limited = slow_down(self.name, sender) if sender and event.get("event_name") in HANDLED_EVENTS | UNSUPPORTED_EVENTS else None
        if limited is not None:
            return limited
        try:
            await self.handle(event)
        except (AttributeError, TypeError, KeyError, ValueError):  # a signed event of a shape we do not know
            log.warning("Zalo OA event %s not understood", str(event.get("event_name"))[:40], exc_info=True)
        return JSONResponse({"error": 0})

    def _too_old(self, timestamp: str) -> bool:
        try:
            sent = int(timestamp) / 1000
        except ValueError:
            return True
        return abs(time.time() - sent) > self.settings.max_event_age_seconds

    async def handle(self, event: dict) -> None:
        name = event.get("event_name", "")
        if name not in HANDLED_EVENTS | UNSUPPORTED_EVENTS:
            return  # follows, reactions, seen receipts
        user_id = str((event.get("sender") or {}).get("id") or "")
        message = event.get("message") or {}
        message_id = message.get("msg_id") or f"{user_id}:{event.get('timestamp')}"
        if not user_id or not await asyncio.to_thread(first_delivery, self.sessions, self.name, str(message_id)):
            return
        incoming = Incoming(self.name, user_id, user_id)
        attachments = message.get("attachments") or []
        if name == "user_send_text" and message.get("text"):
            picked = choose(message["text"], await asyncio.to_thread(load_menu, self.sessions, self.name, user_id))
            incoming = Incoming.button(self.name, user_id, user_id, picked) if picked else Incoming(self.name, user_id, user_id, text=message["text"])
        elif name == "user_send_image":
            incoming.text = message.get("text") or None
            for item in attachments:
                url = (item.get("payload") or {}).get("url")
                if item.get("type") == "image" and url:
                    incoming.attachments.append(await fetch_photo(self.name, url))
        elif name == "user_send_location":
            for item in attachments:
                coordinates = (item.get("payload") or {}).get("coordinates") or {}
                try:
                    incoming.attachments.append({"type": "location", "latitude": float(coordinates["latitude"]), "longitude": float(coordinates["longitude"])})
                except (KeyError, TypeError, ValueError):
                    continue
        if not (incoming.text or incoming.payload or incoming.attachments):
            await send_or_queue(self, self.sessions, incoming, [OutgoingMessage(UNSUPPORTED_TEXT)])
            return
        messages = await converse(self.engine_getter(), incoming)
        if not any(m.buttons for m in messages):
            await asyncio.to_thread(save_menu, self.sessions, self.name, user_id, [])
        await send_or_queue(self, self.sessions, incoming, messages)

    # ------------------------------------------------------------------ tokens
    def _token(self) -> tokens.TokenPair | None:
        return tokens.current(self.sessions, self.name, self.settings.access_token, self.settings.refresh_token)

    async def _refreshed(self, stale: tokens.TokenPair, wait_seconds: float = 30) -> tokens.TokenPair:
        """A newer pair than ``stale``: refreshed here if this process wins the claim, else awaited."""
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            pair = await asyncio.to_thread(self._token)
            if pair and pair.generation != stale.generation:
                return pair
            if await asyncio.to_thread(tokens.claim_refresh, self.sessions, self.name, stale.generation):
                try:
                    return await self._refresh(stale)
                except BaseException:
                    await asyncio.to_thread(tokens.give_up_refresh, self.sessions, self.name, stale.generation)
                    raise
            await asyncio.sleep(0.2)
        raise TemporaryFailure("Zalo OA token refresh by another process did not finish")

    async def _refresh(self, stale: tokens.TokenPair) -> tokens.TokenPair:
        if not stale.refresh_token:
            raise TemporaryFailure("Zalo OA access token expired and no refresh token is configured")
        try:
            response = await self.client.post(
                self.settings.oauth_base.rstrip("/") + "/v4/oa/access_token",
                headers={"secret_key": self.settings.app_secret or ""},
                data={"refresh_token": stale.refresh_token, "app_id": self.settings.app_id or "", "grant_type": "refresh_token"},
            )
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TemporaryFailure(f"Zalo OA token refresh failed: {exc!r}") from exc
        if not body.get("access_token"):
            log.error("Zalo OA refused the refresh token (%s); the OA must be authorised again", body.get("error_description") or body.get("error"))
            raise TemporaryFailure("Zalo OA token refresh refused")
        expires = float(body.get("expires_in") or 0) or None
        log.info("Zalo OA access token refreshed (generation %s)", stale.generation + 1)
        return await asyncio.to_thread(
            tokens.store_refreshed, self.sessions, self.name, stale.generation, body["access_token"], body.get("refresh_token"), expires
        )

    # ------------------------------------------------------------------ outgoing
    async def _post_text(self, pair: tokens.TokenPair, user_id: str, text: str) -> dict:
        try:
            response = await self.client.post(
                self.settings.api_base.rstrip("/") + "/v3.0/oa/message/cs",
                headers={"access_token": pair.access_token},
                json={"recipient": {"user_id": user_id}, "message": {"text": text}},
            )
        except httpx.TransportError as exc:
            raise TemporaryFailure(f"Zalo OA: {exc!r}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryFailure(f"Zalo OA: HTTP {response.status_code}", retry_after=float(response.headers.get("Retry-After") or 0) or None)
        try:
            return response.json()
        except ValueError as exc:
            raise TemporaryFailure(f"Zalo OA: unreadable answer (HTTP {response.status_code})") from exc

    async def send(self, chat_id: str, text: str, buttons: list[dict]) -> None:
        if buttons:
            await asyncio.to_thread(save_menu, self.sessions, self.name, chat_id, buttons)
        for piece in split_text(menu_text(text, buttons), MAX_TEXT) or ["…"]:
            pair = await asyncio.to_thread(self._token)
            if pair is None:
                raise TemporaryFailure("Zalo OA has no access token configured")
            body = await self._post_text(pair, chat_id, piece)
            if body.get("error") == TOKEN_EXPIRED:
                pair = await self._refreshed(pair)
                body = await self._post_text(pair, chat_id, piece)
            error = body.get("error", 0)
            if error in RATE_LIMITED or error == TOKEN_EXPIRED:
                raise TemporaryFailure(f"Zalo OA error {error}: {body.get('message')}")
            if error:
                raise PermanentFailure(f"Zalo OA error {error}: {body.get('message')}")
