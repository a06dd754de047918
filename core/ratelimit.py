"""Rate limits at the edges (the `limits` library, moving windows).

Counters live in memory (one process: the embedded default) or in Redis, shared by every worker
and instance. A limiter that cannot reach Redis lets requests through and says so in the log:
fair use must not take the service down with it.
"""
from __future__ import annotations

import logging
import math
import time
from functools import lru_cache

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


class Limiter:
    def __init__(self, storage: str = "memory"):
        if storage in ("", "memory", None):
            uri, options = "memory://", {}
        else:
            uri = storage
            options = {"key_prefix": "civic", "socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        self.storage_uri = uri
        self.strategy = MovingWindowRateLimiter(storage_from_string(uri, **options))
        self._warned = 0.0

    def hit(self, rule: str, *key: str) -> int | None:
        """Count one request for ``key`` under ``rule`` ("30/minute;5/second"); None when it is
        allowed, else the whole seconds to wait before the next one is."""
        if not rule:
            return None
        try:
            for item in parse_many(rule):
                if not self.strategy.hit(item, *key):
                    reset = self.strategy.get_window_stats(item, *key).reset_time
                    return max(1, math.ceil(reset - time.time()))
        except Exception as exc:  # Redis down or slow: fail open, loudly but not on every request
            now = time.monotonic()
            if now - self._warned > 60:
                self._warned = now
                log.warning("rate limiter unavailable (%s): requests are not limited", exc.__class__.__name__)
        return None

    def clear(self) -> None:
        try:
            self.strategy.storage.reset()
        except Exception:  # pragma: no cover - storage without reset
            pass


@lru_cache(maxsize=1)
def default_limiter() -> Limiter:
    from core.config import get_settings

    return Limiter(get_settings().limits.storage)


def reset_limiter() -> None:
    """Forget the process limiter (tests change the settings)."""
    default_limiter.cache_clear()
