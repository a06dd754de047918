"""The task candidates of one section: which paragraphs are tasks and which are details of one.

- a table row is one task; its cells are read by their column labels;
- "Nhiệm vụ: …" (or "Nội dung thực hiện: …") opens a block: the following "Cơ quan chủ trì",
  "Đơn vị phối hợp", "Thời gian thực hiện" lines are its attributes, "Hình thức", "Số lượng" …
  its details;
- an introduction ending with ':' either hands out work — a unit ("Sở Y tế:"), "… thực hiện
  các nội dung sau:", "… có trách nhiệm:", a short label, "Chủ trì, phối hợp" — and then each
  bullet after it is a task, or has an action of its own ("Tham mưu … trình … quyết định:")
  and then the bullets are its details;
- "+" sub-bullets are details of the bullet above; an item's unnumbered follow-up paragraphs
  are details of the item unless they hand out work themselves ("Đồng thời, giao …").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.plan_tables import _column
from knowledge.ingest.plans import Section
from tasks.units import explicit_roles, folded, heading_units, is_head, lower, subject_units, units_in
from tasks.zones import is_item

_ATTR = re.compile(
    r"^(?:[-+•*–]\s*)?(?P<label>(?:(?:cơ quan|đơn vị|bộ phận)(?:,\s*(?:đơn vị|cơ quan))?\s+)?"
    r"(?:chủ trì(?:\s+thực hiện)?|phối hợp(?:\s+thực hiện)?|thực hiện|chịu trách nhiệm)|"
    r"thời gian(?:\s+(?:thực hiện|hoàn thành|báo cáo|triển khai))?|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?|"
    r"trách nhiệm thực hiện)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_TASK_LABEL = re.compile(r"^(?:[-+•*–]\s*)?(?:nhiệm vụ|nội dung(?:\s+(?:thực hiện|công việc|nhiệm vụ))?|tên nhiệm vụ|công việc)\s*(?::\s*(?P<value>.*)|$)", re.IGNORECASE)
_DETAIL = re.compile(
    r"^(?:[-+•*–]\s*)?(?:hình thức|số lượng|địa điểm|quy mô|thành phần|đối tượng|phạm vi|kinh phí|sản phẩm|phương thức|"
    r"cách thức|tần suất|thông số|yêu cầu|kết quả|mục tiêu|điểm quan trắc|phương pháp|nguồn)[^:]{0,60}:",
    re.IGNORECASE,
)
_CONTAINER = re.compile(
    r"((cac|nhung) )?(noi dung|nhiem vu|cong viec|viec|hoat dong|giai phap|bien phap)( cu the| chu yeu| trong tam| chinh)?( sau| nhu sau| sau day)?$|"
    r"(co trach nhiem|co nhiem vu|chiu trach nhiem)( thuc hien)?( (cac )?(noi dung|nhiem vu))?( sau| nhu sau)?$|"
    r"phoi hop( voi)?$"
)
_BULLET = re.compile(r"^[-+•*–]\s*")
CLOSING = re.compile(
    r"^(yeu cau|tren day|trong qua trinh|qua trinh (trien khai|thuc hien)|(uy ban nhan dan|ubnd|chu tich)[^.]{0,60}\syeu cau|"
    r"noi nhan|de nghi cac .{0,80}(phan anh|bao cao) (ve|kip thoi))"
)


@dataclass
class Candidate:
    text: str
    row: bool = False
    lead: list[dict] = field(default_factory=list)  # from its introduction or block
    coordinating: list[dict] = field(default_factory=list)
    partners: bool = False  # under "Chủ trì, phối hợp": the units it starts with coordinate
    time: str | None = None  # its block's "Thời gian thực hiện"
    introduces: bool = False  # an introduction ending with ':' that took the bullets after it as details
    plus: bool = False  # written as a "+" item (a list of "+" items is a list of tasks)


def attribute(paragraph: str) -> tuple[str, str] | None:
    """'- Cơ quan chủ trì: Sở Nội vụ.' -> ("lead", "Sở Nội vụ"); also "coordinating", "time"."""
    m = _ATTR.match(paragraph.strip())
    if not m:
        return None
    label = lower(m.group("label"))
    value = m.group("value").strip().rstrip(".").strip()
    if "phối hợp" in label:
        return "coordinating", value
    if label.startswith(("thời", "tiến")):
        return "time", value
    return "lead", value


def row_fields(text: str) -> dict[str, str]:
    """A table row paragraph "<content> | Cơ quan chủ trì: … | Thời gian: …" -> its cells by role."""
    parts = text.split(" | ")
    if len(parts) < 2:
        return {}
    fields = {"content": parts[0]}
    labelled = 0
    for part in parts[1:]:
        label, sep, value = part.partition(": ")
        role = _column(label) if sep else None
        if role:
            labelled += 1
            if role in ("lead", "coordinating", "time") and role not in fields:
                fields[role] = value.strip()
    return fields if labelled else {}


def strip_label(text: str) -> str:
    """'Thực hiện mở tài khoản: Ủy ban nhân dân xã … phối hợp …' -> the part after the label."""
    m = re.match(r"^(?:[-+•*–]\s*)?([^:]{3,80}):\s+(\S.*)$", text)
    if m and len(m.group(1).split()) <= 20 and len(m.group(2).split()) >= 4:
        return m.group(2)
    return re.sub(r"^[-+•*–]\s*", "", text)


def intro(paragraph: str) -> tuple[bool, Candidate | None, str | None]:
    """An introduction ending with ':' -> (hands out work, what its bullets inherit, a task of its own before it)."""
    text = _BULLET.sub("", paragraph.strip())
    core = text.rstrip(" :").strip()
    f = folded(core)
    units, _ = heading_units(text)
    if units:
        return True, Candidate("", lead=units), None
    partners = bool(re.search(r"phoi hop( voi)?$", f))
    label = len(core.split()) <= 8 and not _verb_in(core)  # "Lưu ý khi bình xét thi đua:"
    if not (partners or len(core.split()) <= 6 or label or _CONTAINER.search(f) or ("yeu cau" in f and "nhu sau" in f)):
        return False, None, None
    sentences = re.split(r"(?<=[.;])\s+", core)
    last = sentences[-1]
    lead, _ = explicit_roles(last)
    if not lead and (m := re.search(r"\byêu cầu\s+", last)):
        lead = subject_units(last[m.end():])[0]  # "… yêu cầu các cơ quan, đơn vị … thực hiện … như sau:"
    if not lead:
        lead = subject_units(last)[0]
        # "Sở X chỉ đạo Chi cục Y thực hiện …": the named subordinate does it too
        if lead and (m := re.search(r"\schỉ đạo\s+(.+?)\s+(?:thực hiện|triển khai|tổ chức)", last)):
            lead = lead + [u for u in units_in(m.group(1)) if is_head(u["name"]) and not lower(u["name"]).startswith("các ")]
    preface = " ".join(sentences[:-1]) if len(sentences) > 1 else None
    return True, Candidate("", lead=lead, partners=partners), preface


def _verb_in(text: str) -> bool:
    from tasks.units import _verb

    return _verb(text) is not None and not re.match(r"^(lưu ý|chú ý|ghi chú)", text, re.IGNORECASE)


def _hands_out(text: str) -> bool:
    """A follow-up paragraph that assigns work itself ("Đồng thời, giao Công an tỉnh …")."""
    return bool(re.match(r"^(đồng thời,?\s*)?(giao|đề nghị)\s", text, re.IGNORECASE)) or bool(explicit_roles(text)[0])


def candidates(section: Section, has_children: bool = False) -> list[Candidate]:
    paragraphs = list(section.paragraphs)
    item = is_item(section)
    found: list[Candidate] = []
    opened: Candidate | None = None  # the introduction the bullets that follow belong to
    absorbing = False  # the last candidate takes the bullets that follow as its details
    block: Candidate | None = None  # the task of a "Nhiệm vụ: …" block
    heading = section.heading.strip()
    if not item and section.kind == "" and heading.endswith(":") and not heading_units(heading)[0]:
        paragraphs = [heading] + paragraphs  # "a) Tham mưu … quyết định:" introduces its bullets
    elif not item and section.kind == "" and re.search(r"phoi hop( voi)?$", folded(heading)) and len(heading.split()) <= 6:
        opened = Candidate("", partners=True)  # "b) Chủ trì, phối hợp"
    if not paragraphs and not has_children and section.kind == "" and len(heading.split()) >= 4 and not heading_units(heading)[0]:
        paragraphs = [heading]  # a leaf item written without a final period
    for k, p in enumerate(paragraphs):
        if " | " in p and row_fields(p):
            found.append(Candidate(p, row=True))
            absorbing, block = False, None
            continue
        m = _TASK_LABEL.match(p)
        if m:
            block = Candidate((m.group("value") or "").strip(), lead=list(opened.lead) if opened else [])
            found.append(block)
            absorbing = True
            continue
        attr = attribute(p)
        if attr:
            if block is not None:
                kind, value = attr
                if kind == "lead":
                    lead, coord = explicit_roles(value) if "chủ trì" in value else (units_in(value), [])
                    block.lead, block.coordinating = lead or units_in(value), block.coordinating + coord
                elif kind == "coordinating":
                    block.coordinating += units_in(value)
                elif value:
                    block.time = value
            continue  # otherwise a section attribute: read as the section's context
        text = _BULLET.sub("", p.strip())
        if block is not None and not block.text:
            block.text = text
            continue
        if _DETAIL.match(p) and found and (absorbing or _DETAIL.match(found[-1].text)):
            found[-1].text += " " + text  # "- Điểm quan trắc: …" then "- Thông số, tần suất: …": one task
            absorbing = True
            continue
        bullet = bool(_BULLET.match(p))
        if p.startswith("+") and found and not found[-1].row and not found[-1].plus:
            found[-1].text += " " + text  # "+" details of the "-" item above
            continue
        if absorbing and bullet and found:
            found[-1].text += " " + text
            continue
        if p.rstrip().endswith(":"):
            hands_out, inherit, preface = intro(p)
            if hands_out:
                if preface and len(preface.split()) >= 8:
                    own = explicit_roles(preface)[0] or subject_units(preface)[0]
                    found.append(Candidate(preface, lead=own or (list(opened.lead) if opened else [])))
                opened, absorbing, block = inherit, False, None
                continue
            found.append(Candidate(p, lead=list(opened.lead) if opened else [], introduces=True))
            absorbing, block = True, None
            continue
        if not bullet and item and found and k > 0 and not _hands_out(text) and opened is None and not CLOSING.match(folded(text)):
            found[0].text += " " + text  # an item's follow-up paragraph
            continue
        units, rest = heading_units(text)
        if units and rest:
            found.append(Candidate(rest, lead=units))
        else:
            found.append(Candidate(p, lead=list(opened.lead) if opened else [], partners=opened.partners if opened else False,
                                   plus=p.startswith("+")))
        absorbing, block = False, None
    return [c for c in found if c.text.strip()]
