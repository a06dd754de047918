"""Masking of personal data (phone numbers, ID-card numbers, e-mail addresses).

Used by the log filter and by every place that stores or exports free text for analytics.
"""
from __future__ import annotations

import re

# Vietnamese mobile/landline numbers: 0xxxxxxxxx or +84 / 84 prefix, digits possibly
# separated by spaces, dots or dashes ("090 123 4567", "+84.90.123.4567").
_PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\w)")
# Citizen ID (CCCD, 12 digits) and old ID card (CMND, 9 digits); also passports (letter + 7 digits).
_ID_NUMBER = re.compile(r"(?<![\w/.])(?:\d{12}|\d{9}|[A-Z]\d{7})(?![\w/])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _keep_tail(match: re.Match[str], keep: int = 3) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*" * max(len(digits) - keep, 0) + digits[-keep:]


def mask_pii(text: str) -> str:
    """Replace phone numbers, ID numbers and e-mail addresses, keeping the last 3 digits."""
    if not text:
        return text
    text = _EMAIL.sub("***@***", text)
    text = _PHONE.sub(_keep_tail, text)
    text = _ID_NUMBER.sub(_keep_tail, text)
    return text


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A**' (for logs and anonymous exports)."""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split() if part)
