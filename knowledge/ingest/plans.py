"""Parse a plan document (kế hoạch) into metadata and a section tree.

Metadata: số hiệu (341/KH-UBND), issuing body, place, date, title, signer. Sections follow the
document's own numbering — I., 1., 1.1., a) — and are addressed by the numbers joined with dots
("II.3.a"). Bullets stay inside their section. Footnotes are attached to the section that
references them. The distribution list ("Nơi nhận") and the signature block are kept apart.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from knowledge.ingest.plan_text import (
    DOC_TYPES,
    PREAMBLE_START as _PREAMBLE_START,
    ARABIC,
    DECIMAL,
    LETTER,
    ROMAN,
    Footnote,
    assemble_paragraphs,
    footnote_ids,
)

_NUMBER = re.compile(r"^Số\s*:?\s*(?P<number>\d*\s*/\s*[\wĐđ\-]+(?:/[\wĐđ\-]+)?)", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*-\s*Tự do|^-{3,}$", re.IGNORECASE)
_UNIT_WORDS = r"(?:huyện|xã|tỉnh|thị xã|thành phố|phường|thị trấn|quận)"
_NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*){0,3}"
_ISSUER_IN_TEXT = re.compile(
    rf"(?:Chủ tịch\s+)?(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s*(?:\(UBND\)\s*)?(?P<unit>{_UNIT_WORDS})\s+(?P<name>{_NAME})\s+(?:ban hành|xây dựng)"
)
_UNIT_MENTION = re.compile(rf"\b(?P<unit>{_UNIT_WORDS})\s+(?P<name>{_NAME})")
_POSITION = re.compile(r"CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|TM\.|KT\.|Q\.|BÍ THƯ")
_PERSON = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$")


@dataclass
class Section:
    path: str  # "II.3.a"
    number: str  # as written: "3", "1.2", "a"
    level: int
    title: str
    heading: str  # the full numbered line
    paragraphs: list[str] = field(default_factory=list)
    parent: int | None = None  # index of the parent in PlanDocument.sections (paths may repeat)
    footnotes: list[int] = field(default_factory=list)


@dataclass
class PlanDocument:
    title: str
    doc_type: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    place: str | None = None
    issued_date: date | None = None
    date_text: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    preamble: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    recipients: list[str] = field(default_factory=list)
    title_derived: bool = False  # True when the document has no title line and one was inferred

    def to_meta(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type,
            "title_derived": self.title_derived,
            "signer_title": self.signer_title,
            "preamble": self.preamble,
            "sections": [asdict(s) for s in self.sections],
            "footnotes": {str(k): asdict(v) for k, v in self.footnotes.items()},
            "recipients": self.recipients,
        }

    def section(self, path: str) -> Section | None:
        return next((s for s in self.sections if s.path == path), None)


class PlanParseError(ValueError):
    pass


def _sentence_case(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:
        return text  # an acronym (CCHC, PAR INDEX)
    return text[:1].lower() + text[1:]


def _title_case_unit(text: str) -> str:
    """'ỦY BAN NHÂN DÂN HUYỆN CHỢ MỚI' -> 'Ủy ban nhân dân huyện Chợ Mới'."""
    lowered = text.lower()
    generic = re.match(r"(ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|sở [\wà-ỹ ]+?|phòng [\wà-ỹ ]+?)\s+" + _UNIT_WORDS.replace("(?:", "(?P<u>") + r"\s+(?P<n>.+)$", lowered)
    if generic:
        head = generic.group(1).capitalize().replace("Uỷ", "Ủy")
        name = " ".join(w.capitalize() for w in generic.group("n").split())
        return f"{head} {generic.group('u')} {name}"
    return text.capitalize() if text.isupper() else text


def _split_tail(paragraphs: list[str]) -> tuple[list[str], list[str], str | None, str | None]:
    """Separate the body from the distribution list and signature block."""
    tail_start = len(paragraphs)
    for i, p in enumerate(paragraphs):
        if re.match(r"^Nơi nhận\s*:?", p, re.IGNORECASE):
            tail_start = i
            break
    signer = signer_title = None
    # The signature: a person's name shortly after a position line, near the end.
    search_from = max(tail_start, len(paragraphs) - 25) if tail_start < len(paragraphs) else max(0, len(paragraphs) - 8)
    for i in range(len(paragraphs) - 1, search_from - 1, -1):
        if _PERSON.match(paragraphs[i]) and any(_POSITION.search(p) for p in paragraphs[max(0, i - 4) : i]):
            signer = paragraphs[i]
            titles = [p for p in paragraphs[max(0, i - 4) : i] if _POSITION.search(p)]
            signer_title = " ".join(titles).strip() or None
            if tail_start == len(paragraphs):
                tail_start = min(
                    (j for j in range(max(0, i - 4), i) if _POSITION.search(paragraphs[j])), default=i
                )
            break
    body = paragraphs[:tail_start]
    tail = paragraphs[tail_start:]
    recipients = [re.sub(r"^[-+•]\s*", "", p) for p in tail[1:] if p.startswith(("-", "+", "•"))]
    return body, recipients, signer, signer_title


def _header(paragraphs: list[str]) -> tuple[dict[str, Any], int]:
    """Read number, place, date, title and issuer from the top; return where the body starts."""
    info: dict[str, Any] = {}
    issuer_lines: list[str] = []
    i = 0
    title_parts: list[str] = []
    while i < len(paragraphs):
        p = paragraphs[i]
        if _MOTTO.search(p):
            i += 1
            continue
        m = _NUMBER.match(p)
        if m:
            number = re.sub(r"\s+", "", m.group("number"))
            if number[0].isdigit():
                info["doc_number"] = number.upper()
            info["number_suffix"] = number.split("/", 1)[1]
            i += 1
            continue
        m = _PLACE_DATE.match(p)
        if m:
            info["place"] = m.group("place").strip()
            d, mo, y = m.group("d"), m.group("m"), int(m.group("y"))
            info["date_text"] = p.split(",", 1)[1].strip()
            if d and mo:
                try:
                    info["issued_date"] = date(y, int(mo), int(d))
                except ValueError:
                    pass
            i += 1
            continue
        upper = p.upper()
        doc_type = next((t for t in DOC_TYPES if upper == t or upper.startswith(t + " ")), None)
        if doc_type and p[: len(doc_type)].isupper():
            info["doc_type"] = doc_type.capitalize()
            rest = p[len(doc_type) :].strip()
            if rest:
                title_parts.append(rest)
            i += 1
            while i < len(paragraphs) and not _PREAMBLE_START.match(paragraphs[i]) and not ROMAN.match(paragraphs[i]) and len(title_parts) < 4:
                if _NUMBER.match(paragraphs[i]) or _PLACE_DATE.match(paragraphs[i]) or paragraphs[i].startswith("("):
                    break
                title_parts.append(paragraphs[i])
                i += 1
            continue
        if p.isupper() and len(p.split()) <= 12 and "doc_type" not in info and not ROMAN.match(p):
            issuer_lines.append(p)  # "ỦY BAN NHÂN DÂN" / "HUYỆN CHỢ MỚI"
            i += 1
            continue
        break
    if title_parts:
        info["title"] = f"{info.get('doc_type', 'Kế hoạch')} {_sentence_case(' '.join(title_parts))}"
    if issuer_lines:
        info["issuer"] = _title_case_unit(" ".join(issuer_lines))
    return info, i


def _infer_issuer(text: str, place: str | None) -> str | None:
    m = _ISSUER_IN_TEXT.search(text)
    if m:
        return f"Ủy ban nhân dân {m.group('unit')} {m.group('name')}"
    counts: dict[tuple[str, str], int] = {}
    for m in _UNIT_MENTION.finditer(text):
        key = (m.group("unit"), m.group("name"))
        counts[key] = counts.get(key, 0) + 1
    if place:
        for (unit, name), _n in sorted(counts.items(), key=lambda kv: -kv[1]):
            if name.startswith(place) or place.startswith(name):
                return f"Ủy ban nhân dân {unit} {name}"
    if counts:
        (unit, name), n = max(counts.items(), key=lambda kv: kv[1])
        if n >= 3:
            return f"Ủy ban nhân dân {unit} {name}"
    return None


def _derive_title(preamble: list[str], doc_type: str | None) -> str | None:
    for p in preamble:
        m = re.search(r"\bNhằm\s+(?P<goal>[^.;]{10,200})", p)
        if m:
            goal = re.split(r"\.\s", m.group("goal"))[0].strip()
            return f"{doc_type or 'Kế hoạch'} {goal}"
    return None


def _short_title(heading: str, limit: int = 18) -> str:
    words = heading.split()
    text = " ".join(words[:limit]) + (" …" if len(words) > limit else "")
    return text.rstrip(":").strip()


def _build_sections(body: list[str]) -> tuple[list[str], list[Section]]:
    preamble: list[str] = []
    sections: list[Section] = []
    stack: list[Section] = []  # open numbered sections, outermost first
    positions: dict[int, int] = {}  # id(section) -> index in ``sections``

    def open_section(level: int, number: str, text: str, path_number: str) -> None:
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        path = f"{parent.path}.{path_number}" if parent else path_number
        is_sentence = text.endswith((".", ";", "/.")) or len(text.split()) > 25
        section = Section(
            path=path,
            number=number,
            level=level,
            title=_short_title(text),
            heading=text,
            paragraphs=[text] if is_sentence else [],
            parent=positions[id(parent)] if parent else None,
        )
        positions[id(section)] = len(sections)
        sections.append(section)
        stack.append(section)

    has_roman = any(ROMAN.match(p) for p in body)
    for p in body:
        if m := ROMAN.match(p):
            open_section(1, m["num"], m["text"], m["num"])
        elif m := DECIMAL.match(p):
            parts = m["num"].split(".")
            # "1.2" lives under "1": find the open arabic section with that number.
            level = (2 if has_roman else 1) + len(parts) - 1
            open_section(level, m["num"], m["text"], ".".join(parts[-1:]) if _parent_matches(stack, parts) else m["num"])
        elif m := ARABIC.match(p):
            open_section(2 if has_roman else 1, m["num"], m["text"], m["num"])
        elif (m := LETTER.match(p)) and stack:
            deepest = stack[-1]
            is_letter = len(deepest.number) == 1 and deepest.number.isalpha()
            open_section(deepest.level if is_letter else deepest.level + 1, m["num"], m["text"], m["num"])
        elif stack:
            stack[-1].paragraphs.append(p)
        else:
            preamble.append(p)
    for section in sections:
        section.footnotes = sorted({fid for text in [section.heading, *section.paragraphs] for fid in footnote_ids(text)})
    return preamble, sections


def _parent_matches(stack: list[Section], parts: list[str]) -> bool:
    """True when '1.2' sits under an open section numbered '1' (so its path is 'II.1.2')."""
    parent_number = ".".join(parts[:-1])
    while stack and stack[-1].number != parent_number and "." in stack[-1].number:
        stack.pop()
    return bool(stack) and stack[-1].number == parent_number


def parse_plan(text: str, fallback_title: str) -> PlanDocument:
    """Parse a plan's text. ``fallback_title`` names the document when it has no title line."""
    paragraphs, footnotes = assemble_paragraphs(text)
    if not paragraphs:
        raise PlanParseError("tài liệu không có nội dung chữ")
    info, start = _header(paragraphs)
    body, recipients, signer, signer_title = _split_tail(paragraphs[start:])
    preamble, sections = _build_sections(body)
    full_text = "\n".join(paragraphs)
    issuer = info.get("issuer") or _infer_issuer(full_text, info.get("place"))
    title = info.get("title")
    derived = False
    if not title:
        title = _derive_title(preamble, info.get("doc_type")) or fallback_title
        derived = True
    if not sections and not preamble:
        raise PlanParseError("không tìm thấy nội dung kế hoạch (chỉ có phần đầu/chữ ký)")
    return PlanDocument(
        title=title,
        doc_type=info.get("doc_type"),
        doc_number=info.get("doc_number"),
        issuer=issuer,
        place=info.get("place"),
        issued_date=info.get("issued_date"),
        date_text=info.get("date_text"),
        signer=signer,
        signer_title=signer_title,
        preamble=preamble,
        sections=sections,
        footnotes=footnotes,
        recipients=recipients,
        title_derived=derived,
    )
