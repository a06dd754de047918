"""Remove what a web crawl adds around a published document.

Legal-document sites wrap the text in their own page: a copyright notice, a metadata box
("Số hiệu: … Loại văn bản: … Ngày ban hành: …"), and after the signature and appendices a
list of related documents, account notices and the site's address. The document itself starts
at its heading block (the issuing body, the national motto) and ends before those trailers.
The metadata box is kept: it fills header fields the document's own heading lacks.
"""
from __future__ import annotations

import re

# Lines that only a crawl page has (compared after removing markup).
_LEAD_MARKERS = re.compile(
    r"^(Bản dịch này thuộc quyền|THƯ VIỆN PHÁP LUẬT|Đang tải văn bản|Số hiệu\s*:|Loại văn bản\s*:|Nơi ban hành\s*:|"
    r"Người ký\s*:|Ngày ban hành\s*:|Ngày hiệu lực\s*:|Ngày công báo\s*:|Số công báo\s*:|Tình trạng\s*:|"
    r"Click vào phần bôi vàng|CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI)",
    re.IGNORECASE,
)
_TRAIL_MARKERS = re.compile(
    r"^(Văn bản này chưa cập nhật|Văn bản liên quan\b|NỘI DUNG SỬA ĐỔI, HƯỚNG DẪN|Bản dịch này thuộc quyền|"
    r"FILE ĐƯỢC ĐÍNH KÈM|Lược đồ\s*$|Tải văn bản|Thưa Quý khách|Cảm ơn đã dùng)",
    re.IGNORECASE,
)
# The first line of an official document: the issuing body or the national motto.
_OFFICIAL_START = re.compile(
    r"^(ỦY BAN|UỶ BAN|UBND|HỘI ĐỒNG|BỘ |SỞ |BAN |CỘNG HÒA|CỘNG HOÀ|TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|ĐẢNG BỘ|CHỦ TỊCH)"
)
_META_FIELDS = {
    "so hieu": "number", "loai van ban": "type", "noi ban hanh": "issuer", "nguoi ki": "signer",
    "nguoi ky": "signer", "ngay ban hanh": "date",
}


def _plain(line: str) -> str:
    return re.sub(r"[*_#|]+", " ", line).strip()


def _fold(text: str) -> str:
    from vietnamese.text import fold

    return " ".join(fold(text).split())


def _metadata(lines: list[str]) -> dict[str, str]:
    """Values of the crawl's metadata box: the label on one line, the value on the next one."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = re.match(r"^([^:]{3,20}):\s*(.*)$", _plain(line))
        if not m:
            continue
        key = _META_FIELDS.get(_fold(m.group(1)))
        if not key or key in meta:
            continue
        value = m.group(2).strip()
        j = i + 1
        while not value and j < len(lines) and j <= i + 4:
            value = _plain(lines[j])
            j += 1
        if value:
            meta[key] = value
    return meta


def strip_crawl(text: str) -> tuple[str, dict[str, str]]:
    """The document without the crawl page around it, and the page's metadata box."""
    lines = text.split("\n")
    head = [i for i, line in enumerate(lines[:200]) if _LEAD_MARKERS.match(_plain(line))]
    meta: dict[str, str] = {}
    start = 0
    if len({_plain(lines[i])[:12] for i in head}) >= 2:
        meta = _metadata(lines[: head[-1] + 6])
        for i in range(head[-1] + 1, min(len(lines), head[-1] + 80)):
            if _OFFICIAL_START.match(_plain(line := lines[i])) and not _LEAD_MARKERS.match(_plain(line)):
                start = i
                break
        else:
            start = head[-1] + 1
        # keep the heading table's opening cell separator, if any
        if start and lines[start - 1].strip() == "|":
            start -= 1
    end = len(lines)
    for i in range(start, len(lines)):
        if _TRAIL_MARKERS.match(_plain(lines[i])):
            end = i
            break
    # the page repeats the document's name just before its trailer ("Kế hoạch 980/KH-UBND năm 2025 …")
    while end < len(lines) and end > start and re.match(r"^(Kế hoạch|Chỉ thị|Quyết định|Công văn|Thông báo|Chương trình)\s+\d+/", _plain(lines[end - 1])):
        end -= 1
    return "\n".join(lines[start:end]), meta
