"""Officials' questions about plan tasks: read the question, list the tasks in Vietnamese with
section citations and dates relative to today."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tasks.query import TaskFilter, TaskView
from tasks.schedule import UNSTATED_DAY
from tasks.units import folded

LIMIT = 8
PLAN_NUMBER = re.compile(r"(?:ke hoach|\bkh\b)\s*(?:so\s*)?(\d{1,5}(?:\s*/\s*[a-z]+(?:-[a-z]+)*)?)(?![a-z0-9])")  # not "kh 5g"
_OVERDUE = re.compile(r"qua han|tre han|cham tien do|tre hen|bi tre")
_ONGOING = re.compile(r"thuong xuyen|dang thuc hien|lien tuc|khong co han")
_STOP = set(
    "han cua theo la ngay nao gi viec nhiem vu cong viec nhung cac co nao ke hoach kh so den sap trong toi "
    "ban phong don vi minh chung toi em anh chi a oi vay the duoc bao gio khi nao hien dang can phai lam "
    "ra sao nhu thue mot con chua da qua thuong xuyen lien tuc thuc hien chu tri phoi hop giao voi ve "
    "nay sau truoc tuan thang qui nam hom dang het roi chua xong".split()
)
_PERIODIC_WORDS = {"qui": [3, 6, 9, 12], "thang": "all"}


@dataclass
class Question:
    filter: TaskFilter
    agency: str | None = None
    period_label: str | None = None
    cadence: list[int] | str | None = None  # "báo cáo quý": prefer quarterly tasks
    topic: list[str] = field(default_factory=list)


def read_question(text: str, entities: list[dict], today: date, window_days: int) -> Question:
    """What an official asks: unit, plan, period, overdue/ongoing, topic words."""
    f = folded(text)
    agency = next((e["value"] for e in entities if e.get("entity") == "agency"), None)
    period = next((e for e in entities if e.get("entity") == "period"), None)
    flt = TaskFilter(agency=agency)
    if m := PLAN_NUMBER.search(f):
        flt.plan = m.group(1).replace(" ", "")
    label = None
    if period and "/" in str(period.get("value")):
        start, end = (date.fromisoformat(x) for x in str(period["value"]).split("/"))
        flt.date_from, flt.date_to = max(start, today) if end >= today else start, end
        label = period.get("text")
    if _OVERDUE.search(f):
        flt.status = "overdue"
    elif _ONGOING.search(f):
        flt.status = "ongoing"
    else:
        flt.status = "due"
    # topic words: what is left once the unit, plan, period and question words are removed
    rest = f
    for e in entities:
        if e.get("text"):
            rest = rest.replace(folded(e["text"]), " ")
    rest = PLAN_NUMBER.sub(" ", rest)
    words = [w for w in re.findall(r"[a-z0-9]+", rest) if w not in _STOP and not w.isdigit()]
    cadence = cadence_of(f, rest, bool(label))
    bigrams = [f"{a} {b}" for a, b in zip(words, words[1:])]
    flt.words = bigrams + words
    if flt.words or cadence:
        flt.status = None if flt.status == "due" and not label else flt.status
    return Question(flt, agency, label, cadence, words)


def relative(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "hôm nay"
    if days == 1:
        return "ngày mai"
    if days > 1:
        return f"còn {days} ngày"
    return f"quá hạn {-days} ngày"


def cite(view: TaskView) -> str:
    plan = f"KH {view.doc_number}" if view.doc_number else view.plan_title
    return f"{plan}, mục {view.section}"


def when(view: TaskView, today: date) -> str:
    if view.status == "done":
        return f"đã hoàn thành {view.completed_on:%d/%m/%Y}"
    if view.status == "overdue" and view.due:
        return f"hạn {view.due:%d/%m/%Y} ({relative(view.due, today)})"
    day = view.occurrence or view.next_due
    if day and (unstated := unstated_day(view.recurring, day, today)):
        return unstated
    if day:
        text = f"hạn {day:%d/%m/%Y} ({relative(day, today)})"
        return text + (f", định kỳ: {view.recurring}" if view.recurring else "")
    if view.status == "ongoing":
        return "thường xuyên"
    if view.status == "on_request":
        return "khi có yêu cầu"
    return "văn bản không nêu thời hạn"


def unstated_day(recurring: str | None, day: date, today: date) -> str | None:
    """A period without its day ("định kỳ hằng năm"): say that the document sets no day, and when
    the reminder falls (tasks/schedule.py UNSTATED_DAY)."""
    if not recurring or UNSTATED_DAY not in recurring:
        return None
    period = recurring.split(UNSTATED_DAY)[0].strip()
    return f"văn bản không nêu thời hạn cụ thể, chỉ ghi định kỳ {period}; nhắc việc tính vào cuối kỳ: {day:%d/%m/%Y} ({relative(day, today)})"


def line(view: TaskView, today: date, show_units: bool = True) -> str:
    units = f" — chủ trì: {', '.join(view.lead)}" if (show_units or view.role == "coordinating") and view.lead else ""
    if view.role == "coordinating":
        units += " (đơn vị được hỏi phối hợp)"
    return f"• {view.title} — {when(view, today)}{units} ({cite(view)})"


def compose(question: Question, views: list[TaskView], today: date) -> str:
    flt = question.filter
    who = question.agency or "Các đơn vị"
    where = f" theo kế hoạch {flt.plan}" if flt.plan else ""
    if flt.status == "overdue":
        head = f"{who} có {len(views)} nhiệm vụ đã quá hạn{where} (tính đến {today:%d/%m/%Y})"
    elif flt.status == "ongoing":
        head = f"{who} có {len(views)} nhiệm vụ thực hiện thường xuyên{where}"
    elif question.topic or question.cadence:
        head = f"Các nhiệm vụ phù hợp nhất{where}" + (f" của {question.agency}" if question.agency else "")
    else:
        span = f"từ {flt.date_from or today:%d/%m/%Y} đến {flt.date_to:%d/%m/%Y}" if flt.date_to else "trong thời gian tới"
        head = f"{who} có {len(views)} nhiệm vụ đến hạn{where} {span}"
    if not views:
        return head.replace("có 0 nhiệm vụ", "không có nhiệm vụ nào") + "."
    if question.topic or question.cadence:  # "hạn báo cáo quý theo kế hoạch 341 là ngày nào?"
        top, others = views[0], views[1:4]
        answer = f"Theo {cite(top)}: {top.title} — {when(top, today)}."
        if top.deadline_text:
            quoted = top.deadline_text if len(top.deadline_text) <= 200 else top.deadline_text[:199].rsplit(" ", 1)[0] + "…"
            answer += f"\nVăn bản ghi: “{quoted}”"
        if top.reading and top.kind == "once":
            answer += f"\nCách hiểu thời hạn: {top.reading}."
        if top.lead:
            answer += f"\nĐơn vị chủ trì: {', '.join(top.lead)}."
        if others:
            answer += "\nNhiệm vụ liên quan khác:\n" + "\n".join(line(v, today) for v in others)
        return answer
    lines = [line(v, today, show_units=not question.agency) for v in views[:LIMIT]]
    more = f"\n… và {len(views) - LIMIT} nhiệm vụ khác." if len(views) > LIMIT else ""
    note = "\nNgày hạn là cách hiểu thời hạn ghi trong văn bản; hạn rơi vào ngày nghỉ được chuyển sang ngày làm việc tiếp theo."
    return f"{head}:\n" + "\n".join(lines) + more + note


def cadence_of(question: str, rest: str, has_period: bool = False):
    """"báo cáo quý" asks for quarterly tasks ([3, 6, 9, 12]), "báo cáo tháng" for monthly ("all")."""
    if re.search(r"bao cao (qui|hang qui|dinh ki)", question) or (re.search(r"\bqui\b", rest) and not has_period):
        return _PERIODIC_WORDS["qui"]
    if re.search(r"bao cao thang|hang thang", question):
        return "all"
    return None


def fits_cadence(recurring: str | None, deadline_text: str | None, cadence) -> bool:
    text = folded(" ".join(filter(None, [recurring or "", deadline_text or ""])))
    if cadence == "all":
        return "thang" in text and ("hang thang" in text or "moi thang" in text)
    return "3, 6, 9, 12" in (recurring or "") or "hang qui" in text or "3 thang" in text or "moi qui" in text


def rank_by_cadence(views: list[TaskView], cadence) -> list[TaskView]:
    if not cadence:
        return views
    return sorted(views, key=lambda v: (not fits_cadence(v.recurring, v.deadline_text, cadence), -v.score))
