"""Which parts of a plan hold tasks, read from the headings above a section.

The nearest heading that says decides: "tasks" (nhiệm vụ, giải pháp, nội dung, tổ chức thực
hiện, phân công, báo cáo, lộ trình …), "skip" (mục đích, yêu cầu, căn cứ, quan điểm; at the top
also đánh giá tình hình, kết quả, dự báo), "targets" (chỉ tiêu, mục tiêu). Headings that say
none of these (đối tượng, khen thưởng, kinh phí, thời gian, a unit's name) defer to the heading
above; a part no heading classifies is "weak": only paragraphs that make a named unit act or set
a deadline are tasks there. A directive (numbered items without topic headings) is all tasks.
"""
from __future__ import annotations

import re

from knowledge.ingest.plans import PlanDocument, Section
from tasks.units import folded, heading_units

_TASK = re.compile(
    r"nhiem vu|giai phap|noi dung|to chuc thuc hien|bao cao|trach nhiem|phan cong|hoat dong|bien phap|lo trinh|"
    r"phuong an|trien khai thuc hien|ke hoach hanh dong|danh muc|cong viec|chuong trinh hanh dong"
)
_SKIP = re.compile(r"muc dich|yeu cau|can cu|quan diem|su can thiet|boi canh|^nhu cau")
_SKIP_TOP = re.compile(r"^(danh gia|tinh hinh|ket qua|thuc trang|du bao|thuan loi|kho khan|han che|nguyen nhan)")
_TARGET = re.compile(r"(^|, |va )((cac|nhung|mot so) )?(chi tieu|muc tieu)")
# A part of the plan's body named by what is to be done ("III. PHÁT TRIỂN NỀN MÓNG KINH TẾ SỐ",
# "IV. NÂNG CAO CHẤT LƯỢNG …"): its items are the measures, like under "NHIỆM VỤ".
_ACTION_TOPIC = re.compile(
    r"^(phat trien|nang cao|day manh|tang cuong|xay dung|hoan thien|chuyen doi|cai cach|trien khai|cung co|kien toan|doi moi|"
    r"ung dung|phong chong|phong ngua|khac phuc|ho tro|thuc day|nang cap|hien dai hoa|so hoa|tuyen truyen|quan ly|bao ve|"
    r"chan chinh|sap xep|to chuc|thuc hien)\b"
)
_PHASE = re.compile(r"^(giai doan|nam 20\d\d|qui [ivx1-4]+|thang \d|den (het )?nam|tu nam|6 thang|truoc ngay|dot \d)")
# a topic heading that names its time frame after the topic ("1. Phát triển kinh tế số đến năm 2030")
_FRAME = re.compile(r"\b(den (het )?nam 20\d\d|trong nam 20\d\d|giai doan 20\d\d ?[-–] ?20\d\d)\b")


def is_item(section: Section) -> bool:
    """A numbered item whose heading is its own text ("1. Kiện toàn …."), not a topic heading."""
    return bool(section.paragraphs) and section.paragraphs[0] == section.heading


def _topic(section: Section) -> str:
    head = section.heading.split(":", 1)[0] if section.kind != "appendix" else section.heading
    return folded(head)


def _says(section: Section, top: bool) -> str | None:
    if section.kind == "table":
        return None
    if is_item(section):
        label = section.heading.split(":", 1)[0] if ":" in section.heading else ""
        if not label or len(label.split()) > 8:
            return None
        f = folded(label)  # "1. Phạm vi: Toàn bộ các xã …": the label names the topic
        return "skip" if re.match(r"^(doi tuong|pham vi|muc dich|yeu cau|can cu)\b", f) else None
    f = _topic(section)
    if re.match(r"^([ivx]+\.\s*)?(tieu chi|tieu chuan|cach thuc|nguyen tac|hinh thuc|thang diem|co cau|so luong|dinh muc|dieu kien)\b", f):
        return "weak"  # criteria, rules, quotas: a task only where a unit is made to act
    if _SKIP_TOP.match(f) and (top or section.level <= 1) and not re.search(r"giai phap|bien phap|to chuc thuc hien|phan cong", f):
        return "skip"  # "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ …": an assessment, whatever it assesses
    if _TASK.search(f):
        return "tasks"
    if _TARGET.search(f):
        return "targets"
    if (top or section.level <= 1) and _ACTION_TOPIC.match(re.sub(r"^[ivx]+\.\s*", "", f)):
        return "tasks"
    if _SKIP.search(f) or ((top or section.level <= 1) and _SKIP_TOP.match(f)) or re.match(r"^(du bao|hien trang|thuc trang|tinh hinh)", f):
        return "skip"
    topics = [t.strip() for t in re.split(r",| va ", re.sub(r"^[ivx]+\.\s*", "", f)) if t.strip()]
    if topics and all(re.match(r"^(doi tuong|pham vi|thoi gian|dia ban)", t) for t in topics) and re.match(r"^(doi tuong|pham vi)", topics[0]):
        return "skip"  # "Đối tượng áp dụng", "II. ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA": who takes part, not tasks
    if section.kind == "appendix":
        return "appendix"  # an appendix that does not say it lists tasks: only rows with a lead column
    return None


def section_zone(plan: PlanDocument, index: int) -> str:
    chain = [index]
    while plan.sections[chain[-1]].parent is not None:
        chain.append(plan.sections[chain[-1]].parent)
    if _says(plan.sections[chain[-1]], top=True) == "skip":
        return "skip"  # under "I. MỤC ĐÍCH, YÊU CẦU" or "I. TÌNH HÌNH …" nothing is a task
    for i in chain:
        section = plan.sections[i]
        verdict = _says(section, top=section.parent is None)
        if verdict:
            return verdict
        if folded(section.heading.split(":", 1)[0]).startswith(("thoi gian", "thoi han")) and (not is_item(section) or ":" in section.heading):
            return "weak"  # "3. Thời gian tổ chức phong trào: …" dates the part; a task only if it assigns one
    top = plan.sections[chain[-1]]
    if is_item(top) or heading_units(top.heading)[0]:
        return "tasks"
    tops = [s for s in plan.sections if s.parent is None and s.kind != "appendix"]
    if not any(_says(s, True) for s in tops):
        return "tasks"  # no topic headings at all: a directive's numbered instructions
    return "weak"


def time_heading(section: Section) -> str | None:
    """A phase heading that dates what it holds ("1. Giai đoạn 2025 - 2030")."""
    if is_item(section):
        return None
    from tasks.schedule import NONE, parse_deadline

    head, _, caption = section.heading.partition(":")
    # "PHỤ LỤC: Phân công thực hiện các chỉ tiêu … đến năm 2030": an appendix is dated by its caption
    title = caption.strip() if caption and re.match(r"phu luc\b", folded(head)) else head
    plain = folded(title)
    if _PHASE.match(plain) or len(_FRAME.findall(plain)) == 1:  # one frame: "đến năm 2025, định hướng 2030" is no deadline
        if parse_deadline(title, column=True).kind != NONE:
            return title
    return None
