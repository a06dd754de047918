"""Repair the text layer of a plan document into clean paragraphs.

Real plans arrive as PDF-to-text dumps, Word exports and Markdown: lines wrapped at the page
width, paragraphs cut in two by a page break (with the page's footnotes in between), bold and
italic markers, heading tables. This module returns paragraphs in reading order with footnote
definitions taken out and each footnote reference resolved to its definition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vietnamese.text import nfc

# Numbering and bullets that start a new structural line.
ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\s*[.:]\s*(?P<text>\S.*)$")
DECIMAL = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<text>\S.*)$")
ARABIC = re.compile(r"^(?P<num>\d{1,2})(?:\s*[.)](?!\d)|\s+[-–])\s*(?P<text>\S.*)$")
LETTER = re.compile(r"^(?P<num>[a-zđ])\s*[)]\s*(?P<text>\S.*)$")
BULLET = re.compile(r"^(?P<num>[-+•*–])\s+(?P<text>\S.*)$")
STRUCTURAL = (ROMAN, DECIMAL, ARABIC, LETTER, BULLET)

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# Footnote references: "⁽¹²⁾", "([1])", "[^1]", "[1]" glued to a word.
_FOOTNOTE_REF = re.compile(r"⁽([⁰¹²³⁴⁵⁶⁷⁸⁹\d]+)⁾|\(\[(\d+)\]\)|\[\^(\d+)\](?!:)|(?<=[^\s\d\[])\[(\d{1,2})\](?!\()")
_FOOTNOTE_DEF = re.compile(r"^(?:⁽([⁰¹²³⁴⁵⁶⁷⁸⁹\d]+)⁾|\(\[(\d+)\]\)|\[\^(\d+)\]:|\[(\d{1,2})\])\s*(?P<text>\S.*)$", re.DOTALL)
_TERMINAL = (".", ";", ":", "!", "?", "…", "”", '"', ")", "/.")
_FOOTNOTE_TOKEN = re.compile(r"\[\^fn(\d+)\]")


@dataclass
class Footnote:
    label: str
    text: str


def footnote_token(footnote_id: int) -> str:
    return f"[^fn{footnote_id}]"


def footnote_ids(text: str) -> list[int]:
    return [int(m) for m in _FOOTNOTE_TOKEN.findall(text)]


def render_footnotes(text: str, footnotes: dict[int, Footnote]) -> str:
    """Replace internal footnote tokens with the document's own label: '...qua[1].'"""
    return _FOOTNOTE_TOKEN.sub(lambda m: f"[{footnotes[int(m.group(1))].label}]" if int(m.group(1)) in footnotes else "", text)


def strip_footnotes(text: str) -> str:
    return _FOOTNOTE_TOKEN.sub("", text)


# ---------------------------------------------------------------------------
# Markdown


def _markdown_tables(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("|"):
            table = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                row = lines[i].strip().strip("|")
                if not re.fullmatch(r"[\s|:\-]+", row):
                    table.append([c.strip() for c in row.split("|")])
                i += 1
            out.extend(_flatten_table(table, header=not any(l.strip() for l in out)))
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    return out


def _flatten_table(rows: list[list[str]], header: bool) -> list[str]:
    if not header:
        return [" | ".join(c for c in row if c) for row in rows if any(row)]
    out = []
    for c in range(max((len(r) for r in rows), default=0)):
        for row in rows:
            if c < len(row) and row[c]:
                for part in re.split(r"<br\s*/?>", row[c]):
                    if part.strip():
                        out.extend([part.strip(), ""])  # each heading line is its own paragraph
    return out


def clean_markup(text: str) -> str:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"[\u200b\ufeff]", "", text)
    lines = [re.sub(r"^\s{0,3}#{1,6}\s+", "", line) for line in text.split("\n")]  # markdown headings
    lines = _markdown_tables(lines)
    text = "\n".join(lines)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text, flags=re.DOTALL)  # bold
    text = re.sub(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])", r"\1", text)  # italic *x*
    text = re.sub(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])", r"\1", text)  # italic _x_
    text = re.sub(r"^\s*\*\s+", "- ", text, flags=re.MULTILINE)  # markdown "* item" bullets
    return text


# ---------------------------------------------------------------------------
# Paragraph assembly


def is_structural(line: str) -> bool:
    return any(p.match(line) for p in STRUCTURAL)


def _is_heading_like(line: str) -> bool:
    """A short numbered heading ('2. Đối với Chỉ số PAPI') or an all-caps title line."""
    words = line.split()
    if len(words) <= 14 and not line.endswith(_TERMINAL) and (ROMAN.match(line) or DECIMAL.match(line) or ARABIC.match(line) or LETTER.match(line)):
        return True
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(words) <= 16


