"""Repair the text layer of a plan document into clean paragraphs.

Real plans arrive as PDF-to-text dumps, Word exports and Markdown crawled from legal-document
sites: lines wrapped at the page width, paragraphs cut in two by a page break (with the page's
footnotes in between), bold and italic markers that wrap across lines ("**III. NHIỆM VỤ,\nGIẢI
PHÁP**"), heading and signature tables, tables of tasks, and the crawl's own page around the
document. This module drops the crawl page (``crawl``), reads the tables (``plan_tables``),
joins wrapped emphasis and marks headings set in bold, and returns paragraphs in reading order
with footnote definitions taken out and each footnote reference resolved to its definition.
Crawled text separates paragraphs with blank lines and wraps each one; other text is joined
line by line by what the lines look like.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.ingest.crawl import strip_crawl
from knowledge.ingest.plan_tables import PIPE, Para, plain, split_tables
from vietnamese.text import nfc

# Letter classes by case (a range like "À-Ỹ" holds lower-case letters too).
UPPER = "[" + "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and c.isupper()) + "]"
LOWER = "[" + "".join(c for c in map(chr, range(0x61, 0x1F00)) if c.isalpha() and c.islower()) + "]"

# Numbering and bullets that start a new structural line.
ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\s*[.:]\s*(?P<text>\S.*)$")
DECIMAL = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<text>\S.*)$")
ARABIC = re.compile(r"^(?P<num>\d{1,2})(?:\s*[.)](?!\d)|\s+[-–])\s*(?P<text>\S.*)$")
LETTER = re.compile(rf"^(?P<num>[a-zđ])(?:\s*[)]|\.(?=\s+{UPPER}))\s*(?P<text>\S.*)$")
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
# Markup: emphasis that wraps across lines, headings set in bold or italics


def normalize(text: str) -> str:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r"[\u200b\ufeff]", "", text)


_RULE_LINE = re.compile(r"^\s*[-_=*.…]{3,}\s*$")


def _open_marks(line: str) -> bool:
    """True when ``line`` opens a bold or italic span it does not close."""
    bold = line.count("**") + line.count("__")
    single = re.sub(r"\*\*|__", "", line)
    single = re.sub(r"^\s*\*\s+", "", single)  # a "* item" bullet
    italic = len(re.findall(r"(?<![\w*])\*|\*(?![\w*])", single))
    return bold % 2 == 1 or italic % 2 == 1


def _join_emphasis(lines: list[str]) -> list[str]:
    """'**III. NHIỆM VỤ,' + 'GIẢI PHÁP**' -> one line: a wrapped bold heading is one heading."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        joined = 0
        while _open_marks(line) and i + 1 < len(lines) and lines[i + 1].strip() and not PIPE.match(lines[i + 1]) and joined < 6:
            nxt = lines[i + 1]
            if is_structural(plain(nxt)) and plain(line).strip(" .:") and not re.fullmatch(r"[\dIVX.)\s]*", plain(line)):
                break
            line = f"{line.rstrip()} {nxt.strip()}"
            i += 1
            joined += 1
        out.append(line)
        i += 1
    return out


_RUN = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S|\s)\1\s*[:.]?\s*")


def _all_emphasis(core: str) -> bool:
    """Is the whole line set in bold or italics ("**2. Yêu cầu**", "**2.** **Sở Y tế:**")?"""
    if core.startswith(("* ", "- ")) or not re.match(r"^(\*|_)", core):
        return False
    position = 0
    while position < len(core):
        m = _RUN.match(core, position)
        if not m or m.end() == position:
            return bool(re.fullmatch(r"[\s*_:.]*", core[position:]))
        position = m.end()
    return True


_HEAD_RUN = re.compile(r"^\s*(?P<mark>\*\*|__|\*|_)(?P<head>.+?)(?P=mark)(?P<rest>.*)$")


