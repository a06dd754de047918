"""The parts of a plan around its body: the heading (issuer, số hiệu, place and date, title),
the distribution list and signature, and the appendices after the signature."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from knowledge.ingest.plan_text import DOC_TYPES, PREAMBLE_START, ROMAN

NUMBER = re.compile(r"^Số\s*:?\s*(?P<number>\d*\s*/\s*[\wĐđ\-]+(?:/[\wĐđ\-]+)?)", re.IGNORECASE)
PLACE_DATE = re.compile(
    r"^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
MOTTO = re.compile(r"^CỘNG HÒA XÃ|^CỘNG HOÀ XÃ|CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|CHỦ NGHĨA VIỆT NAM$|Độc lập\s*-\s*Tự do|^-{3,}$", re.IGNORECASE)
_UNIT_WORDS = r"(?:huyện|xã|tỉnh|thị xã|thành phố|phường|thị trấn|quận|đặc khu)"
_NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*){0,3}"
_ISSUER_IN_TEXT = re.compile(
    rf"(?:Chủ tịch\s+)?(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s*(?:\(UBND\)\s*)?(?P<unit>{_UNIT_WORDS})\s+(?P<name>{_NAME})\s+(?:ban hành|xây dựng)"
)
_UNIT_MENTION = re.compile(rf"\b(?P<unit>{_UNIT_WORDS})\s+(?P<name>{_NAME})")
POSITION = re.compile(r"CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|TM\.|KT\.|Q\.|BÍ THƯ")
PERSON = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$")
APPENDIX = re.compile(r"^(PHỤ LỤC|Phụ lục|PHỤ BIỂU|Phụ biểu|MẪU BIỂU|Mẫu biểu|BIỂU MẪU|Biểu mẫu)\b")


def upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def sentence_case(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:
        return text  # an acronym (CCHC, PAR INDEX)
    return text[:1].lower() + text[1:]


_VOWELS = "aeiouyàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_ROMAN_WORD = re.compile(r"^[IVXLC]+$")
_PROPER = ("Việt Nam", "Quốc hội", "Chính phủ", "Thủ tướng", "Nhà nước", "Đảng", "Trung ương", "Hội đồng nhân dân",
           "Ủy ban nhân dân", "Mặt trận Tổ quốc", "Nghị định", "Nghị quyết", "Quyết định", "Luật")


def caps_to_sentence(text: str, place: str | None) -> str:
    """'PHÁT ĐỘNG … QUỐC HỘI KHÓA XVI … TỈNH ĐẮK LẮK' -> 'phát động … Quốc hội khóa XVI … tỉnh Đắk Lắk':
    acronyms, Roman numerals and numbers keep their case, the place and common names theirs."""
    out = []
    for word in text.split():
        core = re.sub(r"[^\w]", "", word)
        keep = core and (
            _ROMAN_WORD.match(core) or any(c.isdigit() for c in core)
            or (len(core) > 1 and not any(c.lower() in _VOWELS for c in core))
        )
        out.append(word if keep else word.lower())
    result = " ".join(out)
    for name in ((place,) if place else ()) + _PROPER:
        result = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", name, result, flags=re.IGNORECASE)
    return result


def title_case_unit(text: str) -> str:
    """'ỦY BAN NHÂN DÂN HUYỆN CHỢ MỚI' -> 'Ủy ban nhân dân huyện Chợ Mới'."""
    text = re.sub(r"^UBND\b", "ỦY BAN NHÂN DÂN", re.sub(r"^HĐND\b", "HỘI ĐỒNG NHÂN DÂN", text.strip()))
    lowered = " ".join(text.lower().split())
    generic = re.match(r"(ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|sở [\wà-ỹ ]+?|phòng [\wà-ỹ ]+?)\s+" + _UNIT_WORDS.replace("(?:", "(?P<u>") + r"\s+(?P<n>.+)$", lowered)
    if generic:
        head = generic.group(1).capitalize().replace("Uỷ", "Ủy")
        name = " ".join(w.capitalize() for w in generic.group("n").split())
        return f"{head} {generic.group('u')} {name}"
    return text.capitalize() if text.isupper() else text


def read_header(paragraphs: list[str]) -> tuple[dict[str, Any], int]:
    """Read number, place, date, title and issuer from the top; return where the body starts."""
    info: dict[str, Any] = {}
    issuer_lines: list[str] = []
    i = 0
    title_parts: list[str] = []
    while i < len(paragraphs):
        p = paragraphs[i]
        if MOTTO.search(p):
            i += 1
            continue
        m = NUMBER.match(p)
        if m:
            number = re.sub(r"\s+", "", m.group("number"))
            if number[0].isdigit():
                info["doc_number"] = number.upper()
            info["number_suffix"] = number.split("/", 1)[1]
            i += 1
            continue
        m = PLACE_DATE.match(p)
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
        if doc_type and p[: len(doc_type)].isupper() and "doc_type" not in info:
            info["doc_type"] = doc_type.capitalize()
            rest = p[len(doc_type) :].strip()
            if rest:
                title_parts.append(rest)
            i += 1
            while i < len(paragraphs) and len(title_parts) < 6:
                nxt = paragraphs[i]
                if title_parts and re.fullmatch(r"\d{4}(\s*[-–]\s*\d{4})?\.?", nxt.strip(" *")):
                    title_parts.append(nxt.strip(" *"))  # "… GIAI ĐOẠN" / "2026 - 2030": the title goes on
                    i += 1
                    continue
                if PREAMBLE_START.match(nxt) or ROMAN.match(nxt) or NUMBER.match(nxt) or PLACE_DATE.match(nxt) or nxt.startswith("("):
                    break
                if re.match(r"^(Kính gửi|Kính trình)\b", nxt, re.IGNORECASE) or MOTTO.search(nxt):
                    break
                caps = upper_share(nxt) > 0.8
                if title_parts and not (caps and upper_share(title_parts[-1]) > 0.8) and not nxt[:1].islower():
                    break  # a title is one block: what follows in ordinary case is the preamble
                if not title_parts and not caps and len(nxt.split()) > 40:
                    break
                title_parts.append(nxt)
                i += 1
            continue
        if upper_share(p) > 0.8 and len(p.split()) <= 12 and "doc_type" not in info and not ROMAN.match(p):
            issuer_lines.append(p)  # "ỦY BAN NHÂN DÂN" / "HUYỆN CHỢ MỚI"
            i += 1
            continue
        break
    if title_parts:
        title = " ".join(title_parts)
        if upper_share(title) > 0.8:
            title = caps_to_sentence(title, info.get("place"))
        info["title"] = f"{info.get('doc_type', 'Kế hoạch')} {sentence_case(title)}"
    if issuer_lines:
        info["issuer"] = title_case_unit(" ".join(issuer_lines))
    return info, i


def split_tail(paragraphs: list[str]) -> tuple[list[str], list[str], str | None, str | None, list[str]]:
    """(body, recipients, signer, signer's title, appendices)."""
    tail_start = len(paragraphs)
    for i, p in enumerate(paragraphs):
        if re.match(r"^Nơi nhận\s*:?", p, re.IGNORECASE):
            tail_start = i
            break
    appendix_start = len(paragraphs)
    for i in range(tail_start if tail_start < len(paragraphs) else 0, len(paragraphs)):
        signed_before = tail_start < len(paragraphs) or any(POSITION.search(p) for p in paragraphs[max(0, i - 6) : i])
        if APPENDIX.match(paragraphs[i]) and signed_before:
            appendix_start = i
            break
    signer = signer_title = None
    # The signature: a person's name shortly after a position line, near the end of the body.
    end = appendix_start
    search_from = max(tail_start, end - 25) if tail_start < len(paragraphs) else max(0, end - 8)
    for i in range(end - 1, search_from - 1, -1):
        if PERSON.match(paragraphs[i]) and any(POSITION.search(p) for p in paragraphs[max(0, i - 4) : i]):
            signer = str(paragraphs[i])
            titles = [p for p in paragraphs[max(0, i - 4) : i] if POSITION.search(p)]
            signer_title = " ".join(titles).strip() or None
            if tail_start == len(paragraphs):
                tail_start = min((j for j in range(max(0, i - 4), i) if POSITION.search(paragraphs[j])), default=i)
            break
    tail_start = min(tail_start, appendix_start)
    tail = paragraphs[tail_start:appendix_start]
    recipients = [re.sub(r"^[-+•]\s*", "", p) for p in tail[1:] if p.startswith(("-", "+", "•"))]
    return paragraphs[:tail_start], recipients, signer, signer_title, paragraphs[appendix_start:]


def infer_issuer(text: str, place: str | None) -> str | None:
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


def derive_title(preamble: list[str], doc_type: str | None) -> str | None:
    for p in preamble:
        m = re.search(r"\bNhằm\s+(?P<goal>[^.;]{10,200})", p)
        if m:
            goal = re.split(r"\.\s", m.group("goal"))[0].strip()
            return f"{doc_type or 'Kế hoạch'} {goal}"
    return None


def from_crawl(meta: dict[str, str], info: dict[str, Any]) -> None:
    """Fill header fields the document's own heading lacks from the crawl's metadata box."""
    if not info.get("doc_number") and re.match(r"^\d+/[\wĐđ-]+", meta.get("number", "")):
        info["doc_number"] = meta["number"].split()[0].upper()
    if not info.get("issued_date") and (m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", meta.get("date", ""))):
        try:
            info["issued_date"] = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    if not info.get("issuer") and (where := meta.get("issuer")):
        if re.match(rf"^{_UNIT_WORDS}\s", where, re.IGNORECASE) and "UBND" in (info.get("doc_number") or meta.get("number", "")):
            info["issuer"] = "Ủy ban nhân dân " + where[:1].lower() + where[1:]
    if not info.get("place") and (where := meta.get("issuer")):
        info["place"] = re.sub(rf"^{_UNIT_WORDS}\s+", "", where, flags=re.IGNORECASE)
