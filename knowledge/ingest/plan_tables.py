"""Tables in a plan's text: heading tables, signature tables and tables of tasks.

Crawled documents write a table one cell a line block, cells separated by lines holding only
"|" (two such lines in a row end a row or leave a cell empty); Markdown writes "| a | b |" rows;
the .docx reader writes the latter. The heading table (issuer, number, place and date) and the
signature table only lose their separators: each cell becomes a paragraph. A table whose first
row names its columns ("STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian") is read
row by row: a group row ("I | NÂNG CAO NHẬN THỨC") becomes a heading, a data row one paragraph
"<content> | Cơ quan chủ trì: … | Cơ quan phối hợp: … | Thời gian hoàn thành: …" that reads on
its own and that the task extractor splits again by its labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from vietnamese.text import fold


class Para(str):
    """A paragraph with what the layout said about it: kind "" (text), "heading" (a whole line in
    bold or italics), "row" (a table row) or "group" (a table's group row)."""

    kind: str = ""

    def __new__(cls, text: str, kind: str = "") -> "Para":
        obj = super().__new__(cls, text)
        obj.kind = kind
        return obj


PIPE = re.compile(r"^\s*\|\s*$")
_MD_ROW = re.compile(r"^\s*\|(?=.*\S.*\|).*\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*\|?\s*$")

# What a column holds, read from its heading.
_COLUMNS = [
    ("number", re.compile(r"^(stt|tt|so tt|so thu tu|thu tu)$")),
    ("coordinating", re.compile(r"phoi hop")),
    ("lead", re.compile(r"chu tri|(co quan|don vi|bo phan).*(thuc hien|chiu trach nhiem)|^thuc hien$|trach nhiem|phan cong")),
    ("time", re.compile(r"thoi gian|thoi han|tien do|hoan thanh|moc")),
    ("product", re.compile(r"san pham|ket qua")),
    ("note", re.compile(r"ghi chu")),
    ("content", re.compile(r"noi dung|nhiem vu|cong viec|hoat dong|giai phap|ten |danh muc|chuong trinh|de an")),
]
_NOT_A_COLUMN = re.compile(r"don vi tinh")
_ROW_LABEL = re.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?$")


def plain(text: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"\*\*|__|(?<![\w])\*|\*(?![\w])|(?<![\w])_|_(?![\w])", "", text)
    return " ".join(text.split())


def _column(heading: str) -> str | None:
    f = " ".join(re.sub(r"[^\w\s]", " ", fold(plain(heading))).split())
    if not f or _NOT_A_COLUMN.search(f):
        return None
    for role, pattern in _COLUMNS:
        if pattern.search(f):
            return role
    return None


@dataclass
class _Cell:
    lines: list[str]
    closed: bool  # a separator follows
    text: str = ""
    broken: bool = False  # holds a blank line: the table ended before it

    def __post_init__(self) -> None:
        inner = self.lines
        while inner and not inner[0].strip():
            inner = inner[1:]
        self.broken = any(not line.strip() for line in self.lines) and bool(inner)
        self.text = plain(" ".join(line.strip() for line in self.lines))


@dataclass
class Table:
    columns: list[str | None]
    headings: list[str]
    rows: list[Para] = field(default_factory=list)


def _markdown_table(rows: list[list[str]]) -> list[tuple[str, object]]:
    """A Markdown table (or one the .docx reader wrote): a heading or signature table gives its
    cells as paragraphs, a table of tasks its rows. A row whose number cell is empty continues
    the row above (a cell wrapped over two table lines)."""
    width = max(len(r) for r in rows)
    head = [plain(c) for c in rows[0]]
    roles = [_column(h) for h in head]
    named = sum(r is not None for r in roles)
    if len(head) < 3 or named < 2 or named < 0.5 * len(head) or not any(r in ("number", "lead", "time") for r in roles):
        pieces: list[tuple[str, object]] = []
        for row in rows:
            for cell in row:
                parts = [p.strip() for p in re.split(r"<br\s*/?>", cell) if p.strip()]
                if parts:
                    pieces.append(("lines", [""] + parts + [""]))
        return pieces
    table = Table(roles + [None] * (width - len(roles)), head + [""] * (width - len(head)))
    merged: list[list[str]] = []
    for row in rows[1:]:
        cells = [plain(c) for c in row] + [""] * (width - len(row))
        if merged and not cells[0] and any(cells[1:]) and sum(bool(c) for c in merged[-1]) >= 3 and not _header_like(cells):
            merged[-1] = [f"{a} {b}".strip() for a, b in zip(merged[-1], cells)]
            continue
        if _header_like(cells):
            continue  # the heading row repeated on a new page
        merged.append(cells)
    out: list[tuple[str, object]] = []
    for cells in merged:
        while cells and not cells[-1]:
            cells = cells[:-1]
        out += [("para", p) for p in _row_paragraphs(table, cells)]
    return out


def _header_like(cells: list[str]) -> bool:
    roles = [_column(c) for c in cells if c]
    return len(roles) >= 2 and all(roles)


def _markdown_pieces(lines: list[str]) -> list[tuple[str, object]]:
    """Split Markdown tables ('| a | b |' lines) out of the text."""
    pieces: list[tuple[str, object]] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        if _MD_ROW.match(lines[i]):
            rows = []
            while i < len(lines) and (_MD_ROW.match(lines[i]) or (_MD_RULE.match(lines[i]) and "|" in lines[i])):
                if not _MD_RULE.match(lines[i]):
                    rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            if text:
                pieces.append(("lines", text))
                text = []
            pieces += _markdown_table(rows)
            continue
        text.append(lines[i])
        i += 1
    if text:
        pieces.append(("lines", text))
    return pieces


def _header_at(cells: list[_Cell], i: int) -> int:
    """The number of cells of a column-heading row starting at ``cells[i]`` (0: none)."""
    j = i
    while j < len(cells) and cells[j].text and not cells[j].broken and cells[j].closed:
        j += 1
    n = j - i
    if n < 3 or (j < len(cells) and cells[j].text):
        return 0
    heads = [cells[k].text for k in range(i, j)]
    if any(len(h.split()) > 9 or h.endswith((".", ";")) for h in heads):
        return 0
    roles = [_column(h) for h in heads]
    named = sum(r is not None for r in roles)
    bold = all(cells[k].lines and cells[k].lines[0].lstrip().startswith(("**", "__")) for k in range(i, j))
    if named < 2 or not (bold or named >= 0.6 * n) or not any(r in ("number", "lead", "time") for r in roles):
        return 0
    if any(_ROW_LABEL.match(h) for h in heads):
        return 0  # a data row numbered "9.3"
    return n


def _label(heading: str) -> str:
    text = plain(heading).strip(" :")
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


def _row_paragraphs(table: Table, row: list[str]) -> list[Para]:
    cells = [c for c in row]
    filled = [c for c in cells if c]
    if not filled:
        return []
    n = len(table.columns)
    number_first = table.columns[0] == "number"
    is_label = bool(_ROW_LABEL.match(filled[0]))
    if not number_first and is_label and cells and cells[0] == filled[0] and len(filled) >= 3:
        cells = cells[1:]  # a row number under a heading row that has no number column
        filled = filled[1:]
        is_label = False
    if len(filled) <= 2 and (len(cells) < n - 1 or len(filled) == 1):
        # a group row: "I | NHÓM GIẢI PHÁP …" or "II. HOÀN THIỆN CƠ CHẾ …"
        if len(filled) == 2 and is_label:
            label = filled[0].rstrip(".)")
            return [Para(f"{label}. {filled[1]}", "group")]
        if len(filled) == 1 and not is_label:
            return [Para(filled[0], "group")]
    content_col = next((k for k, role in enumerate(table.columns) if role == "content"), None)
    if content_col is None:
        content_col = 1 if number_first and n > 1 else 0
    if len(cells) < n and number_first and not is_label:
        cells = [""] + cells  # a row without its number
    content = cells[content_col] if content_col < len(cells) else ""
    if not content:
        others = [c for k, c in enumerate(cells) if c and k != 0]
        if not others:
            return []
        content = max(others, key=len)
    parts = [content]
    for k, cell in enumerate(cells):
        if k == content_col or not cell or k >= n or table.columns[k] == "number" or cell == content:
            continue
        parts.append(f"{_label(table.headings[k])}: {cell}")
    return [Para(" | ".join(parts), "row")]


def _rows(table: Table, cells: list[_Cell], start: int) -> int:
    """Read the rows of ``table`` from ``cells[start]``; returns the index after the table."""
    n = len(table.columns)
    row: list[str] = []
    empties = 0
    i = start
    while i < len(cells):
        cell = cells[i]
        if cell.broken or not cell.closed:
            break
        if not cell.text or re.fullmatch(r"[.…\s]+", cell.text):
            empties += 1
            i += 1
            continue
        limit = n + (1 if row and table.columns[0] != "number" and _ROW_LABEL.match(row[0]) else 0)
        if row and len(row) >= limit and not empties:
            table.rows += _row_paragraphs(table, row)  # a row cannot hold more cells than the table has columns
            row = []
        if empties:
            starts_row = bool(_ROW_LABEL.match(cell.text)) or cell.lines[0].lstrip().startswith("**")
            if row and (len(row) >= n or (starts_row and len(row) >= 1)):
                table.rows += _row_paragraphs(table, row)  # the other empty cells ended that row
                row = []
                empties = 0
            if row:
                row.extend([""] * empties)  # empty cells inside a row
            empties = 0
        # a repeated or new heading row inside the table
        width = _header_at(cells, i) if not row else 0
        if width:
            table.columns = [_column(c.text) for c in cells[i : i + width]]
            table.headings = [c.text for c in cells[i : i + width]]
            n = width
            i += width
            continue
        row.append(cell.text)
        i += 1
    if row:
        table.rows += _row_paragraphs(table, row)
    return i


def split_tables(lines: list[str]) -> list[tuple[str, object]]:
    """The text as pieces: ("lines", [str]) for running text, ("para", Para) for table rows."""
    pieces: list[tuple[str, object]] = []
    for kind, piece in _markdown_pieces(lines):
        pieces += _pipe_tables(piece) if kind == "lines" else [(kind, piece)]  # type: ignore[arg-type]
    return pieces


def _pipe_tables(lines: list[str]) -> list[tuple[str, object]]:
    """Tables written one cell a line block between "|" lines."""
    cells: list[_Cell] = []
    current: list[str] = []
    opened = False
    lead: list[str] = []  # text before the first separator
    for line in lines:
        if PIPE.match(line):
            if opened:
                cells.append(_Cell(current, True))
            else:
                lead = current
            current, opened = [], True
            continue
        current.append(line)
    pieces: list[tuple[str, object]] = [("lines", lead)] if lead else []
    if not opened:
        return [("lines", current)]
    tail = current
    i = 0
    while i < len(cells):
        width = _header_at(cells, i)
        if width:
            table = Table([_column(c.text) for c in cells[i : i + width]], [c.text for c in cells[i : i + width]])
            end = _rows(table, cells, i + width)
            pieces += [("para", row) for row in table.rows]
            i = end
            continue
        # a cell of a heading or signature table, or text between tables: its own block
        pieces.append(("lines", [""] + cells[i].lines + [""]))
        i += 1
    pieces.append(("lines", [""] + tail))
    return pieces
