"""Parse procedure records of the national public-service portal (dichvucong.gov.vn).

The portal flattens its tables into one string without separators, header row included:

    cach_thuc_thuc_hien = "Hình thức nộpThời gianPhí, lệ phíMô tả"
                          "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(...)Trực tiếp7 Ngày làm việc..."

Rows start with a channel name (Trực tiếp / Trực tuyến / Dịch vụ bưu chính) followed by a time
("7 Ngày làm việc", a bare "1", or "Không có thông tin"), a fee ("Miễn phí", "2,000 Việt Nam
Đồng(/trang)", "10 USD(/bản)", "Không có thông tin") and free text. The documents table ends
each row with a quantity ("1 bản chính", "0 bản chính,1 bản sao"). This module turns all of it
into a ``Procedure`` and keeps the original strings next to what it parsed.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

NO_INFO = "Không có thông tin"
CHANNELS = ("Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính")

_TIME_UNITS = {
    "ngày làm việc": "ngày làm việc",
    "ngày": "ngày",
    "giờ": "giờ",
    "tháng": "tháng",
    "năm": "năm",
    "phút": "phút",
    "tuần": "tuần",
}
_CURRENCIES = {"việt nam đồng": "VND", "vnđ": "VND", "vnd": "VND", "đồng": "VND", "usd": "USD", "eur": "EUR"}

_CURRENCY_RE = r"(?:Việt Nam Đồng|VNĐ|VND|USD|EUR|Đồng)"
_ROW_START = re.compile(
    r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)"
    rf"(?=\d|Không|Miễn phí|{_CURRENCY_RE})"
)
_TIME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng|Năm|Phút|Tuần)?", re.IGNORECASE)
_AMOUNT = re.compile(rf"([\d][\d.,]*)?\s*({_CURRENCY_RE})")
_CUTOFF = re.compile(r"sau\s+(\d{1,2})\s*(?:giờ|h|:00)(?:\s*(\d{2}))?", re.IGNORECASE)
_DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# Quantities are one digit (or "0N"); a year glued before it ("năm 20231 bản chính") stays in the name.
_QUANTITY = re.compile(
    r"(0?\d)\s*bản chính\s*,\s*(0?\d)\s*bản sao"
    r"|(0?\d)\s*[Bb]ản chính"
    r"|(0?\d)\s*[Bb]ản sao"
    r"|(0?\d)\s*[Bb]ản\b(?!\s*(?:chính|sao))"
)
_FORM_EXT = re.compile(r"\.(docx?|pdf|xlsx?|rar|zip)$", re.IGNORECASE)
_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# A suffix letter followed by a lower-case letter starts the next title ("…/TT-BTCNghị định …"),
# except the Prime Minister's "TTg".
_CODE_PART = r"(?:TTg|[A-ZĐ]*QH\d{2}|[A-ZĐ](?:[A-ZĐ](?![a-zà-ỹđ]))*)"
_LEGAL_CODE = re.compile(rf"\d{{1,4}}(?:\.\d+)?/\d{{4}}/{_CODE_PART}(?:-{_CODE_PART})*")
_RESULT_TAIL = re.compile(r"Chọn cơ quan thực hiện.*$", re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-+*•–]|\(?[ivx]+\)|\(?\d+[.)]|[a-zđ]\))\s*")


@dataclass
class Duration:
    value: float | None
    unit: str | None  # "ngày làm việc" | "ngày" | "giờ" | "tháng" | None (portal gave a bare number)
    text: str

    def render(self) -> str:
        if self.value is None:
            return self.text if self.text and self.text != NO_INFO else "Không có thông tin"
        number = _number(self.value)
        if self.unit is None:  # say what the record says, never guess the unit
            return f"“{self.text or number}” (Cổng Dịch vụ công ghi con số này, không ghi đơn vị)"
        return f"{number} {self.unit}"


@dataclass
class Fee:
    kind: str  # "free" | "amount" | "unknown"
    amount: float | None = None
    currency: str | None = None
    per: str | None = None  # "trang", "bản", "lần" ... when the portal writes "(/trang)"
    note: str | None = None
    text: str = ""

    def render(self) -> str:
        if self.kind == "free":
            return "Miễn phí"
        if self.kind == "unknown":
            return "Không có thông tin"
        amount = f"{_money(self.amount)} " if self.amount is not None else ""
        unit = {"VND": "đồng", "USD": "USD", "EUR": "EUR"}.get(self.currency or "", self.currency or "")
        per = f"/{self.per}" if self.per else ""
        return f"{amount}{unit}{per}".strip()


@dataclass
class ChannelOption:
    channel: str
    time: Duration
    fee: Fee
    description: str = ""


@dataclass
class RequiredDocument:
    name: str
    original: int | None = None  # number of originals (bản chính)
    copies: int | None = None  # number of copies (bản sao)
    quantity_text: str = ""
    form: str | None = None  # template file name (Mẫu đơn, tờ khai)
    group: str | None = None  # the case the table applies to, when the portal splits them

    def quantity(self) -> str:
        parts = []
        if self.original:
            parts.append(f"{self.original} bản chính")
        if self.copies:
            parts.append(f"{self.copies} bản sao")
        return ", ".join(parts) or self.quantity_text


@dataclass
class LegalBasis:
    title: str
    number: str | None


@dataclass
class Procedure:
    code: str
    name: str
    url: str | None = None
    decision: str | None = None
    levels: list[str] = field(default_factory=list)
    procedure_type: str | None = None
    field_name: str | None = None
    audience: str | None = None
    authority: str | None = None
    address: str | None = None
    executing_agency: str | None = None
    coordinating_agency: str | None = None
    delegated_agency: str | None = None
    channels: list[ChannelOption] = field(default_factory=list)
    documents: list[RequiredDocument] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    legal_basis: list[LegalBasis] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    cutoff: str | None = None  # "15:00": files received later are handled the next working day
    cutoff_note: str | None = None
    original: dict[str, Any] = field(default_factory=dict)

    def to_meta(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("original")
        return data

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> "Procedure":
        data = dict(meta)
        data["channels"] = [
            ChannelOption(
                channel=c["channel"],
                time=Duration(**c["time"]),
                fee=Fee(**c["fee"]),
                description=c.get("description", ""),
            )
            for c in data.get("channels", [])
        ]
        data["documents"] = [RequiredDocument(**d) for d in data.get("documents", [])]
        data["legal_basis"] = [LegalBasis(**b) for b in data.get("legal_basis", [])]
        return cls(**data)

    @property
    def agencies(self) -> list[str]:
        names = [self.authority, self.executing_agency, self.coordinating_agency, self.delegated_agency]
        return [n for n in names if n]


class ProcedureParseError(ValueError):
    pass


# ---------------------------------------------------------------------------
# helpers


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _money(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _value(raw: Any) -> str | None:
    text = (raw or "").strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
    if not text or text == NO_INFO:
        return None
    return text


def _balanced_parenthesis(text: str, start: int) -> int:
    """Index just after the ')' closing the '(' at ``start`` (or len(text) if unbalanced)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _parse_amount(raw: str) -> float | None:
    raw = raw.strip().rstrip(".,")
    if not raw:
        return None
    # The portal writes thousands with commas ("2,000,000") and sometimes with dots ("2.000").
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return float(raw.replace(".", ""))
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# cach_thuc_thuc_hien


