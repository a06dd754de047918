"""Read plan documents (.txt, .md, .docx, .pdf) into plain text with one paragraph per line
block. Layout repair (hard wraps, page breaks, footnotes) happens later in plan_text. A .docx
gives its heading table column by column, its other tables as Markdown rows and its paragraphs
set wholly in bold as Markdown bold, so that it reads like the crawled Markdown of the same plan."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

PLAN_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf"}


class UnreadableFile(ValueError):
    """A file that cannot be read as a plan document; the message is shown to the operator."""


def read_plan_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".txt", ".md", ".markdown"}:
        return decode_text(path.read_bytes(), path)
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    raise UnreadableFile(f"{path.name}: định dạng {suffix or '(không có đuôi)'} không được hỗ trợ")


def decode_text(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise UnreadableFile(f"{path.name}: tệp nhị phân, không phải văn bản")
    try:
        return data.decode("cp1258")  # legacy Vietnamese Windows encoding
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path.name}: không đọc được mã ký tự (cần UTF-8)") from exc


# ---------------------------------------------------------------------------
# .docx


def read_docx(path: Path) -> str:
    import zipfile

    from docx import Document as DocxDocument
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = DocxDocument(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"{path.name}: không mở được tệp Word (.docx hỏng hoặc sai định dạng)") from exc
    numbering = _Numbering(doc)
    blocks: list[str] = []
    seen_text = False
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, doc)
            text = paragraph.text.strip()
            if not text:
                continue
            prefix = numbering.prefix(paragraph)
            text = f"{prefix} {text}" if prefix else text
            blocks.append(f"**{text}**" if _all_bold(paragraph) else text)
            seen_text = True
        elif tag == "tbl":
            blocks.extend(_table_blocks(Table(element, doc), header=not seen_text))
    return "\n\n".join(blocks)


def _all_bold(paragraph) -> bool:
    """A paragraph set in bold throughout is a heading: marked as Markdown bold, as crawled plans are."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(paragraph.style is not None and paragraph.style.font is not None and paragraph.style.font.bold)
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


def _table_blocks(table, header: bool) -> list[str]:
    rows = [[_cell_text(cell) for cell in row.cells] for row in table.rows]
    if header:
        # The heading table of a Vietnamese administrative document: issuer and number on the
        # left, national motto and place/date on the right. Read it column by column.
        columns = max((len(r) for r in rows), default=0)
        out = []
        for c in range(columns):
            for row in rows:
                if c < len(row) and row[c] and (c == 0 or row[c] != row[c - 1]):
                    out.append(row[c])
        return out
    # Other tables (a signature block, a table of tasks) as Markdown rows: plan_text reads a
    # table of tasks by its heading row and gives the other cells as paragraphs.
    lines = []
    for row in rows:
        cells = [cell if k == 0 or cell != row[k - 1] else "" for k, cell in enumerate(row)]  # merged cells repeat
        if any(cells):
            lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", "<br>") for c in cells) + " |")
    return ["\n".join(lines)] if lines else []


def _cell_text(cell) -> str:
    """A cell's paragraphs, one a line: a heading or signature cell stays lines."""
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


class _Numbering:
    """Renders Word's automatic list numbers ("1.", "a)", "II.") that are not in the text."""

    _ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]

    def __init__(self, doc) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = doc.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        w = "{%s}" % ns["w"]
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.findall("w:abstractNum", ns):
            lvls = {}
            for lvl in a.findall("w:lvl", ns):
                ilvl = int(lvl.get(w + "ilvl"))
                fmt = lvl.find("w:numFmt", ns)
                text = lvl.find("w:lvlText", ns)
                start = lvl.find("w:start", ns)
                lvls[ilvl] = (
                    fmt.get(w + "val") if fmt is not None else "decimal",
                    text.get(w + "val") if text is not None else "%1.",
                    int(start.get(w + "val")) if start is not None else 1,
                )
            abstract[a.get(w + "abstractNumId")] = lvls
        for num in root.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(w + "val"), {}).items():
                self.levels[(num.get(w + "numId"), ilvl)] = spec

    @staticmethod
    def _num_pr(paragraph):
        """Numbering set on the paragraph, else inherited from its style chain ("List Number")."""
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            return ppr.numPr
        style = paragraph.style
        while style is not None:
            spr = style.element.pPr
            if spr is not None and spr.numPr is not None and spr.numPr.numId is not None:
                return spr.numPr
            style = style.base_style
        return None

    def prefix(self, paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ""
        fmt, text, start = spec
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "-"
        rendered = text
        for level in range(ilvl + 1):
            level_fmt = self.levels.get((num_id, level), (fmt, "", 1))[0]
            rendered = rendered.replace(f"%{level + 1}", self._format(max(counters[level], 1), level_fmt))
        return rendered

    def _format(self, n: int, fmt: str) -> str:
        if fmt == "lowerLetter":
            return "abcdefghiklmnopqrstuvxy"[(n - 1) % 23]
        if fmt == "upperLetter":
            return "ABCDEFGHIKLMNOPQRSTUVXY"[(n - 1) % 23]
        if fmt in ("upperRoman", "lowerRoman"):
            out = ""
            for value, numeral in self._ROMAN:
                while n >= value:
                    out += numeral
                    n -= value
            return out if fmt == "upperRoman" else out.lower()
        return str(n)


# ---------------------------------------------------------------------------
# .pdf


def read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile(f"{path.name}: không đọc được tệp PDF ({exc.__class__.__name__})") from exc
    if not any(p.strip() for p in pages):
        raise UnreadableFile(f"{path.name}: PDF không có lớp chữ (bản quét ảnh); cần bản có chữ hoặc .docx")
    return "\n\n".join(_strip_page_furniture(pages))


def _strip_page_furniture(pages: list[str]) -> list[str]:
    """Drop page numbers and running headers/footers repeated on most pages."""
    line_pages: Counter[str] = Counter()
    for page in pages:
        for line in {line.strip() for line in page.splitlines() if line.strip()}:
            line_pages[line] += 1
    repeated = {line for line, n in line_pages.items() if len(pages) >= 3 and n >= 0.6 * len(pages) and len(line) < 80}
    cleaned = []
    for page in pages:
        lines = [
            line
            for line in page.splitlines()
            if line.strip() not in repeated and not re.fullmatch(r"\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*", line)
        ]
        cleaned.append("\n".join(lines))
    return cleaned
