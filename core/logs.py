"""Logging set-up: one format for every command and server process, personal data masked."""
from __future__ import annotations

import json
import logging
import sys

from core.privacy import mask_pii


class MaskingFilter(logging.Filter):
    """Masks phone and ID numbers in the rendered message before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_pii(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(level: str = "INFO", mask: bool = True, json_format: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_civic", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._civic = True  # type: ignore[attr-defined]
    handler.setFormatter(
        JsonFormatter() if json_format else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    if mask:
        handler.addFilter(MaskingFilter())
    root.addHandler(handler)
    for noisy in ("httpx", "httpx2", "httpcore", "sentence_transformers", "transformers", "faiss", "bm25s", "urllib3", "alembic", "rasa_sdk"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
