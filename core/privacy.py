"""Masking of personal data (phone numbers, ID-card numbers, e-mail addresses).

Used by the log filter (messages and tracebacks) and by every place that stores or exports free
text for analytics. Every pattern is anchored so that a match can only start where a token
starts and has a bounded length: the work is linear in the length of the text, also for an
80,000-character message made of one run of letters.

Shapes covered: "0912 345 678", "+84 912.345.678", "(091) 234 5678", "o912345678" (the letter o
typed for a zero), "0012 3456 7890" and "001-234-567-890" (a 12-digit citizen ID written in
groups), a 9-digit old ID, a passport number, an e-mail address, and numbers spelt in words
("không chín một hai ba bốn năm sáu bảy tám").
"""
from __future__ import annotations

import re

_SEP = r"[\s.\-]?"
# A phone number: 0 (or the letter o, or +84 / 84) then 8-10 digits in groups; the first group may
# be in brackets ("(091) 234 5678"). The look-behind makes every start O(1) inside a longer token.
_PHONE = re.compile(
    rf"(?<![\w+(.])(?:\+?84|0|[oO])(?:{_SEP}\d){{8,10}}(?![\w])"
    rf"|\((?:\+?84|0|[oO])\d{{1,3}}\)\s?\d(?:{_SEP}\d){{5,7}}(?![\w])"
)
# Citizen ID (12 digits) and old ID card (9 digits), plain or in groups of 3 or 4; passports.
_ID_NUMBER = re.compile(
    r"(?<![\w/.])(?:\d{12}|\d{9}|\d{4}[\s.\-]\d{4}[\s.\-]\d{4}|\d{3}[\s.\-]\d{3}[\s.\-]\d{3}(?:[\s.\-]\d{3})?|[A-Z]\d{7})(?![\w/])"
)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}")
_DIGIT_WORDS = (
    "không|khong|một|mot|mốt|hai|ba|bốn|bon|tư|tu|năm|nam|lăm|lam|sáu|sau|bảy|bay|tám|tam|chín|chin|linh|lẻ|le"
)
_SPELT = re.compile(rf"(?<!\w)(?:(?:{_DIGIT_WORDS})(?:[\s,.\-]+|$)){{8,}}", re.IGNORECASE)


def _keep_tail(match: re.Match[str], keep: int = 3) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*" * max(len(digits) - keep, 0) + digits[-keep:]


def mask_pii(text: str) -> str:
    """Replace phone numbers, ID numbers, e-mail addresses and spelt-out numbers, keeping the
    last 3 digits of numbers."""
    if not text:
        return text
    if "@" in text:
        text = _EMAIL.sub("***@***", text)
    text = _SPELT.sub("[số đã che] ", text)
    text = _ID_NUMBER.sub(_keep_tail, text)
    text = _PHONE.sub(_keep_tail, text)
    return text


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A**' (for logs and anonymous exports)."""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split() if part)
