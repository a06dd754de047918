"""Tasks and targets of a plan document.

Which parts hold tasks: the sections of measures (nhiệm vụ, giải pháp, nội dung), reporting
(chế độ báo cáo) and implementation (tổ chức thực hiện); not purpose/requirements or funding.
"Chỉ tiêu" sections hold targets. Within them every bullet or paragraph of a leaf section is a
task, except attribute lines ("Cơ quan chủ trì: …", "Thời gian thực hiện: …") and closing
exhortations. A task's lead units are, in order: named by a marker in the task ("Giao X",
"Đề nghị X", "X chủ trì"); the task's grammatical subject when it is made of registry units;
the nearest section's attribute lines, unit heading ("3. Phòng Nội vụ:") or list introduction
("… yêu cầu các cơ quan, đơn vị … như sau:"); else the subject as written. Its deadline is its
own time expression, else the nearest section's "Thời gian thực hiện".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.plan_text import strip_footnotes
from knowledge.ingest.plans import PlanDocument, Section
from tasks.schedule import CONTINUOUS, NONE, Schedule, parse_deadline
from tasks.units import explicit_roles, folded, heading_units, same_unit, subject_units, units_in

_TASK_ZONE = re.compile(r"nhiem vu|giai phap|noi dung|to chuc thuc hien|bao cao|trach nhiem|phan cong|hoat dong|bien phap")
_SKIP_ZONE = re.compile(r"muc dich|yeu cau|kinh phi|can cu|quan diem|danh gia|ket qua|tinh hinh|pham vi|doi tuong|nguon luc")
_TARGET_ZONE = re.compile(r"chi tieu")
_ATTRIBUTE = re.compile(
    r"^(?:[-+•*]\s*)?(?:(?:co quan|don vi|bo phan)\s+)?(chu tri|phoi hop|thuc hien|thoi gian(?: thuc hien| hoan thanh)?|thoi han|tien do)\s*:\s*"
)
_OWN_TIME = re.compile(
    r"cham nhat|truoc ngay|hoan thanh (trong|truoc)|dinh ki (\d|hang|moi)|hang thang|hang qui|moi qui|moi thang|tung qui|"
    r"qui (iv|iii|ii|i|[1-4]) ?/ ?20\d\d|trong (thang|qui|nam) \d|ngay lam viec ke tu|ke tu ngay (ki|ban hanh)|"
    r"khi co yeu cau|^(bao cao|thong tin) dot xuat|6 thang dau nam|tro di"
)
_CLOSING = re.compile(r"^(yeu cau|tren day|trong qua trinh|qua trinh (trien khai|thuc hien)|(uy ban nhan dan|ubnd|chu tich)[^.]{0,40}\syeu cau)")
_BULLET = re.compile(r"^[-+•*]\s*")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")


@dataclass
class Task:
    position: int
    section_path: str
    section_title: str
    title: str
    text: str
    lead: list[dict] = field(default_factory=list)
    coordinating: list[dict] = field(default_factory=list)
    deadline_text: str | None = None
    schedule: Schedule = field(default_factory=Schedule)
    lead_from: str = "none"  # task | subject | section | none


@dataclass
class Target:
    position: int
    section_path: str
    text: str
    value: float | None
    unit: str | None
    subject: str


@dataclass
class Context:
    lead: list[dict] = field(default_factory=list)
    coordinating: list[dict] = field(default_factory=list)
    time: str | None = None


def _zone(plan: PlanDocument, section: Section) -> str:
    top = section
    while top.parent is not None:
        top = plan.sections[top.parent]
    heading = folded(top.heading)
    if _TARGET_ZONE.search(heading):
        return "targets"
    if _SKIP_ZONE.search(heading) and not _TASK_ZONE.search(heading):
        return "skip"
    return "tasks"


def _attribute(paragraph: str) -> tuple[str, str] | None:
    f = folded(paragraph)
    m = _ATTRIBUTE.match(f)
    if not m or len(f) != len(paragraph):
        return None
    return m.group(1), paragraph[m.end():].strip().rstrip(".").strip()


def _context(section: Section, children: bool) -> Context:
    """What a section states for the tasks under it."""
    context = Context()
    for paragraph in section.paragraphs:
        attribute = _attribute(paragraph)
        if attribute:
            kind, value = attribute
            inline = re.search(r";\s*(?:cơ quan\s+)?phối hợp\s*:", value, re.IGNORECASE)
            if inline:  # "Cơ quan chủ trì: X; phối hợp: Y"
                context.coordinating += units_in(value[inline.end():])
                value = value[: inline.start()]
            if kind in ("chu tri", "thuc hien"):
                context.lead += [u for u in units_in(value) if u not in context.lead]
            elif kind == "phoi hop":
                context.coordinating += units_in(value)
            else:
                context.time = value
    units, _ = heading_units(section.heading)
    if units and not context.lead:
        context.lead = units
    intros = [section.heading] + (section.paragraphs if children else [])
    for text in intros:  # "… yêu cầu các cơ quan, đơn vị, UBND các xã, thị trấn … như sau:"
        if context.lead or not text.rstrip().endswith(":"):
            continue
        f = folded(text)
        if m := re.search(r"yeu cau\s", f):
            context.lead = subject_units(text[m.end():])[0]
        else:
            context.lead = subject_units(text)[0]
    return context


def _title(text: str, limit: int = 16) -> str:
    first = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0].rstrip(".;:")
    words = first.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def _clean(paragraph: str) -> str:
    text = strip_footnotes(_BULLET.sub("", paragraph.strip())).strip()
    sentences = re.split(r"(?<=[.!?])\s+", text)
    while sentences and _CLOSING.match(folded(sentences[0])):
        sentences.pop(0)
    return " ".join(sentences).strip().rstrip("/").strip()


def _own_time(text: str) -> str | None:
    """The sentences of a task that state its time ("… Thời gian báo cáo: chậm nhất ngày 05 …")."""
    found = [s.strip() for s in re.split(r"(?<=[.;])\s+", text) if _OWN_TIME.search(folded(s))]
    return " ".join(found) or None


def extract(plan: PlanDocument) -> tuple[list[Task], list[Target]]:
    has_children = {s.parent for s in plan.sections if s.parent is not None}
    contexts = {i: _context(s, i in has_children) for i, s in enumerate(plan.sections)}
    tasks: list[Task] = []
    targets: list[Target] = []
    for index, section in enumerate(plan.sections):
        if index in has_children:
            continue
        zone = _zone(plan, section)
        if zone == "skip":
            continue
        chain = _chain(plan, index)
        texts = [p for p in section.paragraphs if not _attribute(p)] or [section.heading]
        for raw in texts:
            units, rest = heading_units(raw)
            text = _clean(rest if units else raw)
            if len(text.split()) < 4:
                continue
            if zone == "targets":
                targets += _targets(len(targets), section.path, text)
                continue
            tasks.append(_task(plan, len(tasks), section, chain, contexts, text))
    return tasks, targets


def _chain(plan: PlanDocument, index: int) -> list[int]:
    chain = [index]
    while plan.sections[chain[-1]].parent is not None:
        chain.append(plan.sections[chain[-1]].parent)
    return chain


def _inherited(chain: list[int], contexts: dict[int, Context], name: str):
    for i in chain:
        value = getattr(contexts[i], name)
        if value:
            return value
    return [] if name != "time" else None


def _task(plan: PlanDocument, position: int, section: Section, chain: list[int], contexts: dict[int, Context], text: str) -> Task:
    explicit_lead, explicit_coordinating = explicit_roles(text)
    subject, clean = subject_units(text)
    inherited = _inherited(chain, contexts, "lead")
    if explicit_lead:
        lead, source = explicit_lead, "task"
    elif clean:
        lead, source = subject, "subject"
    elif inherited:
        lead, source = inherited, "section"
    else:
        lead, source = subject, "subject" if subject else "none"
    coordinating = explicit_coordinating or _inherited(chain, contexts, "coordinating")
    coordinating = [u for u in coordinating if not any(same_unit(u, l) for l in lead)]

    deadline_text, schedule = None, Schedule()
    own = _own_time(text)
    if own:
        schedule = parse_deadline(own, plan.issued_date)
        deadline_text = own
    if schedule.kind == NONE:
        time = _inherited(chain, contexts, "time")
        if time:
            deadline_text, schedule = time, parse_deadline(time, plan.issued_date)
    if schedule.kind == NONE and re.search(r"thuong xuyen", folded(text)):
        deadline_text, schedule = "thường xuyên", Schedule(CONTINUOUS, reading="thường xuyên, không có một hạn cụ thể")
    if deadline_text and len(deadline_text) > 240:
        deadline_text = deadline_text[:239].rsplit(" ", 1)[0] + "…"
    return Task(
        position=position, section_path=section.path, section_title=section.title, title=_title(text), text=text,
        lead=lead, coordinating=coordinating, deadline_text=deadline_text, schedule=schedule, lead_from=source,
    )


def _targets(start: int, path: str, text: str) -> list[Target]:
    """'95% hồ sơ cấp huyện và 75% hồ sơ cấp xã được xử lý trên môi trường mạng' → two targets."""
    numbers = list(_PERCENT.finditer(text))
    if not numbers:
        return [Target(start, path, text, None, None, text.rstrip("."))]
    found = []
    for i, m in enumerate(numbers):
        end = numbers[i + 1].start() if i + 1 < len(numbers) else len(text)
        subject = re.split(r"[;.]\s", text[m.end():end])[0].strip(" ;.,")
        if len(subject.split()) < 3 or folded(subject).startswith("tro len"):
            # "Tỷ lệ hài lòng … đạt từ 90% trở lên": what is measured comes before the number
            before = re.split(r"[;.]\s", text[: m.start()])[-1]
            subject = re.sub(r"\s+(đạt|là|ở mức|từ|trên|tối thiểu|ít nhất)(\s+(từ|trên))?\s*$", "", before.strip(), flags=re.IGNORECASE)
        found.append([float(m.group(1).replace(",", ".")), subject])
    # "95% A và 75% B được xử lý …": the first subjects share the last one's predicate
    last = found[-1][1]
    predicate = re.search(r"\s(được|đạt|có|thực hiện)\s.*$", last)
    for item in found[:-1]:
        if item[1].endswith(" và") and predicate:
            item[1] = item[1][: -len(" và")] + predicate.group(0)
        item[1] = re.sub(r"\s+và$", "", item[1])
    return [Target(start + i, path, text, value, "%", subject) for i, (value, subject) in enumerate(found)]
