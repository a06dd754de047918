"""Messages for people who talk to the assistant through a Rasa server (docs/rasa.md).

Actions run under Rasa record those people as channel "rasa" (user "<input channel>:<sender id>").
An official's reply, a status change or a reminder queued for them is handed to Rasa's HTTP API:

    POST <rasa>/conversations/<sender id>/trigger_intent?output_channel=latest
    {"name": "EXTERNAL_outbox", "entities": {"outbox_text": ..., "outbox_buttons": "[...]"}}

The exported rules answer that intent with action_deliver_message, which utters the text and
buttons; Rasa sends them on the channel the person last wrote from.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import httpx

from actions.outbox import BUTTONS_ENTITY, INTENT, TEXT_ENTITY
from core.config import RasaChannelSettings
from delivery.outbox import PermanentFailure, TemporaryFailure


class RasaChannel:
    name = "rasa"
    path = None  # nothing to receive: Rasa's own channels take the person's messages

    def __init__(self, settings: RasaChannelSettings):
        self.settings = settings
        self.client: httpx.AsyncClient | None = None

    async def start(self, public_url: str | None) -> None:
        self.client = httpx.AsyncClient(base_url=self.settings.url.rstrip("/"), timeout=self.settings.timeout_seconds)

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    async def send(self, chat_id: str, text: str, buttons: list[dict]) -> None:
        if self.client is None:
            await self.start(None)
        params = {"output_channel": "latest", **({"token": self.settings.token} if self.settings.token else {})}
        body = {"name": INTENT, "entities": {TEXT_ENTITY: text, BUTTONS_ENTITY: json.dumps(buttons or [], ensure_ascii=False)}}
        path = f"/conversations/{quote(chat_id, safe='')}/trigger_intent"  # the row keeps Rasa's sender id as chat id
        try:
            response = await self.client.post(path, params=params, json=body)
        except httpx.HTTPError as exc:
            raise TemporaryFailure(f"Rasa unreachable: {exc.__class__.__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryFailure(f"Rasa answered {response.status_code}")
        if response.status_code >= 400:
            raise PermanentFailure(f"Rasa refused the message: {response.status_code}")