def parse_channels(raw: str) -> list[ChannelOption]:
    text = (raw or "").strip()
    header = "Hình thức nộpThời gianPhí, lệ phíMô tả"
    if text.startswith(header):
        text = text[len(header) :]
    starts = [m.start() for m in _ROW_START.finditer(text)]
    options = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        options.append(_parse_channel_row(text[start:end]))
    return options


def _parse_channel_row(row: str) -> ChannelOption:
    channel = next(c for c in CHANNELS if row.startswith(c))
    rest = row[len(channel) :]
    # time
    worded = re.match(rf"(Không.*?)(?=Miễn phí|{NO_INFO}|[\d.,]*\s*{_CURRENCY_RE})", rest)
    if rest.startswith(NO_INFO):
        time = Duration(None, None, NO_INFO)
        rest = rest[len(NO_INFO) :]
    elif worded:  # "Không quy định", "Không phải trả kết quả cho người nộp thuế"
        time = Duration(None, None, worded.group(1).strip())
        rest = rest[worded.end() :]
    else:
        m = _TIME.match(rest)
        # "5,000 VNĐ" right after the channel is a fee without a time, not a time.
        if m and (m.group(2) or not re.match(rf"\s*{_CURRENCY_RE}", rest[m.end() :])):
            unit = _TIME_UNITS.get(m.group(2).lower()) if m.group(2) else None
            time = Duration(float(m.group(1).replace(",", ".")), unit, m.group(0).strip())
            rest = rest[m.end() :]
        else:
            time = Duration(None, None, "")
    # fee
    fee, rest = _parse_fee(rest)
    return ChannelOption(channel=channel, time=time, fee=fee, description=rest.strip())


