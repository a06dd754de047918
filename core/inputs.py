"""What text and numbers from outside may contain: no NUL, other control characters (tab and line
breaks aside) or lone surrogates; numbers finite. Checks are linear in the input."""
from __future__ import annotations

import json
import math
import re

# C0 controls except \t \n \r, DEL, C1 controls, lone surrogates (invalid in UTF-8 and in databases)
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_DEPTH = 32


class BadInput(ValueError):
    """Why the input is refused (a Vietnamese sentence for the client)."""


def has_bad_chars(text: str) -> bool:
    return BAD_CHARS.search(text) is not None


def clean(text: str) -> str:
    """The text without control characters and lone surrogates (platform messages are cleaned,
    not refused: the platform would only deliver them again)."""
    return BAD_CHARS.sub("", text)


def _finite(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise BadInput("Số không hợp lệ (quá lớn hoặc không phải số).")
    return number


def _no_constant(name: str):
    raise BadInput(f"Số không hợp lệ: {name}.")


def _walk(node, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise BadInput("Dữ liệu lồng nhau quá sâu.")
    if isinstance(node, str):
        if has_bad_chars(node):
            raise BadInput("Nội dung chứa ký tự không hợp lệ (ký tự điều khiển hoặc mã hóa sai).")
    elif isinstance(node, dict):
        for key, value in node.items():
            _walk(key, depth + 1)
            _walk(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            _walk(value, depth + 1)


def check_json(body: bytes) -> None:
    """Raise BadInput for JSON with bad characters, NaN/Infinity or numbers out of float range.
    Malformed JSON passes: the endpoint's own parser answers it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("Nội dung không phải UTF-8 hợp lệ.") from None
    try:
        data = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except BadInput:
        raise
    except (ValueError, RecursionError):
        return
    _walk(data)


def check_text(text: str) -> None:
    if has_bad_chars(text):
        raise BadInput("Nội dung chứa ký tự không hợp lệ (ký tự điều khiển hoặc mã hóa sai).")


def finite_in(value, low: float, high: float) -> float | None:
    """A float within [low, high], or None for a missing value; BadInput otherwise."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadInput("phải là số") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise BadInput(f"phải là số trong khoảng {low:g} đến {high:g}")
    return number
