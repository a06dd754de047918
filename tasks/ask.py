"""Questions about a plan's tasks, on any plan: "kh 182 đồng nai giao công an tỉnh chủ trì những
việc gì", "theo chỉ thị 09 các xã phải rà soát xong trước ngày nào", "những việc nào phải xong
trong tháng 3/2026".

A question is a task question when it names a plan (by number, place, type or title words) or a
unit, and asks for a list ("những việc gì", "liệt kê") or a time ("khi nào", "trước ngày nào",
"hạn chót"). Lists hold every matching task with its section; a time question names the task
that fits best and its due date, or says that the document sets none.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.chunks import cite_plan
from storage.models import Document, PlanTask
from tasks.answer import cadence_of, fits_cadence, relative, unstated_day
from tasks.period import TITLE, PlanPeriod, plan_period
from tasks.schedule import Schedule
from tasks.units import folded
from vietnamese.abbreviations import expand
from vietnamese.text import first_words
from vietnamese.workdays import default_calendar

LIST_LIMIT = 40
SHORT_LIST = 8  # a list this short shows each task's words, not only its title
SHORT_LIST_WORDS = 45
NUMBER_SCORE = 4.0  # a plan named by its number
NAMED = 2.0  # the least score of a plan the question names (its place alone, a few rare title words)
LOCATE_MARGIN = 2.0  # how far below the best-named plan the knowledge search's plan may be and still win
UNIT_BONUS = 0.05  # cosine points for a task the asked unit leads
CADENCE_BONUS = 0.3  # a task whose schedule has the cadence the question names (quarterly, monthly)
DATE_BONUS = 0.05  # "trước ngày nào": a task whose text sets a day, over its neighbours that set none
_LIST_CUE = re.compile(
    r"\b(nhung|may) (viec|nhiem vu|noi dung|giai phap|bien phap|cong viec|hoat dong|chi tieu)\b|"
    # "các hoạt động" is a list asked for only with its question word ("các việc gì"), not in
    # "triển khai xong các hoạt động truyền thông trước khi nào"
    r"\bcac (viec|nhiem vu|noi dung|giai phap|bien phap|cong viec|hoat dong)\b(?=.{0,40}\b(gi|nao|j)\b)|\b(viec|nhiem vu|giai phap|bien phap|noi dung|chi tieu) "
    r"(gi|nao)\b|\bliet ke\b|\blist\b|\bphu trach (nhung )?(gi|viec)|\blam (nhung )?(viec )?gi\b|\bgiao (cho )?.{0,60}\b(gi|nao)\b"
)
_WHEN_CUE = re.compile(
    r"\b(khi nao|luc nao|bao gio|ngay nao|thang nao|nam nao|thoi han|han chot|han cuoi|han hoan thanh|truoc ngay|cham nhat|moc|"
    r"den han|xong truoc|han nop|han bao cao|thoi gian nao|thoi diem nao)\b"
    # a time word asked with its question word a word or two later: "hết tháng mấy", "ngày cụ thể nào", "đến hết giai đoạn nào"
    r"|\b(ngay|thang|nam|quy|qui|giai doan|thoi diem)( [a-z]+){0,2} (nao|may)\b"
)
_EARLIEST_CUE = re.compile(  # "việc nào hết hạn trước", "xong sớm nhất" — not "xong trước khi nào", "hạn gần nhất là ngày nào"
    r"\b(het han|den han|toi han)\s+truoc\b(?!\s+(khi|ngay|luc|bao|thoi|thang|nam|qui|quy))|"
    r"\b(xong|hoan thanh|nop|het han|den han|lam)\s+(truoc nhat|som nhat|dau tien)\b|\b(sap het han nhat|cap bach nhat)\b")
# asks for a day, not whether there is one ("có deadline không" asks the latter)
_DAY_CUE = re.compile(r"\b(ngay nao|khi nao|bao gio|luc nao|thang nao|han chot (la )?(ngay )?(nao|bao gio)|truoc ngay nao|cham nhat (la )?(ngay|khi))\b")
_DIGEST_CUE = re.compile(r"\b(den han|qua han|sap den han|sap toi|tre han|cham tien do|tuan nay|thang nay|qui nay|nam nay)\b")
_PLAN_WORD = re.compile(r"\b(ke hoach|kh|chi thi|ct|van ban|vb|quyet dinh|qd|cong van|cv)\b")
# a plan's number: after a word that names a document ("kh 182", "kế hoạch số 0125", "chỉ thị 06"),
# before its code ("182/KH-UBND"), or written with its leading zero ("0125"); not "dự án 6", "80%"
_NUMBER = re.compile(r"\b(?:ke hoach|kh|chi thi|ct|van ban|vb|quyet dinh|qd|cong van|cv)\s*(?:so\s*)?0*(\d{1,5})\b"
                     r"|\b(?:so\s*)?0*(\d{1,5})\s*/\s*[a-z]{2,}(?:-[a-z]+)*\b|\b0+(\d{2,4})\b")
_GENERIC = set(
    "ke hoach kh chi thi ct van ban so cua theo trong ve cho va voi cac nhung viec nhiem vu gi nao phai duoc giao chu tri phu trach "
    "thuc hien hoan thanh xong truoc ngay khi bao gio han chot thoi han moc la co khong ko k vay v a nhe giup minh toi em liet ke list "
    "may phoi hop tinh thanh pho xa phuong huyen ubnd uy ban nhan dan lam de den nam thang quy qui luc hien nay hay".split()
)
_PLAN_REFERENCE = re.compile(r"\b(ke hoach|kh|chi thi|ct|van ban|vb)\s*(so\s*)?\d{1,5}(\s*/\s*[a-z]+(-[a-z]+)*)?\b")
_QUESTION_WORDS = set(
    "theo cua trong ve cho voi cac nhung gi nao phai duoc la co khong ko k vay v a nhe giup minh toi em liet ke list may "
    "khi bao gio ngay thoi han han chot moc truoc xong den tinh thanh pho hay the thi nay do".split()
)
# words that ask about the plan as a whole ("kế hoạch … được thực hiện đến năm nào", "kéo dài tới khi nào")
_PLAN_WORDS = set("ke hoach chuong trinh van ban chi thi thuc hien trien khai nam giai doan thoi gian het ket keo dai tu bat dau ap dung "
                  "hieu luc tinh".split())
# how officials shorten the names of units and their fields ("bql kkt", "sở tnmt", "sở gd&đt")
_UNIT_ABBREVIATIONS = {"uy ban nhan dan": "ubnd", "hoi dong nhan dan": "hdnd", "mat tran to quoc": "mttq", "bao hiem xa hoi": "bhxh",
                       "ban quan li": "bql", "khu kinh te": "kkt", "khu cong nghiep": "kcn", "tai nguyen va moi truong": "tnmt",
                       "nong nghiep va moi truong": "nnmt", "nong nghiep va phat trien nong thon": "nnptnt", "khoa hoc va cong nghe": "khcn",
                       "giao duc va dao tao": "gddt", "lao dong thuong binh va xa hoi": "ldtbxh", "van hoa the thao va du lich": "vhttdl",
                       "thong tin va truyen thong": "tttt", "ke hoach va dau tu": "khdt", "giao thong van tai": "gtvt",
                       "ngan hang nha nuoc": "nhnn", "chi huy quan su": "chqs", "phong thu dan su": "ptds"}
_FULL = {short: long for long, short in _UNIT_ABBREVIATIONS.items()}
# "UBND các xã, phường" is asked for as "ubnd phường", "ubnd xã"
# "UBND các xã, phường", "UBND xã, phường", "Ủy ban nhân dân cấp xã" (not "UBND xã Tân Phú", one commune)
_LOCAL_KINDS = re.compile(r"^(ubnd|uy ban nhan dan) ((cac )?((xa|phuong|thi tran|dac khu)(,? (va )?| ))+|cap )(xa|phuong|thi tran|dac khu)\b")


@dataclass
class Plan:
    id: int
    doc_number: str | None
    title: str
    issuer: str | None
    place: str | None
    issued: date | None
    date_text: str | None

    @property
    def kind(self) -> str:
        return "Chỉ thị" if (self.doc_number or "").upper().split("/")[-1:][0].startswith("CT") else (
            "Kế hoạch" if "/KH" in (self.doc_number or "").upper() or folded(self.title).startswith("ke hoach") else "Văn bản")

    def cite(self) -> str:
        return cite_plan(self.kind, self.doc_number, self.issued, self.date_text, self.issuer)

    def short(self) -> str:
        """ "KH 341/KH-UBND" — which plan a line of a list across plans comes from."""
        if self.doc_number:
            return f"{'CT' if self.kind == 'Chỉ thị' else 'KH' if self.kind == 'Kế hoạch' else 'VB'} {self.doc_number}"
        return self.title[:40]


@dataclass
class TaskQuestion:
    kind: str  # "list" | "when"
    plans: list[Plan]
    unit: str | None = None  # a unit as the plan writes it
    role: str = "lead"
    period: tuple[date, date] | None = None
    topic: str = ""
    words: list[str] = field(default_factory=list)
    cadence: list[int] | str | None = None
    earliest: bool = False  # "nhiệm vụ nào hết hạn trước": the list in order of due date
    asks_day: bool = False  # "trước ngày nào", "khi nào" (not "có hạn không")
    about_plan: bool = False  # no unit and no words beyond the plan's title: the plan as a whole


# ---------------------------------------------------------------------------- reading the question

def _plans(session: Session) -> list[Plan]:
    rows = session.execute(select(Document.id, Document.doc_number, Document.title, Document.issuer, Document.place,
                                  Document.issued_date, Document.date_text).where(Document.kind == "plan")).all()
    return [Plan(*row) for row in rows]


def _number(doc_number: str | None) -> int | None:
    m = re.match(r"\s*0*(\d{1,5})", doc_number or "")
    return int(m.group(1)) if m else None


def _place_words(plan: Plan) -> list[str]:
    words = []
    for text in (plan.place, plan.issuer):
        f = folded(text or "")
        f = re.sub(r"^(uy ban nhan dan|ubnd|hoi dong nhan dan)\s+", "", f)
        f = re.sub(r"^(tinh|thanh pho|tp|huyen|xa|phuong|quan|thi xa)\s+", "", f)
        if f:
            words.append(f)
            parts = f.split()
            if len(parts) >= 3:  # "hcm", "tphcm" for "Hồ Chí Minh"; "brvt" for "Bà Rịa - Vũng Tàu"
                initials = "".join(w[0] for w in parts if w.isalpha())
                words += [initials, "tp" + initials]
    return words


def plan_scores(plans: list[Plan], question: str) -> tuple[list[tuple[float, Plan]], bool]:
    """How well the question names each plan, best first: by number (not a date, not a year),
    place, and the words of the title weighted by how rare they are among titles; and whether a
    plan's number was named."""
    f = folded(question)
    no_dates = re.sub(r"\b\d{1,2}\s*/\s*\d{4}\b|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b(19|20)\d{2}\b", " ", f)
    numbers = {int(next(n for n in groups if n)) for groups in _NUMBER.findall(no_dates)}
    title_words = [set(_content(folded(p.title))) for p in plans]
    df = Counter(w for ws in title_words for w in ws)
    asked = set(_content(f))
    scored = []
    for plan, words in zip(plans, title_words):
        score = 0.0
        if _number(plan.doc_number) in numbers:
            score += NUMBER_SCORE
        if any(re.search(rf"\b{re.escape(p)}\b", f) for p in _place_words(plan)):
            score += 2.0
        shared = asked & words
        score += sum(math.log(1 + len(plans) / df[w]) for w in shared) / 3.0
        scored.append((score, plan))
    scored.sort(key=lambda t: -t[0])
    return scored, any(_number(p.doc_number) in numbers for p in plans)


