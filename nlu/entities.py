"""Entity extractors: tracking code, phone, rating, period, agency, procedure.

Rules and registries, not a statistical tagger: each entity has a precise shape or a known
vocabulary, and the normalised value matters more than the span.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

import phonenumbers

from agencies.registry import default_registry
from nlu.replies import read_rating
from vietnamese.periods import find_periods
from vietnamese.text import fold, fold_key, unify_iy

# PA-2026-7K3M9X (a random part since 2026-12), PA-2026-000123 (older, sequential)
_CODE = re.compile(r"\bpa[\s\-_.]*(\d{4})[\s\-_.]*([0-9a-z]{6}|\d{1,6})\b", re.IGNORECASE)

@dataclass
class Entity:
    entity: str
    value: str
    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return asdict(self)


def _code(m: re.Match) -> str:
    tail = m.group(2)
    return f"PA-{m.group(1)}-{int(tail):06d}" if tail.isdigit() else f"PA-{m.group(1)}-{tail.upper()}"


def normalize_tracking_code(text: str) -> str | None:
    m = _CODE.search(text or "")
    return _code(m) if m else None


def tracking_codes(text: str) -> list[Entity]:
    return [Entity("tracking_code", _code(m), m.group(0), m.start(), m.end()) for m in _CODE.finditer(text)]


def normalize_phone(text: str) -> str | None:
    """A valid Vietnamese phone number in ``text`` as +84..., or None."""
    for match in phonenumbers.PhoneNumberMatcher(text or "", "VN"):
        if phonenumbers.is_valid_number(match.number) and match.number.country_code == 84:
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def phones(text: str) -> list[Entity]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, "VN"):
        if phonenumbers.is_valid_number(match.number) and match.number.country_code == 84:
            value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Entity("phone", value, match.raw_string, match.start, match.end))
    return found


def parse_rating(text: str) -> int | None:
    """1-5 as the person means it (nlu.replies.read_rating), or None when unsure."""
    return read_rating(text).level


def ratings(text: str) -> list[Entity]:
    value = parse_rating(text)
    return [Entity("rating", str(value), text.strip(), 0, len(text))] if value else []


def periods(text: str, today: date | None = None) -> list[Entity]:
    return [Entity("period", p.iso, p.text, s, e) for p, s, e in find_periods(text, today)]


def agencies(text: str) -> list[Entity]:
    return [Entity("agency", m.name, m.text, m.start, m.end) for m in default_registry().find(text)]


class ProcedureMatcher:
    """Procedure names from the NLU lookup table (and synonyms), matched without diacritics."""

    def __init__(self, names: list[str], synonyms: dict[str, str]):
        self.names = {fold_key(n): n for n in names}
        for written, canonical in synonyms.items():
            if fold_key(canonical) in self.names:
                self.names[fold_key(written)] = canonical

    def find(self, text: str) -> list[Entity]:
        folded = unify_iy(fold(text))  # same length as the text: spans stay valid
        found = []
        for key, name in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            for m in re.finditer(rf"\b{re.escape(key)}\b", folded):
                if not any(e.start < m.end() and m.start() < e.end for e in found):
                    found.append(Entity("procedure", name, text[m.start() : m.end()], m.start(), m.end()))
        return found


def extract_all(text: str, procedures: ProcedureMatcher | None = None, today: date | None = None) -> list[Entity]:
    found = tracking_codes(text) + phones(text) + periods(text, today) + agencies(text)
    if procedures:
        found += procedures.find(text)
    found += ratings(text)
    return sorted(found, key=lambda e: (e.start, e.entity))
