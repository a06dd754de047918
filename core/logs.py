"""Logging set-up: one format for every command and server process, personal data masked."""
from __future__ import annotations

import json
import logging
import sys

from core.privacy import mask_pii


class MaskingFilter(logging.Filter):
    """Masks phone, ID numbers and e-mail addresses in the rendered message and in the traceback
    before any handler sees them (database errors do not print their parameters at all:
    storage.db creates engines with hide_parameters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_pii(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_pii(record.stack_info)
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
        elif record.exc_text:
            payload["exc"] = record.exc_text
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