def _parse_fee(rest: str) -> tuple[Fee, str]:
    if rest.startswith("Miễn phí"):
        fee = Fee("free", text="Miễn phí")
        rest = rest[len("Miễn phí") :]
    elif rest.startswith(NO_INFO):
        fee = Fee("unknown", text=NO_INFO)
        rest = rest[len(NO_INFO) :]
    else:
        m = _AMOUNT.match(rest)
        if not m:
            return Fee("unknown", text=""), rest
        currency = _CURRENCIES.get(m.group(2).lower(), m.group(2))
        amount = _parse_amount(m.group(1) or "")
        fee = Fee("amount" if amount is not None else "unknown", amount, currency, text=m.group(0).strip())
        rest = rest[m.end() :]
    # "(...)" right after the fee: either a per-unit "(/trang)" or an explanatory note.
    if rest.startswith("("):
        end = _balanced_parenthesis(rest, 0)
        inner = rest[1 : end - 1].strip() if end <= len(rest) else rest[1:]
        rest = rest[end:]
        if re.fullmatch(r"/\s*[\wÀ-ỹ ]{1,20}", inner):
            fee.per = inner[1:].strip()
        else:
            fee.note = inner.strip("() ") or None
        fee.text = f"{fee.text}({inner})"
    if fee.kind == "amount" and fee.per is None and fee.note:
        # "... thu 10.000 đồng/lần đăng ký" -> per "lần đăng ký", when the amount is the fee's own.
        for per in re.finditer(r"([\d.,]+)\s*(?:đồng|VNĐ|USD)?\s*/\s*(?:0?1\s+)?([^\W\d][\w ]{0,25}?)(?=[.;,)(]|$)", fee.note):
            if _parse_amount(per.group(1)) == fee.amount:
                fee.per = per.group(2).strip()
                break
    return fee, rest


# ---------------------------------------------------------------------------
# thanh_phan_ho_so


def parse_documents(raw: str) -> list[RequiredDocument]:
    text = (raw or "").strip()
    if not text or text == NO_INFO:
        return []
    segments = text.split(_DOC_HEADER)
    group = _group_title(segments[0])
    documents: list[RequiredDocument] = []
    for segment in segments[1:]:
        position = 0
        for m in _QUANTITY.finditer(segment):
            item = segment[position : m.start()].strip()
            position = m.end()
            if not item:
                continue
            documents.append(_document(item, m, group))
        group = _group_title(segment[position:])
    return documents


def _group_title(text: str) -> str | None:
    title = text.strip().strip("-*: ").strip()
    return title or None


def _document(item: str, quantity: re.Match[str], group: str | None) -> RequiredDocument:
    both_original, both_copies, original, copies, plain = quantity.groups()
    doc = RequiredDocument(name=item, quantity_text=quantity.group(0), group=group)
    if both_original is not None:
        doc.original, doc.copies = int(both_original), int(both_copies)
    elif original is not None:
        doc.original = int(original)
    elif copies is not None:
        doc.copies = int(copies)
    elif plain is not None:
        doc.original = int(plain)
    name, form = _split_form(item)
    doc.name = re.sub(r"^[-+*•]\s*", "", name).strip()
    doc.form = form
    return doc