def find_plans(plans: list[Plan], question: str) -> list[Plan]:
    """The plans the question names, best first (ties kept)."""
    if not plans:
        return []
    scored, _ = plan_scores(plans, question)
    best = scored[0][0]
    if best < NAMED:  # nothing telling: neither the number nor the place nor enough of the title
        return []
    return [p for s, p in scored if s >= best - 0.01]


def _located(plans: list[Plan], question: str, locate: Callable[[str], list[int]]) -> Plan | None:
    """The plan whose text answers the question best (the knowledge search), when the question's
    own words name it about as well as any other plan: two plans on one subject ("phòng, chống
    ma túy" of two provinces) are told apart by what their tasks say, not by their titles. A
    plan named by its number stays."""
    scored, by_number = plan_scores(plans, question)
    if by_number or not scored:
        return None
    ids = set(locate(question)[:1])
    best = scored[0][0]
    for score, plan in scored:
        if plan.id in ids and score > 0 and score >= best - LOCATE_MARGIN:  # it shares title words with the question
            return plan
    return None


def _content(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9&]+", text) if w not in _GENERIC and len(w) > 1 and not w.isdigit()]


def _unit_forms(name: str) -> set[str]:
    """Ways a question may write a unit: folded, 'ubnd' for 'ủy ban nhân dân', without 'các',
    and 'sở nn&mt' / 'so nnmt' for 'Sở Nông nghiệp và Môi trường'."""
    base = re.sub(r"[^a-z0-9& ]", " ", folded(name))
    base = " ".join(base.split())
    forms = {base}
    for long, short in _UNIT_ABBREVIATIONS.items():
        forms |= {f.replace(long, short) for f in forms}
    forms |= {re.sub(r"\bcac\s+", "", f) for f in forms}
    # "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" is asked for as "mặt trận tổ quốc tỉnh", "mttq tỉnh"
    forms |= {re.sub(r"^uy ban (?=mat tran|mttq)", "", f).replace(" viet nam", "") for f in forms}
    head = re.match(r"^(so|cuc|chi cuc|ban|vien|trung tam)\s+(.+)$", base)
    if head:
        initials = "".join(w[0] for w in head.group(2).split() if w not in ("va", "tinh", "thanh", "pho"))
        if len(initials) >= 2:
            forms |= {f"{head.group(1)} {initials}"}
    forms |= {f.replace("&", "") for f in forms}  # "Sở KH&CN" is "sở khcn"
    if local := _LOCAL_KINDS.match(base):
        kinds = re.findall(r"xa|phuong|thi tran|dac khu", local.group(0))
        forms |= {f"ubnd {k}" for k in kinds} | {f"uy ban nhan dan {k}" for k in kinds}
    return {" ".join(f.split()) for f in forms if f}


