"""A plan's deadline as written → a normalised schedule.

The readings follow DOMAIN.md ("Quý I/2023" → 31/03/2023, "chậm nhất ngày 05 của các tháng 3,
6, 9, 12" → every 05/03, 05/06, 05/09, 05/12, "10 ngày làm việc kể từ ngày ký" → working days
counted from the day after the plan's date, "thường xuyên" → ongoing, "giai đoạn 2025 - 2030"
→ 31/12/2030) and are interpretations: ``Schedule.reading`` says in Vietnamese how the text was
read. ``due`` is the date the text means; when it falls on a day off, ``next_due`` and
``occurrences`` move it to the next working day (Civil Code art. 148). A yearly schedule with a
stated day ("trước ngày 15/12 hằng năm") has as ``due`` its first occurrence from the plan's date.

A recurring schedule is a list of rules {"months": [3, 6, 9, 12] | "all", "day": 5 | "last"},
from a start date, open-ended unless the text bounds it ("trong năm 2023").
"""
from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from vietnamese.text import fold, unify_iy
from vietnamese.workdays import WorkCalendar, default_calendar

ONCE, RECURRING, CONTINUOUS, ON_REQUEST, NONE = "once", "recurring", "continuous", "on_request", "none"
# A period written without its day ("định kỳ hằng năm báo cáo"): reminders fall at the period's
# end, and answers say that the document sets no day (tasks/answer.py looks for these words).
UNSTATED_DAY = "(văn bản không nêu ngày; nhắc việc tính vào"
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
QUARTER_ENDS = [3, 6, 9, 12]