def _styled(line: str) -> list[tuple[str, str]]:
    """A source line -> [(text, kind)]: kind "heading" when the line (or its bold lead) is a
    heading set in bold or italics ("**2. Sở Nội vụ:** Tham mưu …" -> heading + text)."""
    core = line.strip()
    text = plain(core)
    if not text:
        return []
    if _all_emphasis(core):
        return [(text, "heading")]
    m = _HEAD_RUN.match(core)
    if m and m.group("rest").strip():
        head, rest = plain(m.group("head")).strip(), plain(m.group("rest")).strip()
        numbered = is_structural(head)
        words_after_number = re.sub(r"^\S+\s*", "", head) if numbered else head
        label = re.match(r"^(Kính gửi|Kính trình|Nơi nhận)\b", head)
        if rest and words_after_number and (numbered or label) and not head.startswith(("-", "+")):
            if rest.startswith(":"):
                head, rest = head + ":", rest[1:].strip()
            return [(head, "heading")] + ([(rest, "")] if rest else [])
    if re.match(r"^\s*\*\s+[^*\s]", core) and core.count("*") == 1:
        text = "- " + text
    return [(text, "")]


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
    return [part.strip() for part in re.split(rf"(?<=[.;:])\s+[-–]\s+(?={UPPER})", line) if part.strip()]


PREAMBLE_START = re.compile(r"^(Căn cứ|Thực hiện|Nhằm|Để|Theo|Triển khai|Trên cơ sở|Xét|Nơi nhận)\b")
DOC_TYPES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "BÁO CÁO", "THÔNG BÁO", "CÔNG VĂN", "NGHỊ QUYẾT", "PHƯƠNG ÁN")
_HEADER_LINE = re.compile(r"^(Số\s*:|[^,\d]{2,40},\s*ngày(?:\s+\d{1,2}\b|\s*$|\s+tháng)|Độc lập\s*-)", re.IGNORECASE)


def _continues(previous: str, line: str, across_blank: bool) -> bool:
    """Should ``line`` be glued to the paragraph ending with ``previous``?"""
    if previous and not across_blank and re.match(rf"^[-–]\s+{LOWER}", line) and not previous.rstrip().endswith(_TERMINAL):
        return True  # "Kế hoạch tài chính" + "- ngân sách …": a dash wrapped to the line start
    if not previous or is_structural(line) or _FOOTNOTE_DEF.match(line) or _HEADER_LINE.match(line):
        return False
    if _HEADER_LINE.match(previous) and re.search(r"\b(ngày|tháng|năm)\s*\d*$", previous) and (line[0].islower() or line[0].isdigit()):
        return True  # "Thanh Hóa, ngày" + "18 tháng 11 năm 2025"
    if (_HEADER_LINE.match(previous) or previous.upper().startswith(DOC_TYPES)) and not line[0].islower():
        return False
    if (not across_blank and _upper_share(previous) > 0.8 and _upper_share(line) > 0.8 and ROMAN.match(previous)
            and re.search(r"(\s(VÀ|CỦA|VỀ|TRONG|TRÊN|CHO|ĐỐI VỚI|TẠI)|[,-])$", previous)):
        return True  # a numbered heading in capitals wrapped after "VÀ" or a comma
    first = line[0]
    if _upper_share(previous) > 0.8 and _upper_share(line) < 0.5 and not first.islower():
        return False  # a title in capitals, then ordinary text
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