def _asked_unit(question: str, names: list[str]) -> str | None:
    """The unit of the plan the question names (the longest match); a unit named only in
    brackets ("Sở Nông nghiệp và Môi trường (qua Chi cục Thủy sản)") is the way, not the one asked."""
    outside = re.sub(r"\([^)]*\)", " ", question)
    if outside != question and (found := _asked_unit(outside, names)):
        return found
    f = " ".join(re.sub(r"[^a-z0-9 ]", " ", folded(question).replace("&", "")).split())
    for long, short in _UNIT_ABBREVIATIONS.items():
        f = f.replace(long, short)
    f = f" {f} "
    best, best_len = None, 0
    for name in names:
        for form in _unit_forms(name):
            form = form.replace("&", "")
            if _span(form) > best_len and f" {form} " in f and len(form.split()) >= 2:
                best, best_len = name, _span(form)
    return best


def _span(form: str) -> int:
    """How much of a unit's name a form says, its abbreviations counted at full length
    ("bo chqs tinh" says as much as "bo chi huy quan su tinh")."""
    return len(" ".join(_FULL.get(w, w) for w in form.split()))


_PERIOD_LEAD = re.compile(r"\b(trong|den|het|vao|cho|truoc|tu|nhung|cac|phai|xong|han)\s*$")


