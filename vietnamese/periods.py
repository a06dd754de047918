"""Vietnamese period expressions -> date ranges.

"quý I/2024", "quý này", "tháng 3", "tuần tới", "6 tháng đầu năm", "năm nay", "hôm nay",
"cuối quý", "từ 1/3 đến 15/3" ... with or without diacritics. ``today`` is injected so that
relative periods can be tested.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from vietnamese.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NEXT = r"(?:toi|sau|ke tiep|ke|toi day)"
_PREV = r"(?:truoc|vua qua|roi|ngoai)"
_THIS = r"(?:nay|hien tai|nay nhe)"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    text: str

    @property
    def iso(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _quarter(year: int, q: int) -> tuple[date, date]:
    first = 3 * (q - 1) + 1
    return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])


def _month(year: int, m: int) -> tuple[date, date]:
    return date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _year(text: str | None, today: date) -> int:
    if not text:
        return today.year
    y = int(text)
    return y + 2000 if y < 100 else y


# Each rule: (pattern on folded text, builder(match, today) -> (start, end))
def _rules():
    y = r"(?:\s*(?:/|-|nam)\s*(\d{4}|\d{2}))?"
    return [
        (rf"\btu\s+(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?\s+(?:den|toi|-)\s+(?:ngay\s+)?(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?",
         lambda m, t: (date(_year(m[3], t), int(m[2]), int(m[1])), date(_year(m[6] or m[3], t), int(m[5]), int(m[4])))),
        (rf"\b(?:6|sau) thang dau(?: nam)?{y}|\bnua dau nam{y}",
         lambda m, t: (date(_year(m[1] or m[2], t), 1, 1), date(_year(m[1] or m[2], t), 6, 30))),
        (rf"\b(?:6|sau) thang cuoi(?: nam)?{y}|\bnua cuoi nam{y}",
         lambda m, t: (date(_year(m[1] or m[2], t), 7, 1), date(_year(m[1] or m[2], t), 12, 31))),
        (rf"\b(?:9|chin) thang dau(?: nam)?{y}", lambda m, t: (date(_year(m[1], t), 1, 1), date(_year(m[1], t), 9, 30))),
        (rf"\bquy\s+(iv|iii|ii|i|[1-4]){y}\b", lambda m, t: _quarter(_year(m[2], t), _ROMAN.get(m[1], 0) or int(m[1]))),
        (rf"\bcuoi quy\b", lambda m, t: (t, _quarter(t.year, (t.month - 1) // 3 + 1)[1])),
        (rf"\bquy {_THIS}\b", lambda m, t: _quarter(t.year, (t.month - 1) // 3 + 1)),
        (rf"\bquy {_NEXT}\b", lambda m, t: _quarter(*_next_quarter(t, 1))),
        (rf"\bquy {_PREV}\b", lambda m, t: _quarter(*_next_quarter(t, -1))),
        (rf"\bthang\s+(1[0-2]|0?[1-9]){y}\b", lambda m, t: _month(_year(m[2], t), int(m[1]))),
        (rf"\bcuoi thang\b", lambda m, t: (t, _month(t.year, t.month)[1])),
        (rf"\bthang {_THIS}\b", lambda m, t: _month(t.year, t.month)),
        (rf"\bthang {_NEXT}\b", lambda m, t: _month(*_shift_month(t, 1))),
        (rf"\bthang {_PREV}\b", lambda m, t: _month(*_shift_month(t, -1))),
        (rf"\btuan {_THIS}\b", lambda m, t: (t - timedelta(days=t.weekday()), t - timedelta(days=t.weekday()) + timedelta(days=6))),
        (rf"\btuan {_NEXT}\b", lambda m, t: (t + timedelta(days=7 - t.weekday()), t + timedelta(days=13 - t.weekday()))),
        (rf"\btuan {_PREV}\b", lambda m, t: (t - timedelta(days=t.weekday() + 7), t - timedelta(days=t.weekday() + 1))),
        (rf"\b(\d+) ngay toi\b", lambda m, t: (t, t + timedelta(days=int(m[1])))),
        (rf"\bcuoi nam{y}", lambda m, t: (t if not m[1] else date(_year(m[1], t), 12, 1), date(_year(m[1], t), 12, 31))),
        (rf"\bnam {_THIS}\b", lambda m, t: (date(t.year, 1, 1), date(t.year, 12, 31))),
        (rf"\bnam {_NEXT}\b", lambda m, t: (date(t.year + 1, 1, 1), date(t.year + 1, 12, 31))),
        (rf"\bnam {_PREV}\b", lambda m, t: (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31))),
        (r"\bnam (\d{4})\b", lambda m, t: (date(int(m[1]), 1, 1), date(int(m[1]), 12, 31))),
        (r"\b(?:hom nay|ngay hom nay|bua nay)\b", lambda m, t: (t, t)),
        (r"\b(?:ngay mai|sang mai|chieu mai)\b", lambda m, t: (t + timedelta(days=1), t + timedelta(days=1))),
        (r"\b(?:hom qua)\b", lambda m, t: (t - timedelta(days=1), t - timedelta(days=1))),
        (r"\b(?:truoc|den|han)\s+(?:ngay\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b",
         lambda m, t: (t, date(_year(m[3], t), int(m[2]), int(m[1])))),
    ]


def _next_quarter(today: date, step: int) -> tuple[int, int]:
    index = today.year * 4 + (today.month - 1) // 3 + step
    return index // 4, index % 4 + 1


_COMPILED = [(re.compile(p), build) for p, build in _rules()]


def find_periods(text: str, today: date | None = None) -> list[tuple[Period, int, int]]:
    """All periods in ``text`` with their character spans (positions in the original text)."""
    today = today or date.today()
    folded = fold(text)  # same length as NFC text for Vietnamese letters
    found: list[tuple[Period, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern, build in _COMPILED:
        for m in pattern.finditer(folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            try:
                start, end = build(m, today)
            except (ValueError, KeyError):
                continue  # "tháng 13", "30/2": not a date
            if start > end:
                start, end = end, start
            found.append((Period(start, end, text[m.start() : m.end()]), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def parse_period(text: str, today: date | None = None) -> Period | None:
    found = find_periods(text, today)
    return found[0][0] if found else None
