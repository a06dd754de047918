"""Compose an answer about one administrative procedure from its structured fields."""
from __future__ import annotations

from knowledge.ingest.procedures import ChannelOption, Procedure

MAX_ITEMS = 8
CHANNEL_NAMES = {"Trực tiếp": "nộp trực tiếp", "Trực tuyến": "nộp trực tuyến", "Dịch vụ bưu chính": "qua dịch vụ bưu chính"}


def _clip(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _group_by(channels: list[ChannelOption], render) -> list[str]:
    """'Trực tiếp, trực tuyến: 7 ngày làm việc' — channels with the same value share a line."""
    groups: dict[str, list[str]] = {}
    for option in channels:
        groups.setdefault(render(option), []).append(option.channel)
    if len(groups) == 1:
        return [next(iter(groups))]
    return [f"{', '.join(dict.fromkeys(names))}: {value}" for value, names in groups.items()]


_CONDITIONAL = ("trường hợp", "nếu", "đối với trường hợp")


def _document_order(doc) -> int:
    """Always-needed papers first, then papers for special cases, then notes (quantity 0)."""
    if (doc.original or 0) + (doc.copies or 0) == 0 and doc.quantity_text:
        return 2
    name = doc.name.lower().lstrip("-+•* ")
    return 1 if name.startswith(_CONDITIONAL) or "(nếu có)" in name else 0


def documents(proc: Procedure) -> str:
    if not proc.documents:
        return "Cổng Dịch vụ công không liệt kê thành phần hồ sơ cho thủ tục này."
    lines = ["Thành phần hồ sơ:"]
    current_group: str | None = None
    groups = list(dict.fromkeys(d.group for d in proc.documents))
    ordered = sorted(proc.documents, key=lambda d: (groups.index(d.group), _document_order(d)))
    for doc in ordered[:MAX_ITEMS]:
        if doc.group and doc.group != current_group:
            current_group = doc.group
            lines.append(f"{_clip(doc.group, 120)}:")
        quantity = doc.quantity()
        form = f" (mẫu: {doc.form})" if doc.form else ""
        lines.append(f"• {_clip(doc.name)}{form}" + (f" — {quantity}" if quantity else ""))
    if len(proc.documents) > MAX_ITEMS:
        lines.append(f"… và {len(proc.documents) - MAX_ITEMS} giấy tờ khác tùy trường hợp (xem nguồn).")
    return "\n".join(lines)


def time(proc: Procedure) -> str:
    if not proc.channels:
        return "Cổng Dịch vụ công không ghi thời hạn giải quyết cho thủ tục này."
    lines = ["Thời hạn giải quyết:"] + [f"• {line}" for line in _group_by(proc.channels, lambda c: c.time.render())]
    if proc.cutoff:
        lines.append(f"• Lưu ý: hồ sơ nhận sau {proc.cutoff} được trả kết quả trong ngày làm việc tiếp theo.")
    return "\n".join(lines)


def fee(proc: Procedure) -> str:
    if not proc.channels:
        return "Cổng Dịch vụ công không ghi phí, lệ phí cho thủ tục này."
    lines = ["Phí, lệ phí:"] + [f"• {line}" for line in _group_by(proc.channels, lambda c: c.fee.render())]
    # a note that only restates the amount ("20.000 đồng/lần đăng ký") adds nothing
    notes = list(dict.fromkeys(c.fee.note for c in proc.channels if c.fee.note and not (c.fee.per and len(c.fee.note) < 60)))
    for note in notes[:2]:
        lines.append(f"  ({_clip(note, 260)})")
    return "\n".join(lines)


def where(proc: Procedure) -> str:
    lines = []
    ways = [CHANNEL_NAMES.get(c.channel, c.channel.lower()) for c in proc.channels]
    if ways:
        lines.append("Cách nộp: " + ", ".join(dict.fromkeys(ways)) + ".")
    if any(c.channel == "Trực tuyến" for c in proc.channels):
        lines.append("Nộp trực tuyến qua Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hoặc ứng dụng VNeID nếu thủ tục hỗ trợ.")
    agency = proc.executing_agency or proc.authority
    if agency:
        lines.append(f"Cơ quan thực hiện: {agency}.")
    if proc.address:
        lines.append(f"Địa chỉ tiếp nhận: {_clip(proc.address)}.")
    if proc.levels:
        lines.append(f"Cấp thực hiện: {', '.join(proc.levels)}.")
    return "\n".join(lines) or "Cổng Dịch vụ công không ghi nơi tiếp nhận cho thủ tục này."


def steps(proc: Procedure) -> str:
    if not proc.steps:
        return "Cổng Dịch vụ công không mô tả trình tự thực hiện cho thủ tục này."
    lines = ["Trình tự thực hiện:"] + [f"• {_clip(step, 260)}" for step in proc.steps[:6]]
    if len(proc.steps) > 6:
        lines.append(f"… ({len(proc.steps) - 6} bước/ý khác, xem nguồn).")
    return "\n".join(lines)


def conditions(proc: Procedure) -> str:
    if not proc.conditions:
        return "Thủ tục này không có yêu cầu, điều kiện riêng theo Cổng Dịch vụ công."
    return "\n".join(["Yêu cầu, điều kiện:"] + [f"• {_clip(c, 260)}" for c in proc.conditions[:6]])


def legal(proc: Procedure) -> str:
    if not proc.legal_basis:
        return "Cổng Dịch vụ công không liệt kê căn cứ pháp lý cho thủ tục này."
    lines = ["Căn cứ pháp lý:"]
    for basis in proc.legal_basis[:MAX_ITEMS]:
        title = _clip(basis.title, 160)
        lines.append(f"• {basis.number} — {title}" if basis.number and basis.number not in title else f"• {title}")
    return "\n".join(lines)


def result(proc: Procedure) -> str:
    if not proc.results:
        return "Cổng Dịch vụ công không ghi kết quả của thủ tục này."
    return "Kết quả nhận được: " + "; ".join(_clip(r, 160) for r in proc.results[:5]) + "."


def overview(proc: Procedure) -> str:
    parts = []
    if proc.field_name:
        parts.append(f"Lĩnh vực: {proc.field_name}.")
    parts.append(where(proc))
    if proc.channels:
        parts.append("Thời hạn: " + "; ".join(_group_by(proc.channels, lambda c: c.time.render())) + ".")
        parts.append("Phí, lệ phí: " + "; ".join(_group_by(proc.channels, lambda c: c.fee.render())) + ".")
    if proc.documents:
        parts.append(f"Hồ sơ gồm {len(proc.documents)} loại giấy tờ.")
    parts.append("Bạn có thể hỏi thêm: giấy tờ cần nộp, thời gian, lệ phí, nơi nộp, các bước, điều kiện.")
    return "\n".join(parts)


COMPOSERS = {
    "documents": documents,
    "time": time,
    "fee": fee,
    "where": where,
    "steps": steps,
    "conditions": conditions,
    "legal": legal,
    "result": result,
}


def compose(proc: Procedure, aspects: list[str]) -> str:
    heading = f"Thủ tục: {proc.name} (mã {proc.code})"
    bodies = [COMPOSERS[a](proc) for a in aspects if a in COMPOSERS] or [overview(proc)]
    if proc.url:
        source = f"Nguồn: Cổng Dịch vụ công quốc gia, thủ tục {proc.code}"
        source += f" (công bố tại {proc.decision}) — {proc.url}" if proc.decision else f" — {proc.url}"
    else:
        source = f"Nguồn: thủ tục {proc.code}" + (f" ({proc.decision})" if proc.decision else "")
    return "\n\n".join([heading, *bodies, source])