def _continues_in_block(previous: str, line: str) -> bool:
    """Crawled text wraps every paragraph at the page width and separates paragraphs with a
    blank line: inside a block a line goes on the paragraph unless it opens a new item."""
    if _HEADER_LINE.match(previous) and (line[:1].islower() or (line[:1].isdigit() and previous.rstrip().endswith("ngày"))) and not is_structural(line):
        return True  # "Cần Thơ, ngày 18" + "tháng 11 năm 2025"
    if _FOOTNOTE_DEF.match(line) or _HEADER_LINE.match(line) or _HEADER_LINE.match(previous):
        return False
    if is_structural(line):
        # an item starts after a finished sentence or a heading; after an unfinished one it is
        # a wrap that happens to begin with "1." or "-" ("… cấp độ" + "1. Cấp ngay …")
        return not previous.rstrip().endswith(_TERMINAL) and not _is_heading_like(previous) and not PIPE.match(previous)
    if previous.upper().startswith(DOC_TYPES) and previous.isupper() and len(previous.split()) <= 3:
        return False
    if _upper_share(previous) > 0.8 and _upper_share(line) < 0.5:
        return False  # a title or signature line in capitals, then ordinary text
    return True


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _wrapped(lines: list[str]) -> bool:
    """Does the text wrap paragraphs over several short lines, with blank lines between them?"""
    blocks: list[int] = []
    size = 0
    lengths = []
    for line in lines + [""]:
        if line.strip() and not PIPE.match(line):
            size += 1
            lengths.append(len(line))
        elif size:
            blocks.append(size)
            size = 0
    if len(blocks) < 8 or not lengths:
        return False
    lengths.sort()
    sizes = sorted(blocks)
    # paragraphs of a few lines (a crawl), not pages of forty (a PDF's text layer)
    return sum(b >= 2 for b in blocks) >= 0.3 * len(blocks) and lengths[len(lengths) // 2] <= 110 and sizes[len(sizes) // 2] <= 12


def _line_items(lines: list[str]) -> list[tuple[str, bool, str]]:
    """Physical lines -> (line, after a blank line, kind) with markup resolved."""
    items: list[tuple[str, bool, str]] = []
    blank = False
    for raw in _join_emphasis(lines):
        if not raw.strip() or _RULE_LINE.match(raw) or PIPE.match(raw):
            blank = True
            continue
        parts = _styled(re.sub(r"\s+", " ", raw))
        if not parts:
            continue  # "** **": an empty bold run
        first = True
        for text, kind in parts:
            for i, part in enumerate(_split_inline_bullets(text) if kind != "heading" else [text]):
                items.append((part, blank and first and i == 0, kind))
            first = False
        blank = False
    return items


def assemble_paragraphs(text: str) -> tuple[list[str], dict[int, Footnote]]:
    """Clean ``text`` into paragraphs; footnote definitions are removed and references resolved.

    Paragraphs are :class:`Para` strings: ``kind`` says whether a paragraph is a heading set in
    bold, a table row or a table's group row."""
    text, _meta = strip_crawl(normalize(text))
    lines = [re.sub(r"^\s{0,3}#{1,6}\s+", "", line) for line in text.split("\n")]  # markdown headings
    wrapped = _wrapped(lines)
    # 1. Physical lines -> candidate paragraphs (blank lines remembered as breaks).
    items: list[tuple[str, bool, str]] = []  # (line, preceded_by_blank, kind)
    for piece_kind, piece in split_tables(lines):
        if piece_kind == "para":
            items.append((piece, True, piece.kind))  # type: ignore[attr-defined]
        else:
            items += _line_items(piece)  # type: ignore[arg-type]

    # 2. Separate footnote definitions (they interrupt paragraphs at page bottoms).
    body: list[tuple[str, bool, str]] = []
    definitions: list[tuple[int, str, str]] = []  # (position in body, label, text)
    current_def: list | None = None
    for line, after_blank, kind in items:
        m = _FOOTNOTE_DEF.match(line) if kind not in ("row", "group") else None
        if m:
            label = next(g for g in m.groups()[:4] if g).translate(_SUPERSCRIPT)
            current_def = [len(body), label, m.group("text")]
            definitions.append(current_def)  # type: ignore[arg-type]
            continue
        if current_def is not None and not after_blank and not is_structural(line) and not kind:
            current_def[2] += " " + line  # a footnote wrapped over several lines
            continue
        current_def = None
        body.append((line, after_blank, kind))

    # 3. Resolve references: each goes to the first definition with its label after it.
    footnotes: dict[int, Footnote] = {}
    used: set[int] = set()
    resolved_lines: list[tuple[str, bool, str]] = []
    for position, (line, after_blank, kind) in enumerate(body):

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

        resolved_lines.append((_FOOTNOTE_REF.sub(resolve, line), after_blank, kind))
    for index, (_pos, label, def_text) in enumerate(definitions):
        if index not in used:  # a definition without a reference: keep it, unattached
            footnotes[index] = Footnote(label, def_text.strip())

    # 4. Join hard-wrapped lines and page-broken paragraphs.
    paragraphs: list[Para] = []
    last_kind = ""
    for line, after_blank, kind in resolved_lines:
        glue = False
        if paragraphs and not kind and last_kind not in ("heading", "row", "group"):
            if wrapped:
                # blank lines separate paragraphs; across one only a page break goes on (in
                # lower case, or mid-sentence after a long unfinished paragraph)
                glue = _continues_in_block(paragraphs[-1], line) if not after_blank else (
                    _continues(paragraphs[-1], line, True) and (line[0].islower() or len(paragraphs[-1].split()) >= 15))
            else:
                glue = _continues(paragraphs[-1], line, after_blank)
        if glue:
            paragraphs[-1] = Para(f"{paragraphs[-1]} {line}", paragraphs[-1].kind)
        else:
            paragraphs.append(line if isinstance(line, Para) else Para(line, kind))
            last_kind = kind
    return paragraphs, footnotes


def crawl_metadata(text: str) -> dict[str, str]:
    """The metadata box of a crawled page (Số hiệu, Loại văn bản, Ngày ban hành …), if any."""
    return strip_crawl(normalize(text))[1]
