"""Shared by the channel tests: run the server app with channels configured by environment."""
from __future__ import annotations

import time
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import select

from feedback import service
from storage.db import session_factory
from storage.models import Feedback, OutboundMessage
from tests.fakes.telegram import callback_update, location_update, photo_update, text_update


@contextmanager
def server(engine, monkeypatch, env: dict[str, str]):
    """The ASGI app (lifespan included) with ``env`` applied; queued messages go out every 0.2 s."""
    from bot.server import create_app
    from core.config import reset_settings

    for key, value in {"CIVIC_SERVER__DELIVERY_INTERVAL_SECONDS": "0.2", **env}.items():
        monkeypatch.setenv(key, value)
    reset_settings()
    with TestClient(create_app(engine=engine)) as client:
        yield client
    reset_settings()


def wait_until(predicate, timeout: float = 20, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def only_feedback() -> Feedback:
    with session_factory()() as session:
        items = session.scalars(select(Feedback)).all()
        assert len(items) == 1, items
        return items[0]


def official_replies(code: str, reply: str = "Xã đã xử lý xong hồ sơ của ông/bà, mời nhận kết quả tại bộ phận một cửa.") -> None:
    service.update(session_factory(), code, status="resolved", reply=reply, actor="can-bo-a")


def outbox() -> list[OutboundMessage]:
    with session_factory()() as session:
        return session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()


class TelegramCitizen:
    """A Telegram user: each action is an update posted to our webhook, as Telegram would."""

    def __init__(self, client, fake, user_id: int, headers: dict):
        self.client, self.fake, self.user_id, self.headers = client, fake, user_id, headers
        self.next_id = 100

    def _post(self, update):
        before = len(self.fake.texts(self.user_id))
        response = self.client.post("/telegram/webhook", json=update, headers=self.headers)
        assert response.status_code == 200, response.text
        return self.fake.texts(self.user_id)[before:]

    def _id(self):
        self.next_id += 1
        return self.next_id

    def says(self, text):
        return "\n".join(self._post(text_update(self._id(), self.user_id, text)))

    def presses(self, title):
        data = self.button(title)
        return "\n".join(self._post(callback_update(self._id(), self.user_id, data)))

    def sends_photo(self, file_id, data=b"\xff\xd8\xff\xe0 photo bytes"):
        self.fake.add_file(file_id, data)
        return "\n".join(self._post(photo_update(self._id(), self.user_id, file_id)))

    def sends_location(self, latitude, longitude):
        return "\n".join(self._post(location_update(self._id(), self.user_id, latitude, longitude)))

    def button(self, title):
        for message in reversed(self.fake.sent):
            if str(message["chat_id"]) == str(self.user_id) and message["reply_markup"]:
                for row in message["reply_markup"]["inline_keyboard"]:
                    for b in row:
                        if b["text"] == title:
                            return b["callback_data"]
                raise AssertionError(f"no button {title!r} in the last keyboard")
        raise AssertionError("no keyboard sent")