def _split_form(item: str) -> tuple[str, str | None]:
    """'Tờ khai theo Mẫu số 01;Mau01.docx' -> ('Tờ khai theo Mẫu số 01', 'Mau01.docx')."""
    ext = _FORM_EXT.search(item)
    if not ext:
        return item, None
    head = item[: ext.start()]
    window = max(0, len(head) - 60)
    cut = None
    semicolon = head.rfind(";")
    if semicolon >= window:
        cut = semicolon + 1
    else:
        marker = None
        for m in re.finditer(r"(?<=\S)(Mẫu|Mau|Phụ lục|Phu luc|PL)", head):
            if m.start() >= window:
                marker = m.start()
        if marker is not None:
            cut = marker
        else:
            m = re.search(r"[.)](?=\S)[^;]*$", head[window:])
            # "cư trúCT01", "theo mẫuToKhaiKhaiSinh": the earliest glue after which no space follows
            glued = [g for g in re.finditer(r"(?<=[a-zà-ỹđ])(?=[A-ZĐ0-9])", head[window:]) if " " not in head[window + g.start() :]]
            if m:
                cut = window + m.start() + 1
            elif glued:
                cut = window + glued[0].start()
    if cut is None:
        return item, None
    name = head[:cut].rstrip(" ;").strip()
    form = item[cut:].strip(" ;").lstrip(".")
    if not name or not _FORM_EXT.search("x" + form) or form.lower() in {"doc", "docx", "pdf", "xls", "xlsx", "rar", "zip"}:
        return item, None
    return name, form


# ---------------------------------------------------------------------------
# other fields


def parse_legal_basis(raw: str) -> list[LegalBasis]:
    text = (raw or "").strip()
    if text.startswith(_LEGAL_HEADER):
        text = text[len(_LEGAL_HEADER) :]
    if not text or text == NO_INFO:
        return []
    items: list[LegalBasis] = []
    matches = list(_LEGAL_CODE.finditer(text))
    start = 0
    for i, m in enumerate(matches):
        # The code column is glued to the next title; a code followed by a space or by another
        # code is part of a title ("Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP").
        if i + 1 < len(matches) and matches[i + 1].start() == m.end():
            continue
        if m.end() < len(text) and not (text[m.end()].isalpha() and text[m.end()].isupper()):
            continue
        title = text[start : m.start()].strip(" ,;")
        start = m.end()
        items.append(LegalBasis(title=title or m.group(0), number=m.group(0)))
    tail = text[start:].strip(" ,;")
    if tail:
        items.append(LegalBasis(title=tail, number=None))
    return items


def parse_results(raw: str) -> list[str]:
    text = _RESULT_TAIL.sub("", (raw or "")).strip()
    if not text or text == NO_INFO:
        return []
    # Each result is "<name>Mã: <code>Từ khóa<keywords>Mô tả<description>".
    pieces = re.split(r"Mã:\s*(?:KQ(?:\.[A-Z]*\d+)+|[^\n]*?(?=Từ khóa))", text)
    results = [pieces[0].strip()]
    for piece in pieces[1:]:
        m = re.match(r"\s*Từ khóa(.*?)Mô tả(.*)$", piece, re.DOTALL)
        rest = m.group(2) if m else piece
        rest = re.sub(r"^Từ khóa.*$", "", rest, flags=re.DOTALL)
        if rest.startswith(NO_INFO):
            rest = rest[len(NO_INFO) :]
        if rest.strip():
            results.append(rest.strip())
    return [r for r in results if r and r != NO_INFO]


def parse_lines(raw: str) -> list[str]:
    """Multi-line free text (steps, conditions) -> clean lines, continuation lines joined."""
    text = (raw or "").strip()
    if not text or text == NO_INFO:
        return []
    lines: list[str] = []
    for line in re.split(r"\n+", text):
        line = re.sub(r"\s+", " ", line).strip()
        if not line:
            continue
        if lines and line[:1].islower() and not _BULLET.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def find_cutoff(*texts: str) -> tuple[str | None, str | None]:
    """'nếu tiếp nhận hồ sơ sau 15 giờ thì ... ngày làm việc tiếp theo' -> ('15:00', sentence)."""
    for text in texts:
        for m in _CUTOFF.finditer(text or ""):
            hour = int(m.group(1))
            if 10 <= hour <= 17:
                minute = m.group(2) or "00"
                start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
                end_candidates = [p for p in (text.find(".", m.end()), text.find("\n", m.end())) if p != -1]
                end = min(end_candidates) if end_candidates else len(text)
                sentence = re.sub(r"\s+", " ", text[start:end]).strip(" ;")
                return f"{hour}:{minute}", sentence
    return None, None