@dataclass
class Schedule:
    kind: str = NONE
    due: date | None = None  # the one due date, or a recurring schedule's first occurrence
    recurring: str | None = None  # the recurrence in words
    rules: list[dict] = field(default_factory=list)
    start: date | None = None
    until: date | None = None
    reading: str | None = None  # how the text was interpreted

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("due", "start", "until"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Schedule":
        values = dict(data)
        for key in ("due", "start", "until"):
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        return cls(**values)

    def occurrences(self, start: date, end: date, cal: WorkCalendar | None = None) -> list[date]:
        """Due dates in [start, end] (moved off days off)."""
        cal = cal or default_calendar()
        if self.kind == ONCE:
            day = cal.roll_forward(self.due) if self.due else None
            return [day] if day and start <= day <= end else []
        if self.kind != RECURRING:
            return []
        found = set()
        first = max(start, self.start) if self.start else start
        last = min(end, self.until) if self.until else end
        for year in range(first.year, last.year + 1):
            for rule in self.rules:
                months = range(1, 13) if rule["months"] == "all" else rule["months"]
                for month in months:
                    day = _day(year, month, rule["day"])
                    if day is None:
                        continue
                    due = cal.roll_forward(day)
                    if first <= due <= last and (not self.start or day >= self.start):
                        found.add(due)
        return sorted(found)

    def next_due(self, today: date, cal: WorkCalendar | None = None) -> date | None:
        if self.kind == ONCE:
            return (cal or default_calendar()).roll_forward(self.due) if self.due else None
        if self.kind == RECURRING:
            upcoming = self.occurrences(today, today + timedelta(days=400), cal)
            return upcoming[0] if upcoming else None
        return None


def _day(year: int, month: int, day: int | str) -> date | None:
    last = calendar.monthrange(year, month)[1]
    if day == "last":
        return date(year, month, last)
    return date(year, month, min(int(day), last))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------- the readings

# Patterns run on folded text with i/y unified: "quý" → "qui", "kỳ"/"ký" → "ki".
_YEAR = r"(20\d\d)"
_ONWARDS = re.compile(r"(va )?(nhung|cac) nam tiep theo|hang nam|tro di")
_YEARLY = re.compile(r"hang nam|moi nam|tung nam")
_ON_REQUEST = re.compile(
    r"khi co yeu cau|dot xuat|theo yeu cau|khi can thiet|neu co nhu cau|neu can|sau khi co|khi (bo|trung uong|chinh phu|tw|cap tren)\b|"
    r"theo chi dao"
)
_CONTINUOUS = re.compile(r"thuong xuyen|lien tuc|hang ngay|24/24|tu nam \d{4} tro di|trong suot")
# what a relative deadline counts from: the signing, issuing or receipt of the document itself
_ANCHOR = (r"(?:ke )?tu (?:ngay )?(?:(?:duoc )?(?:ki|ky|ban hanh)|(?:tiep )?nhan(?: duoc)? (?:ke hoach|chi thi|quyet dinh|van ban nay)"
           r"|(?:ke hoach|chi thi|van ban|quyet dinh)(?: nay)? (?:duoc ban hanh|co hieu luc|duoc ki|duoc ky)|ke hoach|chi thi)")
_WORKDAYS = re.compile(r"(\d+) ngay lam viec(?:,)? " + _ANCHOR)
_DAYS = re.compile(r"(\d+) ngay(?:,)? " + _ANCHOR)
_DAY_OF_MONTHS = re.compile(r"ngay (\d{1,2}) (?:cua )?(?:cac )?thang ((?:\d{1,2}(?:\s*,\s*|\s+va\s+)(?:thang\s+)?)+\d{1,2})")
_DAY_OF_QUARTER_MONTH = re.compile(r"ngay (\d{1,2}) (?:cua )?thang (cuoi|dau) qui")
_HALF_AND_END = re.compile(r"(?:6 thang dau nam|giua nam) va cuoi nam(?: " + _YEAR + r")?")
_AFTER_MONTH = re.compile(r"(\d{1,2}) ngay sau khi ket thuc thang")
_DAY_EVERY_MONTH = re.compile(r"ngay (\d{1,2}) (?:hang|moi|cua moi|cua hang) thang")
_AFTER_YEAR = re.compile(r"(\d{1,2}) ngay sau khi ket thuc nam")
_PERIODIC = re.compile(r"dinh ki (3 thang|hang qui|qui|6 thang|hang thang|thang|hang nam|nam)")
_QUARTERLY = re.compile(r"hang qui|moi qui|tung qui|dinh ki 3 thang|dinh ki hang qui|bao cao qui")
_MONTHLY = re.compile(r"hang thang|moi thang|dinh ki hang thang")
_HALF_YEAR = re.compile(r"(6|sau) thang dau nam(?: " + _YEAR + r")?")
_QUARTER = re.compile(r"qui (iv|iii|ii|i|[1-4])\s*(?:/|-|nam|,)\s*" + _YEAR)
_MONTH_YEAR = re.compile(r"thang (\d{1,2})\s*(?:/|-|nam)\s*" + _YEAR)
_EXACT = re.compile(r"(truoc |cham nhat |han chot |den )?(?:ngay )?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*" + _YEAR)
_EXACT_WORDS = re.compile(r"(truoc |cham nhat |den )?ngay (\d{1,2}) thang (\d{1,2}) nam " + _YEAR)
_DAY_MONTH = re.compile(r"(?:truoc |cham nhat |den |vao )?ngay (\d{1,2})\s*(?:/\s*|thang )(\d{1,2})(?!\s*/\s*\d)(?!\d)(?! nam \d)")
_MONTH_YEARLY = re.compile(r"(?:trong |vao )?thang (\d{1,2}) (?:hang|moi) nam")
_RANGE_END = re.compile(r"den (?:het |cuoi )?(?:(thang \d{1,2}\s*(?:/|nam)\s*20\d\d)|(qui (?:iv|iii|ii|i|[1-4])\s*(?:/|-|nam)\s*20\d\d)|(ngay \d{1,2}\s*/\s*\d{1,2}\s*/\s*20\d\d)|(?:nam )?(20\d\d))")
_YEAR_RANGE = re.compile(r"(?:giai doan |nam |tu nam )?(20\d\d)\s*(?:-|–|den|đến)\s*(?:nam )?(20\d\d)")
_YEAR_ONLY = re.compile(r"(?:trong |hoan thanh trong |truoc |cuoi |vao |den (?:het )?)?nam " + _YEAR)
_BARE_YEAR = re.compile(r"^\s*(?:nam )?" + _YEAR + r"\s*\.?\s*$")
_END_OF_YEAR = re.compile(r"cuoi nam(?! \d)")
_NAMED_PERIOD = re.compile(r"(?:tam nhin|dinh huong) (?:den|toi) (?:nam )?20\d\d|(?<!trong )(?:thoi ki|giai doan) 20\d\d\s*-\s*20\d\d")
# what makes a range of years a timing outside a time cell: "Trong giai đoạn 2026 - 2030, …",
# "Từ năm 2026 - 2030", a text that opens with the range ("Năm 2026 - 2030")
_RANGE_TIMING = re.compile(r"(?:^|\b(?:trong|tu|thuc hien|trien khai)\s+)(?:giai doan\s+|nam\s+)?$")
_MID_YEAR = re.compile(r"giua nam(?! \d)")


def parse_deadline(text: str | None, plan_date: date | None = None, cal: WorkCalendar | None = None, *, column: bool = False) -> Schedule:
    """Read a deadline as written in a plan. ``plan_date`` anchors "kể từ ngày ký" and the first
    occurrence of a yearly date. ``column``: the text is a whole time cell or attribute
    ("Thời gian thực hiện: 2025 - 2030"), where a bare year or range of years is a deadline."""
    if not text or not text.strip():
        return Schedule()
    cal = cal or default_calendar()
    f = " ".join(unify_iy(fold(text)).replace("–", "-").replace("—", "-").split())
    if not column:  # "Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050": a name, not a deadline
        f = _NAMED_PERIOD.sub(" ", f)
    onwards = bool(_ONWARDS.search(f))

    if m := _WORKDAYS.search(f):
        if plan_date is None:
            return Schedule(NONE, reading="tính từ ngày ký, nhưng văn bản không ghi ngày ký")
        due = cal.add_working_days(plan_date, int(m.group(1)))
        return Schedule(ONCE, due=due, reading=f"{m.group(1)} ngày làm việc tính từ ngày sau ngày ký {_vn(plan_date)} → {_vn(due)}")
    if m := _DAYS.search(f):
        if plan_date is None:
            return Schedule(NONE, reading="tính từ ngày ký, nhưng văn bản không ghi ngày ký")
        due = plan_date + timedelta(days=int(m.group(1)))
        return Schedule(ONCE, due=due, reading=f"{m.group(1)} ngày tính từ ngày sau ngày ký {_vn(plan_date)} → {_vn(due)}")

    recurring = _recurring(f, plan_date)
    if recurring:
        return recurring
    if _CONTINUOUS.search(f) and not _firm_date(f):
        return Schedule(CONTINUOUS, reading="thường xuyên, không có một hạn cụ thể")
    if _ON_REQUEST.search(f) and not _firm_date(f):
        return Schedule(ON_REQUEST, reading="khi có yêu cầu, không có hạn cố định")

    single = _single(f, plan_date, column)
    if single is None:
        if _ON_REQUEST.search(f):
            return Schedule(ON_REQUEST, reading="khi có yêu cầu, không có hạn cố định")
        if _CONTINUOUS.search(f):
            return Schedule(CONTINUOUS, reading="thường xuyên, không có một hạn cụ thể")
        return Schedule(NONE, reading="không xác định được hạn từ văn bản")
    due, words, month, day = single
    if onwards:  # "Quý I/2023 và những năm tiếp theo": then yearly on the same day
        rule = {"months": [month], "day": day}
        return Schedule(RECURRING, due=due, recurring=f"{words} hằng năm", rules=[rule], start=due,
                        reading=f"lần đầu {_vn(due)}, sau đó hằng năm")
    moved = cal.roll_forward(due)
    note = f" (ngày nghỉ, chuyển sang ngày làm việc tiếp theo {_vn(moved)})" if moved != due else ""
    return Schedule(ONCE, due=due, reading=f"{words} → {_vn(due)}{note}")


def _firm_date(f: str) -> bool:
    """A stated date that outweighs "thường xuyên"/"khi có yêu cầu" in the same text."""
    return bool(_EXACT.search(f) or _EXACT_WORDS.search(f) or re.search(r"(truoc|cham nhat|han chot) ngay", f))


def _single(f: str, plan_date: date | None, column: bool) -> tuple[date, str, int, int | str] | None:
    """A one-off date: (date, the phrase, month, day rule). "Từ tháng 10/2025 đến khi …" starts a
    period that ends with an event: its first date is no deadline."""
    stated_range = _YEAR_RANGE.search(f)  # before "từ năm 2026" is set aside below: "Từ năm 2026 - 2030" is a range
    if stated_range and not (column or _RANGE_TIMING.search(f[: stated_range.start()])):
        stated_range = None
    f = re.sub(r"\btu (thang \d{1,2}\s*(?:/|nam)\s*20\d\d|ngay [\d/]+|qui [ivx1-4]+\s*(?:/|-|nam)\s*20\d\d|nam 20\d\d)", "tu …", f)
    if m := _RANGE_END.search(f):  # "từ tháng 10 năm 2025 đến hết tháng 3 năm 2026": the end
        found = _single(m.group(0)[m.group(0).index(" ") + 1 :].replace("het ", "").replace("cuoi ", ""), plan_date, True)
        if found:
            return found
    for pattern in (_EXACT, _EXACT_WORDS):
        matches = list(pattern.finditer(f))
        # a deadline word before the date wins; a date after a document's number only names the document
        chosen = next((m for m in matches if m.group(1)), None) or next(
            (m for m in matches if not re.search(r"(so|/[a-z-]+|ban hanh|ki|ky)\s*$", f[max(0, m.start() - 40) : m.start()].rsplit(",", 1)[-1])), None)
        if chosen:
            m = chosen
            try:
                due = date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
            except ValueError:
                return None
            words = "trước ngày" if m.group(1) and m.group(1).strip() in ("truoc", "cham nhat", "han chot") else "ngày"
            return due, f"{words} {_vn(due)}", due.month, due.day
    quarters = list(_QUARTER.finditer(f))
    if len(quarters) == 2 and re.fullmatch(r"\s*(-|den|den het)\s*", f[quarters[0].end() : quarters[1].start()]):
        quarters = quarters[1:]  # "Quý IV/2025 - Quý II/2026": the end of the range
    if quarters:
        m = quarters[0]
        q, year = ROMAN[m.group(1)], int(m.group(2))
        month = QUARTER_ENDS[q - 1]
        return _month_end(year, month), f"quý {['I', 'II', 'III', 'IV'][q - 1]}/{year}", month, "last"
    if m := _HALF_YEAR.search(f):
        year = int(m.group(2)) if m.group(2) else (plan_date.year if plan_date else None)
        if year:
            return date(year, 6, 30), "6 tháng đầu năm", 6, 30
    if m := re.search(r"(6|sau) thang cuoi nam(?: " + _YEAR + r")?", f):
        year = int(m.group(2)) if m.group(2) else (plan_date.year if plan_date else None)
        if year:
            return date(year, 12, 31), "6 tháng cuối năm", 12, 31
    if m := _MONTH_YEAR.search(f):
        month, year = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return _month_end(year, month), f"tháng {month:02d}/{year}", month, "last"
    if stated_range:
        first, last = int(stated_range.group(1)), int(stated_range.group(2))
        if first < last <= first + 30:
            return date(last, 12, 31), f"giai đoạn {first} - {last}, hạn là cuối giai đoạn", 12, 31
    elif m := _YEAR_RANGE.search(f):  # a range that is no timing: neither of its years is a deadline
        f = f[: m.start()] + " … " + f[m.end():]
    if m := _YEAR_ONLY.search(f):
        year = int(m.group(1))
        return date(year, 12, 31), f"năm {year}", 12, 31
    if column and (m := _BARE_YEAR.match(f)):
        year = int(m.group(1))
        return date(year, 12, 31), f"năm {year}", 12, 31
    if plan_date and (m := _DAY_MONTH.search(f)):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            due = _next_on_or_after(plan_date, month, day)
            return due, f"ngày {day:02d}/{month:02d}", month, day
    if plan_date and _END_OF_YEAR.search(f):
        return date(plan_date.year, 12, 31), "cuối năm", 12, 31
    if plan_date and _MID_YEAR.search(f):
        return date(plan_date.year, 6, 30), "giữa năm", 6, 30
    return None


def _next_on_or_after(start: date, month: int, day: int | str) -> date:
    for year in (start.year, start.year + 1):
        found = _day(year, month, day)
        if found and found >= start:
            return found
    return _day(start.year + 1, month, day)  # type: ignore[return-value]


def _recurring(f: str, plan_date: date | None) -> Schedule | None:
    rules: list[dict] = []
    words: list[str] = []
    year = re.search(r"nam " + _YEAR, f)
    start = date(int(year.group(1)), 1, 1) if year else (plan_date.replace(day=1) if plan_date else None)
    until = None
    if year and not _ONWARDS.search(f) and ("trong nam" in f or "nam " + year.group(1) in f):
        until = date(int(year.group(1)), 12, 31)
    yearly = bool(_YEARLY.search(f))
    stated = False  # a yearly day written in the text
    if m := _DAY_OF_MONTHS.search(f):
        months = sorted({int(x) for x in re.findall(r"\d{1,2}", m.group(2)) if 1 <= int(x) <= 12})
        day = int(m.group(1))
        if months:
            rules.append({"months": months, "day": day})
            words.append(f"ngày {day:02d} các tháng {', '.join(map(str, months))}")
    if m := _DAY_OF_QUARTER_MONTH.search(f):
        months = [3, 6, 9, 12] if m.group(2) == "cuoi" else [1, 4, 7, 10]
        rules.append({"months": months, "day": int(m.group(1))})
        words.append(f"ngày {int(m.group(1)):02d} tháng {'cuối' if m.group(2) == 'cuoi' else 'đầu'} quý")
    if m := _HALF_AND_END.search(f):
        rules += [{"months": [6], "day": 30}, {"months": [12], "day": 31}]
        words.append("giữa năm (30/6) và cuối năm (31/12)")
    if m := _DAY_EVERY_MONTH.search(f):
        rules.append({"months": "all", "day": int(m.group(1))})
        words.append(f"hằng tháng, ngày {int(m.group(1)):02d}")
    if m := _AFTER_MONTH.search(f):
        rules.append({"months": "all", "day": int(m.group(1))})
        words.append(f"hằng tháng, chậm nhất ngày {int(m.group(1)):02d} tháng sau")
    if m := _AFTER_YEAR.search(f):
        rules.append({"months": [1], "day": int(m.group(1))})
        words.append(f"hằng năm, chậm nhất ngày {int(m.group(1)):02d}/01 năm sau")
    if not rules and yearly:
        # "trước ngày 15/12 hằng năm", "trước ngày 01/6 và 15/11 hằng năm", "tháng 12 hằng năm"
        dates = [(int(mo), int(d)) for d, mo in re.findall(r"(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/\s*\d)(?!\d)", f)]
        dates += [(int(mo), int(d)) for d, mo in re.findall(r"ngay (\d{1,2}) thang (\d{1,2})(?! nam \d)", f)]
        dates = [(mo, d) for mo, d in dates if 1 <= mo <= 12 and 1 <= d <= 31]
        if dates:
            stated = True
            for month, day in dates:
                rules.append({"months": [month], "day": day})
            words.append("hằng năm, ngày " + " và ".join(f"{d:02d}/{mo:02d}" for mo, d in dates))
        elif m := _MONTH_YEARLY.search(f):
            month = int(m.group(1))
            if 1 <= month <= 12:
                stated = True
                rules.append({"months": [month], "day": "last"})
                words.append(f"tháng {month} hằng năm")
    if not rules:
        periodic = _PERIODIC.search(f)
        if _QUARTERLY.search(f) or (periodic and periodic.group(1) in ("3 thang", "qui", "hang qui")):
            rules.append({"months": QUARTER_ENDS, "day": "last"})
            words.append(f"hằng quý {UNSTATED_DAY} cuối quý)")
        elif _MONTHLY.search(f) or (periodic and periodic.group(1) in ("hang thang", "thang")):
            rules.append({"months": "all", "day": "last"})
            words.append(f"hằng tháng {UNSTATED_DAY} cuối tháng)")
        elif periodic and periodic.group(1) == "6 thang":
            rules.append({"months": [6, 12], "day": "last"})
            words.append(f"6 tháng một lần {UNSTATED_DAY} cuối kỳ)")
        elif (periodic and periodic.group(1) in ("hang nam", "nam")) or (yearly and not _single(f, plan_date, False)):
            rules.append({"months": [12], "day": 31})
            words.append(f"hằng năm {UNSTATED_DAY} cuối năm)")
    if not rules:
        return None
    due = None
    if stated and plan_date:
        # a yearly schedule with a stated day: its first occurrence from the plan's date
        due = min(_next_on_or_after(plan_date, r["months"][0], r["day"]) for r in rules)
        start = plan_date
    reading = "định kỳ: " + "; ".join(words) + (f", lần đầu {_vn(due)}" if due else "")
    return Schedule(RECURRING, due=due, recurring="; ".join(words), rules=rules, start=start, until=until, reading=reading)
