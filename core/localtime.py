"""The service's local time (``nlu.timezone``, Asia/Ho_Chi_Minh by default). Times are stored in
UTC; dates people see and deadlines count in local days."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from core.config import get_settings


def local_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().nlu.timezone)


def local_today(now: datetime | None = None) -> date:
    """The local date of ``now`` (an aware time; default: this moment)."""
    return (now or datetime.now(timezone.utc)).astimezone(local_zone()).date()
