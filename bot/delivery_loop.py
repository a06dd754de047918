"""Each server process pushes queued messages (feedback replies, reminders, replies a platform
refused for a while) on the channels it runs; claims in the database keep them from going twice."""
from __future__ import annotations

import asyncio
import logging
import time

from bot.metrics import DELIVERIES
from delivery.outbox import deliver
from storage.channel_state import forget_events

log = logging.getLogger(__name__)


async def run(sessions, senders: dict, interval: float) -> None:
    last_cleanup = 0.0
    while True:
        try:
            await deliver(sessions, senders, observe=lambda channel, outcome: DELIVERIES.labels(channel, outcome).inc())
            if time.monotonic() - last_cleanup > 3600:
                await asyncio.to_thread(forget_events, sessions)
                last_cleanup = time.monotonic()
        except asyncio.CancelledError:
            raise
        except Exception:  # the database is briefly away: try again next round
            log.exception("delivery round failed")
        await asyncio.sleep(interval)