def _unit_names(session: Session, ids: list[int]) -> list[str]:
    rows = session.execute(select(PlanTask.lead, PlanTask.coordinating).where(PlanTask.document_id.in_(ids)))
    return sorted({u["name"] for lead, coord in rows for u in (lead or []) + (coord or [])})


def _names_the_plan(text: str, entity: dict, period: tuple[date, date], chosen: list) -> bool:
    """'Kế hoạch 153/KH-UBND năm 2025 của Cần Thơ', 'Chỉ thị về … năm 2025': the year that
    identifies the plan (its year of issue or its title's year, not introduced by "trong", "đến",
    "hết" …) is no period to filter its tasks by."""
    start, end = period
    whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    # the year of issue, or the year the plan's own title names ("kế hoạch quan trắc … năm 2026")
    if not whole_year or not any((p.issued and p.issued.year == start.year) or f"nam {start.year}" in folded(p.title)
                                 for p in chosen):
        return False
    begin = entity.get("start")
    before = folded(text[:begin]) if isinstance(begin, int) else ""
    return not _PERIOD_LEAD.search(before)


def read(sessions: sessionmaker[Session], text: str, entities: list[dict] | None = None,
         locate: Callable[[str], list[int]] | None = None) -> TaskQuestion | None:
    """The task question in ``text``, or None when it is not one (a content question).

    ``locate``: the plans (document ids) whose text answers the question best, from the knowledge
    search; it decides which plan an official means when the question names a unit and a topic
    but no plan ("công an tỉnh tuần tra rừng hạn chót khi nào")."""
    f = folded(expand(text).text)
    wants_list, wants_when = bool(_LIST_CUE.search(f)), bool(_WHEN_CUE.search(f))
    if not (wants_list or wants_when):
        return None
    with sessions() as session:
        plans = _plans(session)
        chosen = find_plans(plans, text)
        located = _located(plans, text, locate) if chosen and locate is not None else None
        if located is not None:
            chosen = [located]
        names = _unit_names(session, [p.id for p in chosen] or [p.id for p in plans])
        unit = _asked_unit(text, names)
        if not chosen and unit and locate is not None:
            located = [p for p in plans if p.id in set(locate(text)[:1])]
            if located and _asked_unit(text, _unit_names(session, [located[0].id])):
                chosen = located  # the unit has tasks in the plan that answers the question best
        elif not chosen and not unit and locate is not None and wants_when and not _DIGEST_CUE.search(f):
            # "đợt quan trắc 2 lần/tháng kéo dài tới tháng mấy": one task's deadline, in the plan
            # whose text answers the question best
            chosen = [p for p in plans if p.id in set(locate(text)[:1])]
    if not chosen and (not unit or _DIGEST_CUE.search(f)):
        return None  # "phòng nội vụ có việc gì đến hạn trong quý này": the unit's due-date digest
    period = None
    for e in entities or []:
        if e.get("entity") == "period" and "/" in str(e.get("value")):
            start, end = (date.fromisoformat(x) for x in str(e["value"]).split("/"))
            if not _names_the_plan(text, e, (start, end), chosen):
                period = (start, end)
    role = "coordinating" if re.search(r"\bphoi hop\b", f) and not re.search(r"\bchu tri\b", f) else "lead"
    kind = "list" if wants_list or (period and not wants_when) else "when"
    if wants_list and wants_when and not period:  # "những việc gì phải xong trước ngày nào" asks for the list with dates
        kind = "list"
    # the plan's reference goes before abbreviations are expanded ("597/KH-UBND" is no topic)
    rest = folded(expand(_PLAN_REFERENCE.sub(" ", folded(text))).text)
    rest = _PLAN_REFERENCE.sub(" ", rest)
    for plan in chosen:
        for place in _place_words(plan):
            rest = re.sub(rf"\b{re.escape(place)}\b", " ", rest)
    for name in [unit] if unit else []:
        for form in _unit_forms(name):
            rest = rest.replace(form, " ")
    words = [w for w in re.findall(r"[a-z0-9]+", rest) if w not in _QUESTION_WORDS and len(w) > 1 and not w.isdigit()]
    # the words that named the plan ("kế hoạch quan trắc môi trường nuôi trồng thủy sản") say which
    # plan, not which of its tasks; they stay only when nothing else is left
    beyond_title = _without_title_phrases(words, chosen)
    about_plan = len(chosen) == 1 and not unit and not period and not [w for w in beyond_title if w not in _PLAN_WORDS]
    words = beyond_title or words
    earliest = bool(_EARLIEST_CUE.search(f))
    if earliest and not wants_list:
        kind = "list"  # "việc nào phải xong sớm nhất": the tasks by due date, the first one first
    return TaskQuestion(kind, chosen, unit, role, period, " ".join(words), words, cadence_of(f, rest, bool(period)), earliest,
                        bool(_DAY_CUE.search(f)), about_plan)


