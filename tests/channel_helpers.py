"""Shared by the channel tests: run the server app with channels configured by environment."""
from __future__ import annotations

import time
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import select

from feedback import service
from storage.db import session_factory
from storage.models import Feedback, OutboundMessage


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
