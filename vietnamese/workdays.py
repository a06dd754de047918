"""Working days in Vietnamese public administration.

Days off: Saturdays and Sundays; 1/1; Tết Nguyên đán (5 days, from the Vietnamese lunar
calendar: by default the last day of the lunar year and the first four of the new one);
Giỗ Tổ Hùng Vương (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day (Labour Code 2019,
Art. 112). A holiday on a weekend gives a compensatory day on the next working day. Yearly
Government decisions (swapped days, the exact Tết days) come from data/workdays.yml.

Civil Code 2015, Art. 146-148: a period "kể từ" a day starts the next day; when its last day
is a day off, it ends on the next working day.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from lunar_vn import LunarDate, lunar_to_solar

DATA_FILE = Path(__file__).with_name("data") / "workdays.yml"


class WorkCalendar:
    def __init__(self, decisions: dict | None = None):
        self.decisions = {int(y): v or {} for y, v in ((decisions or {}).get("years") or {}).items()}
        self._cache: dict[int, dict[date, str]] = {}

    def holidays(self, year: int) -> dict[date, str]:
        """Public holidays and decided days off of ``year`` (not weekends) -> name."""
        if year in self._cache:
            return self._cache[year]
        decision = self.decisions.get(year, {})
        days: dict[date, str] = {}
        tet = lunar_to_solar(LunarDate(1, 1, year))
        tet_days = [d if isinstance(d, date) else date.fromisoformat(str(d)) for d in decision.get("tet_days", [])]
        for d in tet_days or [tet + timedelta(days=k) for k in range(-1, 4)]:
            days[d] = "Tết Nguyên đán"
        days[lunar_to_solar(LunarDate(10, 3, year))] = "Giỗ Tổ Hùng Vương"
        days[date(year, 1, 1)] = "Tết Dương lịch"
        days[date(year, 4, 30)] = "Ngày Chiến thắng"
        days[date(year, 5, 1)] = "Ngày Quốc tế Lao động"
        days[date(year, 9, 2)] = "Quốc khánh"
        adjacent = decision.get("national_day_adjacent")
        days[adjacent if isinstance(adjacent, date) else date(year, 9, 3)] = "Quốc khánh (ngày liền kề)"
        # compensatory days: a holiday on a weekend is taken on the next working day
        for holiday in sorted(days):
            if tet_days and days[holiday] == "Tết Nguyên đán":
                continue  # a decided Tết period already accounts for its weekends
            if holiday.weekday() >= 5:
                substitute = holiday + timedelta(days=1)
                while substitute.weekday() >= 5 or substitute in days:
                    substitute += timedelta(days=1)
                days.setdefault(substitute, f"Nghỉ bù {days[holiday]}")
        for d in decision.get("days_off", []) or []:
            days.setdefault(d if isinstance(d, date) else date.fromisoformat(str(d)), "Ngày nghỉ theo quyết định")
        self._cache[year] = days
        return days

    def is_working_day(self, day: date) -> bool:
        worked = self.decisions.get(day.year, {}).get("working_days") or []
        if day in worked or str(day) in map(str, worked):
            return True
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def roll_forward(self, day: date) -> date:
        """``day`` if it is a working day, else the next working day (Civil Code art. 148)."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The day on which ``count`` working days counted from the day after ``start`` end."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))
