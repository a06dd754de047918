"""Tasks and targets of a plan or directive.

Which parts hold tasks (``tasks.zones``): measures (nhiệm vụ, giải pháp, nội dung), reporting
and implementation (tổ chức thực hiện, phân công); not purpose/requirements, legal basis or
situation assessment. Other parts (đối tượng, khen thưởng, kinh phí, thời gian) hold a task
only where a paragraph makes a named unit act or sets a deadline. "Chỉ tiêu"/"mục tiêu" parts
hold targets.

Which paragraphs are tasks (``tasks.blocks``): each bullet, lettered item, paragraph or table
row; an item's unnumbered follow-up paragraphs and "+" sub-bullets are details of it; bullets
after an introduction that has its own action ("Tham mưu … quyết định:") are details, after an
introduction that hands out work ("… thực hiện các nội dung sau:", "Sở Y tế:") tasks; a block
"Nhiệm vụ: … / Cơ quan chủ trì: … / Thời gian thực hiện: …" is one task.

A task's lead units: named by the task itself ("Giao X", "Đề nghị X", "X chủ trì"); the table's
lead column; its subject when it is a unit and nothing nearer says otherwise; else the nearest
of the block's "Cơ quan chủ trì", the introduction, the unit heading ("3. Phòng Nội vụ:",
"1. Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các xã, phường:"). Its deadline: the
table's time column, its own time expression, else the nearest block, section or phase
("Giai đoạn 2025 - 2030", a sibling "Thời gian …" section).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.plans import PlanDocument, Section
from tasks.blocks import CLOSING as _CLOSING, Candidate, attribute, candidates, intro, row_fields, strip_label
from tasks.references import lead_by_reference
from tasks.schedule import CONTINUOUS, NONE, Schedule, parse_deadline
from tasks.units import explicit_roles, folded, heading_units, same_unit, subject_units, units_in
from tasks.zones import is_item, section_zone, time_heading

_OWN_TIME = re.compile(
    r"cham nhat|truoc ngay|han chot|hoan thanh (trong|truoc)|dinh ki (\d|hang|moi)|hang thang|hang qui|moi qui|moi thang|tung qui|"
    r"qui (iv|iii|ii|i|[1-4]) ?(/|-|nam) ?20\d\d|trong (thang|qui|nam) \d|ngay lam viec ke tu|ke tu ngay (duoc )?(ki|ky|ban hanh|nhan|tiep nhan)|"
    r"khi co yeu cau|^(bao cao|thong tin) dot xuat|6 thang dau nam|tro di|den (het )?nam 20\d\d|vao nam 20\d\d|"
    r"den (het )?thang \d|den ngay \d|neu co nhu cau|\(neu can\)"
)
# "Trọng tâm:" before a part's lettered items: the paragraphs above it orient, the items are the tasks
_FOCUS = re.compile(r"^[*_\s]*(trong tam|nhiem vu trong tam|(cac )?nhiem vu (cu the|chu yeu)|(cac )?giai phap (cu the|chu yeu)|noi dung cu the)[*_\s]*:[*_\s]*$")
# "Dữ liệu là yếu tố sản xuất …", "Trọng tâm là …": a statement of what something is, not an action
_COPULA = re.compile(r"^[^,;:.()]{2,90}?\s(là|chính là)\s(?!để\s)", re.IGNORECASE)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
# "(2) Ít nhất 85% người hưởng … mở tài khoản": a target stated as a share, not a task
_TARGET_LINE = re.compile(r"^(\(\d+\)\s*)?(phấn đấu\s+(có\s+)?)?((ít nhất|tối thiểu|trên|dưới|đạt|có)\s+)?\d+([.,]\d+)?\s*%", re.IGNORECASE)


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
    lead_from: str = "none"  # task | table | subject | section | reference | none


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


def _attribute_units(value: str) -> tuple[list[dict], list[dict]]:
    """'Sở Nội vụ chủ trì …; Sở Tư pháp … phối hợp' or a plain list -> (lead, coordinating)."""
    inline = re.search(r";\s*(?:cơ quan\s+|đơn vị\s+)?phối hợp\s*:", value, re.IGNORECASE)
    coordinating: list[dict] = []
    if inline:  # "Cơ quan chủ trì: X; phối hợp: Y"
        coordinating = units_in(value[inline.end():])
        value = value[: inline.start()]
    if re.search(r"\schủ trì(?!\w)", value):
        lead, coord = explicit_roles(value)
        if lead:
            return lead, coordinating or coord
    return units_in(value), coordinating


def _context(plan: PlanDocument, index: int, children: dict[int, list[int]]) -> Context:
    """What a section states for the tasks under it."""
    section = plan.sections[index]
    context = Context()
    for paragraph in section.paragraphs:
        attr = attribute(paragraph)
        if not attr:
            continue
        kind, value = attr
        if kind == "lead":
            lead, coordinating = _attribute_units(value)
            context.lead += [u for u in lead if not any(same_unit(u, x) for x in context.lead)]
            context.coordinating += coordinating
        elif kind == "coordinating":
            context.coordinating += units_in(value)
        elif kind == "time" and value:
            context.time = value
    units, _ = heading_units(section.heading)
    if units and not context.lead:
        context.lead = units
    intros = [section.heading] + (section.paragraphs if children.get(index) else [])
    for text in intros:  # "… yêu cầu các cơ quan, đơn vị, UBND các xã, thị trấn … như sau:"
        if context.lead or not text.rstrip().endswith(":") or (text is section.heading and is_item(section)):
            continue
        hands_out, inherit, _ = intro(text)
        if hands_out and inherit is not None:
            context.lead = inherit.lead
            if inherit.partners and not context.coordinating:
                context.coordinating = []
    if not context.time and (phase := time_heading(section)):
        context.time = phase
    # a sibling "Thời gian …" section dates the others ("3. Thời gian tổ chức phong trào: …")
    for child in children.get(index, []):
        sub = plan.sections[child]
        if folded(sub.title).startswith("thoi gian") and not context.time:
            text = " ".join([sub.heading.split(":", 1)[1] if ":" in sub.heading else "", *sub.paragraphs]).strip()
            if parse_deadline(text, plan.issued_date, column=True).kind != NONE:
                context.time = text
    return context


def _title(text: str, limit: int = 16) -> str:
    first = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0].rstrip(".;:")
    words = first.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def _clean(text: str) -> str:
    from knowledge.ingest.plan_text import strip_footnotes

    text = strip_footnotes(re.sub(r"^[-+•*–]\s*", "", text.strip())).strip()
    sentences = re.split(r"(?<=[.!?])\s+", text)
    while sentences and _CLOSING.match(folded(sentences[0])) and not _own_time(sentences[0]):
        sentences.pop(0)
    return " ".join(sentences).strip().rstrip("/").strip()


_ASKING = re.compile(r"^(?:Ủy ban nhân dân|UBND|Chủ tịch (?:Ủy ban nhân dân|UBND))(?: \S+){0,4}? (?:yêu cầu|đề nghị) (?=\w)")


_DOCUMENT = re.compile(r"(so\s+)?\d+[-/][a-z0-9/-]+\b.*?\sve\s")
_ACTION = re.compile(r"phan dau|hoan thanh|lo trinh|dat |bao dam|dam bao|thuc hien xong")


def _own_time(text: str) -> str | None:
    """The sentences of a task that state its time ("… Thời gian báo cáo: chậm nhất ngày 05 …").
    A time inside the name of a cited document ("Nghị quyết 05-NQ/TU về … đến năm 2025") is not."""
    found = []
    for sentence in re.split(r"(?<=[.;])\s+", text):
        f = folded(sentence)
        for m in _OWN_TIME.finditer(f):
            before = f[: m.start()].rsplit(";", 1)[-1]
            cited = _DOCUMENT.search(before)
            if cited and not _ACTION.search(before[cited.end():]):
                continue
            found.append(sentence.strip())
            break
    return " ".join(found) or None


def _assigns(text: str) -> bool:
    """Does a paragraph make a named unit act, or set a deadline?"""
    if text.rstrip().endswith(":") or re.match(r"^[-+•*–]?\s*(lưu ý|đối với|ngoài ra)\b", text, re.IGNORECASE):
        return False
    body = strip_label(text)
    if explicit_roles(body)[0] or subject_units(body)[0]:
        return True
    return bool(re.search(r"truoc ngay|cham nhat|han chot|hoan thanh trong", folded(text)))


def extract(plan: PlanDocument) -> tuple[list[Task], list[Target]]:
    children: dict[int, list[int]] = {}
    for i, s in enumerate(plan.sections):
        if s.parent is not None:
            children.setdefault(s.parent, []).append(i)
    contexts = {i: _context(plan, i, children) for i in range(len(plan.sections))}
    tasks: list[Task] = []
    targets: list[Target] = []
    for index, section in enumerate(plan.sections):
        zone = section_zone(plan, index)
        if zone == "skip":
            continue
        chain = _chain(plan, index)
        focus = [k for k, p in enumerate(section.paragraphs) if _FOCUS.match(folded(p))]
        orienting = set(section.paragraphs[: focus[-1]]) if focus else set()
        for cand in candidates(section, has_children=index in children):
            text = _clean(cand.text)
            if cand.text in orienting or (not cand.row and _states(text)):  # judged after 'Trên đây là …'
                continue
            closing = not cand.row and _CLOSING.match(folded(cand.text.lstrip("-+•*– ")))
            timed = _own_time(text) if closing else None
            if closing and not timed:
                continue  # the closing words ("Trên đây là …, đề nghị …") set a task only with a time
            if len(text.split()) < 4 or (text.startswith("(") and text.rstrip(".").endswith(")")):
                continue
            if zone == "targets" or (not cand.row and _TARGET_LINE.match(text)):
                if not cand.row:
                    targets += _targets(len(targets), section.path, text)
                continue
            if cand.row:
                fields = row_fields(cand.text)
                if not fields.get("lead") and (zone == "appendix" or (not fields.get("time") and zone != "tasks")):
                    continue
            elif zone == "appendix" or (zone == "weak" and (cand.introduces or not _assigns(cand.text))):
                continue
            task = _task(plan, len(tasks), section, chain, contexts, cand, text)
            if timed:  # a closing task is named by what it asks at that time: "Định kỳ trước ngày 30/11 hằng năm báo cáo …"
                task.title = _title(timed[:1].upper() + timed[1:])
            tasks.append(task)
    lead_by_reference(plan, tasks)
    return tasks, targets


def _states(text: str) -> bool:
    """A paragraph that says what something is ("Kinh phí là điều kiện thực thi …") and gives
    no unit anything to do."""
    body = re.sub(r"^[-+•*–]\s*", "", text.strip())
    m = _COPULA.match(body)
    return bool(m) and len(body[: m.start(1)].split()) <= 14 and not explicit_roles(body)[0] and not subject_units(body)[0]


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


def _task(plan: PlanDocument, position: int, section: Section, chain: list[int], contexts: dict[int, Context],
          cand: Candidate, text: str) -> Task:
    fields = row_fields(cand.text) if cand.row else {}
    if fields:
        text = _clean(fields["content"])
    # "Ủy ban nhân dân Thành phố yêu cầu các Sở … định kỳ trước ngày …": the units asked act
    body = strip_label(text)
    asked = _ASKING.match(body)
    body = body[asked.end() :] if asked else body
    explicit_lead, explicit_coordinating = explicit_roles(body)
    subject, specific = subject_units(body)
    specific = specific or bool(asked and subject)
    inherited = cand.lead or _inherited(chain, contexts, "lead")
    coordinating: list[dict] = []
    if fields.get("lead"):
        lead, source = _attribute_units(fields["lead"])[0], "table"
    elif explicit_lead:
        lead, source = explicit_lead, "task"
    elif cand.partners and subject:
        lead, source = inherited, "section" if inherited else "none"
        coordinating = subject
    elif subject and (specific or not inherited):
        lead, source = subject, "subject"
    elif inherited:
        lead, source = inherited, "section"
    else:
        lead, source = [], "none"
    if fields.get("coordinating"):
        coordinating = units_in(fields["coordinating"])
    coordinating = coordinating or explicit_coordinating or cand.coordinating or _inherited(chain, contexts, "coordinating")
    coordinating = [u for u in coordinating if not any(same_unit(u, l) for l in lead)]

    deadline_text, schedule = None, Schedule()
    for time, column in ((fields.get("time"), True), (_own_time(text), False), (cand.time, True)):
        if time:
            found = parse_deadline(time, plan.issued_date, column=column)
            if found.kind != NONE:
                deadline_text, schedule = time, found
                break
    if schedule.kind == NONE:
        for i in chain:
            time = contexts[i].time
            if time:
                found = parse_deadline(time, plan.issued_date, column=True)
                if found.kind != NONE:
                    deadline_text, schedule = time, found
                    break
    if schedule.kind == NONE and (m := re.search(r"thuong xuyen|lien tuc|hang ngay", folded(text))):
        words = {"thuong xuyen": "thường xuyên", "lien tuc": "liên tục", "hang ngay": "hằng ngày"}[m.group(0)]
        deadline_text, schedule = words, Schedule(CONTINUOUS, reading=f"{words}, không có một hạn cụ thể")
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