def _without_title_phrases(words: list[str], plans: list[Plan]) -> list[str]:
    """The words left once runs of two or more words in a row of a plan's title are taken out
    ("báo cáo" stays when the title says "nâng cao")."""
    pairs = {pair for plan in plans for t in [re.findall(r"[a-z0-9]+", folded(plan.title))] for pair in zip(t, t[1:])}
    taken = set()
    for i, pair in enumerate(zip(words, words[1:])):
        if pair in pairs:
            taken |= {i, i + 1}
    return [w for i, w in enumerate(words) if i not in taken]


# ---------------------------------------------------------------------------- answering

@dataclass
class _Task:
    row: PlanTask
    plan: Plan
    due: date | None
    occurrences: list[date]


def _tasks(sessions: sessionmaker[Session], plans: list[Plan], q: TaskQuestion) -> list[_Task]:
    by_id = {p.id: p for p in plans}
    cal = default_calendar()
    with sessions() as session:
        rows = session.scalars(select(PlanTask).where(PlanTask.document_id.in_(list(by_id))).order_by(PlanTask.document_id, PlanTask.position)).all()
        for row in rows:
            session.expunge(row)
    out = []
    for row in rows:
        schedule = Schedule.from_json(row.schedule) if row.schedule else Schedule(row.kind, row.due)
        occurrences = schedule.occurrences(*q.period, cal) if q.period and row.kind == "recurring" else []
        out.append(_Task(row, by_id[row.document_id], row.due, occurrences))
    return out