def _split_list(raw: str | None) -> list[str]:
    value = _value(raw)
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


# ---------------------------------------------------------------------------


# The page's section headings, in the order the portal prints them (raw_text).
_STEPS_HEADING, _CHANNELS_HEADING, _DOCS_HEADING, _LEGAL_HEADING = (
    "Trình Tự Thực Hiện", "Cách Thức Thực Hiện", "Thành phần hồ sơ", "Căn cứ pháp lý")


def repair_cut_fields(record: dict[str, Any]) -> dict[str, Any]:
    """A record whose steps name the documents section ("theo quy định tại mục 9.3 (Thành phần hồ
    sơ)") was cut there by the portal's scraper: the steps end at "(" or "tại mục" and the
    documents field holds the rest of the steps. Such fields are cut again from the page text
    (raw_text) at the section headings; other records are returned unchanged."""
    steps, raw = record.get("trinh_tu_thuc_hien") or "", record.get("raw_text") or ""
    start, channels = raw.find(_STEPS_HEADING), raw.find(_CHANNELS_HEADING)
    if not (0 <= start < channels) or _DOCS_HEADING not in raw[start:channels]:
        return record  # the steps do not name the documents section: nothing was cut there
    if len("".join(steps.split())) >= 0.9 * len("".join(raw[start + len(_STEPS_HEADING) : channels].split())):
        return record  # the steps field holds the page's steps: not cut
    docs_at = raw.find(_DOCS_HEADING, channels)
    legal = raw.find(_LEGAL_HEADING, docs_at) if docs_at != -1 else -1
    if -1 in (start, channels, docs_at, legal) or not start < channels < docs_at < legal:
        return record
    repaired = dict(record)
    repaired["trinh_tu_thuc_hien"] = raw[start + len(_STEPS_HEADING) : channels].strip()
    repaired["thanh_phan_ho_so"] = raw[docs_at + len(_DOCS_HEADING) : legal].strip()
    return repaired


def parse_procedure(record: dict[str, Any]) -> Procedure:
    record = repair_cut_fields(record)
    code = _value(record.get("ma_thu_tuc"))
    name = _value(record.get("ten_thu_tuc"))
    if not code or not name:
        raise ProcedureParseError("bản ghi thiếu mã thủ tục (ma_thu_tuc) hoặc tên thủ tục (ten_thu_tuc)")
    if not re.fullmatch(r"\d+\.\d+", code):
        raise ProcedureParseError(f"mã thủ tục không hợp lệ: {code!r}")
    channels = parse_channels(record.get("cach_thuc_thuc_hien", ""))
    steps = parse_lines(record.get("trinh_tu_thuc_hien", ""))
    cutoff, cutoff_note = find_cutoff(
        " ".join(c.description for c in channels), record.get("trinh_tu_thuc_hien", "") or ""
    )
    return Procedure(
        code=code,
        name=re.sub(r"\s+", " ", name).strip(),
        url=_value(record.get("detail_url")),
        decision=_value(record.get("so_quyet_dinh")),
        levels=_split_list(record.get("cap_thuc_hien")),
        procedure_type=_value(record.get("loai_thu_tuc")),
        field_name=_value(record.get("linh_vuc")),
        audience=_value(record.get("doi_tuong_thuc_hien")),
        authority=_value(record.get("co_quan_co_tham_quyen")),
        address=_value(record.get("dia_chi_tiep_nhan")),
        executing_agency=_value(record.get("co_quan_thuc_hien")),
        coordinating_agency=_value(record.get("co_quan_phoi_hop")),
        delegated_agency=_value(record.get("co_quan_duoc_uy_quyen")),
        channels=channels,
        documents=parse_documents(record.get("thanh_phan_ho_so", "")),
        steps=steps,
        conditions=parse_lines(record.get("yeu_cau_dieu_kien", "")),
        legal_basis=parse_legal_basis(record.get("can_cu_phap_ly", "")),
        results=parse_results(record.get("ket_qua_xu_ly", "")),
        cutoff=cutoff,
        cutoff_note=cutoff_note,
        original=dict(record),
    )
