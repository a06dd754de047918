"""Fee rates a procedure record limits in time.

Records often keep the standing fee in the fee cell and write a temporary rate in its note:
"Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu lệ phí ... bằng 50% mức thu nêu trên".
A citizen asking today needs the rate in force, so the answer leads with it (and says what the
record says, quoted); a period that has ended is only flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.ingest.procedures import Fee

_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
UNTIL = re.compile(rf"(?:đến hết ngày|đến ngày|hết ngày)\s*{_DATE}", re.IGNORECASE)
_FROM = re.compile(rf"từ\s+ngày\s*{_DATE}", re.IGNORECASE)
_PERCENT = re.compile(r"bằng\s+(\d{1,3}(?:[.,]\d+)?)\s*%")
_ABOUT_FEE = re.compile(r"phí|mức thu|đồng|đ/|%", re.IGNORECASE)
# sentences of a note: a full stop or semicolon before a space, or a " - " list dash
_SPLIT = re.compile(r"(?<=[.;])\s+|\s+-\s+")


@dataclass
class RateInForce:
    until: str  # the end date as the record writes it ("31/12/2026")
    sentence: str  # the record's sentence, for the quote
    amount: float | None  # the rate worked out from a percentage of the cell's amount, if any
    percent: str | None


def _date(groups: tuple[str, ...]) -> date | None:
    day, month, year = (int(g) for g in groups)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def expired_periods(texts: list[str], today: date | None = None) -> list[str]:
    """The end dates ("áp dụng đến hết ngày 31/12/2023") of reduced or temporary fees that have
    passed, as the record writes them."""
    today = today or date.today()
    out = []
    for text in texts:
        for m in UNTIL.finditer(text or ""):
            end = _date(m.groups())
            if end is not None and end < today and m.group(0) not in out:
                out.append(m.group(0))
    return out


def rate_in_force(fee: Fee, today: date | None = None) -> RateInForce | None:
    """The temporary rate of a fee note whose period includes today (the latest one starting)."""
    today = today or date.today()
    found: list[tuple[date, RateInForce]] = []
    for sentence in _SPLIT.split(fee.note or ""):
        until = UNTIL.search(sentence)
        if not until or not _ABOUT_FEE.search(sentence):
            continue
        end = _date(until.groups())
        since = _FROM.search(sentence[: until.start()])
        start = _date(since.groups()) if since else date.min
        if end is None or start is None or not start <= today <= end:
            continue
        percent = _PERCENT.search(sentence)
        amount = None
        if percent and fee.kind == "amount" and fee.amount:
            share = float(percent.group(1).replace(",", "."))
            amount = round(fee.amount * share / 100) if 0 < share < 100 else None
        found.append((start, RateInForce("/".join(until.groups()), sentence.strip(" -()"), amount,
                                         percent.group(1) if percent else None)))
    return max(found, key=lambda pair: pair[0])[1] if found else None