def _has_unit(task: _Task, unit: str, role: str) -> bool:
    forms = _unit_forms(unit)
    units = task.row.lead if role == "lead" else task.row.coordinating
    return any(_unit_forms(u["name"]) & forms for u in units or [])


def _sets_day(task: _Task) -> bool:
    return task.row.due is not None  # a period without its day ("định kỳ hằng năm") has no due


def _in_period(task: _Task, period: tuple[date, date]) -> bool:
    start, end = period
    return bool(task.due and start <= task.due <= end) or bool(task.occurrences)


def _topic_scores(tasks: list[_Task], q: TaskQuestion) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [folded(" ".join([t.row.title, t.row.text[:600], t.row.section_title or "", t.row.deadline_text or ""])) for t in tasks]
    if not q.topic.strip() or not docs:
        return [0.0] * len(tasks)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = vectorizer.fit_transform(docs + [q.topic])
    return list((matrix[:-1] @ matrix[-1].T).toarray().ravel())


def _relative(day: date, today: date) -> str:
    return relative(day, today)


def _when(task: _Task, today: date) -> str:
    row = task.row
    if row.completed_on:
        return f"đã hoàn thành {row.completed_on:%d/%m/%Y}"
    if task.occurrences:
        return f"hạn {task.occurrences[0]:%d/%m/%Y}" + (f", định kỳ: {row.recurring}" if row.recurring else "")
    if row.kind == "once" and row.due:
        return f"hạn {row.due:%d/%m/%Y} ({_relative(row.due, today)})"
    if row.kind == "recurring":
        upcoming = _next_due(task, today)
        if upcoming and (unstated := unstated_day(row.recurring, upcoming, today)):
            return unstated
        rule = f"định kỳ: {row.recurring}" if row.recurring else "định kỳ"
        first = f", lần đầu {row.due:%d/%m/%Y}" if row.due and upcoming and row.due < upcoming else ""
        return f"hạn gần nhất {upcoming:%d/%m/%Y} ({_relative(upcoming, today)}), {rule}{first}" if upcoming else rule
    if row.kind == "continuous":
        return "thực hiện thường xuyên"
    if row.kind == "on_request":
        return "khi có yêu cầu"
    return "văn bản không nêu thời hạn"


