"""Who leads and who coordinates, read from a plan sentence with the agency registry.

A unit is {"id": registry id or None, "name": canonical name or the words as written}; names
the registry does not know are kept as written, never dropped.
"""
from __future__ import annotations

import re

from agencies.registry import Mention, default_registry
from vietnamese.text import fold, unify_iy

# Words that make an unknown phrase a unit ("các tổ chức thành viên", "Công đoàn cơ sở").
_UNIT_WORD = re.compile(
    r"\b(phong|ban(?! hanh)|uy ban|ubnd|van phong|trung tam|thanh tra|nganh|co quan|don vi|dia phuong|"
    r"cap (?:xa|huyen|tinh|co so)|xa|huyen|to chuc|hoi|doan|cong an|mat tran|chi cuc|bo phan|to kiem tra|cong doan|hdnd|tinh)\b"
)
# Where the subject of a sentence ends: the first verb of an assignment.
_VERB = re.compile(
    r"\s(chu tri|phoi hop|thuc hien|tham muu|quan triet|tong hop|co ke hoach|xay dung|trien khai|tang cuong|(?<!cac )to chuc|"
    r"theo doi|huong dan|phai|hop|kien toan|ra soat|chiu trach nhiem|gui|nghiem tuc|tap trung|can|co trach nhiem|"
    r"chu dong|khan truong|dam bao|cu the hoa|thuong xuyen|dinh ki|bao cao|giam sat)\b"
)
# How a sentence whose subject is a unit begins (when the registry does not know the unit).
_UNIT_START = re.compile(
    r"^(cac|co quan|don vi|thu truong|nguoi dung dau|uy ban|ubnd|hdnd|phong|so|ban (?!hanh)|thuong truc|to |hoi |doan|"
    r"mat tran|chu tich|trung tam|van phong|thanh tra|cong an)"
)
_LEADING_ADVERB = re.compile(r"^(tren co so [^,]*?(nay|huyen|tinh|xa)\b,?|hang (nam|qui|thang),|dinh ki,|dong thoi,)\s*")


def folded(text: str) -> str:
    return unify_iy(fold(text))


def unit(mention: Mention) -> dict:
    if mention.agency:
        return {"id": mention.agency.id, "name": mention.agency.name}
    return {"id": None, "name": mention.text.strip()}


def units_in(text: str) -> list[dict]:
    """Units listed in ``text`` ("Phòng Nội vụ; các ngành liên quan, UBND xã - thị trấn")."""
    text = re.sub(r"\s*\([^)]*\)", "", text)  # "(nếu có)", "(qua Phòng Nội vụ)"
    found: list[dict] = []
    for mention in default_registry().split_units(text):
        if mention.agency is None:
            words = folded(mention.text)
            if not _UNIT_WORD.search(words) or len(words.split()) > 8 or re.search(r"\d", words) or words.startswith(("thuoc ", "tren dia ban")):
                continue
            mention.text = re.sub(r"^(đề nghị|giao cho|giao)\s+", "", mention.text.strip(), flags=re.IGNORECASE)
            # "các tổ chức đoàn thể theo chức năng, nhiệm vụ của mình": the name ends before a preposition
            mention.text = re.split(r"\s(?:theo|để|nhằm|trong|về|tại|của mình|đối với)\s", mention.text + " ", maxsplit=1)[0].strip()
        item = unit(mention)
        if item["name"] and not any(same_unit(item, other) for other in found):
            found.append(item)
    return found


def same_unit(a: dict, b: dict) -> bool:
    if a["id"] or b["id"]:
        return a["id"] == b["id"]
    return folded(a["name"]) == folded(b["name"])


def known(units: list[dict]) -> bool:
    """True when at least one unit is a specific registry unit (not a generic group)."""
    registry = default_registry()
    return any(u["id"] and registry.get(u["id"]).level != "nhóm" for u in units)


def subject_units(sentence: str) -> tuple[list[dict], bool]:
    """The units a sentence starts with, before its verb ("Phòng Nội vụ tham mưu …"), and whether
    the subject is nothing but registry units (then it names the task's own lead)."""
    text = re.sub(r"^[-+•*\s]+", "", sentence.strip())
    f = folded(text)
    lead = _LEADING_ADVERB.match(f)
    if lead:
        text, f = text[lead.end():], f[lead.end():]
    verb = _VERB.search(f)
    if not verb or verb.start() == 0 or _VERB.match(" " + f):
        return [], False
    subject = text[: verb.start()]
    if len(subject.split()) > 18:
        return [], False
    # "Cơ quan thường trực Ban điều hành CCHC huyện (Phòng Nội vụ)": the unit is in brackets;
    # "Phòng Nội vụ - cơ quan thường trực Ban điều hành …": the apposition names the same unit.
    bracket = re.search(r"\(([^)]+)\)", subject)
    if bracket:
        inside = units_in(bracket.group(1))
        if inside and all(u["id"] for u in inside):
            return inside, True
    subject = re.split(r"\s[-–]\s*cơ quan thường trực", subject, flags=re.IGNORECASE)[0]
    mentions = default_registry().split_units(subject)
    if not mentions or mentions[0].start > 2:  # the sentence does not start with a unit
        return [], False
    if mentions[0].agency is None and not _UNIT_START.match(folded(subject.strip())):
        return [], False
    found = units_in(subject)
    return found, all(m.agency for m in mentions) and known(found)


def explicit_roles(sentence: str) -> tuple[list[dict], list[dict]]:
    """(lead, coordinating) named by markers: "Giao X …", "Đề nghị X …", "X chủ trì, phối hợp với Y …"."""
    text = re.sub(r"^[-+•*\s]+", "", sentence.strip())
    f = folded(text)
    lead: list[dict] = []
    if m := re.match(r"(giao cho|giao|de nghi)\s", f):
        rest_f = f[m.end():]
        verb = _VERB.search(" " + rest_f)
        end = m.end() + (verb.start() - 1 if verb else len(rest_f))
        lead = units_in(text[m.end():end])
    elif (m := re.search(r"\s(chu tri)\b", f)) and m.start() > 0:
        before = text[: m.start()]
        if len(before.split()) <= 18:
            lead = units_in(re.sub(r"^(do)\s+", "", before, flags=re.IGNORECASE))
    coordinating: list[dict] = []
    if m := re.search(r"phoi hop (voi |cung )?(?!giua|trong|chat che|thuc hien)", f):
        rest_f = f[m.end():]
        verb = _VERB.search(" " + rest_f)
        stop = re.search(r"[;.:]|\s(de|nham|trong|ve)\s", rest_f)
        end = min(x for x in (verb.start() - 1 if verb else None, stop.start() if stop else None, len(rest_f)) if x is not None)
        coordinating = units_in(text[m.end(): m.end() + end])
    return lead, coordinating


def heading_units(heading: str) -> tuple[list[dict], str]:
    """A unit heading: "Phòng Nội vụ:" or "Phòng Tư pháp: Tham mưu …" → (units, the text after ':')."""
    head, sep, rest = heading.partition(":")
    if not sep or len(head.split()) > 10:
        return [], heading
    found = units_in(head)
    if found and all(u["id"] for u in found):
        return found, rest.strip()
    return [], heading
