"""Polling a platform from exactly one process: the poller runs while this process holds a lease."""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from storage.leases import acquire, release

log = logging.getLogger(__name__)


async def while_leased(
    sessions,
    name: str,
    start: Callable[[], Awaitable[None]],
    stop: Callable[[], Awaitable[None]],
    renew_seconds: float = 20,
    ttl_seconds: float = 60,
) -> None:
    """Run ``start`` when the lease ``name`` is ours, ``stop`` when it is lost or on cancel."""
    running = False
    try:
        while True:
            try:
                held = await asyncio.to_thread(acquire, sessions, name, ttl_seconds)
            except Exception:  # the database is briefly unavailable: keep the current state
                log.exception("lease %s could not be renewed", name)
                held = running
            if held and not running:
                log.info("this process now runs %s", name)
                await start()
                running = True
            elif not held and running:
                log.warning("lease %s lost: stopping", name)
                await stop()
                running = False
            await asyncio.sleep(renew_seconds)
    finally:
        if running:
            await stop()
            await asyncio.to_thread(release, sessions, name)