def _next_due(task: _Task, today: date) -> date | None:
    """The date a task is next due: its one-off date (even if past), or a recurring task's next occurrence."""
    row = task.row
    if row.completed_on:
        return None
    if task.occurrences:
        return task.occurrences[0]
    if row.kind == "once":
        return row.due
    if row.kind == "recurring":
        schedule = Schedule.from_json(row.schedule) if row.schedule else Schedule(row.kind, row.due)
        return schedule.next_due(today, default_calendar())
    return None


def _line(task: _Task, show_lead: bool, today: date, show_plan: bool = False, words: int = 0) -> str:
    """One task of a list: its title, or its first ``words`` words when the list is short enough
    to show what each task asks ("Chủ trì … triển khai, đôn đốc …; xây dựng bảng chấm điểm …")."""
    lead = f" — chủ trì: {', '.join(u['name'] for u in task.row.lead)}" if show_lead and task.row.lead else ""
    where = f"{task.plan.short()}, mục" if show_plan else "Mục"
    what = first_words(task.row.text, words).rstrip(".;:,") if words else task.row.title
    return f"• {where} {task.row.section_path}: {what} — {_when(task, today)}{lead}"


def answer(sessions: sessionmaker[Session], q: TaskQuestion, today: date) -> tuple[str, int]:
    """The reply and how many tasks it names (0: nothing matched)."""
    plans = q.plans
    if not plans:
        with sessions() as session:
            plans = _plans(session)
    tasks = _tasks(sessions, plans, q)
    if q.unit and q.kind == "list":
        own = [t for t in tasks if _has_unit(t, q.unit, q.role)]
        if not own and q.role == "lead":
            own = [t for t in tasks if _has_unit(t, q.unit, "coordinating")]
        tasks = own
    where = plans[0].cite() if len(plans) == 1 else "các kế hoạch đã nạp"
    if q.kind == "list":
        return _list(tasks, q, where, today)
    if not tasks:
        return f"Không tìm thấy nhiệm vụ phù hợp trong {where}.", 0
    if q.about_plan and len(plans) == 1:  # "kế hoạch … thực hiện đến năm nào": the plan's own frame
        with sessions() as session:
            frame = plan_period(session, plans[0].id, plans[0].issued, plans[0].title)
        if frame is not None:
            return f"Theo {plans[0].cite()}, {_frame_words(frame)}", 1
    task = _pick(tasks, q)
    text = _single(task, today)
    if not _has_deadline(task):  # it runs within the plan's own time frame, when the plan states one
        with sessions() as session:
            frame = plan_period(session, task.plan.id, task.plan.issued, task.plan.title)
        if frame is not None:
            text += "\n" + _frame_words(frame)
    return text, 1


