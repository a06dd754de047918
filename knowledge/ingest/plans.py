"""Parse a plan document (kế hoạch, chỉ thị) into metadata and a section tree.

Metadata: số hiệu (341/KH-UBND), issuing body, place, date, title, signer. Sections follow the
document's own numbering — I., 1., 1.1., a) — and are addressed by the numbers joined with dots
("II.3.a"). Bullets stay inside their section. Footnotes are attached to the section that
references them. The distribution list ("Nơi nhận") and the signature block are kept apart.
Appendices after the signature (Phụ lục) are sections too, under a root "Phụ lục"; a table's
group rows become sections and its rows paragraphs of them.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from knowledge.ingest.plan_header import APPENDIX, caps_to_sentence, derive_title, from_crawl, infer_issuer, read_header, split_tail, upper_share
from knowledge.ingest.plan_text import (
    ARABIC,
    DECIMAL,
    LETTER,
    ROMAN,
    Footnote,
    assemble_paragraphs,
    crawl_metadata,
    footnote_ids,
)

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
    kind: str = ""  # "appendix" (an appendix's root), "table" (a table's group row), "heading" (set in bold) or ""


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


def _short_title(heading: str, limit: int = 18) -> str:
    label = re.match(r"^(?P<head>[^:]{2,90}):\s*\S", heading)
    if label and 2 <= len(label.group("head").split()) <= 12 and not re.match(r"^(Đề nghị|Giao)\b", label.group("head")) and len(heading.split()) > len(label.group("head").split()) + 3:
        heading = label.group("head")  # "Sở Tài chính: Căn cứ …" -> "Sở Tài chính"
    words = heading.split()
    text = " ".join(words[:limit]) + (" …" if len(words) > limit else "")
    return text.rstrip(":").strip()


_TASK_LABEL = re.compile(r"^(Nhiệm vụ|Nội dung(?: thực hiện| công việc| nhiệm vụ)?|Tên nhiệm vụ)\s*(:|$)", re.IGNORECASE)
_BLOCK_LABEL = re.compile(
    r"^(Nhiệm vụ|Nội dung(?: thực hiện| công việc| nhiệm vụ)?|Tên nhiệm vụ|(?:Cơ quan|Đơn vị|Bộ phận)(?:,\s*\w+)?\s+(?:chủ trì|phối hợp|thực hiện)[^:]{0,20}|"
    r"Chủ trì|Phối hợp|Thời gian(?: thực hiện| hoàn thành)?|Thời hạn(?: hoàn thành)?|Tiến độ(?: thực hiện)?|Sản phẩm[^:]{0,20}|Kết quả[^:]{0,20}|Kinh phí[^:]{0,20})\s*(:|$)",
    re.IGNORECASE,
)
_GROUP = re.compile(r"^(?P<num>[IVXLC]{1,6}|[A-ZĐ]|\d{1,3}(?:\.\d{1,3})*)[.)]\s+(?P<text>\S.*)$")


class _Builder:
    """Sections from paragraphs, one part (the body, an appendix) after another."""

    def __init__(self) -> None:
        self.preamble: list[str] = []
        self.sections: list[Section] = []
        self.stack: list[Section] = []  # open numbered sections, outermost first
        self.positions: dict[int, int] = {}  # id(section) -> index in ``sections``
        self.base = 0  # levels taken by an appendix root
        self.has_roman = False
        self.table: Section | None = None  # the section a table being read belongs to
        self.in_table = False
        self.groups = 0
        self.block_open = False

    def open(self, level: int, number: str, text: str, path_number: str, sentence: bool, kind: str = "") -> Section:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        path = f"{parent.path}.{path_number}" if parent else path_number
        section = Section(
            path=path, number=number, level=level, title=_short_title(text), heading=text,
            paragraphs=[text] if sentence else [], parent=self.positions[id(parent)] if parent else None, kind=kind,
        )
        self.positions[id(section)] = len(self.sections)
        self.sections.append(section)
        self.stack.append(section)
        return section

    def part(self, paragraphs: list[str], root: Section | None = None) -> None:
        self.stack = [root] if root else []
        self.base = root.level if root else 0
        self.has_roman = any(ROMAN.match(p) for p in paragraphs if getattr(p, "kind", "") != "group")
        self.in_table = False
        for p in paragraphs:
            self.feed(p)
        self.end_table()

    def end_table(self) -> None:
        if self.in_table:
            while self.stack and self.stack[-1] is not self.table and self.stack[-1].kind == "table":
                self.stack.pop()
        self.in_table = False

    def start_table(self) -> None:
        if not self.in_table:
            self.table = self.stack[-1] if self.stack else None
            self.in_table = True
            self.groups = 0

    def feed(self, p: str) -> None:
        kind = getattr(p, "kind", "")
        if kind == "group":
            self.start_table()
            while self.stack and self.stack[-1] is not self.table:
                self.stack.pop()
            self.groups += 1
            m = _GROUP.match(p)
            number, text = (m["num"], m["text"]) if m else (str(self.groups), str(p))
            level = (self.table.level + 1) if self.table else self.base + 1
            if upper_share(text) > 0.8:
                text = caps_to_sentence(text, None)
                text = text[:1].upper() + text[1:]
            self.open(level, number, text, number, False, kind="table")
            return
        if kind == "row":
            self.start_table()
            (self.stack[-1].paragraphs if self.stack else self.preamble).append(str(p))
            return
        self.end_table()
        sentence_ok = kind != "heading"
        titled = "heading" if kind == "heading" else ""
        base, roman = self.base, self.has_roman
        item = LETTER.match(p) or ARABIC.match(p)
        if item and self.stack and _BLOCK_LABEL.match(item["text"]) and (self.block_open or _TASK_LABEL.match(item["text"])):
            # "a) Nhiệm vụ: … b) Cơ quan thực hiện: … c) Thời gian thực hiện: …" is one task's block
            self.stack[-1].paragraphs.append(item["text"])
            self.block_open = True
            return
        if any(pattern.match(p) for pattern in (ROMAN, DECIMAL, ARABIC, LETTER)):
            self.block_open = False
        if m := ROMAN.match(p):
            self.open(base + 1, m["num"], m["text"], m["num"], sentence_ok and _is_sentence(m["text"]), titled)
        elif m := DECIMAL.match(p):
            parts = m["num"].split(".")
            # "1.2" lives under "1": find the open arabic section with that number.
            level = base + (2 if roman else 1) + len(parts) - 1
            path_number = ".".join(parts[-1:]) if _parent_matches(self.stack, parts) else m["num"]
            self.open(level, m["num"], m["text"], path_number, sentence_ok and _is_sentence(m["text"]), titled)
        elif m := ARABIC.match(p):
            self.open(base + (2 if roman else 1), m["num"], m["text"], m["num"], sentence_ok and _is_sentence(m["text"]), titled)
        elif (m := LETTER.match(p)) and self.stack and self.stack[-1].kind != "appendix":
            deepest = self.stack[-1]
            is_letter = len(deepest.number) == 1 and deepest.number.isalpha()
            self.open(deepest.level if is_letter else deepest.level + 1, m["num"], m["text"], m["num"], sentence_ok and _is_sentence(m["text"]), titled)
        elif self.stack:
            self.stack[-1].paragraphs.append(str(p))
        else:
            self.preamble.append(str(p))


def _is_sentence(text: str) -> bool:
    return text.endswith((".", ";", "/.")) or len(text.split()) > 25 or bool(re.match(r"^[^:]{2,90}:\s*\S.{20,}", text))


def _appendix_parts(appendix: list[str]) -> list[tuple[str, list[str]]]:
    parts: list[tuple[str, list[str]]] = []
    for p in appendix:
        if APPENDIX.match(p) and getattr(p, "kind", "") not in ("row", "group"):
            parts.append((str(p), []))
        elif parts:
            parts[-1][1].append(p)
    return parts


def _build_sections(body: list[str], appendix: list[str] | None = None) -> tuple[list[str], list[Section]]:
    builder = _Builder()
    builder.part(body)
    for heading, paragraphs in _appendix_parts(appendix or []):
        label = re.match(r"^(?:PHỤ LỤC|Phụ lục|PHỤ BIỂU|Phụ biểu|MẪU BIỂU|Mẫu biểu|BIỂU MẪU|Biểu mẫu)(?:\s+số)?\s*(?P<n>[IVXLC\d]+)?", heading)
        path = "Phụ lục" + (f" {label['n']}" if label and label["n"] else "")
        if any(s.path == path for s in builder.sections):
            path = f"{path} ({sum(s.kind == 'appendix' for s in builder.sections) + 1})"
        # the appendix's name: its first lines in capitals ("DANH MỤC NHIỆM VỤ …")
        names = []
        while paragraphs and getattr(paragraphs[0], "kind", "") not in ("row", "group") and upper_share(paragraphs[0]) > 0.8 and len(names) < 3:
            names.append(str(paragraphs.pop(0)))
        name = caps_to_sentence(" ".join(names), None) if names else heading
        name = name[:1].upper() + name[1:]
        root = Section(path=path, number=path, level=1, title=_short_title(name), heading=f"{heading}: {name}" if names else heading, kind="appendix")
        builder.positions[id(root)] = len(builder.sections)
        builder.sections.append(root)
        builder.part(paragraphs, root)
    for section in builder.sections:
        section.footnotes = sorted({fid for text in [section.heading, *section.paragraphs] for fid in footnote_ids(text)})
    return builder.preamble, builder.sections


def _parent_matches(stack: list[Section], parts: list[str]) -> bool:
    """True when '1.2' sits under an open section numbered '1' (so its path is 'II.1.2')."""
    parent_number = ".".join(parts[:-1])
    while stack and stack[-1].number != parent_number and "." in stack[-1].number:
        stack.pop()
    return bool(stack) and stack[-1].number == parent_number


_CARRIED_OUT = re.compile(r"\b(Chỉ thị|Nghị quyết|Kế hoạch|Quyết định|Kết luận|Thông báo|Công văn) số\s*([\w./-]*\d[\w./-]*)")


def _title_from_text(paragraphs: list[str]) -> str | None:
    """A document with no title line is named by what it carries out ("Văn bản thực hiện Chỉ
    thị số 11-CT/TU") or by its first words, not by its file name."""
    opening = " ".join(paragraphs[:2])
    m = _CARRIED_OUT.search(opening)
    if m:
        return f"Văn bản thực hiện {m.group(1)} số {m.group(2).rstrip('.,;')}"
    words = re.sub(r"^\W*\d+[.)]?\s*", "", paragraphs[0]).split()
    return ("Văn bản không có tiêu đề: “" + " ".join(words[:10]) + "…”") if len(words) >= 4 else None


def parse_plan(text: str, fallback_title: str) -> PlanDocument:
    """Parse a plan's text. ``fallback_title`` names the document when it has no title line."""
    paragraphs, footnotes = assemble_paragraphs(text)
    if not paragraphs:
        raise PlanParseError("tài liệu không có nội dung chữ")
    info, start = read_header(paragraphs)
    from_crawl(crawl_metadata(text), info)
    body, recipients, signer, signer_title, appendix = split_tail(paragraphs[start:])
    preamble, sections = _build_sections(body, appendix)
    full_text = "\n".join(paragraphs)
    issuer = info.get("issuer") or infer_issuer(full_text, info.get("place"))
    title = info.get("title")
    derived = False
    if not title:
        title = derive_title(preamble, info.get("doc_type")) or _title_from_text(paragraphs) or fallback_title
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
