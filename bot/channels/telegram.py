"""Telegram through python-telegram-bot v22.

Webhook mode (production): the Application has no updater; our server checks the secret header
and feeds each update to ``Application.process_update``. Polling mode (local use): the
Application's updater polls, in one process only (a database lease). Buttons are inline
keyboards; callback queries are answered; long answers are split at 4,096 characters; photos and
locations go to the feedback flow; AIORateLimiter keeps to Telegram's limits and honours
retry_after; a repeated update_id is ignored.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from datetime import timedelta
from pathlib import PurePosixPath

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from bot.channels.common import UNSUPPORTED_TEXT, Incoming, converse, send_or_queue, slow_down, split_text
from bot.channels.media import MAX_PHOTO_BYTES, save_media
from bot.channels.polling import while_leased
from core.config import TelegramSettings
from delivery.outbox import PermanentFailure, TemporaryFailure
from dialogue.messages import OutgoingMessage
from storage.channel_state import first_delivery, load_payload, store_payload

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
COMMANDS = [
    ("start", "Bắt đầu, xem trợ lý làm được gì"),
    ("help", "Hướng dẫn sử dụng"),
    ("phananh", "Gửi phản ánh, kiến nghị"),
    ("tracuu", "Tra cứu phản ánh theo mã (ví dụ /tracuu PA-2026-000123)"),
    ("khaosat", "Đánh giá mức độ hài lòng"),
    ("nhiemvu", "Cán bộ: nhiệm vụ và hạn theo kế hoạch"),
    ("nhacviec", "Cán bộ: đăng ký nhắc hạn nhiệm vụ"),
    ("huy", "Hủy thao tác đang làm"),
]


def webhook_secret(settings: TelegramSettings) -> str:
    """The configured secret, or one derived from the token (Telegram allows A-Z a-z 0-9 _ -)."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hmac.new(settings.token.encode(), b"telegram-webhook", hashlib.sha256).hexdigest()


def seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    name = "telegram"
    path = "/telegram/webhook"

    def __init__(self, settings: TelegramSettings, sessions, engine_getter):
        self.settings = settings
        self.sessions = sessions
        self.engine_getter = engine_getter
        self.secret = webhook_secret(settings)
        builder = (
            Application.builder()
            .token(settings.token)
            .base_url(settings.base_url)
            .base_file_url(settings.base_file_url)
            .rate_limiter(AIORateLimiter(max_retries=settings.max_retries))
        )
        if settings.mode != "polling":
            builder = builder.updater(None)
        self.app = builder.build()
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self.app.add_error_handler(self._on_error)
        self._poller: asyncio.Task | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self, public_url: str | None) -> None:
        await self.app.initialize()
        await self.app.start()
        try:
            await self.app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
            if self.settings.mode == "polling":
                self._poller = asyncio.create_task(while_leased(self.sessions, "telegram-polling", self._start_polling, self._stop_polling))
            elif public_url and self.settings.register_webhook:
                await self.app.bot.set_webhook(
                    public_url.rstrip("/") + self.path, secret_token=self.secret,
                    allowed_updates=["message", "callback_query"],
                )
        except TelegramError as exc:  # the platform is unreachable: webhooks and sends retry later
            log.warning("Telegram set-up call failed: %s", exc)

    async def _start_polling(self) -> None:
        await self.app.updater.start_polling(allowed_updates=["message", "callback_query"])

    async def _stop_polling(self) -> None:
        if self.app.updater and self.app.updater.running:
            await self.app.updater.stop()

    async def stop(self) -> None:
        if self._poller:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    # ------------------------------------------------------------------ incoming
    async def webhook(self, request: Request) -> Response:
        header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(header.encode(), self.secret.encode()):
            return JSONResponse({"error": "Sai mã bí mật webhook."}, status_code=403)
        try:
            update = Update.de_json(await request.json(), self.app.bot)
        except Exception:
            return JSONResponse({"error": "Dữ liệu cập nhật không hợp lệ."}, status_code=400)
        sender = update.effective_user
        limited = slow_down(self.name, sender.id) if sender else None
        if limited is not None:
            return limited
        await self.app.process_update(update)
        return Response(status_code=200)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await asyncio.to_thread(first_delivery, self.sessions, self.name, str(update.update_id)):
            log.info("Telegram update %s already handled", update.update_id)
            return
        incoming = await self._incoming(update)
        if incoming is None:
            return
        messages = await converse(self.engine_getter(), incoming) if incoming.text or incoming.payload or incoming.attachments else [OutgoingMessage(UNSUPPORTED_TEXT)]
        await send_or_queue(self, self.sessions, incoming, messages)

    async def _incoming(self, update: Update) -> Incoming | None:
        if update.callback_query:
            query = update.callback_query
            try:
                await query.answer()
            except TelegramError as exc:  # an old query; the choice still counts
                log.info("callback query not answered: %s", exc)
            chat = query.message.chat if query.message else None
            payload = await self._payload(query.data or "")
            if chat is None or payload is None:
                return None
            return Incoming.button(self.name, str(query.from_user.id), str(chat.id), payload)
        message = update.message
        if message is None or message.from_user is None:
            return None
        incoming = Incoming(self.name, str(message.from_user.id), str(message.chat.id), text=message.text or message.caption)
        if message.location:
            incoming.attachments.append({"type": "location", "latitude": message.location.latitude, "longitude": message.location.longitude})
        photo = message.photo[-1] if message.photo else None
        if photo is None and message.document and (message.document.mime_type or "").startswith("image/"):
            photo = message.document
        if photo is not None:
            incoming.attachments.append(await self._photo(photo))
        return incoming

    async def _payload(self, data: str) -> str | None:
        if data.startswith("k:"):
            return await asyncio.to_thread(load_payload, self.sessions, data[2:])
        return data

    async def _photo(self, photo) -> dict:
        attachment = {"type": "photo", "source": self.name, "file_id": photo.file_id}
        if (photo.file_size or 0) > MAX_PHOTO_BYTES:
            return attachment | {"error": "too_large"}
        try:
            file = await photo.get_file()
            data = bytes(await file.download_as_bytearray())
            suffix = PurePosixPath(file.file_path or "").suffix.lower() or ".jpg"
            attachment["path"] = await asyncio.to_thread(save_media, self.name, data, suffix)
        except (TelegramError, OSError) as exc:  # keep the file id: an official can fetch it later
            log.warning("Telegram photo not downloaded: %s", exc)
        return attachment

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram update failed: %s", context.error, exc_info=context.error)

    # ------------------------------------------------------------------ outgoing
    async def _markup(self, buttons: list[dict]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        rows = []
        for b in buttons:
            data = b["payload"]
            if len(data.encode()) > MAX_CALLBACK_BYTES:
                data = "k:" + await asyncio.to_thread(store_payload, self.sessions, data)
            rows.append([InlineKeyboardButton(b["title"][:64], callback_data=data)])
        return InlineKeyboardMarkup(rows)

    async def send(self, chat_id: str, text: str, buttons: list[dict]) -> None:
        """Send one message (split when long; buttons under the last part)."""
        pieces = split_text(text, MAX_TEXT) or ["…"]
        markup = await self._markup(buttons)
        try:
            for i, piece in enumerate(pieces):
                await self.app.bot.send_message(chat_id, piece, reply_markup=markup if i == len(pieces) - 1 else None)
        except RetryAfter as exc:
            raise TemporaryFailure(str(exc), retry_after=seconds(exc.retry_after)) from exc
        except (Forbidden, BadRequest) as exc:  # blocked by the user, chat gone
            raise PermanentFailure(str(exc)) from exc
        except (NetworkError, InvalidToken, TelegramError) as exc:  # down, timed out, misconfigured
            raise TemporaryFailure(str(exc)) from exc