def _split_inline_bullets(line: str) -> list[str]:
    """'…nhà nước. - Gắn việc …' (bullets flattened onto one line) -> two lines."""
    return [part.strip() for part in re.split(r"(?<=[.;:])\s+[-–]\s+(?=[A-ZÀ-ỸĐ])", line) if part.strip()]


PREAMBLE_START = re.compile(r"^(Căn cứ|Thực hiện|Nhằm|Để|Theo|Triển khai|Trên cơ sở|Xét|Nơi nhận)\b")
DOC_TYPES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "BÁO CÁO", "THÔNG BÁO", "CÔNG VĂN", "NGHỊ QUYẾT")
_HEADER_LINE = re.compile(r"^(Số\s*:|[^,\d]{2,40},\s*ngày\b|Độc lập\s*-)", re.IGNORECASE)


def _continues(previous: str, line: str, across_blank: bool) -> bool:
    """Should ``line`` be glued to the paragraph ending with ``previous``?"""
    if not previous or is_structural(line) or _FOOTNOTE_DEF.match(line) or _HEADER_LINE.match(line):
        return False
    if (_HEADER_LINE.match(previous) or previous.upper().startswith(DOC_TYPES)) and not line[0].islower():
        return False
    first = line[0]
    ends_open = not previous.rstrip().endswith(_TERMINAL)
    numbered = any(p.match(previous) for p in (ROMAN, DECIMAL, ARABIC, LETTER))
    if across_blank:
        # A page break cuts a sentence: it goes on with a lower-case word, a date/number after
        # "ngày"/"số", or — after a long unfinished paragraph — with any word but a new heading.
        if not ends_open or PREAMBLE_START.match(line) or line.startswith("("):
            return False
        date_goes_on = first.isdigit() and bool(re.search(r"\b(ngày|số|năm|tháng)$", previous))
        if _is_heading_like(previous) or numbered:
            return first.islower() or date_goes_on
        if first.islower() or date_goes_on:
            return True
        return len(previous.split()) >= 8
    if _is_heading_like(previous) and not first.islower():
        return False
    return ends_open or first.islower()


def assemble_paragraphs(text: str) -> tuple[list[str], dict[int, Footnote]]:
    """Clean ``text`` into paragraphs; footnote definitions are removed and references resolved."""
    raw_lines = clean_markup(text).split("\n")
    # 1. Physical lines -> candidate paragraphs (blank lines remembered as breaks).
    items: list[tuple[str, bool]] = []  # (line, preceded_by_blank)
    blank = False
    for raw in raw_lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            blank = True
            continue
        for i, part in enumerate(_split_inline_bullets(line)):
            items.append((part, blank and i == 0))
        blank = False

    # 2. Separate footnote definitions (they interrupt paragraphs at page bottoms).
    body: list[tuple[str, bool]] = []
    definitions: list[tuple[int, str, str]] = []  # (position in body, label, text)
    current_def: list | None = None
    for line, after_blank in items:
        m = _FOOTNOTE_DEF.match(line)
        if m:
            label = next(g for g in m.groups()[:4] if g).translate(_SUPERSCRIPT)
            current_def = [len(body), label, m.group("text")]
            definitions.append(current_def)  # type: ignore[arg-type]
            continue
        if current_def is not None and not after_blank and not is_structural(line):
            current_def[2] += " " + line  # a footnote wrapped over several lines
            continue
        current_def = None
        body.append((line, after_blank))

    # 3. Resolve references: each goes to the first definition with its label after it.
    footnotes: dict[int, Footnote] = {}
    used: set[int] = set()
    resolved_lines: list[tuple[str, bool]] = []
    for position, (line, after_blank) in enumerate(body):

        def resolve(match: re.Match[str]) -> str:
            label = next(g for g in match.groups() if g).translate(_SUPERSCRIPT)
            free = [i for i, d in enumerate(definitions) if d[1] == label and i not in used]
            # the page's footnotes follow the reference; a sentence continued on the next page
            # has its reference just after them
            after = [i for i in free if definitions[i][0] > position]
            before = [i for i in free if position - 6 <= definitions[i][0] <= position]
            chosen = after[0] if after else (before[-1] if before else None)
            if chosen is None:
                return ""
            used.add(chosen)
            footnotes[chosen] = Footnote(label, definitions[chosen][2].strip())
            return footnote_token(chosen)

        resolved_lines.append((_FOOTNOTE_REF.sub(resolve, line), after_blank))
    for index, (_pos, label, def_text) in enumerate(definitions):
        if index not in used:  # a definition without a reference: keep it, unattached
            footnotes[index] = Footnote(label, def_text.strip())

    # 4. Join hard-wrapped lines and page-broken paragraphs.
    paragraphs: list[str] = []
    for line, after_blank in resolved_lines:
        if paragraphs and _continues(paragraphs[-1], line, after_blank):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs, footnotes
