"""Typed answers to the survey's optional profile questions ("40 tuổi", "làm ruộng", "con gái")
read as one of the question's options, or None: ask again with the buttons.

    age         a number of years, or a year of birth, placed in the option whose range holds it
                ("Dưới 25", "25–34", "Trên 60": the ranges are read from the options themselves)
    other       the option's own words, its number in the list, or an everyday word for it
"""
from __future__ import annotations

import re
from datetime import date

from vietnamese.text import fold_key

# everyday words -> the start of the option they mean (folded)
EVERYDAY = {
    "nong dan": ("lam ruong", "trong lua", "lam nong", "nong nghiep", "chan nuoi", "trong trot", "lam vuon", "nuoi ca", "lam rau"),
    "kinh doanh": ("buon ban", "ban hang", "tieu thuong", "ban buon", "ban le", "mo quan", "mo tiem", "ho kinh doanh", "doanh nghiep"),
    "cong nhan": ("lam cong ty", "lam nha may", "lam xuong", "lam khu cong nghiep", "tho", "lao dong pho thong"),
    "hoc sinh": ("di hoc", "sinh vien", "hoc sinh", "hs", "sv"),
    "huu tri": ("nghi huu", "ve huu", "huu", "gia roi nghi o nha"),
    "can bo": ("cong chuc", "vien chuc", "giao vien", "bac si", "y ta", "cong an", "bo doi", "lam nha nuoc"),
    "nam": ("dan ong", "con trai", "nam gioi", "trai", "anh"),
    "nu": ("phu nu", "dan ba", "con gai", "nu gioi", "gai", "chi"),
}
_YEARS = re.compile(r"\b(\d{1,3})\s*(?:tuoi|t)\b|^\s*(\d{1,3})\s*$")
_BIRTH_YEAR = re.compile(r"\b(19[2-9]\d|20[0-2]\d)\b")


def _ranges(options: tuple[str, ...]) -> list[tuple[int, int]]:
    """'Dưới 25' -> (0, 24), '25–34' -> (25, 34), 'Trên 60' -> (61, 200); (-1, -1) when not a range."""
    out = []
    for option in options:
        key = fold_key(option)
        numbers = [int(n) for n in re.findall(r"\d+", key)]
        if key.startswith("duoi") and numbers:
            out.append((0, numbers[0] - 1))
        elif key.startswith("tren") and numbers:
            out.append((numbers[0] + 1, 200))
        elif len(numbers) == 2:
            out.append((numbers[0], numbers[1]))
        else:
            out.append((-1, -1))
    return out


def _age(key: str, today: date) -> int | None:
    m = _YEARS.search(key)
    if m:
        return int(m.group(1) or m.group(2))
    born = _BIRTH_YEAR.search(key)
    return today.year - int(born.group(1)) if born else None


def read_profile(options: tuple[str, ...], text: str, today: date | None = None) -> str | None:
    key = fold_key(text or "").strip(" .!")
    if not key:
        return None
    folded = [fold_key(o) for o in options]
    if key in folded:
        return options[folded.index(key)]
    if key.isdigit() and 1 <= int(key) <= len(options) and all(r == (-1, -1) for r in _ranges(options)):
        return options[int(key) - 1]  # its number in the list (not for an age question)
    ranges = _ranges(options)
    if any(r != (-1, -1) for r in ranges):
        age = _age(key, today or date.today())
        if age is None or not 10 <= age <= 120:
            return None
        return next((o for o, (low, high) in zip(options, ranges) if low <= age <= high), None)
    words = f" {key} "
    found = {o for o, f in zip(options, folded) if f" {f} " in words}
    for start, everyday in EVERYDAY.items():
        if any(f" {w} " in words for w in everyday):
            found |= {o for o, f in zip(options, folded) if f.startswith(start)}
    return found.pop() if len(found) == 1 else None
