"""Daily jobs of a server process: the reminder digest at tasks.reminder_time on working days.
Every process runs the check; the digest job itself makes sure each digest is written once."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from core.config import Settings
from tasks import reminders

log = logging.getLogger(__name__)


async def run(sessions, settings: Settings) -> None:
    zone = ZoneInfo(settings.nlu.timezone)
    while True:
        try:
            now = datetime.now(zone)
            if reminders.due_now(now, settings.tasks.reminder_time):
                report = await asyncio.to_thread(reminders.run, sessions, now.date(), settings.tasks.reminder_days_ahead)
                if report.digests:
                    log.info("reminder digests of %s: %d written, %d queued", report.day, report.digests, report.messages)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("reminder job failed")
        await asyncio.sleep(settings.tasks.reminder_check_minutes * 60)
