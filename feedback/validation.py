"""Validation of what a citizen types into the feedback form; errors are Vietnamese sentences."""
from __future__ import annotations

import re
import unicodedata

from core.config import get_settings
from nlu.entities import normalize_phone
from vietnamese.text import fold_key, nfc

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_NAME = re.compile(r"^[^\W\d_]+(?:[\s'-][^\W\d_]+)*$", re.UNICODE)
# feedback that is really a complaint or a denunciation (other laws, other channels)
_COMPLAINT = re.compile(r"\bkhieu nai\b")
# Markup or SQL typed into a form field is not a description of anything: ask again. (It would
# be harmless anyway: queries are parameterised and pages escape text.)
_CODE = re.compile(
    r"<\s*/?\s*[a-z][^>]*>|javascript:|\b(drop|delete|truncate|alter)\s+table\b|\bunion\s+select\b"
    r"|\bselect\b.+\bfrom\b|\binsert\s+into\b|\bor\s+1\s*=\s*1\b|;\s*--",
    re.IGNORECASE,
)
CODE_ERROR = "Nội dung có chứa mã lệnh (HTML/SQL) chứ không phải lời văn. Bạn viết lại bằng lời thường giúp tôi."


def looks_like_code(text: str) -> bool:
    return bool(_CODE.search(text or ""))
_DENUNCIATION = re.compile(r"\bto cao\b")


def clean(text: str | None) -> str:
    """NFC, control characters removed, whitespace collapsed. HTML stays text (escaped on display)."""
    text = nfc(text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return re.sub(r"[ \t]+", " ", text).strip()


def content(text: str | None) -> tuple[str | None, str | None]:
    s = get_settings().feedback
    value = clean(text)
    if not value:
        return None, "Nội dung phản ánh đang trống. Bạn mô tả giúp tôi sự việc: việc gì, ở đâu, khi nào."
    letters = len(_LETTER.findall(value))
    if letters == 0:
        return None, "Nội dung chưa có chữ (chỉ có biểu tượng hoặc số). Bạn viết giúp tôi vài câu mô tả sự việc."
    if looks_like_code(value):
        return None, CODE_ERROR
    if len(value) > s.max_content_chars:
        return None, (
            f"Nội dung dài {len(value):,} ký tự, vượt mức tối đa {s.max_content_chars:,} ký tự. "
            "Bạn tóm tắt giúp tôi những ý chính (việc gì, ở đâu, khi nào)."
        ).replace(",", ".")
    if len(value) < s.min_content_chars or len(value.split()) < 4:
        return None, "Nội dung hơi ngắn. Bạn mô tả rõ hơn giúp tôi: việc gì đã xảy ra, ở đâu, khi nào."
    return value, None


def kind(text: str) -> str:
    """feedback | complaint (khiếu nại) | denunciation (tố cáo)."""
    folded = fold_key(text)
    if _DENUNCIATION.search(folded):
        return "denunciation"
    if _COMPLAINT.search(folded):
        return "complaint"
    return "feedback"


def name(text: str | None) -> tuple[str | None, str | None]:
    value = clean(text)
    words = value.split()
    if not value or not _NAME.match(value) or not 2 <= len(words) <= 6 or len(value) > 60:
        return None, "Họ tên chưa hợp lệ. Bạn nhập họ và tên đầy đủ bằng chữ, ví dụ: Nguyễn Văn An."
    return " ".join(w[:1].upper() + w[1:].lower() for w in words), None


def address(text: str | None) -> tuple[str | None, str | None]:
    value = clean(text)
    if looks_like_code(value):
        return None, CODE_ERROR
    if len(value) < 8 or len(_LETTER.findall(value)) < 5:
        return None, "Địa chỉ chưa đủ rõ. Bạn ghi giúp thôn/tổ, xã/phường, tỉnh, ví dụ: Thôn 3, xã Mẫu Sơn, tỉnh Lạng Sơn."
    if len(value) > 300:
        return None, "Địa chỉ quá dài (tối đa 300 ký tự). Bạn ghi ngắn gọn giúp tôi."
    return value, None


def phone(text: str | None) -> tuple[str | None, str | None]:
    value = normalize_phone(clean(text))
    if not value:
        return None, "Số điện thoại chưa hợp lệ. Bạn nhập số di động hoặc cố định Việt Nam, ví dụ: 0912 345 678."
    return value, None


def procedure_label(title: str, code: str) -> str:
    """'Thủ tục Đăng ký khai sinh (1.001193)'; a title that already says "Thủ tục …" keeps its own."""
    title = " ".join((title or "").split())
    if title.lower().startswith("thủ tục"):
        return f"{title} ({code})"
    return f"Thủ tục {title} ({code})"


def has_digits_run(text: str, length: int = 8) -> bool:
    """A long run of digits (a phone or ID number) — personal data, not the name of a procedure."""
    text = re.sub(r"\b\d\.\d{6}\b", " ", text or "")  # a procedure's code is not personal data
    return bool(re.search(rf"\d[\d .-]{{{length - 2},}}\d", text))