def _frame_words(frame: PlanPeriod) -> str:
    if frame.section == TITLE:
        return f"Tên kế hoạch nêu thời gian thực hiện chung: “{frame.text}” — tức đến {frame.end:%d/%m/%Y}."
    return f"Kế hoạch ghi thời gian thực hiện chung (mục {frame.section}): “{frame.text}” — tức đến {frame.end:%d/%m/%Y}."


def _list(tasks: list[_Task], q: TaskQuestion, where: str, today: date) -> tuple[str, int]:
    if q.period:
        tasks = [t for t in tasks if _in_period(t, q.period)]
    span = f" có hạn từ {q.period[0]:%d/%m/%Y} đến {q.period[1]:%d/%m/%Y}" if q.period else ""
    if not tasks:
        return f"Theo {where}, không có nhiệm vụ nào{(' do ' + q.unit + ' chủ trì') if q.unit else ''}{span}.", 0
    if q.earliest:
        tasks = sorted(tasks, key=lambda t: (_next_due(t, today) or date.max, t.row.position))
    several = len({t.plan.id for t in tasks}) > 1
    if not several:  # all from one plan: name it
        where = tasks[0].plan.cite()
    order = ", hạn sớm nhất trước" if q.earliest else ""
    head = (f"Theo {where}, {q.unit} được giao {'phối hợp' if q.role == 'coordinating' else 'chủ trì'} {len(tasks)} nhiệm vụ{span}{order}:"
            if q.unit else f"Theo {where}, {len(tasks)} nhiệm vụ{span}{order}:")
    words = SHORT_LIST_WORDS if len(tasks) <= SHORT_LIST else 0
    lines = [_line(t, not q.unit, today, show_plan=several, words=words) for t in tasks[:LIST_LIMIT]]
    more = [f"… và {len(tasks) - LIST_LIMIT} nhiệm vụ khác. Bạn hỏi cụ thể hơn (theo đơn vị, tháng hoặc mục) để xem tiếp."
            ] if len(tasks) > LIST_LIMIT else []
    return "\n".join([head, *lines, *more]), len(tasks)


def _pick(tasks: list[_Task], q: TaskQuestion) -> _Task:
    """The task the question is about: its words, the unit that leads it, whether it sets a day."""
    scores = _topic_scores(tasks, q)
    if q.unit:  # the unit named is usually, not always, the one that acts ("gửi về Sở Nội vụ")
        scores = [s + (UNIT_BONUS if _has_unit(t, q.unit, "lead") else 0.0) for s, t in zip(scores, tasks)]
    if q.asks_day:
        scores = [s + (DATE_BONUS if _sets_day(t) else 0.0) for s, t in zip(scores, tasks)]
    if q.cadence:  # "hạn báo cáo quý": the quarterly one
        scores = [s + (CADENCE_BONUS if fits_cadence(t.row.recurring, t.row.deadline_text, q.cadence) else 0.0) for s, t in zip(scores, tasks)]
    return tasks[max(range(len(tasks)), key=lambda i: (scores[i], -i))]


def _has_deadline(task: _Task) -> bool:
    row = task.row
    return bool(row.kind == "once" and row.due or row.kind == "recurring" or task.occurrences)


def _single(task: _Task, today: date) -> str:
    row = task.row
    text = f"Theo {task.plan.cite()}, mục {row.section_path}: {row.title}"
    if _has_deadline(task):
        text += f" — {_when(task, today)}."
        if row.deadline_text:
            text += f"\nVăn bản ghi: “{row.deadline_text[:200]}”"
    else:
        state = {"continuous": " (việc thực hiện thường xuyên)", "recurring": f" (định kỳ: {row.recurring})" if row.recurring else "",
                 "on_request": " (thực hiện khi có yêu cầu)"}.get(row.kind, "")
        text += f".\nVăn bản không nêu thời hạn hoàn thành cụ thể cho việc này{state}."
    if row.lead:
        text += f"\nĐơn vị chủ trì: {', '.join(u['name'] for u in row.lead)}."
    return text
